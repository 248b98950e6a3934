"""``RequestBodyLimitResponder``: the limit, enforced on one request's ``receive``."""

from __future__ import annotations

from typing import Final

from asgi_core import HTTPException
from asgi_core.types import ASGIApp, Message, Receive, Scope, Send
from asgi_middleware_bodylimit._content_length import declared_length
from asgi_middleware_bodylimit._errors import (
    CONTENT_TOO_LARGE,
    InvalidContentLength,
    RequestBodyTooLarge,
    checked_max_body_size,
)
from asgi_responses import PlainTextResponse

__all__ = ["MAX_BODY_SIZE_SCOPE_KEY", "RequestBodyLimitResponder"]

#: The scope key holding the limit in force for the request (``int`` bytes, or ``None``
#: for no limit), as Starlette's; set while the application runs, restored after.
MAX_BODY_SIZE_SCOPE_KEY: Final = "starlette.max_body_size"
#: The responder counting the request's body, so that inner limits retune it.
_RESPONDER_SCOPE_KEY: Final = "asgi_middleware_bodylimit.responder"

_MISSING: Final = object()
_Refusal = tuple[int, str]  # (status, detail) of the answer


class _ResponseSent(Exception):
    """Raised from ``send`` once the responder has answered in the application's place."""


def _error(refusal: _Refusal) -> HTTPException:
    status, detail = refusal
    return RequestBodyTooLarge() if status == 413 else InvalidContentLength(detail)


def _restore(scope: Scope, key: str, previous: object) -> None:
    if previous is _MISSING:
        scope.pop(key, None)
    else:
        scope[key] = previous


def _counting(receive: Receive, active: RequestBodyLimitResponder) -> Receive:
    """``receive`` with the body it delivers counted against the limit in force.

    Inside another responder's request the body may come again from a middleware that
    read it first (``request.body()`` in a ``BaseHTTPMiddleware``): the outer responder
    counted it once, under its own limit; the inner limit applies to what the application
    receives.
    """
    received = 0

    async def counting_receive() -> Message:
        nonlocal received
        message = await receive()
        if message["type"] == "http.request":
            received += len(message.get("body", b""))
            limit = active.max_body_size
            if limit is not None and received > limit:
                active._refused = (413, CONTENT_TOO_LARGE)
                raise RequestBodyTooLarge()
        return message

    return counting_receive


class RequestBodyLimitResponder:
    """Run ``app`` for one HTTP request with its body limited to ``max_body_size`` bytes.

    ``receive`` raises :class:`RequestBodyTooLarge` (413) before reading anything when the
    declared ``Content-Length`` is over the limit, and as soon as the bytes received cross
    it; :class:`InvalidContentLength` (400) when ``Content-Length`` is not a size. A
    response the application starts while the declared length is over the limit (or
    invalid) is replaced by the 413 (400), so an application that never reads the body
    does not answer it either. An error the application lets escape before its response
    started is answered ``413 Content Too Large`` (or the 400's message).

    Inside another responder's request (a route's limit inside the application's), it
    sets the outer responder's limit to its own while ``app`` runs, so the innermost limit
    wins, larger or smaller, and counts what ``app`` receives through it against that
    limit too: a middleware in between may deliver again a body it read first. Once the
    refusal is answered, the error the application raises from it is not raised further.
    ``None`` means no limit.
    """

    __slots__ = (
        "_answered",
        "_declared",
        "_invalid",
        "_parsed",
        "_refused",
        "app",
        "max_body_size",
        "receive",
        "received",
        "scope",
        "send",
        "started",
    )

    def __init__(self, app: ASGIApp, max_body_size: int | None) -> None:
        if type(max_body_size) is not int or max_body_size < 0:
            max_body_size = checked_max_body_size(max_body_size)
        self.app = app
        self.max_body_size = max_body_size
        self.received = 0
        self.started = False
        self._answered = False
        self._parsed = False
        self._declared: int | None = None
        self._invalid: str | None = None
        self._refused: _Refusal | None = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Run the application with the limit; answer 413/400 where it did not."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        previous = scope.get(MAX_BODY_SIZE_SCOPE_KEY, _MISSING)
        scope[MAX_BODY_SIZE_SCOPE_KEY] = self.max_body_size
        active: RequestBodyLimitResponder | None = scope.get(_RESPONDER_SCOPE_KEY)
        if active is not None:
            outer_limit = active.max_body_size
            active.max_body_size = self.max_body_size
            try:
                await self.app(scope, _counting(receive, active), send)
            finally:
                active.max_body_size = outer_limit
                _restore(scope, MAX_BODY_SIZE_SCOPE_KEY, previous)
            return
        self.scope = scope
        self.receive = receive
        self.send = send
        scope[_RESPONDER_SCOPE_KEY] = self
        try:
            await self.app(scope, self.receive_with_limit, self.send_with_limit)
        except _ResponseSent:
            pass
        except (RequestBodyTooLarge, InvalidContentLength):
            refused = self._refused
            if refused is None or self.started:
                raise  # not ours, or too late to answer
            if not self._answered:  # else the refusal is answered already: the error is its echo
                await self._answer(refused)
        finally:
            scope.pop(_RESPONDER_SCOPE_KEY, None)
            _restore(scope, MAX_BODY_SIZE_SCOPE_KEY, previous)

    def _declared_refusal(self) -> _Refusal | None:
        """The answer the declared ``Content-Length`` calls for under the current limit."""
        if not self._parsed:
            self._parsed = True
            try:
                self._declared = declared_length(self.scope["headers"])
            except InvalidContentLength as exc:
                self._invalid = exc.detail
        if self._invalid is not None:
            return (400, self._invalid)
        declared = self._declared
        limit = self.max_body_size
        if declared is not None and limit is not None and declared > limit:
            return (413, CONTENT_TOO_LARGE)
        return None

    async def receive_with_limit(self) -> Message:
        """The application's ``receive``: the server's, with the body counted."""
        refused = self._refused
        if refused is None:
            refused = self._declared_refusal()
        if refused is not None:
            self._refused = refused
            raise _error(refused)
        message = await self.receive()
        if message["type"] == "http.request":
            self.received += len(message.get("body", b""))
            limit = self.max_body_size
            if limit is not None and self.received > limit:
                self._refused = (413, CONTENT_TOO_LARGE)
                raise RequestBodyTooLarge()
        return message

    async def send_with_limit(self, message: Message) -> None:
        """The application's ``send``: a start is replaced while the declared size is refused."""
        if self._answered:
            raise _ResponseSent()
        if not self.started and message["type"] == "http.response.start":
            refused = self._declared_refusal()
            if refused is not None:
                await self._answer(refused)
                raise _ResponseSent()
            self.started = True
        await self.send(message)

    async def _answer(self, refusal: _Refusal) -> None:
        self._answered = True
        status, detail = refusal
        await PlainTextResponse(detail, status_code=status)(self.scope, self.receive, self.send)
