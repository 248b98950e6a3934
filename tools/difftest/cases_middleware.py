"""Middleware cases: CORS, TrustedHost, HTTPSRedirect and GZip on both frameworks.

Each app is an application of the framework under test with the middleware in its
``middleware=[...]`` list, as users write it, so the error middleware, the exception
middleware and the router of each framework are part of what is compared.
Case ids are ``middleware/<name>/<variant>/<request>``.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

from cases import case, get, h
from driver import App, HTTPRequest, WebSocketSession
from lib import Lib

# --------------------------------------------------------------------------- shared app


def _routes(lib: Lib) -> list[Any]:
    R = lib.routing.Route
    responses = lib.responses

    async def hello(request: Any) -> Any:
        return responses.PlainTextResponse(f"hello {request.method}")

    async def vary(request: Any) -> Any:
        return responses.PlainTextResponse("x" * 1000, headers={"Vary": "Accept-Language"})

    async def boom(request: Any) -> Any:
        raise RuntimeError("boom")

    async def teapot(request: Any) -> Any:
        raise lib.exceptions.HTTPException(418, "short and stout")

    async def small(request: Any) -> Any:
        return responses.PlainTextResponse("small")

    async def large(request: Any) -> Any:
        return responses.PlainTextResponse("large body " * 100)

    async def chunks() -> AsyncIterator[bytes]:
        for index in range(5):
            yield f"chunk {index} ".encode() * 60

    async def stream(request: Any) -> Any:
        return responses.StreamingResponse(chunks(), media_type="text/plain")

    async def tiny_stream(request: Any) -> Any:
        async def one() -> AsyncIterator[bytes]:
            yield b"tiny"

        return responses.StreamingResponse(one(), media_type="text/plain")

    async def image(request: Any) -> Any:
        return responses.Response(b"\x89PNG" + b"\x00" * 1000, media_type="image/png")

    async def events(request: Any) -> Any:
        return responses.Response(b"data: x\n\n" * 200, media_type="text/event-stream")

    async def encoded(request: Any) -> Any:
        return responses.Response(
            b"z" * 1000, media_type="text/plain", headers={"Content-Encoding": "br"}
        )

    async def empty(request: Any) -> Any:
        return responses.Response(status_code=204)

    async def websocket(ws: Any) -> None:
        await ws.accept()
        await ws.send_text(ws.url.scheme)
        await ws.close()

    return [
        R("/", hello, methods=["GET", "POST", "DELETE", "PUT"]),
        R("/vary", vary),
        R("/boom", boom),
        R("/teapot", teapot),
        R("/small", small),
        R("/large", large, methods=["GET", "HEAD"]),
        R("/stream", stream),
        R("/tiny-stream", tiny_stream),
        R("/image", image),
        R("/events", events),
        R("/encoded", encoded),
        R("/empty", empty),
        lib.routing.WebSocketRoute("/ws", websocket),
    ]


def _with(middleware: str, cls: str, **options: Any) -> Any:
    """An app builder: the shared routes behind ``lib.<middleware>.<cls>(**options)``."""

    def build(lib: Lib) -> App:
        module = getattr(lib, middleware.replace(".", "__"))
        spec = lib.middleware.Middleware(getattr(module, cls), **options)
        return lib.App(routes=_routes(lib), middleware=[spec])

    return build


def _origin(origin: str, *more: tuple[str, str], method: str = "GET", path: str = "/") -> Any:
    return HTTPRequest(method=method, path=path, headers=h(("origin", origin), *more))


def _preflight(origin: str, method: str = "GET", headers: str | None = None) -> Any:
    pairs = [("origin", origin), ("access-control-request-method", method)]
    if headers is not None:
        pairs.append(("access-control-request-headers", headers))
    return HTTPRequest(method="OPTIONS", headers=h(*pairs))


# --------------------------------------------------------------------------- CORS

CORS = ("middleware.cors", "CORSMiddleware")
ORIGIN = "https://example.org"

case(
    "middleware/cors/explicit",
    preflight_allowed=_preflight(ORIGIN, "POST", "X-Token"),
    preflight_allowed_no_headers=_preflight(ORIGIN),
    preflight_safelisted_headers=_preflight(ORIGIN, "GET", "accept-language, content-type"),
    preflight_mixed_case_headers=_preflight(ORIGIN, "GET", "x-TOKEN , Content-Type"),
    preflight_bad_origin=_preflight("https://evil.org"),
    preflight_bad_method=_preflight(ORIGIN, "DELETE"),
    preflight_bad_headers=_preflight(ORIGIN, "GET", "X-Other"),
    preflight_all_bad=_preflight("https://evil.org", "PUT", "X-Other"),
    preflight_null_origin=_preflight("null"),
    preflight_private_network=HTTPRequest(
        method="OPTIONS",
        headers=h(
            ("origin", ORIGIN),
            ("access-control-request-method", "GET"),
            ("access-control-request-private-network", "true"),
        ),
    ),
    options_without_request_method=_origin(ORIGIN, method="OPTIONS"),
    simple_allowed=_origin(ORIGIN),
    simple_post=_origin(ORIGIN, ("content-type", "text/plain"), method="POST"),
    simple_other_origin=_origin("https://evil.org"),
    simple_with_cookie=_origin(ORIGIN, ("cookie", "a=b")),
    no_origin=get(),
    not_found=_origin(ORIGIN, path="/missing"),
    method_not_allowed=_origin(ORIGIN, method="PATCH"),
    http_exception=_origin(ORIGIN, path="/teapot"),
    server_error=_origin(ORIGIN, path="/boom"),
    vary_merged=_origin(ORIGIN, path="/vary"),
    vary_no_origin=get("/vary"),
    websocket=WebSocketSession(path="/ws", headers=h(("origin", "https://evil.org"))),
)(
    _with(
        *CORS,
        allow_origins=[ORIGIN, "https://other.example"],
        allow_methods=["GET", "POST"],
        allow_headers=["X-Token"],
        expose_headers=["X-Id", "X-Other"],
        max_age=100,
    )
)

case(
    "middleware/cors/defaults",
    preflight=_preflight(ORIGIN),
    simple=_origin(ORIGIN),
    no_origin=get(),
)(_with(*CORS))

case(
    "middleware/cors/wildcard",
    preflight=_preflight(ORIGIN, "PUT", "X-Anything, X-More"),
    preflight_any_origin=_preflight("https://anyone.example", "DELETE"),
    simple=_origin(ORIGIN),
    simple_with_cookie=_origin(ORIGIN, ("cookie", "a=b")),
    no_origin=get(),
    not_found=_origin(ORIGIN, path="/missing"),
    server_error=_origin(ORIGIN, path="/boom"),
    vary_merged=_origin(ORIGIN, path="/vary"),
)(_with(*CORS, allow_origins=["*"], allow_methods=["*"], allow_headers=["*"]))

case(
    "middleware/cors/credentials",
    preflight=_preflight(ORIGIN, "POST", "X-Token"),
    simple=_origin(ORIGIN),
    simple_with_cookie=_origin(ORIGIN, ("cookie", "a=b")),
    other_origin=_origin("https://anyone.example", ("cookie", "a=b")),
    no_origin=get(),
    vary_merged=_origin(ORIGIN, ("cookie", "a=b"), path="/vary"),
)(
    _with(
        *CORS,
        allow_origins=["*"],
        allow_methods=["*"],
        allow_headers=["*"],
        allow_credentials=True,
        expose_headers=["X-Id"],
    )
)

case(
    "middleware/cors/regex",
    match=_origin("https://a.example.org"),
    match_deeper=_origin("https://a.b.example.org"),
    partial_match=_origin("https://a.example.org.evil.com"),
    prefix_match=_origin("http://https://a.example.org"),
    no_match=_origin("https://example.org"),
    listed=_origin("https://listed.example"),
    preflight_match=_preflight("https://a.example.org", "GET"),
    preflight_partial=_preflight("https://a.example.org.evil.com", "GET"),
)(
    _with(
        *CORS,
        allow_origins=["https://listed.example"],
        allow_origin_regex=r"https://.*\.example\.org",
    )
)

case(
    "middleware/cors/private-network",
    preflight=HTTPRequest(
        method="OPTIONS",
        headers=h(
            ("origin", ORIGIN),
            ("access-control-request-method", "GET"),
            ("access-control-request-private-network", "true"),
        ),
    ),
    simple=_origin(ORIGIN),
)(_with(*CORS, allow_origins=[ORIGIN], allow_private_network=True))


# --------------------------------------------------------------------------- TrustedHost

TRUSTED = ("middleware.trustedhost", "TrustedHostMiddleware")


def _host(host: str, path: str = "/", query: bytes = b"", **kw: Any) -> Any:
    return HTTPRequest(path=path, query_string=query, headers=h(("host", host)), **kw)


case(
    "middleware/trustedhost/list",
    allowed=_host("example.org"),
    allowed_port=_host("example.org:8000"),
    allowed_upper=_host("EXAMPLE.org"),
    wildcard_sub=_host("api.example.com"),
    wildcard_deeper=_host("a.b.example.com"),
    wildcard_base=_host("example.com"),
    bad_host=_host("evil.org"),
    bad_suffix=_host("evil-example.org"),
    empty_host=_host(""),
    ipv6=_host("[::1]:8000"),
    garbage=_host("exa mple.org"),
    post=HTTPRequest(method="POST", headers=h(("host", "evil.org")), body=[b"data"]),
    websocket_allowed=WebSocketSession(path="/ws"),
)(_with(*TRUSTED, allowed_hosts=["example.org", "*.example.com", "testserver"]))

case(
    "middleware/trustedhost/bad-websocket",
    websocket=WebSocketSession(path="/ws"),
)(_with(*TRUSTED, allowed_hosts=["example.org"]))

case(
    "middleware/trustedhost/www",
    redirect=_host("example.org"),
    redirect_path_query=_host("example.org", "/a b/c", b"x=1&y=%20"),
    redirect_port=_host("example.org:8080", "/p"),
    redirect_https=_host("example.org", "/p", scheme="https"),
    allowed=_host("www.example.org"),
    other=_host("other.org"),
)(_with(*TRUSTED, allowed_hosts=["www.example.org"]))

case(
    "middleware/trustedhost/www-off",
    refused=_host("example.org"),
)(_with(*TRUSTED, allowed_hosts=["www.example.org"], www_redirect=False))

case(
    "middleware/trustedhost/any",
    any_host=_host("whatever.example"),
    default=get(),
)(_with(*TRUSTED))

case(
    "middleware/trustedhost/bad-pattern",
    get=get(),
)(_with(*TRUSTED, allowed_hosts=["example.*"]))


# --------------------------------------------------------------------------- HTTPSRedirect

HTTPS = ("middleware.httpsredirect", "HTTPSRedirectMiddleware")

case(
    "middleware/httpsredirect/plain",
    http=get("/a/b"),
    http_query=get("/a", b"x=1&y=%C3%A9"),
    http_post=HTTPRequest(method="POST", path="/", body=[b"data"]),
    https=get("/", scheme="https"),
    port_80=_host("example.org:80", "/p"),
    port_443=_host("example.org:443", "/p"),
    port_8080=_host("example.org:8080", "/p", b"q=1"),
    ipv6=_host("[::1]:8000", "/p"),
    no_port=_host("example.org", "/p"),
    bad_host=_host("exa mple.org", "/p"),
    root_path=get("/app/p", root_path="/app"),
    encoded_path=get("/a%20b", raw_path=b"/a%20b"),
    websocket=WebSocketSession(path="/ws", query_string=b"x=1"),
)(_with(*HTTPS))


# --------------------------------------------------------------------------- GZip

GZIP = ("middleware.gzip", "GZipMiddleware")


def _gzip_get(path: str, encoding: str | None = "gzip", method: str = "GET") -> Any:
    pairs = [] if encoding is None else [("accept-encoding", encoding)]
    return HTTPRequest(method=method, path=path, headers=h(*pairs))


case(
    "middleware/gzip/default",
    small=_gzip_get("/small"),
    large=_gzip_get("/large"),
    large_no_accept_encoding=_gzip_get("/large", None),
    large_br_only=_gzip_get("/large", "br"),
    large_gzip_q0=_gzip_get("/large", "gzip;q=0"),
    large_uppercase=_gzip_get("/large", "GZIP"),
    large_many=_gzip_get("/large", "deflate, gzip, br"),
    head=_gzip_get("/large", method="HEAD"),
    stream=_gzip_get("/stream"),
    tiny_stream=_gzip_get("/tiny-stream"),
    stream_no_accept_encoding=_gzip_get("/stream", None),
    image=_gzip_get("/image"),
    event_stream=_gzip_get("/events"),
    already_encoded=_gzip_get("/encoded"),
    empty_204=_gzip_get("/empty"),
    vary_merged=_gzip_get("/vary"),
    not_found=_gzip_get("/missing"),
    server_error=_gzip_get("/boom"),
    websocket=WebSocketSession(path="/ws", headers=h(("accept-encoding", "gzip"))),
)(_with(*GZIP))

case(
    "middleware/gzip/options",
    small_now_large=_gzip_get("/small"),
    large=_gzip_get("/large"),
    image_now_allowed=_gzip_get("/image"),
    event_stream=_gzip_get("/events"),
)(_with(*GZIP, minimum_size=1, compresslevel=1, exclude_content_types=["text/event-stream"]))


# --------------------------------------------------------------------------- BaseHTTPMiddleware


def _base_app(lib: Lib) -> App:
    responses = lib.responses
    log: list[str] = []

    class Dispatch(lib.middleware__base.BaseHTTPMiddleware):  # type: ignore[name-defined,misc]
        async def dispatch(self, request: Any, call_next: Any) -> Any:
            path = request.url.path
            if path == "/blocked":
                return responses.PlainTextResponse("blocked here", status_code=403)
            if path == "/none":
                return None
            if path == "/read":
                body = await request.body()
                response = await call_next(request)
                response.headers["x-dispatch-read"] = str(len(body))
                return response
            if path == "/catch":
                try:
                    return await call_next(request)
                except RuntimeError as exc:
                    return responses.PlainTextResponse(f"caught {exc}", status_code=502)
            response = await call_next(request)
            response.headers["x-dispatch"] = f"{response.status_code} {request.method}"
            return response

    async def echo(request: Any) -> Any:
        return responses.PlainTextResponse(f"echo {(await request.body()).decode()}")

    async def with_background(request: Any) -> Any:
        return responses.PlainTextResponse(
            "bg", background=lib.background.BackgroundTask(log.append, "ran")
        )

    async def log_value(request: Any) -> Any:
        return responses.JSONResponse(log)

    R = lib.routing.Route
    return lib.App(
        routes=[
            *_routes(lib),
            R("/read", echo, methods=["POST"]),
            R("/background", with_background),
            R("/log", log_value),
            R("/catch", _raiser(), methods=["GET"]),
        ],
        middleware=[lib.middleware.Middleware(Dispatch)],
    )


def _raiser() -> Any:
    async def endpoint(request: Any) -> Any:
        raise RuntimeError("inner")

    return endpoint


case(
    "middleware/base/dispatch",
    plain=get(),
    post=HTTPRequest(method="POST", body=[b"a", b"b"]),
    head=HTTPRequest(method="HEAD", path="/large"),
    stream=get("/stream"),
    not_found=get("/missing"),
    method_not_allowed=HTTPRequest(method="PATCH"),
    http_exception=get("/teapot"),
    server_error=get("/boom"),
    blocked=get("/blocked"),
    no_response=get("/none"),
    body_read_in_dispatch=HTTPRequest(
        method="POST", path="/read", body=[b"he", b"llo"], headers=h(("content-length", "5"))
    ),
    exception_caught_in_dispatch=get("/catch"),
    background=get("/background"),
    empty_204=get("/empty"),
    websocket=WebSocketSession(path="/ws"),
)(_base_app)


# --------------------------------------------------------------------------- body limits


def _sized(n: int, *, declared: bool = True, chunks: int = 1, path: str = "/") -> Any:
    body = b"x" * n
    size = -(-n // chunks) if n else 1
    parts = [body[i : i + size] for i in range(0, n, size)] or [b""]
    headers = h(("content-length", str(n))) if declared else ()
    return HTTPRequest(method="POST", path=path, body=parts, headers=headers)


def _limit_routes(lib: Lib) -> list[Any]:
    responses = lib.responses

    async def size(request: Any) -> Any:
        body = await request.body()
        limit = request.scope.get("starlette.max_body_size", "absent")
        return responses.PlainTextResponse(f"{len(body)} limit={limit}")

    async def no_read(request: Any) -> Any:
        return responses.PlainTextResponse("not read")

    async def form(request: Any) -> Any:
        return responses.JSONResponse(dict(await request.form()))

    async def stream(request: Any) -> Any:
        total = 0
        async for chunk in request.stream():
            total += len(chunk)
        return responses.PlainTextResponse(f"streamed {total}")

    R = lib.routing.Route
    return [
        R("/", size, methods=["POST"]),
        R("/no-read", no_read, methods=["GET", "POST"]),
        R("/form", form, methods=["POST"]),
        R("/stream", stream, methods=["POST"]),
        R("/big", size, methods=["POST"], max_body_size=100),
        R("/small", size, methods=["POST"], max_body_size=3),
        R("/zero", size, methods=["POST"], max_body_size=0),
        lib.routing.Mount(
            "/m",
            routes=[
                R("/", size, methods=["POST"]),
                R("/r", size, methods=["POST"], max_body_size=4),
            ],
            max_body_size=50,
        ),
    ]


class _AddsHeader:
    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        async def tagging_send(message: Any) -> None:
            if message["type"] == "http.response.start":
                message = {**message, "headers": [*message["headers"], (b"x-mw", b"1")]}
            await send(message)

        await self.app(scope, receive, tagging_send)


def _limited_app(with_handler: bool) -> Any:
    def build(lib: Lib) -> App:
        handlers = {}
        if with_handler:

            async def on_413(request: Any, exc: Any) -> Any:
                return lib.responses.PlainTextResponse(
                    f"handled {exc.status_code} {exc.detail}", status_code=413
                )

            handlers[413] = on_413
        return lib.App(
            routes=_limit_routes(lib),
            middleware=[lib.middleware.Middleware(_AddsHeader)],
            exception_handlers=handlers,
            max_body_size=10,
        )

    return build


LIMIT_EXCHANGES: dict[str, Any] = {
    "exact": _sized(10),
    "over_declared": _sized(11),
    "over_streamed": _sized(11, declared=False, chunks=3),
    "over_streamed_one_chunk": _sized(20, declared=False),
    "declared_small_but_longer": HTTPRequest(
        method="POST", body=[b"x" * 6, b"x" * 6], headers=h(("content-length", "5"))
    ),
    "empty": _sized(0),
    "no_read_over_declared": _sized(20, path="/no-read"),
    "no_read_get_over_declared": HTTPRequest(
        method="GET", path="/no-read", headers=h(("content-length", "20")), body=[b"x" * 20]
    ),
    "stream_over": _sized(30, declared=False, chunks=5, path="/stream"),
    "form_over": HTTPRequest(
        method="POST",
        path="/form",
        body=[b"a=" + b"x" * 30],
        headers=h(("content-type", "application/x-www-form-urlencoded")),
    ),
    "route_bigger": _sized(50, path="/big"),
    "route_bigger_over": _sized(101, path="/big"),
    "route_smaller": _sized(4, path="/small"),
    "route_zero_empty": _sized(0, path="/zero"),
    "route_zero_one": _sized(1, path="/zero"),
    "mount": _sized(40, path="/m/"),
    "mount_over": _sized(51, path="/m/"),
    "mount_route_innermost": _sized(5, path="/m/r"),
    "not_found_over": _sized(20, path="/missing"),
    "method_not_allowed_over": HTTPRequest(
        method="PUT", path="/small", headers=h(("content-length", "20")), body=[b"x" * 20]
    ),
    "content_length_negative": HTTPRequest(
        method="POST", headers=h(("content-length", "-1")), body=[b"x"]
    ),
    "content_length_garbage": HTTPRequest(
        method="POST", headers=h(("content-length", "abc")), body=[b"x"]
    ),
}

case("middleware/body_limit/app", **LIMIT_EXCHANGES)(_limited_app(with_handler=False))
case("middleware/body_limit/app-413-handler", **LIMIT_EXCHANGES)(_limited_app(with_handler=True))

case(
    "middleware/body_limit/router",
    exact=_sized(7),
    over=_sized(8),
    over_streamed=_sized(8, declared=False, chunks=2),
    route_bigger=_sized(50, path="/big"),
    not_found_over=_sized(20, path="/missing"),
    websocket=WebSocketSession(path="/ws"),
)(lambda lib: lib.routing.Router(routes=_limit_routes(lib), max_body_size=7))

case(
    "middleware/body_limit/middleware",
    exact=_sized(5),
    over=_sized(6),
    over_streamed=_sized(6, declared=False, chunks=2),
    route_bigger=_sized(50, path="/big"),
)(
    lambda lib: lib.App(
        routes=_limit_routes(lib),
        middleware=[
            lib.middleware.Middleware(
                lib.middleware__body_limit.RequestBodyLimitMiddleware, max_body_size=5
            )
        ],
    )
)
