"""Value-level cases: the same expression on both frameworks' public objects.

Each case returns a value compared by ``repr`` (both sides' reprs are public behaviour) or
raises an exception compared by type name and message.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from lib import Lib

ValueCase = Callable[[Lib], Any]


def _ds(lib: Lib) -> Any:
    return lib.datastructures


async def _endpoint(request: Any) -> Any:  # pragma: no cover - never called
    return None


class _Mw:
    def __init__(self, app: Any, *args: Any, **kwargs: Any) -> None:  # pragma: no cover
        self.app = app


def _mutable(lib: Lib) -> Any:
    headers = _ds(lib).MutableHeaders({"A": "1"})
    headers.append("b", "2")
    headers.append("b", "3")
    headers.setdefault("c", "4")
    headers["b"] = "5"
    del headers["a"]
    headers.add_vary_header("Origin")
    headers.add_vary_header("Cookie")
    return [repr(headers), headers.raw, headers.mutablecopy().items()]


def _multidict(lib: Lib) -> Any:
    d = _ds(lib).MultiDict([("a", "1"), ("a", "2"), ("b", "3")])
    d["a"] = "4"
    d.append("b", "5")
    d.setlist("c", ["6", "7"])
    popped = d.pop("b")
    item = d.popitem()
    d.update([("z", "8")])
    return [repr(d), popped, item, d.multi_items(), d.getlist("c")]


def _state(lib: Lib) -> Any:
    s = _ds(lib).State({"a": 1})
    s.b = 2
    del s.a
    try:
        s.a  # noqa: B018
    except AttributeError as exc:
        return [s._state, str(exc)]
    return [s._state]


def _config(lib: Lib) -> Any:
    import os
    import tempfile

    with tempfile.NamedTemporaryFile("w", suffix=".env", delete=False) as f:
        f.write("A='quoted'\nB=\"dq\"\nC='mismatch\"\n# comment\nD = spaced \nE=\n")
    try:
        config = lib.config.Config(f.name, environ={})
        return [config(k, default=None) for k in "ABCDE"]
    finally:
        os.unlink(f.name)


def _schema_endpoints(lib: Lib) -> Any:
    class Things(lib.endpoints.HTTPEndpoint):  # type: ignore[name-defined,misc]
        async def get(self, request: Any) -> None: ...  # pragma: no cover - never called

        async def head(self, request: Any) -> None: ...  # pragma: no cover - never called

        async def query(self, request: Any) -> None: ...  # pragma: no cover - never called

        async def trace(self, request: Any) -> None: ...  # pragma: no cover - never called

    R = lib.routing.Route
    routes = [
        R("/f/{id:int}", _endpoint, methods=["GET", "HEAD", "QUERY", "PURGE"]),
        R("/things", Things),
        R("/hidden", _endpoint, include_in_schema=False),
        lib.routing.Mount("/m/{v:int}", routes=[R("/x", _endpoint)]),
        lib.routing.Host("{sub}.a.org", app=lib.routing.Router([R("/h", _endpoint)])),
    ]
    # a function endpoint's methods come from a set: compare them in order
    return sorted(
        (e.path, e.http_method, e.func.__qualname__)
        for e in lib.schemas.SchemaGenerator({}).get_endpoints(routes)
    )


#: keyword arguments asgi-routing adds to Starlette's signatures (additive, not deviations)
_ADDED_KEYWORDS = {"on_startup", "on_shutdown", "max_message_size"}


def _routing_signatures(lib: Lib) -> Any:
    import inspect

    r = lib.routing
    out: dict[str, Any] = {}
    for obj in (r.Router, r.Route, r.WebSocketRoute, r.Mount, r.Host):
        out[obj.__name__] = [
            (p.name, p.kind.name, repr(p.default))
            for p in inspect.signature(obj.__init__).parameters.values()
            if p.name not in _ADDED_KEYWORDS
        ]
    for func in (r.Router.add_route, r.Router.add_websocket_route, r.Router.mount, r.Router.host):
        out[func.__name__] = [p.name for p in inspect.signature(func).parameters.values()]
    return out


VALUES: dict[str, ValueCase] = {
    "url/parts": lambda lib: [
        (
            u.scheme,
            u.netloc,
            u.path,
            u.query,
            u.fragment,
            u.hostname,
            u.port,
            u.username,
            u.password,
            u.is_secure,
        )
        for u in [_ds(lib).URL("https://u:p@Example.org:8443/a%20b?x=1#f")]
    ],
    "url/replace": lambda lib: str(
        _ds(lib).URL("http://a.org/p?q=1").replace(port=8080, path="/n")
    ),
    "url/replace-hostname": lambda lib: str(
        _ds(lib).URL("http://u@a.org:81/").replace(hostname="b.org")
    ),
    "url/include-query": lambda lib: str(
        _ds(lib).URL("/p?a=1&b=2").include_query_params(a=3, c="x y")
    ),
    "url/replace-query": lambda lib: str(_ds(lib).URL("/p?a=1").replace_query_params(z=["1", "2"])),
    "url/remove-query": lambda lib: str(_ds(lib).URL("/p?a=1&b=2&a=3").remove_query_params("a")),
    "url/repr": lambda lib: repr(_ds(lib).URL("http://u:secret@a.org/")),
    "url/eq": lambda lib: _ds(lib).URL("/a") == "/a",
    "url/components": lambda lib: str(
        _ds(lib).URL(scheme="https", server=("a.org", 443), path="/x", query_string=b"y=1")
    ),
    "url/scope": lambda lib: str(
        _ds(lib).URL(
            scope={
                "type": "http",
                "scheme": "http",
                "server": ("a.org", 8000),
                "path": "/p",
                "root_path": "",
                "query_string": b"q=1",
                "headers": [],
            }
        )
    ),
    "urlpath/make-absolute": lambda lib: str(
        _ds(lib).URLPath("/x", protocol="websocket").make_absolute_url("https://a.org/root/")
    ),
    "query/parse": lambda lib: repr(_ds(lib).QueryParams("a=1&a=2&b=&c")),
    "query/str": lambda lib: str(_ds(lib).QueryParams({"a": "x y", "b": "é"})),
    "query/getlist": lambda lib: _ds(lib).QueryParams("a=1&a=2").getlist("a"),
    "query/list-input": lambda lib: repr(_ds(lib).QueryParams([("a", "1"), ("b", "2")])),
    "query/bytes": lambda lib: repr(_ds(lib).QueryParams(b"a=%20")),
    "headers/repr": lambda lib: repr(_ds(lib).Headers({"A": "1", "b": "2"})),
    "headers/raw-repr": lambda lib: repr(_ds(lib).Headers(raw=[(b"a", b"1"), (b"a", b"2")])),
    "headers/getlist": lambda lib: _ds(lib).Headers(raw=[(b"a", b"1"), (b"a", b"2")]).getlist("A"),
    "headers/both": lambda lib: _ds(lib).Headers(headers={"a": "1"}, raw=[]),
    "headers/mutable-ops": _mutable,
    "headers/eq": lambda lib: _ds(lib).Headers({"a": "1"}) == _ds(lib).Headers({"A": "1"}),
    "multidict/ops": _multidict,
    "immutablemultidict/repr": lambda lib: repr(
        _ds(lib).ImmutableMultiDict([("a", "1"), ("a", "2")])
    ),
    "formdata/repr": lambda lib: repr(_ds(lib).FormData([("a", "1")])),
    "secret": lambda lib: [
        repr(_ds(lib).Secret("x")),
        str(_ds(lib).Secret("x")),
        bool(_ds(lib).Secret("")),
    ],
    "comma-separated": lambda lib: [
        repr(_ds(lib).CommaSeparatedStrings("a, 'b c',d")),
        str(_ds(lib).CommaSeparatedStrings(["a", "b"])),
    ],
    "state": _state,
    "address": lambda lib: repr(_ds(lib).Address("h", 1)),
    "status/codes": lambda lib: [
        lib.status.HTTP_200_OK,
        lib.status.HTTP_418_IM_A_TEAPOT,
        lib.status.WS_1008_POLICY_VIOLATION,
    ],
    "http-exception/repr": lambda lib: [
        repr(lib.exceptions.HTTPException(404)),
        str(lib.exceptions.HTTPException(404, "x")),
        lib.exceptions.HTTPException(404).detail,
        lib.exceptions.HTTPException(599).detail,
    ],
    "ws-exception/repr": lambda lib: [
        repr(lib.exceptions.WebSocketException(1008)),
        str(lib.exceptions.WebSocketException(1008, "r")),
    ],
    "http-exception/unknown": lambda lib: lib.exceptions.HTTPException(999).detail,
    "route/bad-path": lambda lib: lib.routing.Route("users", lambda r: None),
    "route/unknown-convertor": lambda lib: lib.routing.Route("/{x:nope}", lambda r: None),
    "route/duplicate-param": lambda lib: lib.routing.Route("/{x}/{x}", lambda r: None),
    "mount/neither": lambda lib: lib.routing.Mount("/m"),
    "host/slash": lambda lib: lib.routing.Host("/h", app=lambda s, r, se: None),
    "route/repr": lambda lib: repr(
        lib.routing.Route("/u/{id:int}", _endpoint, name="u", methods=["post"])
    ),
    "route/methods": lambda lib: sorted(lib.routing.Route("/", _endpoint).methods or []),
    "route/url-path-for": lambda lib: str(
        lib.routing.Route("/u/{id:int}", _endpoint, name="u").url_path_for("u", id=1)
    ),
    "route/url-path-for-missing": lambda lib: lib.routing.Route(
        "/u/{id:int}", _endpoint, name="u"
    ).url_path_for("u"),
    "route/url-path-for-extra": lambda lib: lib.routing.Route(
        "/u", _endpoint, name="u"
    ).url_path_for("u", x=1),
    "router/url-path-for-nomatch": lambda lib: lib.routing.Router([]).url_path_for("x", a=1),
    "compile-path": lambda lib: [
        (p.pattern, f, sorted(c)) for p, f, c in [lib.routing.compile_path("/a/{b:int}/{c}")]
    ],
    "mount/repr": lambda lib: repr(lib.routing.Mount("/m", routes=[], name="m")),
    "websocketroute/repr": lambda lib: repr(lib.routing.WebSocketRoute("/ws", _endpoint, name="w")),
    "background/repr": lambda lib: type(lib.background.BackgroundTasks()).__name__,
    "config/quotes": _config,
    "schemas/endpoints": _schema_endpoints,
    "middleware/repr": lambda lib: repr(lib.middleware.Middleware(_Mw, a=1)),
    "status/deprecated": lambda lib: lib.status.HTTP_413_REQUEST_ENTITY_TOO_LARGE,
    "status/deprecated-ws": lambda lib: lib.status.WS_1004_NO_STATUS_RCVD,
    "formparsers/formmessage": lambda lib: [m.name for m in lib.formparsers.FormMessage],
    "concurrency/run-until-first-complete": lambda lib: lib.concurrency.run_until_first_complete,
    "exceptions/ws-disconnect": lambda lib: repr(lib.websockets.WebSocketDisconnect(1001, "x")),
    "websockets/disconnected-class": lambda lib: [
        c.__name__ for c in lib.websockets.WebSocketDisconnected.__mro__
    ],
    "websockets/state": lambda lib: [s.name for s in lib.websockets.WebSocketState],
    "middleware/iter": lambda lib: [
        type(x).__name__ for x in lib.middleware.Middleware(_Mw, 1, a=1)
    ],
    "router/url-path-for-no-params": lambda lib: lib.routing.Router([]).url_path_for("x"),
    "router/url-path-for-several": lambda lib: lib.routing.Router([]).url_path_for(
        "x", b=1, a="2", c=None
    ),
    "route/url-path-for-placeholder-values": lambda lib: [
        lib.routing.Route("/a/{x}/{y}", _endpoint, name="r").url_path_for("r", **params)
        for params in ({"x": "{y}", "y": "3"}, {"y": "{x}", "x": "3"}, {"x": "{x}", "y": "{y}"})
    ],
    "route/url-path-for-slash-value": lambda lib: lib.routing.Route(
        "/u/{x}", _endpoint, name="u"
    ).url_path_for("u", x="a/b"),
    "route/url-path-for-path-value": lambda lib: [
        lib.routing.Route("/p/{rest:path}", _endpoint, name="p").url_path_for("p", rest=value)
        for value in ("/a//b", "{rest}", "")
    ],
    "route/url-path-for-double-slash": lambda lib: [
        lib.routing.Route("//double/{x}", _endpoint, name="d").url_path_for("d", x="1"),
        lib.routing.Route("/{rest:path}", _endpoint, name="r").url_path_for("r", rest="/evil.com"),
        lib.routing.Route("/{x}", _endpoint, name="b").url_path_for("b", x="\\evil"),
    ],
    "urlpath/double-slash": lambda lib: [
        str(_ds(lib).URLPath(p)) for p in ("//x", "///", "/a//b", "/a\\b", "\\x")
    ],
    "replace-params/once": lambda lib: lib.routing.replace_params(
        "/{x}/{x}/{y}/{z:int}",
        {"x": lib.convertors.CONVERTOR_TYPES["str"], "y": lib.convertors.CONVERTOR_TYPES["str"]},
        {"x": "{y}", "y": "1", "w": 2},
    ),
    "mount/url-path-for-left-over": lambda lib: lib.routing.Mount(
        "/{t}", app=_endpoint, name="m"
    ).url_path_for("m", t="1", path="/x", extra=1),
    "mount/url-path-for-inner-left-over": lambda lib: lib.routing.Mount(
        "/m/{t}", routes=[], name="m"
    ).url_path_for("m:zz", t="1", x="1", path="p"),
    "mount/url-path-for-placeholders": lambda lib: [
        str(
            lib.routing.Mount(
                "/m/{t}", routes=[lib.routing.Route("/i/{x}", _endpoint, name="i")], name="m"
            ).url_path_for(name, **params)
        )
        for name, params in (
            ("m:i", {"t": "{x}", "x": "1"}),
            ("m:i", {"x": "1"}),
            ("m", {"t": "{path}", "path": "/x"}),
        )
    ],
    "host/url-path-for": lambda lib: [
        (str(url), url.host, url.protocol)
        for url in (
            lib.routing.Host(
                "{s}.o:8000", lib.routing.Router([lib.routing.Route("/", _endpoint, name="i")]), "h"
            ).url_path_for(name, **params)
            for name, params in (
                ("h:i", {"s": "a"}),
                ("h:i", {"s": "{x}"}),
                ("h", {"path": "/x"}),
                ("h", {"s": "{path}", "path": "/x"}),
            )
        )
    ],
    "host/url-path-for-left-over": lambda lib: lib.routing.Host(
        "{s}.o", app=_endpoint, name="h"
    ).url_path_for("h", s="a", path="/x", extra=1),
    "host/compile-path": lambda lib: [
        (p.pattern, p.flags, f, sorted(c))
        for p, f, c in (
            lib.routing.compile_path(h) for h in ("{s}.Example.org:8000", "x:", "{s}.o:{p:int}")
        )
    ],
    "routing/signatures": _routing_signatures,
}


# --------------------------------------------------------------------------- issue 10


def _bare_urls(lib: Lib) -> Any:
    """request.url and base_url of a scope made outside a server: no Host header, no server."""
    out = []
    for path in ("/a", "a/b", "", "//a/b", "/a?b#c"):
        scope: dict[str, Any] = {
            "type": "http",
            "path": path,
            "headers": [],
            "query_string": b"q=1",
        }
        request = lib.requests.Request(scope)
        out.append([str(request.url), str(request.base_url), request.url.path])
    return out


def _call_form_message(lib: Lib) -> Any:
    return repr(lib.formparsers.FormMessage(2))


def _run_until_first_complete(lib: Lib) -> Any:
    import anyio

    events: list[str] = []

    async def quick() -> None:
        events.append("quick")

    async def slow() -> None:
        try:
            await anyio.sleep(10)
        finally:
            events.append("slow ended")

    anyio.run(lib.concurrency.run_until_first_complete, (slow, {}), (quick, {}))
    return events


def _cookie(lib: Lib, **options: Any) -> Any:
    response = lib.responses.Response()
    response.set_cookie("k", "v", **options)
    return response.headers["set-cookie"]


VALUES.update(
    {
        "requests/bare-url": _bare_urls,
        "formparsers/formmessage-call": _call_form_message,
        "concurrency/run-until-first-complete-call": _run_until_first_complete,
        "multidict/too-many-arguments": lambda lib: _ds(lib).ImmutableMultiDict([], []),
        "url/both-url-and-scope": lambda lib: _ds(lib).URL(
            "http://x/", scope={"type": "http", "path": "/", "headers": []}
        ),
        "headers/raw-and-scope": lambda lib: _ds(lib).Headers(
            raw=[], scope={"type": "http", "headers": []}
        ),
        "cookie/samesite-invalid": lambda lib: _cookie(lib, samesite="sometimes"),
        "cookie/samesite-upper": lambda lib: _cookie(lib, samesite="Strict"),
        "exceptions/ws-disconnect-forms": lambda lib: [
            repr(e)
            for e in (
                lib.websockets.WebSocketDisconnect(),
                lib.websockets.WebSocketDisconnect(1000, None),
                lib.websockets.WebSocketDisconnect(code=1006, reason="r"),
            )
        ],
        "exceptions/http-unknown-code": lambda lib: [
            repr(lib.exceptions.HTTPException(599)),
            str(lib.exceptions.HTTPException(599)),
            lib.exceptions.HTTPException(599).detail,
        ],
        "responses/content-disposition": lambda lib: [
            lib.responses.FileResponse(__file__, filename=name).headers["content-disposition"]
            for name in ("a.txt", "a b.txt", "résumé.pdf", 'q"uote.txt')
        ],
        "responses/memoryview-typed": lambda lib: lib.responses.Response(
            memoryview(__import__("array").array("i", [1, 2]))
        ).headers["content-length"],
    }
)
