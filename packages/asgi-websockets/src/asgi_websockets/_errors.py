"""``WebSocketDisconnected`` (the connection can no longer be used that way) and
``WebSocketMessageTooBig`` (a message over the size limit closed it)."""

from __future__ import annotations

from asgi_core import WebSocketDisconnect

__all__ = ["WebSocketDisconnected", "WebSocketMessageTooBig"]


class WebSocketDisconnected(RuntimeError):
    """Raised when a WebSocket is used in a state where it cannot be, as Starlette 1.7+ does.

    Sending after the application sent its close (or a denial response), receiving after
    the client's disconnect message, and ``receive_text``/``receive_bytes``/``receive_json``
    before ``accept()`` or after the close raise it. It is a ``RuntimeError``, so code
    catching that keeps working. A client that goes away is reported differently: receiving
    its disconnect message raises :class:`~asgi_websockets.WebSocketDisconnect`.
    """


class WebSocketMessageTooBig(WebSocketDisconnect):
    """A message over ``max_message_size``: the connection was closed with 1009.

    A :class:`~asgi_websockets.WebSocketDisconnect` (code 1009), so code that handles a
    departed client handles it too. The WebSocket already sent its close, so
    ``websocket_session`` (asgi-routing) ends the session quietly when it escapes the
    endpoint instead of passing it to the server as an error.
    """
