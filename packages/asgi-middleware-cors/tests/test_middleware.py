from __future__ import annotations

import inspect
from collections.abc import Awaitable, Callable
from typing import Any

import pytest

from asgi_core import Headers, MutableHeaders
from asgi_core.types import ASGIApp, Message, Receive, Scope, Send
from asgi_middleware_cors import ALL_METHODS, CORSMiddleware
from asgi_testing import TestClient

Client = Callable[..., TestClient]
Call = Callable[..., Awaitable[list[Message]]]
MakeScope = Callable[..., Scope]
AppFactory = Callable[..., ASGIApp]

PREFLIGHT_VARY = (
    "Origin, Access-Control-Request-Method, Access-Control-Request-Headers, "
    "Access-Control-Request-Private-Network"
)
SAFE = "Accept, Accept-Language, Content-Language, Content-Type"


async def hello(scope: Scope, receive: Receive, send: Send) -> None:
    headers = [(b"content-type", b"text/plain"), (b"x-app", b"1")]
    await send({"type": "http.response.start", "status": 200, "headers": headers})
    await send({"type": "http.response.body", "body": b"Hello"})


def items(response: Any) -> list[tuple[str, str]]:
    return [(k.lower(), v) for k, v in response.headers.multi_items()]


def decoded(message: Message) -> list[tuple[str, str]]:
    return [(k.decode(), v.decode()) for k, v in message["headers"]]


def preflight(origin: str = "https://a.org", method: str = "GET", **extra: str) -> dict[str, str]:
    headers = {"Origin": origin, "Access-Control-Request-Method": method}
    headers.update({k.replace("_", "-"): v for k, v in extra.items()})
    return headers


def test_the_signature_and_defaults_are_starlettes() -> None:
    parameters = inspect.signature(CORSMiddleware).parameters
    defaults = {name: p.default for name, p in parameters.items() if name != "app"}
    assert defaults == {
        "allow_origins": (),
        "allow_methods": ("GET",),
        "allow_headers": (),
        "allow_credentials": False,
        "allow_origin_regex": None,
        "allow_private_network": False,
        "expose_headers": (),
        "max_age": 600,
    }
    assert next(iter(parameters)) == "app"


# simple requests


def test_request_without_origin_gets_only_vary(client: Client) -> None:
    response = client(CORSMiddleware(hello, allow_origins=["*"])).get("/")
    assert response.text == "Hello"
    assert items(response)[-3:] == [
        ("content-type", "text/plain"),
        ("x-app", "1"),
        ("vary", "Origin"),
    ]
    assert "access-control-allow-origin" not in response.headers


def test_allowed_origin_is_echoed(client: Client) -> None:
    app = CORSMiddleware(hello, allow_origins=["https://a.org"])
    response = client(app).get("/", headers={"Origin": "https://a.org"})
    assert items(response)[-2:] == [
        ("access-control-allow-origin", "https://a.org"),
        ("vary", "Origin"),
    ]


def test_disallowed_origin_gets_no_allow_origin(client: Client) -> None:
    app = CORSMiddleware(hello, allow_origins=["https://a.org"])
    response = client(app).get("/", headers={"Origin": "https://b.org"})
    assert response.status_code == 200
    assert "access-control-allow-origin" not in response.headers
    assert response.headers["vary"] == "Origin"


def test_origins_are_compared_exactly(client: Client) -> None:
    app = client(CORSMiddleware(hello, allow_origins=["https://a.org"]))
    for origin in ["https://A.org", "https://a.org/", "https://a.or", "http://a.org"]:
        assert "access-control-allow-origin" not in app.get("/", headers={"Origin": origin}).headers


def test_wildcard_without_credentials_answers_star(client: Client) -> None:
    app = CORSMiddleware(hello, allow_origins=["*"], expose_headers=["X-App"])
    response = client(app).get("/", headers={"Origin": "https://a.org", "Cookie": "a=b"})
    assert items(response)[-3:] == [
        ("access-control-allow-origin", "*"),
        ("access-control-expose-headers", "X-App"),
        ("vary", "Origin"),
    ]


def test_wildcard_with_credentials_echoes_the_origin(client: Client) -> None:
    app = CORSMiddleware(hello, allow_origins=["*"], allow_credentials=True)
    response = client(app).get("/", headers={"Origin": "https://a.org"})
    assert items(response)[-3:] == [
        ("access-control-allow-origin", "https://a.org"),
        ("access-control-allow-credentials", "true"),
        ("vary", "Origin"),
    ]


def test_credentials_and_expose_headers_for_an_explicit_origin(client: Client) -> None:
    app = CORSMiddleware(
        hello,
        allow_origins=["https://a.org"],
        allow_credentials=True,
        expose_headers=["X-A", "x-b"],
    )
    response = client(app).get("/", headers={"Origin": "https://a.org"})
    assert items(response)[-4:] == [
        ("access-control-allow-credentials", "true"),
        ("access-control-expose-headers", "X-A, x-b"),
        ("access-control-allow-origin", "https://a.org"),
        ("vary", "Origin"),
    ]
    refused = client(app).get("/", headers={"Origin": "https://b.org"})
    assert items(refused)[-3:] == [
        ("access-control-allow-credentials", "true"),
        ("access-control-expose-headers", "X-A, x-b"),
        ("vary", "Origin"),
    ]


def test_regex_and_list_both_allow(client: Client) -> None:
    app = client(
        CORSMiddleware(
            hello, allow_origins=["https://b.org"], allow_origin_regex=r"https://.*\.a\.org"
        )
    )
    for origin in ["https://b.org", "https://x.a.org", "https://x.y.a.org"]:
        response = app.get("/", headers={"Origin": origin})
        assert response.headers["access-control-allow-origin"] == origin
    for origin in ["https://x.a.org.evil.com", "https://a.org", "xhttps://x.a.org"]:
        assert "access-control-allow-origin" not in app.get("/", headers={"Origin": origin}).headers


@pytest.mark.anyio
async def test_first_origin_header_counts(call: Call, scope: MakeScope) -> None:
    app = CORSMiddleware(hello, allow_origins=["https://a.org", "https://b.org"])
    headers = [(b"origin", b"https://b.org"), (b"origin", b"https://a.org")]
    start, _ = await call(app, scope(headers=headers))
    assert (b"access-control-allow-origin", b"https://b.org") in start["headers"]


@pytest.mark.anyio
@pytest.mark.parametrize(
    ("app_headers", "expected"),
    [
        (
            [(b"vary", b"Accept")],
            [("vary", "Accept, Origin"), ("access-control-allow-origin", "*")],
        ),
        (
            [(b"vary", b"A"), (b"x", b"1"), (b"vary", b"B")],
            [("vary", "A, B, Origin"), ("x", "1"), ("access-control-allow-origin", "*")],
        ),
        ([(b"vary", b"")], [("vary", ", Origin"), ("access-control-allow-origin", "*")]),
        (
            [
                (b"access-control-allow-origin", b"A"),
                (b"x", b"1"),
                (b"access-control-allow-origin", b"B"),
            ],
            [("access-control-allow-origin", "*"), ("x", "1"), ("vary", "Origin")],
        ),
        (
            # header names from the app in capitals are not ASGI's; they are left alone
            [(b"Vary", b"Cookie"), (b"Access-Control-Allow-Origin", b"x")],
            [
                ("Vary", "Cookie"),
                ("Access-Control-Allow-Origin", "x"),
                ("access-control-allow-origin", "*"),
                ("vary", "Origin"),
            ],
        ),
    ],
)
async def test_existing_headers_are_merged_as_starlette_does(
    call: Call,
    scope: MakeScope,
    app_factory: AppFactory,
    app_headers: list[tuple[bytes, bytes]],
    expected: list[tuple[str, str]],
) -> None:
    app = CORSMiddleware(app_factory(headers=app_headers), allow_origins=["*"])
    start, _ = await call(app, scope(headers=[(b"origin", b"https://a.org")]))
    assert decoded(start) == expected


@pytest.mark.anyio
async def test_the_apps_header_list_and_message_are_not_changed(
    call: Call, scope: MakeScope
) -> None:
    shared = [(b"vary", b"Accept")]
    started: list[Message] = []

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        message = {"type": "http.response.start", "status": 200, "headers": shared}
        started.append(message)
        await send(message)
        await send({"type": "http.response.body", "body": b""})

    cors = CORSMiddleware(app, allow_origins=["*"])
    for _ in range(2):
        start, _ = await call(cors, scope(headers=[(b"origin", b"https://a.org")]))
        assert decoded(start) == [("vary", "Accept, Origin"), ("access-control-allow-origin", "*")]
    assert shared == [(b"vary", b"Accept")]
    assert started[0]["headers"] is shared


@pytest.mark.anyio
async def test_a_start_without_headers_and_with_a_tuple(call: Call, scope: MakeScope) -> None:
    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        await send({"type": "http.response.start", "status": 204})
        await send({"type": "http.response.body"})

    start, body = await call(CORSMiddleware(app), scope())
    assert start == {
        "type": "http.response.start",
        "status": 204,
        "headers": [(b"vary", b"Origin")],
    }
    assert body == {"type": "http.response.body"}

    request = scope()
    request["headers"] = ((b"origin", b"x"),)  # a tuple is valid ASGI too
    start, _ = await call(CORSMiddleware(hello, allow_origins=["*"]), request)
    assert start["headers"][-2:] == [(b"access-control-allow-origin", b"*"), (b"vary", b"Origin")]


@pytest.mark.anyio
async def test_every_response_start_gets_the_headers(call: Call, scope: MakeScope) -> None:
    """An outer error handler sending a 500 back through the app's send gets CORS headers."""

    async def failing(scope: Scope, receive: Receive, send: Send) -> None:
        scope["innermost.send"] = send
        raise RuntimeError("boom")

    cors = CORSMiddleware(failing, allow_origins=["https://a.org"])

    async def error_middleware(scope: Scope, receive: Receive, send: Send) -> None:
        try:
            await cors(scope, receive, send)
        except RuntimeError:
            inner_send = scope["innermost.send"]
            headers = [(b"content-type", b"text/plain")]
            await inner_send({"type": "http.response.start", "status": 500, "headers": headers})
            await inner_send({"type": "http.response.body", "body": b"Internal Server Error"})

    start, body = await call(error_middleware, scope(headers=[(b"origin", b"https://a.org")]))
    assert start["status"] == 500
    assert decoded(start) == [
        ("content-type", "text/plain"),
        ("access-control-allow-origin", "https://a.org"),
        ("vary", "Origin"),
    ]
    assert body["body"] == b"Internal Server Error"


def test_error_responses_of_the_app_carry_the_headers(
    client: Client, app_factory: AppFactory
) -> None:
    app = CORSMiddleware(app_factory(status=404), allow_origins=["https://a.org"])
    response = client(app).get("/missing", headers={"Origin": "https://a.org"})
    assert response.status_code == 404
    assert response.headers["access-control-allow-origin"] == "https://a.org"


def test_body_and_other_messages_pass_unchanged(client: Client) -> None:
    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"a", "more_body": True})
        await send({"type": "http.response.body", "body": b"b"})

    response = client(CORSMiddleware(app, allow_origins=["*"])).get("/", headers={"Origin": "x"})
    assert response.content == b"ab"


# preflight requests


def test_preflight_allowed(client: Client) -> None:
    app = CORSMiddleware(hello, allow_origins=["https://a.org"])
    response = client(app).options("/", headers=preflight())
    assert response.status_code == 200
    assert response.text == "OK"
    assert items(response) == [
        ("vary", PREFLIGHT_VARY),
        ("access-control-allow-methods", "GET"),
        ("access-control-max-age", "600"),
        ("access-control-allow-headers", SAFE),
        ("access-control-allow-origin", "https://a.org"),
        ("content-length", "2"),
        ("content-type", "text/plain; charset=utf-8"),
    ]


def test_preflight_with_wildcard_origin(client: Client) -> None:
    app = CORSMiddleware(hello, allow_origins=["*"], max_age=0)
    response = client(app).options("/", headers=preflight())
    assert items(response)[:5] == [
        ("vary", PREFLIGHT_VARY),
        ("access-control-allow-origin", "*"),
        ("access-control-allow-methods", "GET"),
        ("access-control-max-age", "0"),
        ("access-control-allow-headers", SAFE),
    ]


def test_preflight_with_wildcard_origin_and_credentials(client: Client) -> None:
    app = CORSMiddleware(hello, allow_origins=["*"], allow_credentials=True)
    response = client(app).options("/", headers=preflight())
    assert items(response)[:6] == [
        ("vary", PREFLIGHT_VARY),
        ("access-control-allow-methods", "GET"),
        ("access-control-max-age", "600"),
        ("access-control-allow-headers", SAFE),
        ("access-control-allow-credentials", "true"),
        ("access-control-allow-origin", "https://a.org"),
    ]


@pytest.mark.parametrize(
    ("request_headers", "text"),
    [
        (preflight(origin="https://b.org"), "Disallowed CORS origin"),
        (preflight(method="POST"), "Disallowed CORS method"),
        (preflight(method="get"), "Disallowed CORS method"),
        (preflight(method=""), "Disallowed CORS method"),
        (preflight(Access_Control_Request_Headers="X-Foo, Accept"), "Disallowed CORS headers"),
        (preflight(Access_Control_Request_Headers=""), "Disallowed CORS headers"),
        (
            preflight(Access_Control_Request_Private_Network="true"),
            "Disallowed CORS private-network",
        ),
        (
            preflight(
                origin="https://b.org",
                method="PUT",
                Access_Control_Request_Headers="X-Foo",
                Access_Control_Request_Private_Network="false",
            ),
            "Disallowed CORS origin, method, headers, private-network",
        ),
    ],
)
def test_preflight_failures(client: Client, request_headers: dict[str, str], text: str) -> None:
    app = CORSMiddleware(hello, allow_origins=["https://a.org"])
    response = client(app).options("/", headers=request_headers)
    assert response.status_code == 400
    assert response.text == text
    assert response.headers["content-type"] == "text/plain; charset=utf-8"
    allowed = "origin" not in text
    assert ("access-control-allow-origin" in response.headers) is allowed


def test_preflight_methods_and_headers(client: Client) -> None:
    app = CORSMiddleware(
        hello,
        allow_origins=["https://a.org"],
        allow_methods=["GET", "post"],
        allow_headers=["X-Foo", "content-type"],
    )
    test = client(app)
    response = test.options(
        "/", headers=preflight(Access_Control_Request_Headers=" x-foo ,Content-Type,\taccept")
    )
    assert response.status_code == 200
    assert response.headers["access-control-allow-methods"] == "GET, post"
    assert response.headers["access-control-allow-headers"] == SAFE + ", X-Foo, content-type"
    assert test.options("/", headers=preflight(method="post")).status_code == 200
    assert test.options("/", headers=preflight(method="POST")).status_code == 400
    bad = preflight(Access_Control_Request_Headers="x-foo,,accept")
    assert test.options("/", headers=bad).text == "Disallowed CORS headers"


def test_preflight_all_methods_and_headers(client: Client) -> None:
    app = CORSMiddleware(
        hello, allow_origins=["https://a.org"], allow_methods=["*"], allow_headers=["*"]
    )
    test = client(app)
    response = test.options(
        "/", headers=preflight(method="QUERY", Access_Control_Request_Headers="X-A, ,b")
    )
    assert response.status_code == 200
    assert response.headers["access-control-allow-methods"] == ", ".join(ALL_METHODS)
    assert items(response)[3:5] == [
        ("access-control-allow-origin", "https://a.org"),
        ("access-control-allow-headers", "X-A, ,b"),
    ]
    without = test.options("/", headers=preflight())
    assert "access-control-allow-headers" not in without.headers
    assert test.options("/", headers=preflight(method="FOO")).text == "Disallowed CORS method"


def test_preflight_private_network(client: Client) -> None:
    app = CORSMiddleware(hello, allow_origins=["https://a.org"], allow_private_network=True)
    test = client(app)
    for value in ["true", "false"]:
        response = test.options(
            "/", headers=preflight(Access_Control_Request_Private_Network=value)
        )
        assert response.status_code == 200
        assert items(response)[-3] == ("access-control-allow-private-network", "true")
    assert (
        "access-control-allow-private-network" not in test.options("/", headers=preflight()).headers
    )
    simple = test.get(
        "/", headers={"Origin": "https://a.org", "Access-Control-Request-Private-Network": "true"}
    )
    assert "access-control-allow-private-network" not in simple.headers


def test_options_that_are_not_preflights_reach_the_app(client: Client) -> None:
    test = client(CORSMiddleware(hello, allow_origins=["*"]))
    response = test.options("/", headers={"Origin": "https://a.org"})
    assert response.text == "Hello"
    assert response.headers["access-control-allow-origin"] == "*"
    no_origin = test.options("/", headers={"Access-Control-Request-Method": "GET"})
    assert no_origin.text == "Hello"
    assert no_origin.headers["vary"] == "Origin"


def test_preflight_with_empty_origin_is_answered(client: Client) -> None:
    app = CORSMiddleware(hello, allow_origins=[""])
    response = client(app).options("/", headers=preflight(origin=""))
    assert response.status_code == 200
    assert response.headers["access-control-allow-origin"] == ""


# other scopes


@pytest.mark.anyio
@pytest.mark.parametrize("scope_type", ["websocket", "lifespan"])
async def test_other_scopes_pass_through(scope_type: str) -> None:
    seen: list[Any] = []

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        seen.append((scope["type"], receive, send))

    async def receive() -> Message:
        raise AssertionError  # pragma: no cover - never called

    async def send(message: Message) -> None:
        raise AssertionError  # pragma: no cover - never called

    await CORSMiddleware(app, allow_origins=["*"])(
        {"type": scope_type, "headers": []}, receive, send
    )
    assert seen == [(scope_type, receive, send)]


# subclasses and Starlette's methods


def test_is_allowed_origin_can_be_overridden(client: Client) -> None:
    class DatabaseCORS(CORSMiddleware):
        def is_allowed_origin(self, origin: str) -> bool:
            return origin.endswith(".customer.example")

    app = DatabaseCORS(hello, allow_credentials=True)
    test = client(app)
    response = test.get("/", headers={"Origin": "https://x.customer.example"})
    assert response.headers["access-control-allow-origin"] == "https://x.customer.example"
    assert test.options("/", headers=preflight("https://x.customer.example")).status_code == 200
    assert test.options("/", headers=preflight("https://evil.example")).status_code == 400


def test_overriding_send_uses_starlettes_hooks(client: Client) -> None:
    calls: list[str] = []

    class Logging(CORSMiddleware):
        async def send(self, message: Message, send: Send, request_headers: Headers) -> None:
            calls.append(message["type"])
            await super().send(message, send, request_headers)

    test = client(Logging(hello, allow_origins=["https://a.org"], allow_credentials=True))
    response = test.get("/", headers={"Origin": "https://a.org"})
    assert items(response)[-3:] == [
        ("access-control-allow-credentials", "true"),
        ("access-control-allow-origin", "https://a.org"),
        ("vary", "Origin"),
    ]
    assert test.get("/").headers["vary"] == "Origin"
    assert calls == ["http.response.start", "http.response.body"] * 2
    assert test.options("/", headers=preflight()).text == "OK"


def test_overriding_simple_response(client: Client) -> None:
    class Tagging(CORSMiddleware):
        async def simple_response(
            self, scope: Scope, receive: Receive, send: Send, request_headers: Headers
        ) -> None:
            scope["tagged"] = request_headers.get("origin")
            await super().simple_response(scope, receive, send, request_headers)

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": str(scope["tagged"]).encode()})

    response = client(Tagging(app, allow_origins=["*"])).get("/", headers={"Origin": "o"})
    assert response.text == "o"
    assert response.headers["access-control-allow-origin"] == "*"


def test_allow_explicit_origin() -> None:
    headers = MutableHeaders(raw=[(b"vary", b"Accept")])
    CORSMiddleware.allow_explicit_origin(headers, "https://a.org")
    assert headers.raw == [
        (b"vary", b"Accept, Origin"),
        (b"access-control-allow-origin", b"https://a.org"),
    ]


def test_public_attributes() -> None:
    app = CORSMiddleware(
        hello,
        allow_origins=["https://a.org"],
        allow_methods=("*",),
        allow_headers=["X-Foo"],
        allow_origin_regex="x",
        expose_headers=["E"],
    )
    assert app.app is hello
    assert app.allow_origins == ("https://a.org",)
    assert app.allow_methods == ALL_METHODS
    assert app.allow_headers == [
        "accept",
        "accept-language",
        "content-language",
        "content-type",
        "x-foo",
    ]
    assert (app.allow_all_origins, app.allow_all_headers, app.allow_credentials) == (
        False,
        False,
        False,
    )
    assert app.allow_origin_regex is not None
    assert app.allow_origin_regex.pattern == "x"
    assert app.simple_headers == {"Access-Control-Expose-Headers": "E"}
    assert app.preflight_headers["Access-Control-Allow-Methods"] == ", ".join(ALL_METHODS)


def test_generators_are_read_once(client: Client) -> None:
    app = CORSMiddleware(hello, allow_origins=(o for o in ["https://a.org"]))  # type: ignore[arg-type]
    assert (
        client(app)
        .get("/", headers={"Origin": "https://a.org"})
        .headers["access-control-allow-origin"]
        == "https://a.org"
    )
