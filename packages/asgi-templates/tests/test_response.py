"""_TemplateResponse: the ASGI messages it sends, the debug extension, deferred rendering."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import jinja2
import pytest

from asgi_core import Request
from asgi_core.types import ASGIApp, Message, Scope
from asgi_responses import HTMLResponse
from asgi_templates import Jinja2Templates, _TemplateResponse
from asgi_testing import TestClient, WebSocketDenialResponse

Call = Callable[[ASGIApp, Scope], Awaitable[list[Message]]]

ENV = jinja2.Environment(
    loader=jinja2.DictLoader(
        {"page.html": "{{ request.method if request is defined }} {{ value }}"}
    ),
    autoescape=True,
)
ASYNC_ENV = jinja2.Environment(
    loader=jinja2.DictLoader({"page.html": "{{ value }}"}), enable_async=True
)


def test_it_is_an_html_response_with_template_and_context() -> None:
    template = ENV.get_template("page.html")
    context: dict[str, Any] = {"value": "<x>"}
    response = _TemplateResponse(template, context, status_code=202, headers={"A": "b"})
    assert isinstance(response, HTMLResponse)
    assert (response.template, response.context) == (template, context)
    assert response.body == b" &lt;x&gt;"
    assert response.status_code == 202
    assert response.raw_headers == [
        (b"a", b"b"),
        (b"content-length", b"10"),
        (b"content-type", b"text/html; charset=utf-8"),
    ]


@pytest.mark.anyio
async def test_the_debug_message_comes_first_when_the_server_offers_it(
    call: Call, make_scope: Callable[..., Scope]
) -> None:
    scope = make_scope(extensions={"http.response.debug": {}})
    request = Request(scope)
    response = Jinja2Templates(env=ENV).TemplateResponse(request, "page.html", {"value": 1})
    debug, start, body = await call(response, scope)
    assert debug == {
        "type": "http.response.debug",
        "info": {"template": response.template, "context": {"value": 1, "request": request}},
    }
    assert debug["info"]["context"] is response.context
    assert start == {
        "type": "http.response.start",
        "status": 200,
        "headers": [(b"content-length", b"5"), (b"content-type", b"text/html; charset=utf-8")],
    }
    assert body == {"type": "http.response.body", "body": b"GET 1"}


@pytest.mark.anyio
@pytest.mark.parametrize("extensions", [None, {}, {"http.response.trailers": {}}])
async def test_no_debug_message_unless_the_server_offers_it(
    call: Call, make_scope: Callable[..., Scope], extensions: dict[str, Any] | None
) -> None:
    scope = make_scope() if extensions is None else make_scope(extensions=extensions)
    response = _TemplateResponse(ENV.get_template("page.html"), {"value": 2})
    messages = await call(response, scope)
    assert [message["type"] for message in messages] == [
        "http.response.start",
        "http.response.body",
    ]
    assert messages[1]["body"] == b" 2"


@pytest.mark.anyio
async def test_deferred_rendering_happens_once_when_sent(
    call: Call, make_scope: Callable[..., Scope]
) -> None:
    response = _TemplateResponse(ASYNC_ENV.get_template("page.html"), {"value": "later"})
    assert response.body == b""
    assert response.raw_headers[0] == (b"content-length", b"0")
    scope = make_scope(extensions={"http.response.debug": {}})
    first = await call(response, scope)
    assert response.body == b"later"
    assert first[1]["headers"][0] == (b"content-length", b"5")
    response.context["value"] = "changed"  # not rendered again
    second = await call(response, scope)
    assert second[2]["body"] == b"later"


def test_the_test_client_shows_template_and_context(client: Callable[..., TestClient]) -> None:
    templates = Jinja2Templates(env=ENV)

    async def app(scope: Scope, receive: Any, send: Any) -> None:
        request = Request(scope, receive)
        response = templates.TemplateResponse(request, "page.html", {"value": "v"})
        await response(scope, receive, send)

    response = client(app).get("/")
    assert response.text == "GET v"
    assert response.template is templates.get_template("page.html")  # type: ignore[attr-defined]
    assert response.context["value"] == "v"  # type: ignore[attr-defined]
    assert isinstance(response.context["request"], Request)  # type: ignore[attr-defined]


def test_a_websocket_scope_gets_a_denial_response(client: Callable[..., TestClient]) -> None:
    templates = Jinja2Templates(env=ENV)

    async def app(scope: Scope, receive: Any, send: Any) -> None:
        await receive()  # websocket.connect
        request = Request({**scope, "type": "http", "method": "GET"})
        response = templates.TemplateResponse(request, "page.html", status_code=403)
        await response(scope, receive, send)

    with pytest.raises(WebSocketDenialResponse) as caught, client(app).websocket_connect("/"):
        pass  # pragma: no cover - the connection is refused
    assert (caught.value.status_code, caught.value.content) == (403, b"GET ")
