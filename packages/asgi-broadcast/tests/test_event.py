"""Event: a small value with a readable repr."""

from __future__ import annotations

from asgi_broadcast import Event


def test_event_fields_repr_and_equality() -> None:
    event = Event("chat", "hello", "1-0")
    assert (event.channel, event.message, event.id) == ("chat", "hello", "1-0")
    assert repr(event) == "Event(channel='chat', message='hello', id='1-0')"
    assert event == Event("chat", "hello", "1-0")
    assert event != Event("chat", "hello")
    assert Event("chat", "hello").id is None
    assert event != ("chat", "hello", "1-0")
    assert Event.__hash__ is None
