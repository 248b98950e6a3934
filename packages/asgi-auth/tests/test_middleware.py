"""AuthenticationMiddleware around raw ASGI applications, as Starlette 1.10 behaves."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import pytest

from asgi_auth import (
    AuthCredentials,
    AuthenticationBackend,
    AuthenticationError,
    AuthenticationMiddleware,
    BaseUser,
    SimpleUser,
    UnauthenticatedUser,
)
from asgi_core import HTTPConnection, Request
from asgi_core.scope_keys import AUTH, USER
from asgi_core.types import Message, Receive, Scope, Send
from asgi_responses import JSONResponse, PlainTextResponse, Response
from asgi_testing import TestClient, WebSocketDisconnect

Call = Callable[..., Awaitable[list[Message]]]
Client = Callable[..., TestClient]
MakeScope = Callable[..., Scope]


async def whoami(scope: Scope, receive: Receive, send: Send) -> None:
    """A raw ASGI app answering with the user's name and scopes (or accepting a WebSocket)."""
    if scope["type"] == "websocket":
        await receive()
        await send({"type": "websocket.accept"})
        user = scope[USER]
        await send({"type": "websocket.send", "text": f"{user.display_name}|{scope[AUTH].scopes}"})
        await send({"type": "websocket.close", "code": 1000})
        return
    request = Request(scope, receive)
    text = f"{request.user.is_authenticated} {request.user.display_name} {request.auth.scopes}"
    await PlainTextResponse(text)(scope, receive, send)


class Recorder:
    """A raw ASGI app that keeps the scopes it was called with and answers 204."""

    def __init__(self) -> None:
        self.scopes: list[Scope] = []

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        self.scopes.append(scope)
        if scope["type"] == "http":
            await send({"type": "http.response.start", "status": 204, "headers": []})
            await send({"type": "http.response.body", "body": b""})


def test_no_credentials_make_an_unauthenticated_user(client: Client, backend: Any) -> None:
    response = client(AuthenticationMiddleware(whoami, backend)).get("/")
    assert (response.status_code, response.text) == (200, "False  []")


def test_credentials_reach_the_app(client: Client, backend: Any) -> None:
    app = AuthenticationMiddleware(whoami, backend=backend)
    response = client(app).get("/", headers={"X-User": "ada", "X-Scopes": "authenticated,admin"})
    assert response.text == "True ada ['authenticated', 'admin']"


@pytest.mark.anyio
async def test_the_backends_pair_is_stored_as_it_is(call: Call, scope: MakeScope) -> None:
    credentials, user = AuthCredentials(["x"]), SimpleUser("ada")

    class Backend(AuthenticationBackend):
        async def authenticate(self, conn: HTTPConnection) -> tuple[AuthCredentials, BaseUser]:
            return credentials, user

    app = Recorder()
    outer = scope()
    await call(AuthenticationMiddleware(app, Backend()), outer)
    (seen,) = app.scopes
    assert seen is outer  # the scope is updated in place, not copied
    assert seen[AUTH] is credentials
    assert seen[USER] is user
    assert list(seen)[-2:] == ["auth", "user"]


@pytest.mark.anyio
async def test_each_unauthenticated_connection_gets_new_objects(
    call: Call, scope: MakeScope, backend: Any
) -> None:
    app = Recorder()
    middleware = AuthenticationMiddleware(app, backend)
    await call(middleware, scope())
    await call(middleware, scope())
    first, second = app.scopes
    assert type(first[USER]) is UnauthenticatedUser
    assert type(first[AUTH]) is AuthCredentials
    assert first[AUTH].scopes == []
    assert first[AUTH] is not second[AUTH]
    assert first[USER] is not second[USER]


@pytest.mark.anyio
async def test_a_user_already_in_the_scope_is_replaced(
    call: Call, scope: MakeScope, backend: Any
) -> None:
    app = Recorder()
    outer = scope()
    outer[USER] = SimpleUser("forged")
    outer[AUTH] = AuthCredentials(["admin"])
    await call(AuthenticationMiddleware(app, backend), outer)
    assert type(outer[USER]) is UnauthenticatedUser
    assert outer[AUTH].scopes == []


@pytest.mark.anyio
async def test_the_backend_gets_an_http_connection_for_both_kinds(
    call: Call, scope: MakeScope, backend: Any
) -> None:
    middleware = AuthenticationMiddleware(Recorder(), backend)
    await call(middleware, scope("http"))
    await call(middleware, scope("websocket"), [{"type": "websocket.connect"}])
    assert [type(conn) for conn in backend.seen] == [HTTPConnection, HTTPConnection]
    assert [conn.scope["type"] for conn in backend.seen] == ["http", "websocket"]


def test_websocket_with_and_without_credentials(client: Client, backend: Any) -> None:
    test_client = client(AuthenticationMiddleware(whoami, backend))
    with test_client.websocket_connect("/ws") as websocket:
        assert websocket.receive_text() == "|[]"
    headers = {"X-User": "ada", "X-Scopes": "chat"}
    with test_client.websocket_connect("/ws", headers=headers) as websocket:
        assert websocket.receive_text() == "ada|['chat']"


@pytest.mark.anyio
@pytest.mark.parametrize("kind", ["lifespan", "something-else"])
async def test_other_scope_types_pass_through_untouched(
    call: Call, kind: str, backend: Any
) -> None:
    app = Recorder()
    outer: Scope = {"type": kind, "asgi": {"version": "3.0"}}
    await call(AuthenticationMiddleware(app, backend), outer)
    assert app.scopes == [outer]
    assert outer == {"type": kind, "asgi": {"version": "3.0"}}
    assert backend.seen == []


def test_lifespan_through_the_test_client(client: Client, backend: Any) -> None:
    events: list[str] = []

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        assert scope["type"] == "lifespan"
        while True:
            message = await receive()
            events.append(message["type"])
            if message["type"] == "lifespan.startup":
                await send({"type": "lifespan.startup.complete"})
            else:
                await send({"type": "lifespan.shutdown.complete"})
                return

    with client(AuthenticationMiddleware(app, backend)):
        pass
    assert events == ["lifespan.startup", "lifespan.shutdown"]


@pytest.mark.anyio
async def test_an_authentication_error_is_a_400_with_its_message(
    call: Call, scope: MakeScope, backend: Any
) -> None:
    app = Recorder()
    sent = await call(AuthenticationMiddleware(app, backend), scope(headers=[(b"x-user", b"bad")]))
    assert sent == [
        {
            "type": "http.response.start",
            "status": 400,
            "headers": [
                (b"content-length", b"19"),
                (b"content-type", b"text/plain; charset=utf-8"),
            ],
        },
        {"type": "http.response.body", "body": b"Invalid credentials"},
    ]
    assert app.scopes == []


def test_an_authentication_error_through_the_test_client(client: Client, backend: Any) -> None:
    response = client(AuthenticationMiddleware(whoami, backend)).get("/", headers={"X-User": "bad"})
    assert response.status_code == 400
    assert response.headers["content-type"] == "text/plain; charset=utf-8"
    assert response.text == "Invalid credentials"


@pytest.mark.anyio
async def test_an_authentication_error_closes_a_websocket_with_1000(
    call: Call, scope: MakeScope, backend: Any
) -> None:
    app = Recorder()
    sent = await call(
        AuthenticationMiddleware(app, backend),
        scope("websocket", headers=[(b"x-user", b"bad")]),
        [{"type": "websocket.connect"}],
    )
    assert sent == [{"type": "websocket.close", "code": 1000}]
    assert app.scopes == []


def test_an_authentication_error_refuses_the_websocket_handshake(
    client: Client, backend: Any
) -> None:
    test_client = client(AuthenticationMiddleware(whoami, backend))
    with (
        pytest.raises(WebSocketDisconnect) as info,
        test_client.websocket_connect("/", headers={"X-User": "bad"}),
    ):
        pass  # pragma: no cover - the handshake fails before the block runs
    assert info.value.code == 1000


def test_default_on_error() -> None:
    assert AuthenticationMiddleware.default_on_error.__doc__
    conn = HTTPConnection({"type": "http"})
    response = AuthenticationMiddleware.default_on_error(conn, AuthenticationError("é!"))
    assert type(response) is PlainTextResponse
    assert response.status_code == 400
    assert response.body == "é!".encode()
    empty = AuthenticationMiddleware.default_on_error(conn, AuthenticationError())
    assert (empty.body, empty.headers["content-length"]) == (b"", "0")


def test_on_error_defaults_to_default_on_error(backend: Any) -> None:
    middleware = AuthenticationMiddleware(whoami, backend, on_error=None)
    assert middleware.on_error == AuthenticationMiddleware.default_on_error
    assert middleware.app is whoami
    assert middleware.backend is backend


def test_a_custom_on_error(client: Client, backend: Any) -> None:
    calls: list[tuple[HTTPConnection, Exception]] = []

    def on_error(conn: HTTPConnection, exc: Exception) -> Response:
        calls.append((conn, exc))
        return JSONResponse({"error": str(exc)}, status_code=401)

    app = AuthenticationMiddleware(whoami, backend, on_error=on_error)
    response = client(app).get("/", headers={"X-User": "bad"})
    assert (response.status_code, response.json()) == (401, {"error": "Invalid credentials"})
    ((conn, exc),) = calls
    assert conn is backend.seen[0]
    assert type(exc) is AuthenticationError


def test_an_async_on_error_is_awaited(client: Client, backend: Any) -> None:
    async def on_error(conn: HTTPConnection, exc: Exception) -> Response:
        return PlainTextResponse(f"refused: {exc}", status_code=401)

    app = AuthenticationMiddleware(whoami, backend, on_error=on_error)
    response = client(app).get("/", headers={"X-User": "bad"})
    assert (response.status_code, response.text) == (401, "refused: Invalid credentials")


@pytest.mark.anyio
@pytest.mark.parametrize("is_async", [False, True])
async def test_on_error_runs_for_a_websocket_but_its_response_is_not_sent(
    call: Call, scope: MakeScope, backend: Any, is_async: bool
) -> None:
    calls: list[str] = []

    def sync_on_error(conn: HTTPConnection, exc: Exception) -> Response:
        calls.append(conn.scope["type"])
        return PlainTextResponse("not sent", status_code=401)

    async def async_on_error(conn: HTTPConnection, exc: Exception) -> Response:
        return sync_on_error(conn, exc)

    on_error = async_on_error if is_async else sync_on_error
    middleware = AuthenticationMiddleware(Recorder(), backend, on_error=on_error)
    sent = await call(middleware, scope("websocket", headers=[(b"x-user", b"bad")]))
    assert sent == [{"type": "websocket.close", "code": 1000}]
    assert calls == ["websocket"]


@pytest.mark.anyio
async def test_on_error_must_return_a_response(call: Call, scope: MakeScope, backend: Any) -> None:
    def on_error(conn: HTTPConnection, exc: Exception) -> Any:
        return None

    middleware = AuthenticationMiddleware(Recorder(), backend, on_error=on_error)
    with pytest.raises(TypeError, match=r"on_error must return a response .*got None"):
        await call(middleware, scope(headers=[(b"x-user", b"bad")]))


@pytest.mark.anyio
async def test_a_subclass_of_authentication_error_is_handled(call: Call, scope: MakeScope) -> None:
    class Expired(AuthenticationError):
        pass

    class Backend(AuthenticationBackend):
        async def authenticate(self, conn: HTTPConnection) -> None:
            raise Expired("Token expired")

    sent = await call(AuthenticationMiddleware(Recorder(), Backend()), scope())
    assert (sent[0]["status"], sent[1]["body"]) == (400, b"Token expired")


@pytest.mark.anyio
async def test_other_exceptions_of_the_backend_propagate(call: Call, scope: MakeScope) -> None:
    class Backend(AuthenticationBackend):
        async def authenticate(self, conn: HTTPConnection) -> None:
            raise LookupError("database down")

    app = Recorder()
    with pytest.raises(LookupError, match="database down"):
        await call(AuthenticationMiddleware(app, Backend()), scope())
    assert app.scopes == []


@pytest.mark.anyio
@pytest.mark.parametrize(
    ("result", "error"),
    [(42, TypeError), ((AuthCredentials(), SimpleUser("a"), "extra"), ValueError)],
)
async def test_a_result_that_is_not_a_pair_says_what_to_return(
    call: Call, scope: MakeScope, result: Any, error: type[Exception]
) -> None:
    class Backend(AuthenticationBackend):
        async def authenticate(self, conn: HTTPConnection) -> Any:
            return result

    app = Recorder()
    with pytest.raises(error, match=r"^Backend\.authenticate\(\) must return None or an "):
        await call(AuthenticationMiddleware(app, Backend()), scope())
    assert app.scopes == []


def test_request_user_without_the_middleware_fails_with_starlettes_message(
    scope: MakeScope,
) -> None:
    request = Request(scope())
    with pytest.raises(AssertionError, match=r"^AuthenticationMiddleware must be installed to"):
        _ = request.user
    with pytest.raises(AssertionError, match=r"access request\.auth$"):
        _ = request.auth


@pytest.mark.parametrize("backend_value", [None, "backend", object()])
def test_the_backend_must_have_an_authenticate_method(backend_value: Any) -> None:
    with pytest.raises(TypeError, match=r"needs a backend with an `async def authenticate"):
        AuthenticationMiddleware(whoami, backend_value)


def test_on_error_must_be_callable(backend: Any) -> None:
    with pytest.raises(TypeError, match=r"on_error=\.\.\.\) must be a function .*got 'oops'"):
        AuthenticationMiddleware(whoami, backend, on_error="oops")  # type: ignore[arg-type]
