"""Static files and templates cases: StaticFiles, Jinja2Templates.

The files and templates live in a temporary folder made when this module is imported, with
fixed modification times. A validator (``ETag``, ``Last-Modified``) is each framework's
own, so conditional requests are played by ``replay``: it asks the app for the file first,
then sends the request under test with the validator the app itself gave. Template
responses report their template and context through the ``http.response.debug`` extension;
``neutral_debug`` turns those objects into names and values both sides can be compared by.
Case ids are ``static/<variant>/<request>`` and ``templates/<variant>/<request>``.
"""

from __future__ import annotations

import gzip
import os
import tempfile
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

import anyio.lowlevel
from cases import case, get, h
from driver import App, HTTPRequest, Message, WebSocketSession
from lib import Lib

# Starlette leaves the coroutines of async context processors and templates unawaited
warnings.filterwarnings("ignore", "coroutine .* was never awaited", RuntimeWarning)

# --------------------------------------------------------------------------- the files

ROOT = Path(tempfile.mkdtemp(prefix="difftest-static-"))
STATIC = ROOT / "static"
TEMPLATES = ROOT / "templates"
FILES = {
    "a.txt": b"hello static\n",
    "style.css": b"body { color: teal }\n",
    "style.css.gz": gzip.compress(b"body { color: teal }\n", mtime=0),
    "script.js": b"console.log(1)\n",
    "data.bin": bytes(range(256)) * 4,
    "index.html": b"<h1>index</h1>\n",
    "404.html": b"<h1>custom not found</h1>\n",
    "sub/index.html": b"<h1>sub index</h1>\n",
    "sub/page.html": b"<h1>sub page</h1>\n",
    "empty/.keep": b"",
    "caf\u00e9 menu.txt": b"unicode name\n",
    "no-extension": b"no extension\n",
}
for _name, _content in FILES.items():
    _path = STATIC / _name
    _path.parent.mkdir(parents=True, exist_ok=True)
    _path.write_bytes(_content)
(ROOT / "outside.txt").write_bytes(b"secret outside\n")
(STATIC / "escape-link.txt").symlink_to(ROOT / "outside.txt")
(STATIC / "inside-link.txt").symlink_to(STATIC / "a.txt")
(STATIC / "loop-a").symlink_to(STATIC / "loop-b")
(STATIC / "loop-b").symlink_to(STATIC / "loop-a")
for _path in [ROOT, *ROOT.rglob("*")]:
    os.utime(_path, (1_700_000_000, 1_700_000_000), follow_symlinks=False)

# --------------------------------------------------------------------------- helpers

REPLAY = b"x-difftest-replay"


def replay(app: App) -> App:
    """``app`` where a request with ``x-difftest-replay: <header>`` is sent twice.

    First as a plain GET whose answer is dropped, to learn the value of ``<header>``
    (``etag`` or ``last-modified``); then as the request itself with ``if-none-match`` (for
    an ETag) or ``if-modified-since`` set to that value, or ``if-range`` next to a Range.
    """

    async def wrapped(scope: Any, receive: Any, send: Any) -> None:
        headers = dict(scope.get("headers", []))
        wanted = headers.get(REPLAY)
        if scope["type"] != "http" or wanted is None:
            await app(scope, receive, send)
            return
        first: list[Message] = []

        async def no_body() -> Message:
            return {"type": "http.request", "body": b"", "more_body": False}

        async def keep(message: Message) -> None:
            first.append(message)

        plain = [(k, v) for k, v in scope["headers"] if k != REPLAY]
        await app({**scope, "method": "GET", "headers": plain}, no_body, keep)
        start = next(m for m in first if m["type"] == "http.response.start")
        value = dict(start["headers"]).get(wanted.split(b":")[0], b"missing")
        target = {
            b"etag": b"if-none-match",
            b"last-modified": b"if-modified-since",
            b"etag:if-range": b"if-range",
            b"etag:if-match": b"if-match",
        }[wanted]
        await app({**scope, "headers": [*plain, (target, value)]}, receive, send)

    return wrapped


def again(path: str, header: str, *more: tuple[str, str], method: str = "GET") -> HTTPRequest:
    return HTTPRequest(method=method, path=path, headers=h(("x-difftest-replay", header), *more))


def static_app(mount: str = "/static", **options: Any) -> Callable[[Lib], App]:
    def build(lib: Lib) -> App:
        files = lib.staticfiles.StaticFiles(directory=STATIC, **options)
        mounted = lib.routing.Mount(mount, app=files, name="static")
        return replay(lib.App(routes=[mounted]))

    return build


def _range(path: str, value: str) -> HTTPRequest:
    return get(path, headers=h(("range", value)))


# --------------------------------------------------------------------------- static files

case(
    "static/plain",
    file=get("/static/a.txt"),
    css=get("/static/style.css"),
    css_accepting_gzip=get("/static/style.css", headers=h(("accept-encoding", "gzip"))),
    css_gz_sibling=get("/static/style.css.gz"),
    js=get("/static/script.js"),
    binary=get("/static/data.bin"),
    html_file=get("/static/index.html"),
    unicode_name=get("/static/caf\u00e9 menu.txt", raw_path=b"/static/caf%C3%A9%20menu.txt"),
    no_extension=get("/static/no-extension"),
    nested=get("/static/sub/page.html"),
    head=HTTPRequest(method="HEAD", path="/static/a.txt"),
    post=HTTPRequest(method="POST", path="/static/a.txt"),
    put=HTTPRequest(method="PUT", path="/static/a.txt", body=[b"x"]),
    options=HTTPRequest(method="OPTIONS", path="/static/a.txt"),
    post_missing=HTTPRequest(method="POST", path="/static/missing.txt"),
    missing=get("/static/missing.txt"),
    missing_dir=get("/static/nope/a.txt"),
    directory=get("/static/sub"),
    directory_slash=get("/static/sub/"),
    root=get("/static/"),
    root_no_slash=get("/static"),
    trailing_slash_on_file=get("/static/a.txt/"),
    query=get("/static/a.txt", b"v=3"),
    etag_match=again("/static/a.txt", "etag"),
    etag_match_head=again("/static/a.txt", "etag", method="HEAD"),
    etag_other=get("/static/a.txt", headers=h(("if-none-match", '"other"'))),
    etag_star=get("/static/a.txt", headers=h(("if-none-match", "*"))),
    etag_weak=get("/static/a.txt", headers=h(("if-none-match", 'W/"other", "x"'))),
    modified_since_match=again("/static/a.txt", "last-modified"),
    modified_since_old=get(
        "/static/a.txt", headers=h(("if-modified-since", "Thu, 01 Jan 2015 00:00:00 GMT"))
    ),
    modified_since_future=get(
        "/static/a.txt", headers=h(("if-modified-since", "Thu, 01 Jan 2099 00:00:00 GMT"))
    ),
    modified_since_garbage=get("/static/a.txt", headers=h(("if-modified-since", "yesterday"))),
    etag_and_old_date=again(
        "/static/a.txt", "etag", ("if-modified-since", "Thu, 01 Jan 2015 00:00:00 GMT")
    ),
    range_first=_range("/static/data.bin", "bytes=0-9"),
    range_suffix=_range("/static/data.bin", "bytes=-10"),
    range_open=_range("/static/data.bin", "bytes=1000-"),
    range_multi=_range("/static/data.bin", "bytes=0-1, 10-11"),
    range_unsatisfiable=_range("/static/data.bin", "bytes=5000-6000"),
    range_garbage=_range("/static/data.bin", "bytes=a-b"),
    range_if_range_match=again("/static/data.bin", "etag:if-range", ("range", "bytes=0-3")),
    range_if_range_other=get(
        "/static/data.bin", headers=h(("range", "bytes=0-3"), ("if-range", '"other"'))
    ),
    range_head=HTTPRequest(
        method="HEAD", path="/static/data.bin", headers=h(("range", "bytes=0-3"))
    ),
    dotdot=get("/static/../outside.txt"),
    dotdot_nested=get("/static/sub/../../outside.txt"),
    dotdot_inside=get("/static/sub/../a.txt"),
    dotdot_encoded=get("/static/%2e%2e/outside.txt"),
    dotdot_raw_path=get("/static/../outside.txt", raw_path=b"/static/%2e%2e/outside.txt"),
    absolute=get("/static//etc/passwd"),
    absolute_outside=get("/static/" + str(ROOT / "outside.txt")),
    nul=get("/static/a.txt\x00.png"),
    backslash=get("/static/..\\outside.txt"),
    long_name=get("/static/" + "a" * 300),
    symlink_escape=get("/static/escape-link.txt"),
    symlink_inside=get("/static/inside-link.txt"),
    symlink_loop=get("/static/loop-a"),
    websocket=WebSocketSession(path="/static/a.txt"),
)(static_app())

case(
    "static/html",
    root=get("/"),
    root_head=HTTPRequest(method="HEAD", path="/"),
    root_post=HTTPRequest(method="POST", path="/"),
    index=get("/index.html"),
    directory=get("/sub"),
    directory_query=get("/sub", b"a=1"),
    directory_slash=get("/sub/"),
    page=get("/sub/page.html"),
    page_without_extension=get("/sub/page"),
    missing=get("/missing"),
    missing_head=HTTPRequest(method="HEAD", path="/missing"),
    missing_post=HTTPRequest(method="POST", path="/missing"),
    missing_nested=get("/sub/missing.html"),
    empty_directory=get("/empty/"),
    dotdot=get("/../outside.txt"),
    etag_match=again("/sub/", "etag"),
    https_redirect=get("/sub", scheme="https", headers=h(("host", "example.org"))),
)(static_app("/", html=True))

case(
    "static/html-without-404-page",
    root=get("/"),
    missing=get("/missing"),
)(
    lambda lib: replay(
        lib.App(
            routes=[
                lib.routing.Mount(
                    "/", app=lib.staticfiles.StaticFiles(directory=STATIC / "sub", html=True)
                )
            ]
        )
    )
)

case(
    "static/follow-symlink",
    symlink_escape=get("/static/escape-link.txt"),
    symlink_inside=get("/static/inside-link.txt"),
)(static_app(follow_symlink=True))


def _handled(lib: Lib) -> App:
    """The app's 404 and 405 handlers answer StaticFiles' HTTPExceptions."""

    async def not_found(request: Any, exc: Any) -> Any:
        return lib.responses.PlainTextResponse(f"handled {exc.status_code}", exc.status_code)

    files = lib.staticfiles.StaticFiles(directory=STATIC)
    return lib.App(
        routes=[lib.routing.Mount("/static", app=files)],
        exception_handlers={404: not_found, 405: not_found},
    )


case(
    "static/exception-handlers",
    missing=get("/static/missing.txt"),
    post=HTTPRequest(method="POST", path="/static/a.txt"),
    dotdot=get("/static/../outside.txt"),
    found=get("/static/a.txt"),
)(_handled)

# StaticFiles as the whole application: no exception handler registry in the scope
case(
    "static/bare",
    file=get("/a.txt"),
    missing=get("/missing.txt"),
    post=HTTPRequest(method="POST", path="/a.txt"),
    dotdot=get("/../outside.txt"),
    websocket=WebSocketSession(path="/a.txt"),
)(lambda lib: lib.staticfiles.StaticFiles(directory=STATIC))

case(
    "static/bare-html",
    root=get("/"),
    missing=get("/missing"),
    directory=get("/sub"),
)(lambda lib: lib.staticfiles.StaticFiles(directory=STATIC, html=True))

case("static/config/missing-directory", get=get("/static/a.txt"))(
    lambda lib: lib.staticfiles.StaticFiles(directory=ROOT / "nope")
)
case("static/config/missing-directory-unchecked", get=get("/a.txt"))(
    lambda lib: lib.staticfiles.StaticFiles(directory=ROOT / "nope", check_dir=False)
)
case("static/config/directory-is-a-file", get=get("/a.txt"))(
    lambda lib: lib.staticfiles.StaticFiles(directory=STATIC / "a.txt")
)
case("static/config/missing-package", get=get("/a.txt"))(
    lambda lib: lib.staticfiles.StaticFiles(packages=["difftest_no_such_package"])
)
case("static/config/nothing", get=get("/a.txt"))(lambda lib: lib.staticfiles.StaticFiles())


# --------------------------------------------------------------------------- templates

TEMPLATE_FILES = {
    "page.html": (
        "<h1>{{ title }}</h1><p>{{ site }} {{ request.url.path }} {{ request.method }}</p>"
        "<a href=\"{{ url_for('user', name='ada lovelace') }}\">ada</a>"
        "<link href=\"{{ url_for('static', path='/a.txt') }}\">"
    ),
    "plain.txt": "{{ text }}",
    "escape.html": "{{ text }}|{{ text|safe }}",
    "escape.xml": "<x>{{ text }}</x>",
    "mounted.html": "{{ url_for('admin:user', name='x') }} {{ request.url }}",
    "broken.html": "{{ missing_function() }}",
    "syntax.html": "{% if %}",
    "include.html": "{% include 'plain.txt' %}!",
}
for _name, _text in TEMPLATE_FILES.items():
    (TEMPLATES / _name).parent.mkdir(parents=True, exist_ok=True)
    (TEMPLATES / _name).write_text(_text)


def neutral_debug(app: App) -> App:
    """``app`` with ``http.response.debug`` info made of names and plain values."""

    def plain(value: Any) -> Any:
        if isinstance(value, str | int | float | bool | type(None)):
            return value
        if isinstance(value, list | tuple):
            return [plain(v) for v in value]
        if isinstance(value, dict):
            return {k: plain(v) for k, v in value.items()}
        return f"<{type(value).__name__}>"

    async def wrapped(scope: Any, receive: Any, send: Any) -> None:
        async def send_neutral(message: Message) -> None:
            if message["type"] == "http.response.debug":
                info = message["info"]
                message = {
                    "type": message["type"],
                    "info": {
                        "template": getattr(info.get("template"), "name", None),
                        "context": plain(info.get("context")),
                    },
                }
            await send(message)

        await app(scope, receive, send_neutral)

    return wrapped


def _site(request: Any) -> dict[str, Any]:
    return {"site": "Site", "path_in_processor": request.url.path}


def templates_app(make: Callable[[Lib], Any]) -> Callable[[Lib], App]:
    """The template routes, rendered by the ``Jinja2Templates`` that ``make(lib)`` returns."""

    def build(lib: Lib) -> App:
        templates = make(lib)
        responses = lib.responses
        logged: list[str] = []

        async def page(request: Any) -> Any:
            return templates.TemplateResponse(request, "page.html", {"title": "<T & t>"})

        async def status(request: Any) -> Any:
            return templates.TemplateResponse(
                request,
                "plain.txt",
                {"text": "created"},
                status_code=201,
                headers={"x-a": "1", "cache-control": "no-store"},
            )

        async def media(request: Any) -> Any:
            return templates.TemplateResponse(
                request, "escape.html", {"text": "<b>"}, media_type="text/plain"
            )

        async def xml(request: Any) -> Any:
            return templates.TemplateResponse(
                request, "escape.xml", {"text": "<&>"}, media_type="application/xml"
            )

        async def text(request: Any) -> Any:
            return templates.TemplateResponse(request, "plain.txt", {"text": "<&> é"})

        async def escape(request: Any) -> Any:
            return templates.TemplateResponse(request, "escape.html", {"text": "<i>'\"&"})

        async def no_context(request: Any) -> Any:
            return templates.TemplateResponse(request, "plain.txt")

        async def override_request(request: Any) -> Any:
            return templates.TemplateResponse(
                request, "plain.txt", {"request": request, "text": "x"}
            )

        async def foreign_request(request: Any) -> Any:
            return templates.TemplateResponse(request, "plain.txt", {"request": "x", "text": "y"})

        async def processor_wins(request: Any) -> Any:
            return templates.TemplateResponse(
                request, "page.html", {"title": "t", "site": "from endpoint"}
            )

        async def missing(request: Any) -> Any:
            return templates.TemplateResponse(request, "nope.html")

        async def broken(request: Any) -> Any:
            return templates.TemplateResponse(request, "broken.html")

        async def syntax(request: Any) -> Any:
            return templates.TemplateResponse(request, "syntax.html")

        async def include(request: Any) -> Any:
            return templates.TemplateResponse(request, "include.html", {"text": "inc"})

        async def background(request: Any) -> Any:
            task = lib.background.BackgroundTask(logged.append, "done")
            return templates.TemplateResponse(request, "plain.txt", {"text": "bg"}, background=task)

        async def get_template(request: Any) -> Any:
            template = templates.get_template("plain.txt")
            return responses.PlainTextResponse(template.render(text="direct"))

        async def old_form(request: Any) -> Any:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")  # ours warns: the form is deprecated
                return templates.TemplateResponse("plain.txt", {"request": request, "text": "old"})

        async def user(request: Any) -> Any:
            return responses.PlainTextResponse(request.path_params["name"])

        async def mounted(request: Any) -> Any:
            return templates.TemplateResponse(request, "mounted.html")

        R = lib.routing.Route
        return neutral_debug(
            lib.App(
                routes=[
                    R("/page", page, methods=["GET", "HEAD", "POST"]),
                    R("/status", status),
                    R("/media", media),
                    R("/xml", xml),
                    R("/text", text),
                    R("/escape", escape),
                    R("/no-context", no_context),
                    R("/override-request", override_request),
                    R("/processor-wins", processor_wins),
                    R("/foreign-request", foreign_request),
                    R("/missing", missing),
                    R("/broken", broken),
                    R("/syntax", syntax),
                    R("/include", include),
                    R("/background", background),
                    R("/get-template", get_template),
                    R("/old-form", old_form),
                    R("/users/{name}", user, name="user"),
                    lib.routing.Mount(
                        "/admin",
                        routes=[R("/users/{name}", user, name="user"), R("/m", mounted)],
                        name="admin",
                    ),
                    lib.routing.Mount(
                        "/static", lib.staticfiles.StaticFiles(directory=STATIC), name="static"
                    ),
                ]
            )
        )

    return build


DEBUG: dict[str, Any] = {"http.response.debug": {}}
TEMPLATE_EXCHANGES: dict[str, Any] = {
    "page": get("/page"),
    "page_head": HTTPRequest(method="HEAD", path="/page"),
    "page_post": HTTPRequest(method="POST", path="/page"),
    "page_root_path": get("/app/page", root_path="/app"),
    "page_https_host": get("/page", scheme="https", headers=h(("host", "example.org:8443"))),
    "page_debug": get("/page", extensions=DEBUG),
    "status_headers": get("/status"),
    "status_headers_debug": get("/status", extensions=DEBUG),
    "media_type": get("/media"),
    "xml": get("/xml"),
    "text": get("/text"),
    "escape": get("/escape"),
    "no_context": get("/no-context"),
    "no_context_debug": get("/no-context", extensions=DEBUG),
    "override_request": get("/override-request"),
    "processor_wins": get("/processor-wins"),
    "foreign_request": get("/foreign-request"),
    "foreign_request_debug": get("/foreign-request", extensions=DEBUG),
    "missing_template": get("/missing"),
    "broken_template": get("/broken"),
    "syntax_error": get("/syntax"),
    "include": get("/include"),
    "background": get("/background"),
    "get_template": get("/get-template"),
    "old_form": get("/old-form"),
    "mounted": get("/admin/m"),
}

case("templates/directory", **TEMPLATE_EXCHANGES)(
    templates_app(
        lambda lib: lib.templating.Jinja2Templates(directory=TEMPLATES, context_processors=[_site])
    )
)

case(
    "templates/directory-list",
    page=get("/page"),
    text=get("/text"),
)(
    templates_app(
        lambda lib: lib.templating.Jinja2Templates(
            directory=[ROOT / "nowhere", str(TEMPLATES)], context_processors=[_site]
        )
    )
)


def _env(lib: Lib) -> Any:
    import jinja2

    env = jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES), autoescape=False)
    return lib.templating.Jinja2Templates(env=env)


case(
    "templates/env",
    page=get("/page"),
    escape=get("/escape"),
    page_debug=get("/page", extensions=DEBUG),
)(templates_app(_env))


def _env_with_url_for(lib: Lib) -> Any:
    import jinja2

    env = jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES), autoescape=True)
    env.globals["url_for"] = lambda route, **params: f"custom:{route}"
    return lib.templating.Jinja2Templates(env=env)


case("templates/env-own-url-for", page=get("/page"))(templates_app(_env_with_url_for))

case("templates/config/neither", page=get("/page"))(
    templates_app(lambda lib: lib.templating.Jinja2Templates())
)


def _both(lib: Lib) -> Any:
    import jinja2

    return lib.templating.Jinja2Templates(directory=TEMPLATES, env=jinja2.Environment())


case("templates/config/both", page=get("/page"))(templates_app(_both))


def _processor_returning_none(lib: Lib) -> Any:
    return lib.templating.Jinja2Templates(
        directory=TEMPLATES, context_processors=[lambda request: None]
    )


case("templates/processor-returns-none", page=get("/page"))(
    templates_app(_processor_returning_none)
)


def _async_processor(lib: Lib) -> Any:
    async def site(request: Any) -> dict[str, Any]:
        await anyio.lowlevel.checkpoint()
        return {"site": "Async site"}

    return lib.templating.Jinja2Templates(directory=TEMPLATES, context_processors=[site])


case("templates/async-processor", page=get("/page"))(templates_app(_async_processor))


def _async_env(lib: Lib) -> Any:
    import jinja2

    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES), autoescape=True, enable_async=True
    )
    return lib.templating.Jinja2Templates(env=env)


case("templates/async-env", page=get("/page"), text=get("/text"))(templates_app(_async_env))
