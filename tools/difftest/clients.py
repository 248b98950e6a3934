"""Both frameworks' TestClients against the same hand-written ASGI app.

What is compared is what the application sees (the scope each client builds: headers and
their order, client, server, scheme, paths) and what the test sees (status, headers, body,
cookies, redirects, exceptions).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from functools import partial
from typing import Any

from lib import Lib

Message = dict[str, Any]


async def scope_echo(scope: dict[str, Any], receive: Any, send: Any) -> None:
    """Answer with the parts of the scope a client decides, and the request body."""
    if scope["type"] == "lifespan":
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                await send({"type": "lifespan.startup.complete"})
            else:
                await send({"type": "lifespan.shutdown.complete"})
                return
    body = b""
    while True:
        message = await receive()
        body += message.get("body", b"")
        if not message.get("more_body"):
            break
    path = scope["path"]
    if path == "/redirect":
        await send(
            {"type": "http.response.start", "status": 302, "headers": [(b"location", b"/final")]}
        )
        await send({"type": "http.response.body", "body": b""})
        return
    if path == "/cookie":
        await send(
            {
                "type": "http.response.start",
                "status": 200,
                "headers": [(b"set-cookie", b"sid=abc; Path=/"), (b"content-type", b"text/plain")],
            }
        )
        await send({"type": "http.response.body", "body": b"ok"})
        return
    if path == "/boom":
        raise RuntimeError("boom")
    seen = {
        "type": scope["type"],
        "http_version": scope.get("http_version"),
        "method": scope.get("method"),
        "scheme": scope.get("scheme"),
        "path": scope.get("path"),
        "raw_path": scope.get("raw_path", b"").decode("latin-1"),
        "root_path": scope.get("root_path"),
        "query_string": scope.get("query_string", b"").decode("latin-1"),
        "headers": [[k.decode("latin-1"), v.decode("latin-1")] for k, v in scope["headers"]],
        "client": list(scope["client"]) if scope.get("client") else None,
        "server": list(scope["server"]) if scope.get("server") else None,
        # the ASGI-required "asgi" key is compared once, by testclient/asgi-key, so that
        # this known difference does not hide others in every case
        "asgi": scope.get("asgi") if path == "/asgi" else "not compared",
        "extensions": sorted(scope.get("extensions", {})),
        "state": "state" in scope,
        "body": body.decode("latin-1"),
    }
    data = json.dumps(seen).encode()
    await send(
        {
            "type": "http.response.start",
            "status": 200,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(data)).encode()),
            ],
        }
    )
    await send({"type": "http.response.body", "body": data})


def _observe(response: Any) -> dict[str, Any]:
    return {
        "status": response.status_code,
        "headers": [list(item) for item in response.headers.multi_items()],
        "url": str(response.url),
        "history": [r.status_code for r in response.history],
        "body": _json_or_text(response.text),
    }


def _json_or_text(text: str) -> Any:
    try:
        return json.loads(text)
    except ValueError:
        return text


def _client(lib: Lib, **kw: Any) -> Any:
    return lib.testclient.TestClient(scope_echo, **kw)


def _call(
    lib: Lib, method: str, url: str, client_kw: dict[str, Any] | None = None, **kw: Any
) -> Any:
    with _client(lib, **(client_kw or {})) as client:
        return _observe(client.request(method, url, **kw))


def _cookies(lib: Lib) -> Any:
    with _client(lib) as client:
        client.get("/cookie")
        return _observe(client.get("/"))


def _boom(lib: Lib) -> Any:
    with _client(lib) as client:
        try:
            client.get("/boom")
        except RuntimeError as exc:
            return f"raised {exc}"
    return "not raised"


def _boom_no_raise(lib: Lib) -> Any:
    with _client(lib, raise_server_exceptions=False) as client:
        return _observe(client.get("/boom"))


def _reuse(lib: Lib) -> Any:
    client = _client(lib)
    with client:
        client.get("/")
    with client:
        return _observe(client.get("/again"))


def _multipart(lib: Lib) -> Any:
    with _client(lib) as client:
        result = _observe(
            client.post("/", data={"a": "1"}, files={"f": ("x.txt", b"hi", "text/plain")})
        )
    seen = result["body"]
    content_type = dict(seen["headers"])["content-type"]
    boundary = content_type.split("boundary=")[1]
    seen["headers"] = [[k, v.replace(boundary, "BOUNDARY")] for k, v in seen["headers"]]
    seen["body"] = seen["body"].replace(boundary, "BOUNDARY")
    result["headers"] = [h for h in result["headers"] if h[0] != "content-length"]
    return result


def _sending(*messages: Message, lifespan: bool = True) -> Any:
    """An app that sends ``messages`` for every HTTP request (and speaks lifespan)."""

    async def app(scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] == "lifespan":
            await receive()
            await send({"type": "lifespan.startup.complete"})
            await receive()
            await send({"type": "lifespan.shutdown.complete"})
            return
        for message in messages:
            await send(message)

    return app


def _start(trailers: bool = False) -> Message:
    return {"type": "http.response.start", "status": 200, "headers": [], "trailers": trailers}


def _body(body: Any = b"x", more: bool = False) -> Message:
    return {"type": "http.response.body", "body": body, "more_body": more}


def _trailers(headers: list[Any], more: bool = False) -> Message:
    return {"type": "http.response.trailers", "headers": headers, "more_trailers": more}


def _get(lib: Lib, app: Any, **client_kw: Any) -> Any:
    """The response as seen by the test, or the exception's type name (ours are clearer)."""
    try:
        response = lib.testclient.TestClient(app, **client_kw).get("/")
    except Exception as exc:
        return f"raised {_kind(exc)}"
    return {
        "status": response.status_code,
        "body": response.content,
        "extensions": dict(response.extensions),
        "template": getattr(response, "template", "-"),
        "context": getattr(response, "context", "-"),
    }


def _kind(exc: BaseException) -> str:
    # Starlette reports protocol mistakes with AssertionError, we with ASGIProtocolError:
    # an accepted difference; what is compared here is that both fail
    return (
        "protocol error"
        if type(exc).__name__ in ("AssertionError", "ASGIProtocolError")
        else (f"{type(exc).__name__}: {exc}")
    )


def _get_sending(messages: tuple[Message, ...], raise_: bool, lib: Lib) -> Any:
    return _get(lib, _sending(*messages), raise_server_exceptions=raise_)


def _trailer_cases() -> dict[str, Callable[[Lib], Any]]:
    sequences: dict[str, tuple[Message, ...]] = {
        "complete": (_start(True), _body(b"a", True), _body(b"b"), _trailers([(b"t", b"1")])),
        "several": (
            _start(True),
            _body(),
            _trailers([(b"a", b"1"), (b"B", b"2")], more=True),
            _trailers([[b"a", b"3"]]),
        ),
        "none-sent": (_start(True), _body()),
        "unfinished": (_start(True), _body(), _trailers([(b"a", b"1")], more=True)),
        "not-declared": (_start(), _body(), _trailers([])),
        "before-start": (_trailers([]),),
        "before-body-end": (_start(True), _body(more=True), _trailers([])),
        "after-end": (_start(True), _body(), _trailers([]), _trailers([])),
        "body-after-end": (_start(True), _body(), _trailers([]), _body()),
        "body-after-body-end": (_start(True), _body(), _trailers([], more=True), _body()),
    }
    cases: dict[str, Callable[[Lib], Any]] = {}
    for name, messages in sequences.items():
        for raise_ in (True, False):
            suffix = "" if raise_ else "-no-raise"
            cases[f"trailers-{name}{suffix}"] = partial(_get_sending, messages, raise_)
    return cases


def _stream_trailers(lib: Lib) -> Any:
    app = _sending(_start(True), _body(b"a", True), _body(b"b"), _trailers([(b"t", b"1")]))
    seen: list[Any] = []
    with lib.testclient.TestClient(app).stream("GET", "/") as response:
        seen.append(dict(response.extensions))
        seen += [[chunk, dict(response.extensions)] for chunk in response.iter_raw()]
        seen.append(dict(response.extensions))
    return seen


def _debug(info: Any, after_start: bool = False) -> Callable[[Lib], Any]:
    debug = {"type": "http.response.debug", "info": info}
    messages = (_start(), debug, _body()) if after_start else (debug, _start(), _body())
    return lambda lib: _get(lib, _sending(*messages))


def _push_and_hints(lib: Lib) -> Any:
    link = b"</style.css>; rel=preload; as=style"
    hint = {"type": "http.response.early_hint", "links": [link]}
    push = {"type": "http.response.push", "path": "/style.css", "headers": []}
    return _get(lib, _sending(hint, push, _start(), hint, push, _body()))


def _backpressure(lib: Lib) -> Any:
    sent: list[int] = []

    async def app(scope: dict[str, Any], receive: Any, send: Any) -> None:
        await send(_start())
        for number in range(100):
            sent.append(number)
            await send(_body(b"%d" % number, more=True))

    with lib.testclient.TestClient(app).stream("GET", "/") as response:
        chunks = response.iter_raw()
        first = next(chunks)
        # the app waits for the test: at most the next chunk is on its way
        ahead = len(sent) <= 2
    return [first, ahead]


def _mutable_chunks(lib: Lib) -> Any:
    async def app(scope: dict[str, Any], receive: Any, send: Any) -> None:
        await send(_start())
        buffer = bytearray(b"aaaa")
        await send(_body(buffer, more=True))
        buffer[:] = b"bbbb"
        await send(_body(memoryview(buffer)[:2], more=True))
        buffer[:] = b"cccc"
        await send(_body(b""))

    client = lib.testclient.TestClient(app)
    with client.stream("GET", "/") as response:
        streamed = list(response.iter_raw())
    return [client.get("/").content, streamed]


def _left_open(lib: Lib, app: Any, with_block: bool) -> Any:
    """Read one chunk of a streamed response, then close the client with it still open."""
    client = lib.testclient.TestClient(app)
    kept = []
    try:
        if with_block:
            with client:
                response = client.send(client.build_request("GET", "/"), stream=True)
                kept += [response, response.iter_raw()]
                kept.append(next(kept[1]))
        else:
            response = client.send(client.build_request("GET", "/"), stream=True)
            kept += [response, response.iter_raw()]
            kept.append(next(kept[1]))
            client.close()
    except Exception as exc:
        return [kept[2:], f"raised {_kind(exc)}"]
    return [kept[2:], "closed"]


def _endless(log: list[str]) -> Any:
    async def app(scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] == "lifespan":
            await _sending()(scope, receive, send)
            return
        await send(_start())
        try:
            for number in range(100):
                await send(_body(b"%d" % number, more=True))
        except BaseException as exc:
            log.append(type(exc).__name__.replace("Cancelled", "CancelledError"))
            raise

    return app


def _background(log: list[str], error: bool) -> Any:
    async def app(scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] == "lifespan":
            await _sending()(scope, receive, send)
            return
        await send(_start())
        await send(_body(b"done"))
        log.append("background")
        if error:
            raise RuntimeError("failed after the response")

    return app


def _close_cases() -> dict[str, Callable[[Lib], Any]]:
    cases: dict[str, Callable[[Lib], Any]] = {}
    for with_block in (False, True):
        how = "with-exit" if with_block else "close"

        def endless(lib: Lib, w: bool = with_block) -> Any:
            log: list[str] = []
            return [_left_open(lib, _endless(log), w), log]

        def background(lib: Lib, w: bool = with_block, error: bool = False) -> Any:
            log: list[str] = []
            return [_left_open(lib, _background(log, error), w), log]

        cases[f"{how}-cancels-open-stream"] = endless
        cases[f"{how}-waits-for-complete-stream"] = background
        cases[f"{how}-raises-after-complete-stream"] = partial(background, error=True)
    return cases


def _middleware_after_response(lib: Lib) -> Any:
    inner = _sending(_start(), _body(b"ok"))

    async def middleware(scope: dict[str, Any], receive: Any, send: Any) -> None:
        await inner(scope, receive, send)
        if scope["type"] == "http":
            raise RuntimeError("middleware failed after the response")

    results = [_get(lib, middleware, raise_server_exceptions=r) for r in (True, False)]
    with lib.testclient.TestClient(middleware) as client:
        try:
            with client.stream("GET", "/") as response:
                response.read()
            results.append("not raised")
        except RuntimeError as exc:
            results.append(str(exc))
    return results


def _request_timeout(lib: Lib) -> Any:
    with lib.testclient.TestClient(scope_echo) as client:
        return client.get("/", timeout=5).status_code


def _user_agent_capitalised(lib: Lib) -> Any:
    headers = {"User-Agent": "mine"}
    seen = _call(lib, "GET", "/", client_kw={"headers": headers})["body"]["headers"]
    return [seen, headers]


def _reuse_closed(lib: Lib) -> Any:
    client = _client(lib)
    client.close()
    try:
        client.get("/")
    except RuntimeError as exc:
        return str(exc)
    return "not raised"


CLIENT_CASES: dict[str, Callable[[Lib], Any]] = {
    "asgi-key": lambda lib: _call(lib, "GET", "/asgi"),
    "get": lambda lib: _call(lib, "GET", "/"),
    "get-query": lambda lib: _call(lib, "GET", "/p%20q?x=1", params={"a": "b c"}),
    "head": lambda lib: _call(lib, "HEAD", "/"),
    "post-json": lambda lib: _call(lib, "POST", "/", json={"a": [1, 2]}),
    "post-form": lambda lib: _call(lib, "POST", "/", data={"a": "1", "b": "x y"}),
    "post-content": lambda lib: _call(lib, "POST", "/", content=b"raw"),
    "put-empty": lambda lib: _call(lib, "PUT", "/"),
    "headers": lambda lib: _call(lib, "GET", "/", headers={"X-Custom": "1", "User-Agent": "mine"}),
    "client-headers": lambda lib: _call(lib, "GET", "/", client_kw={"headers": {"X-Default": "d"}}),
    "absolute-url": lambda lib: _call(lib, "GET", "http://other.org:8080/x"),
    "https-base": lambda lib: _call(
        lib, "GET", "/", client_kw={"base_url": "https://example.org:8443"}
    ),
    "ipv6-base": lambda lib: _call(lib, "GET", "/", client_kw={"base_url": "http://[::1]:8000"}),
    "root-path": lambda lib: _call(lib, "GET", "/x", client_kw={"root_path": "/api"}),
    "client-address": lambda lib: _call(lib, "GET", "/", client_kw={"client": ("1.2.3.4", 9)}),
    "redirect": lambda lib: _call(lib, "GET", "/redirect"),
    "redirect-not-followed": lambda lib: _call(lib, "GET", "/redirect", follow_redirects=False),
    "cookies": _cookies,
    "multipart": _multipart,
    "raise": _boom,
    "no-raise": _boom_no_raise,
    "reuse": _reuse,
    "reuse-after-close": _reuse_closed,
    "ua-capitalised": _user_agent_capitalised,
    "request-timeout": _request_timeout,
    "ipv6-no-port": lambda lib: _call(lib, "GET", "/", client_kw={"base_url": "http://[::1]"}),
    "stream-trailers": _stream_trailers,
    "debug": _debug({"template": "t.html", "context": {"a": 1}}),
    "debug-template-only": _debug({"template": "t.html"}),
    "debug-other": _debug({"x": 1}),
    "debug-after-start": _debug({"template": "t.html"}, after_start=True),
    "push-and-early-hints": _push_and_hints,
    "backpressure": _backpressure,
    "mutable-chunks": _mutable_chunks,
    "middleware-after-response": _middleware_after_response,
    **_trailer_cases(),
    **_close_cases(),
}
