"""Sessions and authentication cases: SessionMiddleware, AuthenticationMiddleware, requires.

Each app is an application of the framework under test with the middleware in its
``middleware=[...]`` list. A signed session cookie carries a timestamp, so the two
frameworks' ``Set-Cookie`` values differ by the second they were made: ``neutral_cookies``
replaces each cookie value by what it decodes to (the JSON, whether our key signed it, and
whether it was signed just now), keeping the name and every attribute byte for byte. Request
cookies are made here with itsdangerous, in the documented format (base64 JSON signed by a
``TimestampSigner``), so both frameworks read the same ones.
Case ids are ``sessions/<variant>/<request>`` and ``auth/<variant>/<request>``.
"""

from __future__ import annotations

import base64
import json
import time
import warnings
from collections.abc import Callable
from typing import Any

from cases import case, get, h
from driver import App, HTTPRequest, Message, WebSocketSession
from itsdangerous import BadSignature, TimestampSigner
from lib import Lib

# Starlette leaves the coroutine of an async on_error unawaited
warnings.filterwarnings("ignore", "coroutine .* was never awaited", RuntimeWarning)

SECRET = "difftest secret"
OTHER_SECRET = "another secret"

# --------------------------------------------------------------------------- cookies


def signed(data: Any, *, key: str = SECRET, age: int = 0, raw: bytes | None = None) -> str:
    """A session cookie value: ``data`` as base64 JSON (or ``raw`` bytes), signed ``age`` s ago."""

    class Signer(TimestampSigner):
        def get_timestamp(self) -> int:
            return int(time.time()) - age

    payload = raw if raw is not None else base64.b64encode(json.dumps(data).encode())
    return Signer(key).sign(payload).decode()


def _describe_value(value: str) -> str:
    if value == "null":
        return value
    try:
        payload, stamp = TimestampSigner(SECRET).unsign(value, return_timestamp=True)
    except BadSignature:
        return "<not signed by the secret>"
    fresh = abs(time.time() - stamp.timestamp()) < 60
    try:
        data = json.loads(base64.b64decode(payload))
    except ValueError:
        data = payload.decode("latin-1")
    return f"<signed {'now' if fresh else 'earlier'}: {json.dumps(data, sort_keys=True)}>"


def _neutral(header: bytes) -> bytes:
    text = header.decode("latin-1")
    pair, semicolon, attributes = text.partition(";")
    name, _, value = pair.partition("=")
    return f"{name}={_describe_value(value)}{semicolon}{attributes}".encode("latin-1")


def neutral_cookies(app: App) -> App:
    """``app`` with each ``Set-Cookie`` value replaced by what it decodes to."""

    async def wrapped(scope: Any, receive: Any, send: Any) -> None:
        async def send_neutral(message: Message) -> None:
            if message["type"] == "http.response.start":
                message = dict(message)
                message["headers"] = [
                    (k, _neutral(bytes(v)) if bytes(k).lower() == b"set-cookie" else v)
                    for k, v in message.get("headers", [])
                ]
            await send(message)

        await app(scope, receive, send_neutral)

    return wrapped


def with_cookie(path: str, value: str, name: str = "session", **kw: Any) -> HTTPRequest:
    return get(path, headers=h(("cookie", f"{name}={value}")), **kw)


# --------------------------------------------------------------------------- sessions


def _session_routes(lib: Lib) -> list[Any]:
    R = lib.routing.Route
    responses = lib.responses

    async def read(request: Any) -> Any:
        return responses.JSONResponse(dict(request.session))

    async def set_(request: Any) -> Any:
        for key, value in request.query_params.items():
            request.session[key] = value
        return responses.PlainTextResponse("set")

    async def count(request: Any) -> Any:
        request.session["n"] = request.session.get("n", 0) + 1
        return responses.JSONResponse(request.session["n"])

    async def clear(request: Any) -> Any:
        request.session.clear()
        return responses.PlainTextResponse("cleared")

    async def pop(request: Any) -> Any:
        return responses.JSONResponse(request.session.pop("a", None))

    async def untouched(request: Any) -> Any:
        return responses.PlainTextResponse("untouched")

    async def same_value(request: Any) -> Any:
        request.session.update(dict(request.session))
        return responses.PlainTextResponse("same")

    async def vary(request: Any) -> Any:
        return responses.JSONResponse(dict(request.session), headers={"vary": "Accept-Encoding"})

    async def unicode(request: Any) -> Any:
        request.session["name"] = "Zoë ☃"
        request.session["nested"] = {"list": [1, 2.5, None, True]}
        return responses.PlainTextResponse("unicode")

    async def not_json(request: Any) -> Any:
        request.session["when"] = object()
        return responses.PlainTextResponse("unreachable")

    async def error_after_set(request: Any) -> Any:
        request.session["a"] = "1"
        raise lib.exceptions.HTTPException(418, "teapot")

    async def websocket(ws: Any) -> None:
        await ws.accept()
        await ws.send_json(dict(ws.session))
        await ws.close()

    return [
        R("/", read),
        R("/set", set_),
        R("/count", count),
        R("/clear", clear),
        R("/pop", pop),
        R("/untouched", untouched),
        R("/same", same_value),
        R("/vary", vary),
        R("/unicode", unicode),
        R("/not-json", not_json),
        R("/error", error_after_set),
        lib.routing.WebSocketRoute("/ws", websocket),
    ]


def _sessions(**options: Any) -> Any:
    def build(lib: Lib) -> App:
        middleware = lib.middleware.Middleware(
            lib.middleware__sessions.SessionMiddleware, **{"secret_key": SECRET, **options}
        )
        return neutral_cookies(lib.App(routes=_session_routes(lib), middleware=[middleware]))

    return build


VALID = signed({"a": "1", "n": 41})
SESSION_EXCHANGES: dict[str, Any] = {
    "read_empty": get("/"),
    "read": with_cookie("/", VALID),
    "set_new": get("/set", b"a=1&b=%C3%A9"),
    "set_existing": with_cookie("/set", VALID, query=b"b=2"),
    "modify": with_cookie("/count", VALID),
    "modify_new": get("/count"),
    "clear": with_cookie("/clear", VALID),
    "clear_empty": get("/clear"),
    "pop": with_cookie("/pop", VALID),
    "pop_missing": get("/pop"),
    "untouched_with_cookie": with_cookie("/untouched", VALID),
    "untouched_without": get("/untouched"),
    "same_value": with_cookie("/same", VALID),
    "vary_merged": with_cookie("/vary", VALID),
    "vary_no_cookie": get("/vary"),
    "unicode": get("/unicode"),
    "not_json": get("/not-json"),
    "error_after_set": get("/error"),
    "expired": with_cookie("/", signed({"a": "old"}, age=1209600 + 60)),
    "almost_expired": with_cookie("/", signed({"a": "old"}, age=1209600 - 60)),
    "tampered": with_cookie("/", VALID[:-2] + ("AA" if not VALID.endswith("AA") else "BB")),
    "other_key": with_cookie("/", signed({"a": "1"}, key=OTHER_SECRET)),
    "garbage": with_cookie("/", "not a cookie"),
    "empty_cookie": with_cookie("/", ""),
    "other_cookie_name": with_cookie("/", VALID, name="other"),
    "two_cookies": get("/", headers=h(("cookie", f"x=1; session={VALID}; y=2"))),
    "oversized_cookie": with_cookie("/", signed({"a": "x" * 3500})),
    "websocket": WebSocketSession(path="/ws", headers=h(("cookie", f"session={VALID}"))),
    "websocket_empty": WebSocketSession(path="/ws"),
    "head": HTTPRequest(method="HEAD", path="/count"),
}

case("sessions/default", **SESSION_EXCHANGES)(_sessions())

case(
    "sessions/options",
    read=with_cookie("/app/", VALID, name="sid", root_path="/app"),
    set_new=get("/set", b"a=1"),
    clear=with_cookie("/clear", VALID, name="sid"),
    modify=with_cookie("/count", VALID, name="sid"),
)(
    _sessions(
        session_cookie="sid",
        max_age=60,
        path="/app",
        same_site="strict",
        https_only=True,
        domain="example.org",
    )
)

case(
    "sessions/browser-session",
    set_new=get("/set", b"a=1"),
    clear=with_cookie("/clear", VALID),
    old_cookie=with_cookie("/", signed({"a": "old"}, age=10 * 365 * 86400)),
)(_sessions(max_age=None))

case(
    "sessions/partitioned",
    set_new=get("/set", b"a=1"),
    clear=with_cookie("/clear", VALID),
)(_sessions(https_only=True, same_site="none", partitioned=True))

case(
    "sessions/secret-object",
    read=with_cookie("/", VALID),
    set_new=get("/set", b"a=1"),
)(lambda lib: _sessions(secret_key=lib.datastructures.Secret(SECRET))(lib))

case(
    "sessions/max-age-short",
    within=with_cookie("/", signed({"a": "1"}, age=5)),
    expired=with_cookie("/", signed({"a": "1"}, age=20)),
)(_sessions(max_age=10))

# a validly signed cookie whose content is not base64 JSON of an object
case(
    "sessions/bad-content",
    not_base64=with_cookie("/", signed(None, raw=b"***")),
    not_json=with_cookie("/", signed(None, raw=base64.b64encode(b"{"))),
    json_list=with_cookie("/", signed([["a", "1"]])),
    json_string=with_cookie("/", signed("text")),
    json_number=with_cookie("/", signed(5)),
)(_sessions())

# a session too large for a cookie: Starlette sends it; we refuse before the response starts
case(
    "sessions/too-large",
    set_large=get("/set", b"a=" + b"x" * 5000),
    set_fits=get("/set", b"a=" + b"x" * 2000),
)(_sessions())

# key rotation: Starlette hands the list to itsdangerous, which signs with the last key
case(
    "sessions/key-rotation",
    read_first=with_cookie("/", signed({"a": "first"})),
    read_second=with_cookie("/", signed({"a": "second"}, key=OTHER_SECRET)),
    set_new=get("/set", b"a=1"),
)(_sessions(secret_key=[SECRET, OTHER_SECRET]))

SESSION_MISTAKES: dict[str, dict[str, Any]] = {
    "same-site-none-without-https": {"same_site": "none"},
    "partitioned-without-https": {"partitioned": True},
    "same-site-typo": {"same_site": "lax "},
    "semicolon-in-path": {"path": "/;x"},
    "empty-key": {"secret_key": ""},
    "none-key": {"secret_key": None},
}
for _name, _options in SESSION_MISTAKES.items():
    case(f"sessions/misconfigured/{_name}", read=get("/"))(_sessions(**_options))


@case("sessions/missing-middleware", read=get("/"), websocket=WebSocketSession(path="/ws"))
def _no_sessions(lib: Lib) -> App:
    return lib.App(routes=_session_routes(lib))


# --------------------------------------------------------------------------- authentication

Decorator = Callable[[Callable[..., Any]], Callable[..., Any]]


def requires(lib: Lib, *args: Any, **kwargs: Any) -> Decorator:
    """``lib.authentication.requires(*args, **kwargs)``, typed for the decorated functions."""
    decorator: Decorator = lib.authentication.requires(*args, **kwargs)
    return decorator


def _auth_app(lib: Lib, on_error: Any = None, middleware: bool = True) -> App:
    auth = lib.authentication
    responses = lib.responses

    class Backend(auth.AuthenticationBackend):  # type: ignore[name-defined,misc]
        async def authenticate(self, conn: Any) -> Any:
            header = conn.headers.get("authorization")
            if header is None:
                return None
            scheme, _, rest = header.partition(" ")
            if scheme != "Bearer":
                raise auth.AuthenticationError(f"Unsupported scheme {scheme}")
            user, *scopes = rest.split()
            return auth.AuthCredentials(["authenticated", *scopes]), auth.SimpleUser(user)

    async def whoami(request: Any) -> Any:
        user = request.user
        return responses.JSONResponse(
            {
                "authenticated": user.is_authenticated,
                "name": user.display_name,
                "identity": user.identity,
                "scopes": request.auth.scopes,
                "class": type(user).__name__,
            }
        )

    @requires(lib, "authenticated")
    async def private(request: Any) -> Any:
        return responses.PlainTextResponse(f"private for {request.user.username}")

    @requires(lib, ["authenticated", "admin"])
    async def admin(request: Any) -> Any:
        return responses.PlainTextResponse("admin")

    @requires(lib, "admin", status_code=404)
    async def hidden(request: Any) -> Any:
        return responses.PlainTextResponse("hidden")

    @requires(lib, "authenticated", redirect="login")
    async def dashboard(request: Any) -> Any:
        return responses.PlainTextResponse("dashboard")

    @requires(lib, "admin")
    def sync(request: Any) -> Any:
        return responses.PlainTextResponse("sync admin")

    async def login(request: Any) -> Any:
        return responses.PlainTextResponse("login page")

    class Reports(lib.endpoints.HTTPEndpoint):  # type: ignore[name-defined,misc]
        @requires(lib, "reports")
        async def get(self, request: Any) -> Any:
            return responses.PlainTextResponse("reports")

        async def post(self, request: Any) -> Any:
            return responses.PlainTextResponse("posted")

    @requires(lib, "authenticated")
    async def socket(websocket: Any) -> None:
        await websocket.accept()
        await websocket.send_text(websocket.user.display_name)
        await websocket.close()

    async def open_socket(websocket: Any) -> None:
        await websocket.accept()
        await websocket.send_json([websocket.user.is_authenticated, websocket.auth.scopes])
        await websocket.close()

    class Chat(lib.endpoints.WebSocketEndpoint):  # type: ignore[name-defined,misc]
        encoding = "text"

        @requires(lib, "chat")
        async def on_connect(self, websocket: Any) -> None:
            await websocket.accept()
            await websocket.send_text("welcome")

    R = lib.routing.Route
    W = lib.routing.WebSocketRoute
    routes = [
        R("/", whoami),
        R("/private", private, methods=["GET", "HEAD", "POST"]),
        R("/admin", admin),
        R("/hidden", hidden),
        R("/dashboard", dashboard),
        R("/sync", sync),
        R("/login", login, name="login"),
        R("/reports", Reports),
        W("/ws", socket),
        W("/ws-open", open_socket),
        W("/chat", Chat),
        lib.routing.Mount("/sub", routes=[R("/dashboard", dashboard)]),
    ]
    stack = []
    if middleware:
        options = {} if on_error is None else {"on_error": on_error}
        stack.append(
            lib.middleware.Middleware(
                lib.middleware__authentication.AuthenticationMiddleware,
                backend=Backend(),
                **options,
            )
        )
    return lib.App(routes=routes, middleware=stack)


def bearer(path: str, token: str | None, method: str = "GET", **kw: Any) -> HTTPRequest:
    headers = h(("authorization", token)) if token is not None else ()
    return HTTPRequest(method=method, path=path, headers=headers, **kw)


def ws_as(path: str, token: str | None, *client: Message) -> WebSocketSession:
    headers = h(("authorization", token)) if token is not None else ()
    return WebSocketSession(path=path, headers=headers, client=client)


AUTH_EXCHANGES: dict[str, Any] = {
    "whoami_anonymous": bearer("/", None),
    "whoami_user": bearer("/", "Bearer ada"),
    "whoami_scopes": bearer("/", "Bearer ada admin reports"),
    "whoami_bad_scheme": bearer("/", "Basic YWRhOng="),
    "private_anonymous": bearer("/private", None),
    "private_user": bearer("/private", "Bearer ada"),
    "private_head": bearer("/private", None, method="HEAD"),
    "private_post": bearer("/private", None, method="POST"),
    "private_bad_scheme": bearer("/private", "Token x"),
    "admin_user": bearer("/admin", "Bearer ada"),
    "admin_admin": bearer("/admin", "Bearer ada admin"),
    "hidden_user": bearer("/hidden", "Bearer ada"),
    "hidden_admin": bearer("/hidden", "Bearer ada admin"),
    "dashboard_anonymous": bearer("/dashboard", None),
    "dashboard_query": bearer("/dashboard", None, query_string=b"page=2&q=a%20b"),
    "dashboard_user": bearer("/dashboard", "Bearer ada"),
    "dashboard_https_host": HTTPRequest(
        path="/dashboard", scheme="https", headers=h(("host", "example.org:8443"))
    ),
    "dashboard_mounted": bearer("/sub/dashboard", None),
    "dashboard_root_path": bearer("/app/dashboard", None, root_path="/app"),
    "sync_user": bearer("/sync", "Bearer ada"),
    "sync_admin": bearer("/sync", "Bearer ada admin"),
    "endpoint_user": bearer("/reports", "Bearer ada"),
    "endpoint_reports": bearer("/reports", "Bearer ada reports"),
    "endpoint_post": bearer("/reports", None, method="POST"),
    "not_found": bearer("/missing", "Bearer ada"),
    "not_found_bad_scheme": bearer("/missing", "Basic x"),
    "ws_anonymous": ws_as("/ws", None),
    "ws_user": ws_as("/ws", "Bearer ada"),
    "ws_bad_scheme": ws_as("/ws", "Basic x"),
    "ws_open_anonymous": ws_as("/ws-open", None),
    "ws_open_user": ws_as("/ws-open", "Bearer ada chat"),
    "ws_endpoint_anonymous": ws_as("/chat", None),
    "ws_endpoint_chat": ws_as(
        "/chat", "Bearer ada chat", {"type": "websocket.disconnect", "code": 1000}
    ),
}

case("auth/default", **AUTH_EXCHANGES)(_auth_app)


def _on_error_json(lib: Lib) -> Any:
    def on_error(conn: Any, exc: Exception) -> Any:
        return lib.responses.JSONResponse(
            {"error": str(exc), "path": conn.url.path}, status_code=401
        )

    return on_error


case(
    "auth/on-error",
    bad_scheme=bearer("/", "Basic x"),
    bad_scheme_private=bearer("/private", "Basic x"),
    good=bearer("/", "Bearer ada"),
    ws_bad_scheme=ws_as("/ws-open", "Basic x"),
)(lambda lib: _auth_app(lib, on_error=_on_error_json(lib)))


def _on_error_async(lib: Lib) -> Any:
    async def on_error(conn: Any, exc: Exception) -> Any:
        return lib.responses.PlainTextResponse(f"async: {exc}", status_code=401)

    return on_error


case(
    "auth/on-error-async",
    bad_scheme=bearer("/", "Basic x"),
    good=bearer("/", "Bearer ada"),
)(lambda lib: _auth_app(lib, on_error=_on_error_async(lib)))

case(
    "auth/missing-middleware",
    whoami=bearer("/", None),
    private=bearer("/private", None),
    ws=ws_as("/ws", None),
)(lambda lib: _auth_app(lib, middleware=False))


# sessions and authentication together: the backend reads the session


def _session_auth(lib: Lib) -> App:
    auth = lib.authentication
    responses = lib.responses

    class SessionBackend(auth.AuthenticationBackend):  # type: ignore[name-defined,misc]
        async def authenticate(self, conn: Any) -> Any:
            name = conn.session.get("user")
            if name is None:
                return None
            return auth.AuthCredentials(["authenticated"]), auth.SimpleUser(name)

    async def login(request: Any) -> Any:
        request.session["user"] = request.query_params["name"]
        return responses.RedirectResponse(request.query_params.get("next", "/"), 303)

    async def logout(request: Any) -> Any:
        request.session.clear()
        return responses.RedirectResponse("/", 303)

    @requires(lib, "authenticated", redirect="login")
    async def home(request: Any) -> Any:
        return responses.PlainTextResponse(f"hello {request.user.display_name}")

    R = lib.routing.Route
    Middleware = lib.middleware.Middleware
    return neutral_cookies(
        lib.App(
            routes=[R("/", home), R("/login", login, name="login"), R("/logout", logout)],
            middleware=[
                Middleware(lib.middleware__sessions.SessionMiddleware, secret_key=SECRET),
                Middleware(
                    lib.middleware__authentication.AuthenticationMiddleware,
                    backend=SessionBackend(),
                ),
            ],
        )
    )


case(
    "auth/session-login",
    anonymous=get("/"),
    login=get("/login", b"name=ada&next=%2F"),
    logged_in=with_cookie("/", signed({"user": "ada"})),
    logout=with_cookie("/logout", signed({"user": "ada"})),
    expired=with_cookie("/", signed({"user": "ada"}, age=1209600 + 60)),
)(_session_auth)


# misconfiguration: caught when the middleware or the decorator is made, or per request


def _auth_misconfigured(change: Any) -> Any:
    """An app whose one route or middleware is built with ``change(lib)``'s mistake."""

    def build(lib: Lib) -> App:
        route, middleware = change(lib)
        return lib.App(routes=[lib.routing.Route("/", route)], middleware=middleware)

    return build


def _endpoint(lib: Lib) -> Any:
    async def endpoint(request: Any) -> Any:
        return lib.responses.PlainTextResponse(str(request.user.display_name))

    return endpoint


def _auth_middleware(lib: Lib, backend: Any, **options: Any) -> list[Any]:
    cls = lib.middleware__authentication.AuthenticationMiddleware
    return [lib.middleware.Middleware(cls, backend=backend, **options)]


def _backend(lib: Lib, result: Any = None, error: bool = False) -> Any:
    class Backend(lib.authentication.AuthenticationBackend):  # type: ignore[name-defined,misc]
        async def authenticate(self, conn: Any) -> Any:
            if error:
                raise lib.authentication.AuthenticationError("bad")
            return result

    return Backend()


def _anonymous(lib: Lib) -> list[Any]:
    return _auth_middleware(lib, _backend(lib))


def _requires_on(lib: Lib, *args: Any, **kwargs: Any) -> Any:
    @requires(lib, *args, **kwargs)
    async def endpoint(request: Any) -> Any:
        return lib.responses.PlainTextResponse("in")

    return endpoint


def _no_request_parameter(lib: Lib) -> Any:
    @requires(lib, "admin")
    async def endpoint(req: Any) -> Any:  # pragma: no cover - decorating fails
        return None

    return endpoint


AUTH_MISTAKES: dict[str, Any] = {
    "no-backend": lambda lib: (_endpoint(lib), _auth_middleware(lib, None)),
    "backend-without-authenticate": lambda lib: (_endpoint(lib), _auth_middleware(lib, object())),
    "backend-returns-int": lambda lib: (_endpoint(lib), _auth_middleware(lib, _backend(lib, 5))),
    "backend-returns-triple": lambda lib: (
        _endpoint(lib),
        _auth_middleware(lib, _backend(lib, (1, 2, 3))),
    ),
    "on-error-returns-none": lambda lib: (
        _endpoint(lib),
        _auth_middleware(lib, _backend(lib, error=True), on_error=lambda conn, exc: None),
    ),
    "on-error-not-callable": lambda lib: (
        _endpoint(lib),
        _auth_middleware(lib, _backend(lib, error=True), on_error="handler"),
    ),
    "requires-int": lambda lib: (_requires_on(lib, 42), _anonymous(lib)),
    "requires-status-200": lambda lib: (
        _requires_on(lib, "admin", status_code=200),
        _anonymous(lib),
    ),
    "requires-status-text": lambda lib: (
        _requires_on(lib, "admin", status_code="403"),
        _anonymous(lib),
    ),
    "requires-redirect-int": lambda lib: (_requires_on(lib, "admin", redirect=5), _anonymous(lib)),
    "requires-no-request-parameter": lambda lib: (_no_request_parameter(lib), _anonymous(lib)),
}

for _name, _change in AUTH_MISTAKES.items():
    case(f"auth/misconfigured/{_name}", get=get())(_auth_misconfigured(_change))


@case("auth/misconfigured/requires-wrong-request", get=get())
def _wrong_request(lib: Lib) -> App:
    @requires(lib, "admin")
    async def inner(request: Any) -> Any:  # pragma: no cover - the check fails first
        return None

    async def endpoint(request: Any) -> Any:
        return await inner("not a request")

    return lib.App(routes=[lib.routing.Route("/", endpoint)], middleware=_anonymous(lib))
