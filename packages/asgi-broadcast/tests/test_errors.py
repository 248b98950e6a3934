"""The exceptions: what each one is a kind of."""

from __future__ import annotations

from asgi_broadcast import (
    BroadcastConnectionError,
    BroadcastError,
    BroadcastReconnected,
    InvalidEventId,
)


def test_hierarchy() -> None:
    assert issubclass(BroadcastError, RuntimeError)
    assert issubclass(BroadcastConnectionError, BroadcastError)
    assert issubclass(BroadcastReconnected, BroadcastError)
    assert not issubclass(BroadcastReconnected, BroadcastConnectionError)
    assert issubclass(InvalidEventId, ValueError)


def test_reconnected_says_what_happened() -> None:
    notice = BroadcastReconnected(("chat",), 3.25)
    assert (notice.channels, notice.down_for) == (("chat",), 3.25)
    assert str(notice).startswith("the broadcast backend reconnected after 3.2s without a")
    assert "events published to 'chat' meanwhile may be missing" in str(notice)
