"""``requires`` and ``has_required_scope``, as Starlette 1.10 behaves."""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from hypothesis import given
from hypothesis import strategies as st

from asgi_auth import (
    AuthCredentials,
    AuthenticationMiddleware,
    SimpleUser,
    has_required_scope,
    requires,
)
from asgi_core import HTTPConnection, HTTPException, Request, UsageError, is_async_callable
from asgi_core.types import Message, Scope
from asgi_responses import PlainTextResponse, RedirectResponse, Response
from asgi_routing import (
    HTTPEndpoint,
    Mount,
    Route,
    Router,
    WebSocketEndpoint,
    WebSocketRoute,
)
from asgi_testing import TestClient, WebSocketDisconnect
from asgi_websockets import WebSocket

Client = Callable[..., TestClient]
MakeScope = Callable[..., Scope]


def granted(*scopes: str) -> dict[str, Any]:
    """An HTTP scope as the middleware leaves it, with ``scopes`` granted."""
    return {
        "type": "http",
        "method": "GET",
        "scheme": "http",
        "server": ("testserver", 80),
        "path": "/",
        "root_path": "",
        "query_string": b"",
        "headers": [],
        "auth": AuthCredentials(list(scopes)),
        "user": SimpleUser("ada"),
    }


# --- endpoints, decorated as a Starlette application would ---------------------------------


@requires("authenticated")
async def async_page(request: Request) -> Response:
    return PlainTextResponse("async page")


@requires(["authenticated", "admin"])
def sync_page(request: Request) -> Response:
    return PlainTextResponse("sync page")


@requires("admin", status_code=404)
async def hidden(request: Request) -> Response:
    return PlainTextResponse("hidden")


@requires("admin", redirect="login")
async def async_redirect(request: Request) -> Response:
    return PlainTextResponse("async redirect")


@requires("admin", redirect="login", status_code=401)
def sync_redirect(request: Request) -> Response:
    return PlainTextResponse("sync redirect")


@requires([])
async def open_page(request: Request) -> Response:
    return PlainTextResponse("open")


async def login(request: Request) -> Response:
    return PlainTextResponse("login")


class Endpoint(HTTPEndpoint):
    @requires("admin")
    async def get(self, request: Request) -> Response:
        return PlainTextResponse("endpoint get")

    @requires("admin")
    def post(self, request: Request) -> Response:
        return PlainTextResponse("endpoint post")


@requires("chat")
async def chat(websocket: WebSocket) -> None:
    await websocket.accept()
    await websocket.send_text("welcome")
    await websocket.close()


class Chat(WebSocketEndpoint):
    encoding = "text"

    @requires("chat")
    async def on_connect(self, websocket: WebSocket) -> None:
        await websocket.accept()
        await websocket.send_text("welcome to the endpoint")


@pytest.fixture
def app(backend: Any) -> AuthenticationMiddleware:
    router = Router(
        routes=[
            Route("/async", async_page),
            Route("/sync", sync_page, methods=["GET", "POST"]),
            Route("/hidden", hidden),
            Route("/async-redirect", async_redirect),
            Route("/sync-redirect", sync_redirect),
            Route("/open", open_page),
            Route("/login", login, name="login"),
            Route("/endpoint", Endpoint),
            WebSocketRoute("/chat", chat),
            WebSocketRoute("/chat-endpoint", Chat),
        ]
    )
    return AuthenticationMiddleware(router, backend)


def headers(scopes: str | None) -> dict[str, str]:
    return {} if scopes is None else {"X-User": "ada", "X-Scopes": scopes}


FORBIDDEN = [(b"content-length", b"9"), (b"content-type", b"text/plain; charset=utf-8")]


@pytest.mark.parametrize(
    ("path", "scopes", "status", "text"),
    [
        ("/async", None, 403, "Forbidden"),
        ("/async", "", 403, "Forbidden"),
        ("/async", "authenticated", 200, "async page"),
        ("/sync", None, 403, "Forbidden"),
        ("/sync", "authenticated", 403, "Forbidden"),
        ("/sync", "authenticated,admin", 200, "sync page"),
        ("/sync", "admin,other,authenticated", 200, "sync page"),
        ("/hidden", "authenticated", 404, "Not Found"),
        ("/hidden", "admin", 200, "hidden"),
        ("/open", None, 200, "open"),
        ("/endpoint", "authenticated", 403, "Forbidden"),
        ("/endpoint", "admin", 200, "endpoint get"),
    ],
)
def test_http_endpoints(
    client: Client, app: Any, path: str, scopes: str | None, status: int, text: str
) -> None:
    response = client(app).get(path, headers=headers(scopes))
    assert (response.status_code, response.text) == (status, text)
    if status == 403:
        assert response.headers.raw == FORBIDDEN


def test_a_sync_method(client: Client, app: Any) -> None:
    test_client = client(app)
    assert test_client.post("/endpoint").status_code == 403
    response = test_client.post("/endpoint", headers=headers("admin"))
    assert (response.status_code, response.text) == (200, "endpoint post")


@pytest.mark.parametrize("path", ["/async-redirect", "/sync-redirect"])
def test_redirect_carries_next(client: Client, app: Any, path: str) -> None:
    test_client = client(app, follow_redirects=False)
    response = test_client.get(f"{path}?x=1&y=%20z", headers=headers("authenticated"))
    assert response.status_code == 303
    assert response.headers.raw == [
        (b"content-length", b"0"),
        (
            b"location",
            f"http://testserver/login?next=http%3A%2F%2Ftestserver%2F{path[1:]}"
            "%3Fx%3D1%26y%3D%2520z".encode(),
        ),
    ]
    assert response.content == b""
    head = test_client.head(path)
    assert head.status_code == 303
    assert head.headers["location"] == (
        f"http://testserver/login?next=http%3A%2F%2Ftestserver%2F{path[1:]}"
    )
    assert test_client.get(path, headers=headers("admin")).status_code == 200


def test_redirect_followed(client: Client, app: Any) -> None:
    response = client(app).get("/async-redirect")
    assert response.text == "login"
    assert response.url == "http://testserver/login?next=http%3A%2F%2Ftestserver%2Fasync-redirect"


@pytest.mark.anyio
async def test_redirect_to_a_mounted_route() -> None:
    @requires("admin", redirect="auth:sign_in")
    async def page(request: Request) -> Response:
        raise AssertionError("not reached")  # pragma: no cover - the scope is missing

    router = Router(
        routes=[Mount("/auth", routes=[Route("/sign-in", login, name="sign_in")], name="auth")]
    )
    scope = granted() | {"router": router, "path": "/a b", "query_string": b"q=1"}
    response = await page(Request(scope))
    assert isinstance(response, RedirectResponse)
    assert response.headers["location"] == (
        "http://testserver/auth/sign-in?next=http%3A%2F%2Ftestserver%2Fa+b%3Fq%3D1"
    )


@given(st.text(alphabet=st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=30))
def test_next_round_trips_to_the_requests_url(query: str) -> None:
    from urllib.parse import quote

    @requires("admin", redirect="login")
    def page(request: Request) -> Response:
        raise AssertionError("not reached")  # pragma: no cover - the scope is missing

    router = Router(routes=[Route("/login", login, name="login")])
    scope = granted() | {"router": router, "query_string": quote(query, safe="=&").encode()}
    request = Request(scope)
    response = page(request)
    location = urlsplit(response.headers["location"])
    assert (location.path, parse_qs(location.query)["next"]) == ("/login", [str(request.url)])


def test_websocket_endpoint_with_the_scope(client: Client, app: Any) -> None:
    with client(app).websocket_connect("/chat", headers=headers("chat")) as websocket:
        assert websocket.receive_text() == "welcome"


@pytest.mark.parametrize("path", ["/chat", "/chat-endpoint"])
def test_websocket_without_the_scope_is_closed_with_1000(
    client: Client, app: Any, path: str
) -> None:
    test_client = client(app)
    with (
        pytest.raises(WebSocketDisconnect) as info,
        test_client.websocket_connect(path, headers=headers("authenticated")),
    ):
        pass  # pragma: no cover - the handshake fails before the block runs
    assert (info.value.code, info.value.reason) == (1000, "")


def test_websocket_endpoint_class_with_the_scope(client: Client, app: Any) -> None:
    with client(app).websocket_connect("/chat-endpoint", headers=headers("chat")) as websocket:
        assert websocket.receive_text() == "welcome to the endpoint"


@pytest.mark.anyio
@pytest.mark.parametrize("options", [{}, {"status_code": 404, "redirect": "login"}])
async def test_websocket_refusal_sends_one_close_and_skips_the_endpoint(
    options: dict[str, Any],
) -> None:
    called: list[WebSocket] = []

    @requires("admin", **options)
    async def endpoint(websocket: WebSocket) -> str:
        called.append(websocket)  # pragma: no cover - the scope is missing
        return "ran"  # pragma: no cover - the scope is missing

    sent: list[Message] = []

    async def receive() -> Message:
        raise AssertionError("the refusal receives nothing")  # pragma: no cover - never

    async def send(message: Message) -> None:
        sent.append(message)

    scope = granted("chat") | {"type": "websocket", "scheme": "ws"}
    assert await endpoint(WebSocket(scope, receive, send)) is None
    assert sent == [{"type": "websocket.close", "code": 1000, "reason": ""}]
    assert called == []


@pytest.mark.anyio
async def test_websocket_wrapper_returns_the_endpoints_result() -> None:
    @requires("chat")
    async def endpoint(websocket: WebSocket) -> str:
        return "ran"

    scope = granted("chat") | {"type": "websocket", "scheme": "ws"}
    assert await endpoint(websocket=WebSocket(scope, None, None)) == "ran"  # type: ignore[arg-type]


# --- the connection argument ----------------------------------------------------------------


def test_the_connection_may_be_passed_by_keyword_or_position() -> None:
    @requires("a")
    def page(first: int, second: int, request: Request) -> str:
        return f"{first}{second}"

    assert page(1, 2, Request(granted("a"))) == "12"
    assert page(1, 2, request=Request(granted("a"))) == "12"
    with pytest.raises(HTTPException):
        page(1, 2, request=Request(granted()))


def test_positional_only_and_keyword_only_parameters() -> None:
    def positional(request: Request, /) -> str:
        return "positional"

    def keyword(*, request: Request) -> str:
        return "keyword"

    assert requires("a")(positional)(Request(granted("a"))) == "positional"
    assert requires("a")(keyword)(request=Request(granted("a"))) == "keyword"


def test_the_first_connection_parameter_wins() -> None:
    def both(request: Request, websocket: WebSocket) -> str:
        return "request first"

    wrapped = requires("a")(both)
    assert not inspect.iscoroutinefunction(wrapped)
    assert wrapped(Request(granted("a")), None) == "request first"  # type: ignore[arg-type]

    def reversed_(websocket: WebSocket, request: Request) -> str:
        return "websocket first"  # pragma: no cover - never awaited as a websocket

    assert inspect.iscoroutinefunction(requires("a")(reversed_))


@pytest.mark.anyio
@pytest.mark.parametrize(
    ("value", "received"),
    [("x", "str"), (None, "NoneType"), (HTTPConnection(granted("a")), "HTTPConnection")],
)
async def test_a_wrong_request_argument(value: Any, received: str) -> None:
    async def async_page(request: Request) -> str:
        return "never"  # pragma: no cover - the argument is refused

    def sync_page(request: Request) -> str:
        return "never"  # pragma: no cover - the argument is refused

    message = (
        f"^Parameter with name 'request' is required to be of type 'Request' not '{received}'$"
    )
    with pytest.raises(UsageError, match=message):
        requires("a")(sync_page)(value)
    with pytest.raises(AssertionError, match=message):  # what Starlette raises
        await requires("a")(async_page)(value)


@pytest.mark.anyio
async def test_a_missing_request_argument() -> None:
    def page(request: Request | None = None) -> str:
        return "never"  # pragma: no cover - the argument is refused

    with pytest.raises(UsageError, match="not 'NoneType'$"):
        requires("a")(page)()


@pytest.mark.anyio
@pytest.mark.parametrize(
    ("value", "received"),
    [
        ("x", "str"),
        (Request(granted("chat")), "Request"),
        (HTTPConnection(granted("chat") | {"type": "websocket"}), "HTTPConnection"),
    ],
)
async def test_a_wrong_websocket_argument(value: Any, received: str) -> None:
    @requires("chat")
    async def endpoint(websocket: WebSocket) -> None:
        pass  # pragma: no cover - the argument is refused

    message = (
        f"^Parameter with name 'websocket' is required to be of type 'WebSocket' not '{received}'$"
    )
    with pytest.raises(UsageError, match=message):
        await endpoint(value)


def test_without_the_middleware_request_auth_fails() -> None:
    scope = granted()
    del scope["auth"]
    with pytest.raises(AssertionError, match="AuthenticationMiddleware must be installed"):
        sync_page(Request(scope))


def test_redirect_needs_a_router() -> None:
    @requires("admin", redirect="login")
    def page(request: Request) -> str:
        return "never"  # pragma: no cover - the scope is missing

    with pytest.raises(RuntimeError, match="url_for"):
        page(Request(granted()))


# --- decorating --------------------------------------------------------------------------------


def test_the_wrapper_looks_like_the_function() -> None:
    async def page(request: Request) -> str:
        """The page."""
        return "page"  # pragma: no cover - only inspected

    wrapped = requires("a")(page)
    assert wrapped.__name__ == "page"
    assert wrapped.__doc__ == "The page."
    assert wrapped.__wrapped__ is page  # type: ignore[attr-defined]
    assert inspect.signature(wrapped) == inspect.signature(page)
    assert inspect.iscoroutinefunction(wrapped)
    assert not inspect.iscoroutinefunction(sync_page)


@pytest.mark.anyio
async def test_async_partials_and_callable_objects_get_an_async_wrapper() -> None:
    async def page(prefix: str, request: Request) -> str:
        return f"{prefix} page"

    class Page:
        async def __call__(self, request: Request) -> str:
            return "object page"

    partial = requires("a")(functools.partial(page, "partial"))
    obj = requires("a")(Page())
    assert is_async_callable(partial)
    assert is_async_callable(obj)
    assert await partial(Request(granted("a"))) == "partial page"
    assert await obj(Request(granted("a"))) == "object page"
    with pytest.raises(HTTPException):
        await obj(Request(granted()))


def test_a_single_string_is_one_scope() -> None:
    @requires("ad")
    def page(request: Request) -> str:
        return "page"

    assert page(Request(granted("ad"))) == "page"
    with pytest.raises(HTTPException):
        page(Request(granted("a", "d")))


def test_scopes_from_an_iterator_are_kept() -> None:
    @requires(iter(["a", "b"]))  # type: ignore[arg-type]
    def page(request: Request) -> str:
        return "page"

    assert page(Request(granted("a", "b"))) == "page"
    assert page(Request(granted("b", "a", "c"))) == "page"
    with pytest.raises(HTTPException):
        page(Request(granted("a")))


@pytest.mark.parametrize("status_code", [401, 404, 418, 451, 503])
def test_the_exception_carries_the_status_code(status_code: int) -> None:
    @requires("admin", status_code=status_code)
    def page(request: Request) -> str:
        return "never"  # pragma: no cover - the scope is missing

    with pytest.raises(HTTPException) as info:
        page(Request(granted()))
    assert info.value.status_code == status_code
    assert info.value.headers is None


def test_a_function_without_a_connection_parameter() -> None:
    def page(req: Request) -> str:
        return "never"  # pragma: no cover - refused

    with pytest.raises(TypeError) as info:
        requires("a")(page)
    assert str(info.value).startswith(
        f'No "request" or "websocket" argument on function "{page!r}"'
    )
    assert 'Name that parameter "request"' in str(info.value)

    def anything(*args: Any, **kwargs: Any) -> None:
        pass  # pragma: no cover - refused

    with pytest.raises(TypeError, match='^No "request" or "websocket" argument'):
        requires("a")(anything)


def test_decorating_something_that_is_not_callable() -> None:
    with pytest.raises(TypeError, match="is not a callable object"):
        requires("a")(42)  # type: ignore[arg-type]


@pytest.mark.parametrize("scopes", [42, None])
def test_scopes_must_be_iterable(scopes: Any) -> None:
    with pytest.raises(TypeError, match=rf"scope names, got {scopes!r}\. Write requires\("):
        requires(scopes)


@pytest.mark.parametrize(
    ("options", "error", "message"),
    [
        ({"status_code": "403"}, TypeError, r"status_code=\.\.\.\) must be an int, got '403'"),
        ({"status_code": True}, TypeError, "must be an int, got True"),
        ({"status_code": 200}, ValueError, r"error status \(400-599\), got 200"),
        ({"status_code": 302}, ValueError, "pass redirect='<route name>'"),
        ({"status_code": 600}, ValueError, "got 600"),
        ({"redirect": 5}, TypeError, r"redirect=\.\.\.\) must be the name of a route"),
    ],
)
def test_options_are_checked_when_decorating(
    options: dict[str, Any], error: type[Exception], message: str
) -> None:
    with pytest.raises(error, match=message):
        requires("a", **options)


# --- has_required_scope ------------------------------------------------------------------------


def test_has_required_scope() -> None:
    conn = HTTPConnection(granted("authenticated", "admin"))
    assert has_required_scope(conn, ["admin"])
    assert has_required_scope(conn, ("admin", "authenticated"))
    assert not has_required_scope(conn, ["admin", "root"])
    assert has_required_scope(conn, [])


def test_has_required_scope_iterates_a_string_as_starlette() -> None:
    assert not has_required_scope(HTTPConnection(granted("admin")), "admin")
    assert has_required_scope(HTTPConnection(granted(*"admin")), "admin")


def test_has_required_scope_without_the_middleware() -> None:
    conn = HTTPConnection({"type": "http"})
    assert has_required_scope(conn, [])  # nothing to check, auth is not read
    with pytest.raises(AssertionError, match="must be installed to access request.auth"):
        has_required_scope(conn, ["a"])


@given(st.lists(st.text(max_size=3), max_size=5), st.lists(st.text(max_size=3), max_size=5))
def test_has_required_scope_is_a_subset_test(held: list[str], needed: list[str]) -> None:
    conn = HTTPConnection(granted(*held))
    assert has_required_scope(conn, needed) == set(needed).issubset(held)
