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
