"""``WebSocketDisconnected``: the connection can no longer be used that way."""

from __future__ import annotations

__all__ = ["WebSocketDisconnected"]


class WebSocketDisconnected(RuntimeError):
    """Raised when a WebSocket is used in a state where it cannot be, as Starlette 1.7+ does.

    Sending after the application sent its close (or a denial response), receiving after
    the client's disconnect message, and ``receive_text``/``receive_bytes``/``receive_json``
    before ``accept()`` or after the close raise it. It is a ``RuntimeError``, so code
    catching that keeps working. A client that goes away is reported differently: receiving
    its disconnect message raises :class:`~asgi_websockets.WebSocketDisconnect`.
    """
