"""``for_starlette``: our responses as Starlette ``Response`` instances (FastAPI interop)."""

from __future__ import annotations

import sys
from typing import Any, cast

import anyio
import pytest
from starlette.background import BackgroundTask as StarletteBackgroundTask
from starlette.responses import Response as StarletteResponse

import asgi_responses._starlette as starlette_module
from asgi_core.types import Message, Scope
from asgi_responses import FileResponse, JSONResponse, Response, for_starlette

HTTP: Scope = {"type": "http", "method": "GET", "headers": []}


async def sent_by(app: Any, scope: Scope = HTTP) -> list[Message]:
    sent: list[Message] = []

    async def receive() -> Message:
        await anyio.sleep_forever()
        raise AssertionError  # pragma: no cover - never reached

    async def send(message: Message) -> None:
        sent.append(message)

    await app(scope, receive, send)
    return sent


def test_the_result_is_a_starlette_response() -> None:
    ours = JSONResponse({"a": 1}, status_code=201, headers={"x-a": "1"})
    adapted = for_starlette(ours)
    assert isinstance(adapted, StarletteResponse)
    assert adapted.status_code == 201
    assert adapted.raw_headers is ours.raw_headers
    assert cast(object, adapted.headers) is ours.headers
    assert adapted.media_type == "application/json"
    assert adapted.charset == "utf-8"
    assert adapted.body == b'{"a":1}'  # other attributes are the wrapped response's
    assert repr(adapted) == f"for_starlette({ours!r})"


def test_assignments_and_cookies_go_to_the_wrapped_response() -> None:
    ours = Response("x")
    adapted = for_starlette(ours)
    adapted.status_code = 418
    task = StarletteBackgroundTask(print)
    adapted.background = task
    adapted.set_cookie("session", "abc", httponly=True)
    adapted.delete_cookie("old")
    assert ours.status_code == 418
    assert cast(object, ours.background) is task
    cookies = [value for name, value in ours.raw_headers if name == b"set-cookie"]
    assert cookies[0] == b"session=abc; HttpOnly; Path=/; SameSite=lax"
    assert cookies[1].startswith(b'old=""; expires=')


def test_private_and_missing_names_are_not_forwarded() -> None:
    adapted = for_starlette(Response("x"))
    with pytest.raises(AttributeError):
        _ = adapted._headers
    with pytest.raises(AttributeError):
        _ = adapted.no_such_attribute  # type: ignore[attr-defined]
    empty = type(adapted).__new__(type(adapted))  # as copy and pickle make them
    with pytest.raises(AttributeError):
        _ = empty.body


@pytest.mark.anyio
async def test_it_sends_the_wrapped_response_unchanged(tmp_path: Any) -> None:
    path = tmp_path / "data.txt"
    path.write_bytes(b"0123456789")
    scope: Scope = {**HTTP, "headers": [(b"range", b"bytes=2-4")]}
    direct = await sent_by(FileResponse(path), scope)
    adapted = await sent_by(for_starlette(FileResponse(path)), scope)
    assert direct[0]["status"] == adapted[0]["status"] == 206
    assert [m.get("body") for m in direct] == [m.get("body") for m in adapted]
    assert dict(direct[0]["headers"]) == dict(adapted[0]["headers"])


def test_a_starlette_response_is_returned_unchanged() -> None:
    theirs = StarletteResponse("x")
    assert for_starlette(theirs) is theirs


def test_without_starlette(monkeypatch: pytest.MonkeyPatch) -> None:
    starlette_module._classes.cache_clear()
    monkeypatch.setitem(sys.modules, "starlette.responses", None)
    try:
        with pytest.raises(ImportError, match=r"pip install 'asgi-responses\[starlette\]'"):
            for_starlette(Response("x"))
    finally:
        starlette_module._classes.cache_clear()
