"""Event ids: the Redis Streams form, parsed strictly, made in increasing order."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from asgi_broadcast import InvalidEventId
from asgi_broadcast._ids import EventIds, parse_event_id


@pytest.mark.parametrize(
    ("value", "parsed"),
    [
        ("0-0", (0, 0)),
        ("1718000000000-3", (1718000000000, 3)),
        ("1718000000000", (1718000000000, 0)),
        (f"{2**64 - 1}-{2**64 - 1}", (2**64 - 1, 2**64 - 1)),
    ],
)
def test_valid_ids(value: str, parsed: tuple[int, int]) -> None:
    assert parse_event_id(value) == parsed


@pytest.mark.parametrize(
    "value",
    [
        "",
        "-",
        "1-",
        "-1",
        "1-2-3",
        "a-1",
        " 1-0",
        "1-0\n",
        "\u0661-\u0660",
        f"{2**64}-0",
        f"0-{2**64}",
        5,
    ],
)
def test_invalid_ids_raise_a_value_error_that_says_what_to_do(value: object) -> None:
    with pytest.raises(InvalidEventId, match=r"answer 400") as caught:
        parse_event_id(value)
    assert isinstance(caught.value, ValueError)
    assert repr(value) in str(caught.value)


@given(st.text(max_size=50))
def test_any_text_parses_or_raises_invalid_event_id(value: str) -> None:
    try:
        milliseconds, sequence = parse_event_id(value)
    except InvalidEventId:
        return
    assert value.partition("-")[0].isdigit()
    assert 0 <= milliseconds < 2**64
    assert 0 <= sequence < 2**64


def test_ids_increase_even_when_the_clock_goes_back() -> None:
    now = [5_000_000_000]
    ids = EventIds(lambda: now[0])
    made = [ids.next(), ids.next()]
    now[0] = 4_000_000_000  # one second back
    made.append(ids.next())
    now[0] = 6_000_000_000
    made.append(ids.next())
    assert made == ["5000-0", "5000-1", "5000-2", "6000-0"]
    keys = [parse_event_id(value) for value in made]
    assert keys == sorted(keys)
