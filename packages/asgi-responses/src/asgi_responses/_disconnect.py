"""Sending a response body until it ends or the client goes away."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from asgi_core import shared_receive
from asgi_core.types import Receive, Scope, Send
from asgi_responses._beside import run_beside

__all__ = ["until_disconnect", "watches_receive"]


#: The answer of :func:`watches_receive` by spec version, for at most this many versions
#: (a server gives one; the bound is for a scope made up by someone else).
_WATCHES_BY_VERSION: dict[str, bool] = {}
_WATCHES_BY_VERSION_MAX = 16


def watches_receive(scope: Scope) -> bool:
    """Whether a streaming response must watch ``receive`` for ``http.disconnect``.

    From ASGI spec version 2.4 on, servers raise ``OSError`` from ``send`` once the
    client is gone, so watching is not needed; below it, it is the only way to know.
    """
    version = scope.get("asgi", {}).get("spec_version", "2.0")
    try:
        return _WATCHES_BY_VERSION[version]  # asked for every streaming response
    except (KeyError, TypeError):
        pass
    try:
        major, minor = (int(part) for part in version.split(".")[:2])
    except ValueError:
        watches = True  # an unreadable version: assume the oldest behaviour
    else:
        watches = (major, minor) < (2, 4)
    if len(_WATCHES_BY_VERSION) < _WATCHES_BY_VERSION_MAX:
        _WATCHES_BY_VERSION[version] = watches
    return watches


async def until_disconnect(
    send_body: Callable[[Send], Awaitable[None]], scope: Scope, receive: Receive, send: Send
) -> bool:
    """Run ``send_body(send)`` until it completes or the client disconnects.

    Returns ``True`` when the body was sent completely, ``False`` when ``http.disconnect``
    arrived first, which cancels ``send_body``; that is watched for only below ASGI 2.4 (see
    :func:`watches_receive`). From 2.4 on the server raises ``OSError`` from ``send`` once
    the client is gone: like every other exception of ``send_body``, it is raised as itself
    (never wrapped in an exception group), and the caller decides what it means. Watching
    goes through :func:`asgi_core.shared_receive`, so a body that streams the request
    (``StreamingResponse(request.stream())``) still gets every body message.
    """
    if not watches_receive(scope):
        await send_body(send)
        return True
    shared = shared_receive(scope, receive)
    return await run_beside(lambda: send_body(send), shared.wait_for_disconnect)
