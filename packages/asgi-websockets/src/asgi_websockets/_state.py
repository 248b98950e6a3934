"""``WebSocketState``: where each side of a WebSocket connection is."""

from __future__ import annotations

import enum

__all__ = ["WebSocketState"]


class WebSocketState(enum.Enum):
    """The state of the client or of the application side of a connection."""

    CONNECTING = 0
    CONNECTED = 1
    DISCONNECTED = 2
    RESPONSE = 3
