from __future__ import annotations

import math
import uuid
from collections.abc import Callable
from typing import Any

import pytest

from asgi_core import Request
from asgi_responses import PlainTextResponse
from asgi_routing import (
    CONVERTOR_TYPES,
    Convertor,
    Host,
    Mount,
    Route,
    Router,
    WebSocketRoute,
    register_url_convertor,
)
from asgi_routing._convertors import SEGMENT_CONVERTORS, convert_params
from asgi_testing import TestClient
from asgi_websockets import WebSocket

Client = Callable[..., TestClient]


def test_builtin_conversions() -> None:
    assert CONVERTOR_TYPES["str"].convert("abc") == "abc"
    assert CONVERTOR_TYPES["path"].convert("a/b") == "a/b"
    assert CONVERTOR_TYPES["int"].convert("0042") == 42
    assert CONVERTOR_TYPES["float"].convert("1.5") == 1.5
    value = uuid.uuid4()
    assert CONVERTOR_TYPES["uuid"].convert(str(value)) == value


def test_to_string() -> None:
    assert CONVERTOR_TYPES["str"].to_string("abc") == "abc"
    assert CONVERTOR_TYPES["path"].to_string("a/b") == "a/b"
    assert CONVERTOR_TYPES["int"].to_string(7) == "7"
    assert CONVERTOR_TYPES["float"].to_string(1.5) == "1.5"
    assert CONVERTOR_TYPES["float"].to_string(2.0) == "2"
    value = uuid.UUID("12345678-1234-5678-1234-567812345678")
    assert CONVERTOR_TYPES["uuid"].to_string(value) == "12345678-1234-5678-1234-567812345678"


@pytest.mark.parametrize(
    ("kind", "value", "message"),
    [
        ("str", "a/b", "May not contain path separators"),
        ("str", "", "Must not be empty"),
        ("int", -1, "Negative integers are not supported"),
        ("float", -1.0, "Negative floats are not supported"),
        ("float", math.nan, "NaN values are not supported"),
        ("float", math.inf, "Infinite values are not supported"),
    ],
)
def test_to_string_refuses(kind: str, value: Any, message: str) -> None:
    with pytest.raises(AssertionError, match=message):
        CONVERTOR_TYPES[kind].to_string(value)


def test_only_builtin_single_segment_convertors_are_indexed() -> None:
    assert {id(CONVERTOR_TYPES[n]) for n in ("str", "int", "float", "uuid")} == set(
        SEGMENT_CONVERTORS
    )
    assert id(CONVERTOR_TYPES["path"]) not in SEGMENT_CONVERTORS


def test_register_a_custom_convertor() -> None:
    class DateConvertor(Convertor[str]):
        regex = "[0-9]{4}-[0-9]{2}-[0-9]{2}"

        def convert(self, value: str) -> str:
            return value.replace("-", "")

        def to_string(self, value: str) -> str:
            return f"{value[:4]}-{value[4:6]}-{value[6:]}"

    register_url_convertor("date", DateConvertor())
    try:
        route = Route("/on/{day:date}", lambda request: None)
        router = Router([route])
        assert router.url_path_for("<lambda>", day="20260102") == "/on/2026-01-02"
        match = route.path_regex.fullmatch("/on/2026-01-02")
        assert match is not None
    finally:
        del CONVERTOR_TYPES["date"]


# --- a parameter its convertor refuses does not match ------------------------------------------

#: more digits than Python turns into an int (sys.get_int_max_str_digits(), 4300 by default)
LONG_NUMBER = "9" * 5000


def test_int_refuses_more_digits_than_python_converts() -> None:
    with pytest.raises(ValueError, match="integer string conversion"):
        CONVERTOR_TYPES["int"].convert(LONG_NUMBER)
    params: dict[str, Any] = {"kept": 1}
    assert not convert_params({"n": LONG_NUMBER}, {"n": CONVERTOR_TYPES["int"]}, params)
    assert convert_params({"n": "12"}, {"n": CONVERTOR_TYPES["int"]}, params)
    assert params == {"kept": 1, "n": 12}


async def _named(request: Request) -> PlainTextResponse:
    return PlainTextResponse(f"name {request.path_params}"[:20])


async def _numbered(request: Request) -> PlainTextResponse:
    return PlainTextResponse(f"number {request.path_params}")


async def _ws_numbered(websocket: WebSocket) -> None:
    await websocket.accept()
    await websocket.send_text(f"number {websocket.path_params}")
    await websocket.close()


async def _ws_named(websocket: WebSocket) -> None:
    await websocket.accept()
    await websocket.send_text("name")
    await websocket.close()


def test_a_number_too_long_for_int_matches_no_int_route(client: Client) -> None:
    app = Router(
        [
            Route("/n/{n:int}", _numbered),
            Mount("/m/{n:int}", routes=[Route("/x", _numbered)]),
            Host("{n:int}.example.org", app=Router([Route("/h", _numbered)])),
            WebSocketRoute("/ws/{n:int}", _ws_numbered),
            Route("/n/{name}", _named),  # the next route that takes the text
            WebSocketRoute("/ws/{name}", _ws_named),
        ]
    )
    test = client(app)
    assert test.get("/n/42").text == "number {'n': 42}"
    assert test.get(f"/n/{LONG_NUMBER}").text == "name {'name': '99999"  # not a 500
    assert test.get("/m/7/x").text == "number {'n': 7}"
    assert test.get(f"/m/{LONG_NUMBER}/x").status_code == 404
    assert test.get("/h", headers={"host": "3.example.org"}).text == "number {'n': 3}"
    assert test.get("/h", headers={"host": f"{LONG_NUMBER}.example.org"}).status_code == 404
    with test.websocket_connect("/ws/5") as session:
        assert session.receive_text() == "number {'n': 5}"
    with test.websocket_connect(f"/ws/{LONG_NUMBER}") as session:
        assert session.receive_text() == "name"


def test_a_custom_convertor_refuses_with_value_error(client: Client) -> None:
    class Even(Convertor[int]):
        regex = "[0-9]+"

        def convert(self, value: str) -> int:
            if int(value) % 2:
                raise ValueError(f"{value} is odd")
            return int(value)

        def to_string(self, value: int) -> str:
            return str(value)

    register_url_convertor("even", Even())
    try:
        app = Router([Route("/e/{n:even}", _numbered)])
        assert client(app).get("/e/4").text == "number {'n': 4}"
        assert client(app).get("/e/5").status_code == 404
    finally:
        del CONVERTOR_TYPES["even"]
