"""Sending a response body until it ends or the client goes away."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from asgi_core import shared_receive
from asgi_core.types import Message, Receive, Scope, Send
from asgi_responses._beside import run_beside

__all__ = ["until_disconnect"]


class _ClientGone(Exception):
    """``send`` raised ``OSError``: the connection is closed (ASGI 2.4)."""


def _guarded(send: Send) -> Send:
    """``send``, with its ``OSError`` turned into :class:`_ClientGone`.

    Only a failing ``send`` means the client left: an ``OSError`` of the body producer (a
    missing file in the application's generator, a disk error) is an error to report.
    """

    async def guarded_send(message: Message) -> None:
        try:
            await send(message)
        except OSError as exc:
            raise _ClientGone from exc

    return guarded_send


def watches_receive(scope: Scope) -> bool:
    """Whether a streaming response must watch ``receive`` for ``http.disconnect``.

    From ASGI spec version 2.4 on, servers raise ``OSError`` from ``send`` once the
    client is gone, so watching is not needed; below it, it is the only way to know.
    """
    version = scope.get("asgi", {}).get("spec_version", "2.0")
    try:
        major, minor = (int(part) for part in version.split(".")[:2])
    except ValueError:
        return True  # an unreadable version: assume the oldest behaviour
    return (major, minor) < (2, 4)


async def until_disconnect(
    send_body: Callable[[Send], Awaitable[None]], scope: Scope, receive: Receive, send: Send
) -> bool:
    """Run ``send_body(send)`` until it completes or the client disconnects.

    Returns ``True`` when the body was sent completely, ``False`` when the client went
    away first: ``send`` raised ``OSError``, or (below ASGI 2.4, see
    :func:`watches_receive`) ``http.disconnect`` arrived, which cancels ``send_body``.
    Watching goes through :func:`asgi_core.shared_receive`, so a body that streams the
    request (``StreamingResponse(request.stream())``) still gets every body message. Any
    other exception of ``send_body`` is raised as itself.
    """
    guarded = _guarded(send)
    try:
        if not watches_receive(scope):
            await send_body(guarded)
            return True
        shared = shared_receive(scope, receive)
        return await run_beside(lambda: send_body(guarded), shared.wait_for_disconnect)
    except _ClientGone:
        return False
