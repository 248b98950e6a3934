"""Hand-picked cases: one app definition written against ``lib``, several requests each.

A case id is ``<group>/<case>/<request>``; the accepted-differences list matches ids with
shell-style patterns.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from driver import App, HTTPRequest, WebSocketSession
from lib import Lib

Build = Callable[[Lib], App]
Exchange = HTTPRequest | WebSocketSession


@dataclass
class Case:
    """An application, built for each framework, and the exchanges played against it."""

    id: str
    build: Build
    exchanges: dict[str, Exchange] = field(default_factory=dict)


CASES: list[Case] = []


def case(id: str, **exchanges: Exchange) -> Callable[[Build], Build]:
    """Register the decorated app builder under ``id`` with its exchanges."""

    def register(build: Build) -> Build:
        CASES.append(Case(id, build, dict(exchanges)))
        return build

    return register


def get(path: str = "/", query: bytes = b"", **kw: Any) -> HTTPRequest:
    return HTTPRequest(method="GET", path=path, query_string=query, **kw)


def h(*pairs: tuple[str, str]) -> tuple[tuple[bytes, bytes], ...]:
    return tuple((k.encode("latin-1"), v.encode("latin-1")) for k, v in pairs)


def one_route(lib: Lib, endpoint: Callable[..., Any], methods: list[str] | None = None) -> App:
    return lib.App(routes=[lib.routing.Route("/", endpoint, methods=methods)])


# --------------------------------------------------------------------------- responses

RESPONSE_REQUESTS = {"get": get(), "head": HTTPRequest(method="HEAD")}


def _responses(make: Callable[[Lib], Any]) -> Build:
    def build(lib: Lib) -> App:
        async def endpoint(request: Any) -> Any:
            return make(lib)

        return one_route(lib, endpoint, methods=["GET", "HEAD"])

    return build


RESPONSE_FACTORIES: dict[str, Callable[[Lib], Any]] = {
    "plain": lambda lib: lib.responses.PlainTextResponse("hello"),
    "plain-empty": lambda lib: lib.responses.PlainTextResponse(""),
    "plain-unicode": lambda lib: lib.responses.PlainTextResponse("héllo ☃"),
    "html": lambda lib: lib.responses.HTMLResponse("<h1>hi</h1>"),
    "json": lambda lib: lib.responses.JSONResponse({"a": [1, 2.5, None, True], "é": "☃"}),
    "json-none": lambda lib: lib.responses.JSONResponse(None),
    "json-status-headers": lambda lib: lib.responses.JSONResponse(
        [], status_code=201, headers={"X-A": "1", "content-type": "application/x+json"}
    ),
    "response-none": lambda lib: lib.responses.Response(),
    "response-bytes": lambda lib: lib.responses.Response(b"\x00\x01", media_type="image/png"),
    "response-text-media": lambda lib: lib.responses.Response("x", media_type="text/csv"),
    "response-no-media": lambda lib: lib.responses.Response("x"),
    "response-memoryview": lambda lib: lib.responses.Response(memoryview(b"abcdef")[::2]),
    "response-204": lambda lib: lib.responses.Response(status_code=204),
    "response-304": lambda lib: lib.responses.Response(b"x", status_code=304),
    "response-1xx": lambda lib: lib.responses.Response(status_code=103),
    "response-content-length-given": lambda lib: lib.responses.Response(
        b"abc", headers={"content-length": "3"}
    ),
    "redirect": lambda lib: lib.responses.RedirectResponse("/a b?c=d é"),
    "redirect-301": lambda lib: lib.responses.RedirectResponse("https://x.org/", 301),
    "cookie-set": lambda lib: _with(
        lib.responses.Response("x"),
        lambda r: r.set_cookie(
            "k",
            "v w",
            max_age=10,
            path="/p",
            domain="example.org",
            secure=True,
            httponly=True,
            samesite="strict",
        ),
    ),
    "cookie-default": lambda lib: _with(lib.responses.Response("x"), lambda r: r.set_cookie("k")),
    "cookie-partitioned": lambda lib: _with(
        lib.responses.Response("x"),
        lambda r: r.set_cookie("k", "v", secure=True, samesite="none", partitioned=True),
    ),
    "cookie-delete": lambda lib: _with(
        lib.responses.Response("x"), lambda r: r.delete_cookie("k", path="/p", secure=True)
    ),
    "streaming-sync": lambda lib: lib.responses.StreamingResponse(iter([b"a", "b", b"c"])),
    "streaming-async": lambda lib: lib.responses.StreamingResponse(_agen(), media_type="text/x"),
    "streaming-headers": lambda lib: lib.responses.StreamingResponse(
        iter([b"a"]), status_code=202, headers={"x-y": "z"}
    ),
    "headers-mutated": lambda lib: _with(
        lib.responses.PlainTextResponse("x"),
        lambda r: (
            r.headers.__setitem__("X-One", "1"),
            r.headers.append("x-two", "2"),
            r.headers.append("x-two", "3"),
            r.headers.update({"x-one": "4"}),
        ),
    ),
    "vary": lambda lib: _with(
        lib.responses.PlainTextResponse("x", headers={"vary": "Origin"}),
        lambda r: r.headers.add_vary_header("Accept-Encoding"),
    ),
}


def _with(response: Any, change: Callable[[Any], Any]) -> Any:
    change(response)
    return response


async def _agen() -> Any:
    yield b"1"
    yield "2"


for _name, _factory in RESPONSE_FACTORIES.items():
    case(f"responses/{_name}", **RESPONSE_REQUESTS)(_responses(_factory))


# --------------------------------------------------------------------------- files

_FILES_DIR = tempfile.mkdtemp(prefix="difftest-")
FILE = os.path.join(_FILES_DIR, "data.txt")
with open(FILE, "wb") as _f:
    _f.write(bytes(range(256)) * 4)
_STAT = os.stat(FILE)
os.utime(FILE, (1_700_000_000, 1_700_000_000))


def _file_app(lib: Lib) -> App:
    async def endpoint(request: Any) -> Any:
        return lib.responses.FileResponse(FILE, filename=request.query_params.get("name"))

    return one_route(lib, endpoint, methods=["GET", "HEAD", "POST"])


def _range(value: str, **kw: Any) -> HTTPRequest:
    return get(headers=h(("range", value)), **kw)


case(
    "files/file",
    get=get(),
    head=HTTPRequest(method="HEAD"),
    post=HTTPRequest(method="POST"),
    filename=get(query=b"name=r%C3%A9sum%C3%A9%20x.txt"),
    filename_ascii=get(query=b"name=report.txt"),
    range_first=_range("bytes=0-9"),
    range_suffix=_range("bytes=-10"),
    range_open=_range("bytes=1000-"),
    range_multi=_range("bytes=0-1, 5-6"),
    range_overlap=_range("bytes=0-10, 5-20"),
    range_unsatisfiable=_range("bytes=5000-6000"),
    range_bad_unit=_range("items=0-1"),
    range_no_dash=_range("bytes=100"),
    range_only_dash=_range("bytes=-"),
    range_reversed=_range("bytes=9-1"),
    range_mixed_garbage=_range("bytes=0-1, x-y"),
    range_empty=_range("bytes="),
    range_head=HTTPRequest(method="HEAD", headers=h(("range", "bytes=0-9"))),
    if_range_bad=get(headers=h(("range", "bytes=0-9"), ("if-range", '"nope"'))),
    if_none_match_any=get(headers=h(("if-none-match", "*"))),
    if_modified_since_future=get(headers=h(("if-modified-since", "Tue, 01 Jan 2999 00:00:00 GMT"))),
    if_modified_since_bad=get(headers=h(("if-modified-since", "yesterday"))),
)(_file_app)


@case("files/missing", get=get(), head=HTTPRequest(method="HEAD"))
def _missing_file(lib: Lib) -> App:
    async def endpoint(request: Any) -> Any:
        return lib.responses.FileResponse(os.path.join(_FILES_DIR, "nope.txt"))

    return one_route(lib, endpoint, methods=["GET", "HEAD"])


@case("files/directory", get=get())
def _dir_file(lib: Lib) -> App:
    async def endpoint(request: Any) -> Any:
        return lib.responses.FileResponse(_FILES_DIR)

    return one_route(lib, endpoint)


# --------------------------------------------------------------------------- requests


def _echo_request(lib: Lib) -> App:
    async def endpoint(request: Any) -> Any:
        body = await request.body()
        return lib.responses.JSONResponse(
            {
                "method": request.method,
                "url": str(request.url),
                "base_url": str(request.base_url),
                "path": request.url.path,
                "query": request.url.query,
                "query_params": list(request.query_params.multi_items()),
                "headers": list(request.headers.items()),
                "cookies": request.cookies,
                "client": list(request.client) if request.client else None,
                "path_params": request.path_params,
                "body": body.decode("latin-1"),
                "hostname": request.url.hostname,
                "port": request.url.port,
                "scheme": request.url.scheme,
            }
        )

    routes = [
        lib.routing.Route("/", endpoint, methods=["GET", "POST", "PUT", "QUERY"]),
        lib.routing.Route("/items/{id:int}", endpoint),
        lib.routing.Route("/files/{rest:path}", endpoint),
        lib.routing.Mount("/mount", routes=[lib.routing.Route("/x/{name}", endpoint)]),
    ]
    return lib.App(routes=routes)


ECHO_REQUESTS: dict[str, Exchange] = {
    "plain": get(),
    "query": get(query=b"a=1&a=2&b=%20x+y&c&=z&d=%zz"),
    "cookies": get(
        headers=h(("cookie", 'a=1; b="quoted"; c=; d=x=y; e=%20; junk; f="unterminated'))
    ),
    "host-port": get(headers=h(("host", "example.org:8080"))),
    "host-ipv6": get(headers=h(("host", "[::1]:8000"))),
    "host-bad": get(headers=h(("host", "evil.com/path?"))),
    "host-empty": get(headers=h(("host", ""))),
    "https": get(scheme="https", headers=h(("host", "example.org:443"))),
    "root-path": HTTPRequest(path="/api/", root_path="/api"),
    "path-param": get("/items/42"),
    "path-param-bad": get("/items/x"),
    "path-path": get("/files/a/b/c.txt"),
    "mount": get("/mount/x/joe"),
    "encoded-path": get("/mount/x/j%20oe", raw_path=b"/mount/x/j%20oe"),
    "body": HTTPRequest(method="POST", body=[b"ab", b"cd"]),
    "query-method": HTTPRequest(method="QUERY", body=[b"q"]),
    "duplicate-headers": get(headers=h(("x-a", "1"), ("X-A", "2"))),
}

case("requests/echo", **ECHO_REQUESTS)(_echo_request)


def _json_app(lib: Lib) -> App:
    async def endpoint(request: Any) -> Any:
        return lib.responses.JSONResponse({"got": await request.json()})

    return one_route(lib, endpoint, methods=["POST"])


def _post(body: bytes, content_type: str | None = "application/json") -> HTTPRequest:
    headers = h(("content-type", content_type)) if content_type else ()
    return HTTPRequest(method="POST", body=[body], headers=headers)


case(
    "requests/json",
    valid=_post(b'{"a": 1}'),
    empty=_post(b""),
    invalid=_post(b"{nope"),
    not_utf8=_post(b'"\xff"'),
)(_json_app)


def _form_app(lib: Lib) -> App:
    async def endpoint(request: Any) -> Any:
        form = await request.form()
        items = []
        for key, value in form.multi_items():
            if isinstance(value, str):
                items.append([key, value])
            else:
                items.append(
                    [
                        key,
                        value.filename,
                        (await value.read()).decode("latin-1"),
                        value.content_type,
                        value.size,
                    ]
                )
        return lib.responses.JSONResponse(items)

    return one_route(lib, endpoint, methods=["POST"])


def _multipart(parts: list[tuple[str, str | None, bytes]], boundary: str = "b0undary") -> bytes:
    out = b""
    for name, filename, data in parts:
        out += f"--{boundary}\r\n".encode()
        disposition = f'form-data; name="{name}"'
        if filename is not None:
            disposition += f'; filename="{filename}"'
        out += f"Content-Disposition: {disposition}\r\n".encode()
        if filename is not None:
            out += b"Content-Type: text/plain\r\n"
        out += b"\r\n" + data + b"\r\n"
    return out + f"--{boundary}--\r\n".encode()


MULTIPART = "multipart/form-data; boundary=b0undary"

case(
    "requests/form",
    urlencoded=_post(b"a=1&a=2&b=%20x+y&c=", "application/x-www-form-urlencoded"),
    urlencoded_charset=_post(b"a=%E9", "application/x-www-form-urlencoded; charset=latin-1"),
    multipart=_post(_multipart([("a", None, b"1"), ("f", "x.txt", b"hello")]), MULTIPART),
    multipart_no_boundary=_post(b"--x\r\n", "multipart/form-data"),
    multipart_bad=_post(b"garbage", MULTIPART),
    multipart_many_fields=_post(
        _multipart([(f"k{i}", None, b"v") for i in range(1001)]), MULTIPART
    ),
    multipart_many_files=_post(_multipart([(f"k{i}", "f", b"v") for i in range(1001)]), MULTIPART),
    no_content_type=_post(b"a=1", None),
    other_content_type=_post(b"a=1", "text/plain"),
)(_form_app)


# --------------------------------------------------------------------------- routing


def _routing_app(lib: Lib) -> App:
    async def ok(request: Any) -> Any:
        return lib.responses.PlainTextResponse(
            f"{request.url.path} {sorted(request.path_params.items())}"
        )

    async def urls(request: Any) -> Any:
        out = {}
        targets: list[tuple[str, dict[str, Any]]] = [
            ("user", {"id": 3}),
            ("user", {"id": "x"}),
            ("user", {}),
            ("nope", {}),
            ("static", {"path": "/a/b.css"}),
            ("api:item", {"item_id": "a b"}),
        ]
        for name, params in targets:
            try:
                out[f"{name}{params}"] = str(request.url_for(name, **params))
            except Exception as exc:
                out[f"{name}{params}"] = f"{type(exc).__name__}: {exc}"
        return lib.responses.JSONResponse(out)

    routes = [
        lib.routing.Route("/", ok),
        lib.routing.Route("/users/{id:int}", ok, name="user"),
        lib.routing.Route("/users/me", ok),
        lib.routing.Route("/post-only", ok, methods=["POST"]),
        lib.routing.Route("/put-only", ok, methods=["PUT", "PATCH"]),
        lib.routing.Route("/slash/", ok),
        lib.routing.Route("/uuid/{u:uuid}", ok),
        lib.routing.Route("/float/{f:float}", ok),
        lib.routing.Route("/urls", urls),
        lib.routing.Mount("/static", routes=[lib.routing.Route("/{path:path}", ok)], name="static"),
        lib.routing.Mount(
            "/api", routes=[lib.routing.Route("/items/{item_id}", ok, name="item")], name="api"
        ),
        lib.routing.Host("api.example.org", app=lib.routing.Router([lib.routing.Route("/h", ok)])),
    ]
    return lib.App(routes=routes)


case(
    "routing/table",
    root=get(),
    int_param=get("/users/7"),
    int_param_negative=get("/users/-7"),
    static_after_param=get("/users/me"),
    method_not_allowed=HTTPRequest(method="DELETE", path="/users/7"),
    post_only_get=get("/post-only"),
    put_only_get=get("/put-only"),
    head_on_get=HTTPRequest(method="HEAD", path="/users/7"),
    missing=get("/missing"),
    redirect_slash=get("/slash"),
    redirect_slash_query=get("/slash", query=b"a=1"),
    redirect_no_slash=get("/users/7/"),
    uuid=get("/uuid/12345678-1234-5678-1234-567812345678"),
    uuid_bad=get("/uuid/123"),
    float_param=get("/float/1.5"),
    mount_path=get("/static/css/a.css"),
    mount_root=get("/static"),
    mount_root_slash=get("/static/"),
    api=get("/api/items/abc"),
    host=get("/h", headers=h(("host", "api.example.org"))),
    host_upper=get("/h", headers=h(("host", "API.Example.org"))),
    host_port=get("/h", headers=h(("host", "api.example.org:8000"))),
    host_miss=get("/h"),
    url_for=get("/urls"),
    double_slash=get("//users/7"),
)(_routing_app)


def _hosts_app(lib: Lib) -> App:
    """Host routes: case, ports, IP literals and garbage in the Host header."""

    def answer(label: str) -> Any:
        async def endpoint(request: Any) -> Any:
            return lib.responses.PlainTextResponse(f"{label} {sorted(request.path_params.items())}")

        return endpoint

    async def urls(request: Any) -> Any:
        out = {}
        targets: list[tuple[str, dict[str, Any]]] = [
            ("port:home", {"sub": "api"}),
            ("port:home", {}),
            ("port", {"sub": "api", "path": "/x"}),
            ("port", {"path": "/x"}),
            ("port", {"sub": "api", "path": "/x", "extra": 1}),
            ("port:home", {"sub": "{x}", "x": 1}),
        ]
        for name, params in targets:
            try:
                url = request.url_for(name, **params)
                out[f"{name}{params}"] = str(url)
            except Exception as exc:
                out[f"{name}{params}"] = f"{type(exc).__name__}: {exc}"
        return lib.responses.JSONResponse(out)

    R, H = lib.routing.Route, lib.routing.Host
    return lib.App(
        routes=[
            H("api.example.org", app=lib.routing.Router([R("/", answer("static"))])),
            H("{sub}.Example.ORG", app=lib.routing.Router([R("/", answer("sub"))])),
            H("x{n:int}.test", app=lib.routing.Router([R("/", answer("int"))])),
            H(
                "{sub}.port.test:8000",
                app=lib.routing.Router([R("/", answer("port"), name="home")]),
                name="port",
            ),
            H("{any:path}", app=lib.routing.Router([R("/", answer("any"))])),
            R("/", answer("no host")),
            R("/urls", urls),
        ]
    )


def _host(value: bytes) -> HTTPRequest:
    return get("/", headers=((b"host", value),))


case(
    "routing/hosts",
    lower=_host(b"api.example.org"),
    upper=_host(b"API.Example.org"),
    upper_port=_host(b"API.EXAMPLE.ORG:8000"),
    param_upper=_host(b"Foo.example.org"),
    pattern_upper=_host(b"foo.example.org"),
    int_upper=_host(b"X12.TEST"),
    long_port=_host(b"x12.test:99999"),
    pct=_host(b"a%2Fb.example.org"),
    sub_delims=_host(b"a!$&'()*+,;=.org"),
    trailing_dot=_host(b"api.example.org."),
    ipv4=_host(b"1.2.3.4:80"),
    ipv6=_host(b"[::1]"),
    ipv6_port=_host(b"[::1]:8000"),
    ipv6_upper=_host(b"[::FFFF:1.2.3.4]"),
    ipv6_bad=_host(b"[::g]"),
    ipv6_double=_host(b"[1::2::3]"),
    ipv6_open=_host(b"[::1"),
    ipv6_bare=_host(b"::1"),
    ipv6_zone=_host(b"[fe80::1%25eth0]"),
    ipv6_trailing=_host(b"[::1]x"),
    ipvfuture=_host(b"[v1.a:B]"),
    ipvfuture_upper_v=_host(b"[V1.x]"),
    ipvfuture_slash=_host(b"[v1.a/b]"),
    empty=_host(b""),
    port_only=_host(b":80"),
    empty_port=_host(b"api.example.org:"),
    bad_port=_host(b"api.example.org:abc"),
    signed_port=_host(b"api.example.org:+80"),
    two_ports=_host(b"api.example.org:8000:9"),
    slash=_host(b"evil.com/api.example.org"),
    userinfo=_host(b"evil@api.example.org"),
    space=_host(b"a b.example.org"),
    leading_space=_host(b" api.example.org"),
    tab=_host(b"a\tb.example.org"),
    query=_host(b"a.example.org?x"),
    fragment=_host(b"a.example.org#x"),
    backslash=_host(b"a\\b.example.org"),
    non_ascii=_host(b"\xc3\x84.example.org"),
    nul=_host(b"a\x00.org"),
    brackets=_host(b"a[b].org"),
    braces=_host(b"a{b}.org"),
    two_headers=get("/", headers=((b"host", b"api.example.org"), (b"host", b"other.org"))),
    url_for=get("/urls", headers=((b"host", b"a.example.org"),)),
)(_hosts_app)


def _endpoint_app(lib: Lib) -> App:
    class Things(lib.endpoints.HTTPEndpoint):  # type: ignore[name-defined,misc]
        async def get(self, request: Any) -> Any:
            return lib.responses.PlainTextResponse("get")

        def post(self, request: Any) -> Any:
            return lib.responses.PlainTextResponse("post")

    return lib.App(routes=[lib.routing.Route("/", Things)])


case(
    "routing/endpoint",
    get=get(),
    post=HTTPRequest(method="POST"),
    head=HTTPRequest(method="HEAD"),
    delete=HTTPRequest(method="DELETE"),
    dispatch=HTTPRequest(method="DISPATCH"),
    init=HTTPRequest(method="__INIT__"),
)(_endpoint_app)


# --------------------------------------------------------------------------- errors


def _errors_app(lib: Lib, debug: bool = False) -> App:
    async def http_exc(request: Any) -> Any:
        raise lib.exceptions.HTTPException(
            int(request.query_params.get("code", "400")),
            detail=request.query_params.get("detail"),
            headers={"x-err": "1"},
        )

    async def boom(request: Any) -> Any:
        raise RuntimeError("boom")

    async def value(request: Any) -> Any:
        raise ValueError("handled")

    async def on_value(request: Any, exc: Exception) -> Any:
        return lib.responses.JSONResponse({"handled": str(exc)}, status_code=409)

    async def on_418(request: Any, exc: Exception) -> Any:
        return lib.responses.PlainTextResponse("teapot handler", status_code=418)

    async def after_start(request: Any) -> Any:
        async def body() -> Any:
            yield b"partial"
            raise RuntimeError("late")

        return lib.responses.StreamingResponse(body())

    return lib.App(
        debug=debug,
        routes=[
            lib.routing.Route("/http", http_exc),
            lib.routing.Route("/boom", boom),
            lib.routing.Route("/value", value),
            lib.routing.Route("/late", after_start),
        ],
        exception_handlers={ValueError: on_value, 418: on_418},
    )


ERROR_REQUESTS: dict[str, Exchange] = {
    "http_400": get("/http"),
    "http_404_detail": get("/http", query=b"code=404&detail=gone"),
    "http_304": get("/http", query=b"code=304"),
    "http_204": get("/http", query=b"code=204"),
    "http_418_handler": get("/http", query=b"code=418"),
    "http_500": get("/http", query=b"code=500"),
    "boom": get("/boom"),
    "value_handler": get("/value"),
    "late": get("/late"),
    "missing": get("/missing"),
}

case("errors/app", **ERROR_REQUESTS)(_errors_app)


@case("errors/debug", boom=get("/boom", headers=h(("accept", "application/json"))))
def _debug_app(lib: Lib) -> App:
    return _errors_app(lib, debug=True)


# --------------------------------------------------------------------------- websockets


def _ws_app(lib: Lib) -> App:
    async def echo(ws: Any) -> None:
        await ws.accept(subprotocol=ws.query_params.get("sp"))
        while True:
            message = await ws.receive()
            if message["type"] == "websocket.disconnect":
                return
            if message.get("text") == "close":
                await ws.close(code=4001, reason="bye")
                return
            if message.get("text") is not None:
                await ws.send_text(message["text"].upper())
            else:
                await ws.send_bytes(message.get("bytes") or b"")

    async def json_echo(ws: Any) -> None:
        await ws.accept()
        data = await ws.receive_json()
        await ws.send_json({"got": data})
        await ws.close()

    async def deny(ws: Any) -> None:
        await ws.close(code=1008, reason="no")

    async def raise_before(ws: Any) -> None:
        raise lib.exceptions.WebSocketException(code=1013, reason="later")

    async def http_before(ws: Any) -> None:
        raise lib.exceptions.HTTPException(403, detail="nope")

    async def boom(ws: Any) -> None:
        await ws.accept()
        raise RuntimeError("boom")

    async def send_after_close(ws: Any) -> None:
        await ws.accept()
        await ws.close()
        await ws.send_text("x")

    async def receive_before_accept(ws: Any) -> None:
        await ws.receive_text()

    async def deny_response(ws: Any) -> None:
        await ws.send_denial_response(lib.responses.PlainTextResponse("denied", status_code=401))

    W = lib.routing.WebSocketRoute
    return lib.App(
        routes=[
            W("/echo", echo),
            W("/json", json_echo),
            W("/deny", deny),
            W("/raise", raise_before),
            W("/http", http_before),
            W("/boom", boom),
            W("/after-close", send_after_close),
            W("/receive-first", receive_before_accept),
            W("/deny-response", deny_response),
        ]
    )


def _ws(path: str, *client: dict[str, Any], **kw: Any) -> WebSocketSession:
    return WebSocketSession(path=path, client=client, **kw)


case(
    "websockets/app",
    echo=_ws(
        "/echo",
        {"type": "websocket.receive", "text": "hi"},
        {"type": "websocket.receive", "bytes": b"\x00"},
        {"type": "websocket.receive", "text": "close"},
    ),
    echo_disconnect=_ws("/echo", {"type": "websocket.disconnect", "code": 1001}),
    subprotocol=_ws(
        "/echo",
        {"type": "websocket.disconnect", "code": 1000},
        query_string=b"sp=chat",
        subprotocols=["chat"],
    ),
    json=_ws("/json", {"type": "websocket.receive", "text": json.dumps([1, "a"])}),
    json_bytes=_ws("/json", {"type": "websocket.receive", "bytes": b"[1]"}),
    json_invalid=_ws("/json", {"type": "websocket.receive", "text": "{"}),
    deny=_ws("/deny"),
    raise_before_accept=_ws("/raise"),
    http_before_accept=_ws("/http"),
    boom=_ws("/boom"),
    after_close=_ws("/after-close"),
    receive_first=_ws("/receive-first", {"type": "websocket.receive", "text": "x"}),
    deny_response=_ws("/deny-response", extensions={"websocket.http.response": {}}),
    deny_response_unsupported=_ws("/deny-response"),
    missing=_ws("/missing"),
)(_ws_app)


def _ws_lifecycle_app(lib: Lib) -> App:
    """Using a WebSocket after either side closed it (Starlette 1.7+: WebSocketDisconnected)."""

    async def close_twice(ws: Any) -> None:
        await ws.accept()
        await ws.close()
        await ws.close()

    async def close_twice_before_accept(ws: Any) -> None:
        await ws.close(code=1008)
        await ws.close()

    async def receive_after_disconnect(ws: Any) -> None:
        await ws.accept()
        await ws.receive()
        await ws.receive()

    async def receive_text_after_disconnect(ws: Any) -> None:
        await ws.accept()
        try:
            await ws.receive_text()
        except lib.websockets.WebSocketDisconnect as exc:
            await ws.send_text(f"left {exc.code}")
        await ws.receive_text()

    async def send_after_client_disconnect(ws: Any) -> None:
        await ws.accept()
        await ws.receive()
        await ws.send_text("after")
        await ws.close(code=4000)
        await ws.close()

    async def receive_after_close(ws: Any) -> None:
        await ws.accept()
        await ws.close()
        await ws.receive_bytes()

    async def send_after_denial(ws: Any) -> None:
        await ws.send_denial_response(lib.responses.PlainTextResponse("no", status_code=403))
        await ws.send_text("late")

    async def accept_after_close(ws: Any) -> None:
        await ws.close()
        await ws.accept()

    async def json_binary_of_text(ws: Any) -> None:
        await ws.accept()
        await ws.receive_json(mode="binary")

    async def iter_after_disconnect(ws: Any) -> None:
        await ws.accept()
        async for text in ws.iter_text():
            await ws.send_text(text)
        await ws.send_text("done")
        async for text in ws.iter_text():
            await ws.send_text(text)  # never reached: WebSocketDisconnected

    W = lib.routing.WebSocketRoute
    return lib.App(
        routes=[
            W("/close-twice", close_twice),
            W("/close-twice-before-accept", close_twice_before_accept),
            W("/receive-after-disconnect", receive_after_disconnect),
            W("/receive-text-after-disconnect", receive_text_after_disconnect),
            W("/send-after-client-disconnect", send_after_client_disconnect),
            W("/receive-after-close", receive_after_close),
            W("/send-after-denial", send_after_denial),
            W("/accept-after-close", accept_after_close),
            W("/json-binary-of-text", json_binary_of_text),
            W("/iter-after-disconnect", iter_after_disconnect),
        ]
    )


_BYE = {"type": "websocket.disconnect", "code": 1001, "reason": "bye"}

case(
    "websockets/lifecycle",
    close_twice=_ws("/close-twice"),
    close_twice_before_accept=_ws("/close-twice-before-accept"),
    receive_after_disconnect=_ws("/receive-after-disconnect", _BYE),
    receive_text_after_disconnect=_ws("/receive-text-after-disconnect", _BYE),
    send_after_client_disconnect=_ws("/send-after-client-disconnect", _BYE),
    receive_after_close=_ws("/receive-after-close", {"type": "websocket.receive", "bytes": b"x"}),
    send_after_denial=_ws("/send-after-denial", extensions={"websocket.http.response": {}}),
    accept_after_close=_ws("/accept-after-close"),
    json_binary_of_text=_ws("/json-binary-of-text", {"type": "websocket.receive", "text": "[1]"}),
    iter_after_disconnect=_ws(
        "/iter-after-disconnect", {"type": "websocket.receive", "text": "a"}, _BYE
    ),
)(_ws_lifecycle_app)


# --------------------------------------------------------------------------- request streams


def _stream_app(lib: Lib) -> App:
    async def echo(request: Any) -> Any:
        return lib.responses.StreamingResponse(request.stream())

    async def twice(request: Any) -> Any:
        first = b"".join([chunk async for chunk in request.stream()])
        try:
            second = b"".join([chunk async for chunk in request.stream()])
        except Exception as exc:
            second = f"{type(exc).__name__}: {exc}".encode()
        return lib.responses.Response(first + b"|" + second)

    async def body_then_stream(request: Any) -> Any:
        body = await request.body()
        streamed = b"".join([chunk async for chunk in request.stream()])
        return lib.responses.Response(body + b"|" + streamed)

    async def disconnected(request: Any) -> Any:
        return lib.responses.PlainTextResponse(str(await request.is_disconnected()))

    async def push(request: Any) -> Any:
        await request.send_push_promise("/style.css")
        return lib.responses.PlainTextResponse("pushed")

    async def hints(request: Any) -> Any:
        await request.send_early_hints(["</style.css>; rel=preload"])  # Starlette 1.8
        return lib.responses.PlainTextResponse("hinted")

    async def route_key(request: Any) -> Any:
        route = request.scope.get("route")
        return lib.responses.PlainTextResponse(
            f"{type(route).__name__} {getattr(route, 'path', None)}"
        )

    R = lib.routing.Route
    return lib.App(
        routes=[
            R("/echo", echo, methods=["POST"]),
            R("/twice", twice, methods=["POST"]),
            R("/body-then-stream", body_then_stream, methods=["POST"]),
            R("/disconnected", disconnected),
            R("/push", push),
            R("/hints", hints),
            R("/route/{x}", route_key),
            lib.routing.Mount("/m", routes=[R("/route", route_key)]),
        ]
    )


case(
    "requests/stream",
    echo=HTTPRequest(method="POST", path="/echo", body=[b"a", b"b", b"c"]),
    echo_spec_2_3=HTTPRequest(method="POST", path="/echo", body=[b"a", b"b"], spec_version="2.3"),
    twice=HTTPRequest(method="POST", path="/twice", body=[b"a", b"b"]),
    body_then_stream=HTTPRequest(method="POST", path="/body-then-stream", body=[b"a", b"b"]),
    disconnected=get("/disconnected"),
    push=get("/push"),
    push_supported=get("/push", extensions={"http.response.push": {}}),
    hints=get("/hints"),
    hints_supported=get("/hints", extensions={"http.response.early_hint": {}}),
    route=get("/route/1"),
    route_mounted=get("/m/route"),
)(_stream_app)


# --------------------------------------------------------------------------- handlers


def _handlers_app(lib: Lib) -> App:
    import threading

    async def boom(request: Any) -> Any:
        raise RuntimeError("boom")

    async def http_exc(request: Any) -> Any:
        raise lib.exceptions.HTTPException(409)

    async def on_500(request: Any, exc: Exception) -> Any:
        return lib.responses.PlainTextResponse(f"500 handler: {exc}", status_code=500)

    def on_http_sync(request: Any, exc: Exception) -> Any:
        where = "main" if threading.current_thread() is threading.main_thread() else "thread"
        return lib.responses.PlainTextResponse(f"sync handler in {where}", status_code=409)

    return lib.App(
        routes=[lib.routing.Route("/boom", boom), lib.routing.Route("/http", http_exc)],
        exception_handlers={500: on_500, 409: on_http_sync},
    )


case("errors/handlers", boom_500_handler=get("/boom"), http_sync_handler=get("/http"))(
    _handlers_app
)


@case("errors/exception-handler", boom=get("/boom"))
def _exception_class_handler(lib: Lib) -> App:
    async def boom(request: Any) -> Any:
        raise RuntimeError("boom")

    async def on_exception(request: Any, exc: Exception) -> Any:
        return lib.responses.PlainTextResponse("Exception handler", status_code=500)

    return lib.App(
        routes=[lib.routing.Route("/boom", boom)], exception_handlers={Exception: on_exception}
    )


@case("errors/background", get=get())
def _background_error(lib: Lib) -> App:
    async def fail() -> None:
        raise RuntimeError("in background")

    async def endpoint(request: Any) -> Any:
        return lib.responses.PlainTextResponse("ok", background=lib.background.BackgroundTask(fail))

    return one_route(lib, endpoint)


@case("responses/delete-cookie-partitioned", get=get())
def _delete_partitioned(lib: Lib) -> App:
    async def endpoint(request: Any) -> Any:
        response = lib.responses.Response("x")
        response.delete_cookie("k", secure=True, samesite="none", partitioned=True)
        return response

    return one_route(lib, endpoint)


# --------------------------------------------------------------------------- schemas


@case("schemas/openapi", get=get("/schema"))
def _schema_app(lib: Lib) -> App:
    schemas = lib.schemas.SchemaGenerator(
        {"openapi": "3.0.0", "info": {"title": "T", "version": "1"}}
    )

    async def users(request: Any) -> Any:
        """
        responses:
          200:
            description: users
        """
        return lib.responses.JSONResponse([])

    async def no_doc(request: Any) -> Any:
        return lib.responses.JSONResponse([])

    class Items(lib.endpoints.HTTPEndpoint):  # type: ignore[name-defined,misc]
        async def get(self, request: Any) -> Any:
            """summary: list items"""
            return lib.responses.JSONResponse([])

        async def post(self, request: Any) -> Any:
            """summary: add an item"""
            return lib.responses.JSONResponse([])

    async def schema(request: Any) -> Any:
        return schemas.OpenAPIResponse(request=request)

    return lib.App(
        routes=[
            lib.routing.Route("/users/{id:int}", users, methods=["GET", "POST"]),
            lib.routing.Route("/nodoc", no_doc),
            lib.routing.Route("/items", Items),
            lib.routing.Mount("/sub", routes=[lib.routing.Route("/x", users)]),
            lib.routing.Route("/schema", schema, include_in_schema=False),
        ]
    )


def _schema_table(lib: Lib, openapi: str) -> App:
    schemas = lib.schemas.SchemaGenerator(
        {"openapi": openapi, "info": {"title": "T", "version": "1"}}
    )

    async def search(request: Any) -> Any:
        """summary: search"""
        return lib.responses.JSONResponse([])

    def sync_doc(request: Any) -> Any:
        """summary: sync"""
        return lib.responses.JSONResponse([])

    class Things(lib.endpoints.HTTPEndpoint):  # type: ignore[name-defined,misc]
        async def get(self, request: Any) -> Any:
            """summary: get"""

        async def head(self, request: Any) -> Any:
            """summary: head"""

        async def query(self, request: Any) -> Any:
            """summary: query"""

        async def delete(self, request: Any) -> Any:
            """summary: delete"""

    async def schema(request: Any) -> Any:
        return schemas.OpenAPIResponse(request=request)

    R = lib.routing.Route
    return lib.App(
        routes=[
            R("/search/{term:path}", search, methods=["GET", "QUERY", "HEAD"]),
            R("/sync", sync_doc),
            R("/things", Things),
            R("/hidden", search, include_in_schema=False),
            lib.routing.Mount(
                "/v/{version:int}", routes=[R("/s", search, methods=["QUERY"]), R("/t", Things)]
            ),
            lib.routing.Host("{sub}.example.org", app=lib.routing.Router([R("/h", search)])),
            lib.routing.WebSocketRoute("/ws", search),
            R("/schema", schema, include_in_schema=False),
        ]
    )


def _schema_build(version: str) -> Build:
    def build(lib: Lib) -> App:
        return _schema_table(lib, version)

    return build


for _version in ("3.0.0", "3.1.0", "3.2.0", "3.2"):
    case(f"schemas/query-{_version}", get=get("/schema"))(_schema_build(_version))


# --------------------------------------------------------------------------- errors: the stack


def _error_stack_app(lib: Lib) -> App:
    """Unhandled errors, the 500 handler, handled exceptions (also after the start)."""
    import threading

    handled: list[BaseException] = []

    class ReportsTraceback:
        """Appends, after the response, whether the handled exception kept its traceback."""

        def __init__(self, app: Any) -> None:
            self.app = app

        async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
            async def holding_send(message: Any) -> None:
                if message["type"] == "http.response.body":
                    message = {**message, "more_body": True}
                await send(message)

            await self.app(scope, receive, holding_send)
            tb = [exc.__traceback__ is None for exc in handled]
            await send({"type": "http.response.body", "body": f"|cleared={tb}".encode()})

    async def boom(request: Any) -> Any:
        raise RuntimeError("boom")

    async def value(request: Any) -> Any:
        raise ValueError("v")

    def raw(exc: Exception, start: bool) -> Any:
        async def app(scope: Any, receive: Any, send: Any) -> None:
            if start:
                await send({"type": "http.response.start", "status": 200, "headers": []})
                await send({"type": "http.response.body", "body": b"partial", "more_body": True})
            raise exc

        return app

    async def on_500(request: Any, exc: Exception) -> Any:
        mode = request.query_params.get("mode", "")
        if mode == "raise":
            raise KeyError("from the 500 handler")
        if mode == "body":
            try:
                await request.body()
            except Exception as read_error:
                return lib.responses.PlainTextResponse(f"{read_error}", status_code=500)
        if mode == "background":

            def fail() -> None:
                raise LookupError("from the background task")

            background = lib.background.BackgroundTask(fail)
            return lib.responses.PlainTextResponse("bg", status_code=500, background=background)
        return lib.responses.PlainTextResponse(f"500 handler: {exc}", status_code=500)

    def on_value(request: Any, exc: Exception) -> Any:
        handled.append(exc)
        where = "main" if threading.current_thread() is threading.main_thread() else "thread"
        return lib.responses.PlainTextResponse(f"value handler in {where}", status_code=400)

    R = lib.routing.Route
    M = lib.routing.Mount
    return lib.App(
        routes=[
            R("/boom", boom),
            R("/value", value),
            M("/raw-value", app=raw(ValueError("raw"), start=False)),
            M("/raw-value-late", app=raw(ValueError("raw"), start=True)),
            M("/raw-http-late", app=raw(lib.exceptions.HTTPException(409), start=True)),
            M("/raw-boom-late", app=raw(RuntimeError("late"), start=True)),
        ],
        middleware=[lib.middleware.Middleware(ReportsTraceback)],
        exception_handlers={500: on_500, ValueError: on_value},
    )


case(
    "errors/stack",
    boom=get("/boom"),
    handler_reads_body=get("/boom", query=b"mode=body"),
    handler_raises=get("/boom", query=b"mode=raise"),
    handler_background_raises=get("/boom", query=b"mode=background"),
    handled_in_route=get("/value"),
    handled_in_middleware=get("/raw-value/"),
    handled_after_start=get("/raw-value-late/"),
    http_after_start=get("/raw-http-late/"),
    unhandled_after_start=get("/raw-boom-late/"),
    handler_raises_after_start=get("/raw-boom-late/", query=b"mode=raise"),
)(_error_stack_app)


@case("errors/middleware-headers", boom=get("/boom"))
def _error_headers_app(lib: Lib) -> App:
    """A user middleware adding a header: Starlette's 500 bypasses it, ours passes through."""

    class AddsHeader:
        def __init__(self, app: Any) -> None:
            self.app = app

        async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
            async def tagging_send(message: Any) -> None:
                if message["type"] == "http.response.start":
                    message = {**message, "headers": [*message["headers"], (b"x-mw", b"1")]}
                await send(message)

            await self.app(scope, receive, tagging_send)

    async def boom(request: Any) -> Any:
        raise RuntimeError("boom")

    return lib.App(
        routes=[lib.routing.Route("/boom", boom)],
        middleware=[lib.middleware.Middleware(AddsHeader)],
    )


# --------------------------------------------------------------------------- issue 10: ranges,
# files, forms and requests as Starlette 1.10 answers them

case(
    "files/file-ranges",
    capitalised=_range("Bytes=0-1"),
    garbage_mixed=_range("Bytes=177-784 ,x- ,x--1 ,-1-01"),
    int_like=_range("bytes=+1-+2, 1_0-20"),
    spaces=_range("bytes= 1 - 2 "),
    empty_unit=_range("=0-1"),
    no_equals=_range("bytes"),
    suffix_longer=_range("bytes=-2000"),
    suffix_zero=_range("bytes=-0,0-1"),
    one_past_end=_range("bytes=0-1,2000-3000"),
    reversed_past_end=_range("bytes=10-5,2000-3000"),
    reversed_later=_range("bytes=0-1, 10-5"),
    minus_end=_range("bytes=0--1"),
    adjacent=_range("bytes=0-1,2-3"),
    three=_range("bytes=0-1,5-6,3-4"),
    many_100=_range("bytes=" + ",".join(["0-0"] * 100)),
    many_101=_range("bytes=" + ",".join(["0-0"] * 101)),
    huge_number=_range("bytes=0-" + "9" * 5000 + ",4-5"),
    head_multi=HTTPRequest(method="HEAD", headers=h(("range", "bytes=0-1,5-6"))),
    post_range=HTTPRequest(method="POST", headers=h(("range", "bytes=0-1"))),
    filename_space=get(query=b"name=report%20x.txt"),
)(_file_app)


def _form_endpoint(lib: Lib) -> Callable[[Any], Any]:
    async def endpoint(request: Any) -> Any:
        form = await request.form()
        items = [
            [k, v] if isinstance(v, str) else [k, v.filename, (await v.read()).decode("latin-1")]
            for k, v in form.multi_items()
        ]
        await form.close()
        return lib.responses.JSONResponse(items)

    return endpoint


case(
    "requests/form-more",
    multipart_truncated=_post(
        _multipart([("a", None, b"1"), ("f", "x.txt", b"hi")])[:-14], MULTIPART
    ),
    multipart_long_boundary=_post(
        _multipart([("a", None, b"1")], "b" * 100), "multipart/form-data; boundary=" + "b" * 100
    ),
    multipart_too_long_boundary=_post(
        _multipart([("a", None, b"1")], "b" * 300), "multipart/form-data; boundary=" + "b" * 300
    ),
    multipart_odd_boundary=_post(
        _multipart([("a", None, b"1")], "a{b}"), "multipart/form-data; boundary=a{b}"
    ),
    multipart_charset=_post(_multipart([("n", None, b"\xe9")]), MULTIPART + "; charset=latin-1"),
    multipart_many_part_headers=_post(
        b"--b0undary\r\n"
        + b"".join(b"X-%d: v\r\n" % i for i in range(100))
        + b'Content-Disposition: form-data; name="a"\r\n\r\n1\r\n--b0undary--\r\n',
        MULTIPART,
    ),
    multipart_no_name=_post(
        b'--b0undary\r\nContent-Disposition: form-data; filename="x"\r\n\r\n1\r\n--b0undary--\r\n',
        MULTIPART,
    ),
    multipart_epilogue=_post(_multipart([("a", None, b"1")]) + b"x" * 100_000, MULTIPART),
    urlencoded_empty_fields=_post(b"&&a=1&&&b=2&", "application/x-www-form-urlencoded"),
    urlencoded_percent_latin1=_post(b"a=%E9&b=%C3%A9", "application/x-www-form-urlencoded"),
    urlencoded_raw_utf8=_post("a=José".encode(), "application/x-www-form-urlencoded"),
    urlencoded_utf8_charset=_post(b"a=%C3%A9", "application/x-www-form-urlencoded; charset=utf-8"),
    query_method=HTTPRequest(
        method="QUERY",
        body=[b"a=1"],
        headers=h(("content-type", "application/x-www-form-urlencoded")),
    ),
)(
    lambda lib: lib.App(
        routes=[lib.routing.Route("/", _form_endpoint(lib), methods=["POST", "QUERY"])]
    )
)


# --------------------------------------------------------------------------- routing: edges


@case(
    "routing/edges",
    method_union=HTTPRequest(method="DELETE", path="/x"),
    trailing_newline=get("/users/1\n"),
    ws_disconnect_escapes=WebSocketSession(
        path="/ws", client=({"type": "websocket.disconnect", "code": 1001},)
    ),
)
def _routing_edges(lib: Lib) -> App:
    async def ok(request: Any) -> Any:
        return lib.responses.PlainTextResponse("ok")

    async def ws(websocket: Any) -> None:
        await websocket.accept()
        await websocket.receive_text()  # raises WebSocketDisconnect

    return lib.App(
        routes=[
            lib.routing.Route("/x", ok, methods=["GET"]),
            lib.routing.Route("/x", ok, methods=["POST"]),
            lib.routing.Route("/users/{id:int}", ok),
            lib.routing.WebSocketRoute("/ws", ws),
        ]
    )
