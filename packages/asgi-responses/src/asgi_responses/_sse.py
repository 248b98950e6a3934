"""Server-Sent Events: ``ServerSentEvent`` and ``EventSourceResponse``."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from typing import Any

import anyio

from asgi_core import BackgroundTask
from asgi_core.types import Send
from asgi_responses._beside import run_beside
from asgi_responses._streaming import ContentStream, StreamingResponse
from asgi_responses._watch import past_watches

__all__ = ["EventSourceResponse", "ServerSentEvent"]


def _lines(text: str) -> list[str]:
    """Split on CRLF, CR or LF, keeping a trailing empty line (it is data too)."""
    return text.replace("\r\n", "\n").replace("\r", "\n").split("\n")


def _single_line(name: str, value: str) -> str:
    if "\n" in value or "\r" in value or (name == "id" and "\0" in value):
        raise ValueError(f"A server-sent event {name} cannot contain line breaks, got {value!r}.")
    return value


def _retry(value: object) -> int:
    if type(value) is not int or value < 0:
        raise ValueError(f"retry must be a non-negative number of milliseconds, got {value!r}.")
    return value


def _text(data: Any) -> str:
    if isinstance(data, str):
        return data
    if isinstance(data, (bytes, bytearray, memoryview)):
        return bytes(data).decode("utf-8")
    return json.dumps(data, separators=(",", ":"), ensure_ascii=False)


class ServerSentEvent:
    """One event of an ``text/event-stream``.

    ``data`` is sent as ``data:`` lines (a ``str`` as is, ``bytes`` decoded as UTF-8, any
    other value as compact JSON); multi-line data becomes several ``data:`` lines, which
    the browser joins back with ``\\n``. ``event``, ``id`` and ``retry`` (milliseconds) set
    the matching fields; ``comment`` adds ``:`` lines, which clients ignore.
    """

    __slots__ = ("comment", "data", "event", "id", "retry")

    def __init__(
        self,
        data: Any = None,
        event: str | None = None,
        id: str | int | None = None,
        retry: int | None = None,
        comment: str | None = None,
    ) -> None:
        self.data = data
        self.event = _single_line("event", event) if event is not None else None
        self.id = _single_line("id", str(id)) if id is not None else None
        self.retry = _retry(retry) if retry is not None else None
        self.comment = comment

    def encode(self) -> bytes:
        """The event in the ``text/event-stream`` format, blank line included."""
        lines: list[str] = []
        if self.comment is not None:
            lines.extend(f": {line}" for line in _lines(self.comment))
        if self.id is not None:
            lines.append(f"id: {self.id}")
        if self.event is not None:
            lines.append(f"event: {self.event}")
        if self.retry is not None:
            lines.append(f"retry: {self.retry}")
        if self.data is not None:
            lines.extend(f"data: {line}" for line in _lines(_text(self.data)))
        return ("\n".join(lines) + "\n\n").encode()  # UTF-8; no codec name to look up

    def __repr__(self) -> str:
        fields = ", ".join(
            f"{name}={getattr(self, name)!r}"
            for name in ("data", "event", "id", "retry", "comment")
            if getattr(self, name) is not None
        )
        return f"{self.__class__.__name__}({fields})"


def _encode(item: Any) -> bytes:
    """``_event(item).encode()``, with one line of text written out (the common item)."""
    if type(item) is str and "\n" not in item and "\r" not in item:
        return f"data: {item}\n\n".encode()
    return _event(item).encode()


def _event(item: Any) -> ServerSentEvent:
    if isinstance(item, ServerSentEvent):
        return item
    if isinstance(item, Mapping):
        return ServerSentEvent(**item)
    return ServerSentEvent(data=item)


class EventSourceResponse(StreamingResponse):
    """Stream Server-Sent Events from a sync or async iterable.

    Items may be :class:`ServerSentEvent`, mappings of its arguments, or plain data. When
    nothing was sent for ``ping`` seconds (15 by default; ``None`` disables) a comment line
    is sent so that proxies keep the connection open. ``Cache-Control: no-cache`` and
    ``X-Accel-Buffering: no`` (nginx) are set unless given. When the client disconnects,
    the iterator is closed: below ASGI 2.4 streaming ends quietly, from 2.4 on (where the
    server says so by an ``OSError`` from ``send``) as ``ClientDisconnect``, as for
    :class:`StreamingResponse`.
    """

    media_type = "text/event-stream"

    def __init__(
        self,
        content: ContentStream,
        status_code: int = 200,
        headers: Mapping[str, str] | None = None,
        media_type: str | None = None,
        background: BackgroundTask | None = None,
        ping: float | None = 15,
        ping_message_factory: Callable[[], ServerSentEvent] | None = None,
    ) -> None:
        if ping is not None and ping <= 0:
            raise ValueError(f"ping must be a positive number of seconds or None, got {ping!r}.")
        super().__init__(content, status_code, headers, media_type, background)
        self.headers.setdefault("cache-control", "no-cache")
        self.headers.setdefault("x-accel-buffering", "no")
        self.ping_interval = ping
        self.ping_message_factory = ping_message_factory or (
            lambda: ServerSentEvent(comment="ping")
        )

    async def stream_response(self, send: Send) -> None:
        """Send the start, each event as it comes, pings in the silences, then the end."""
        await send(
            {"type": "http.response.start", "status": self.status_code, "headers": self.raw_headers}
        )
        send = past_watches(send)  # a call less per event for every watch on the start
        interval = self.ping_interval
        if interval is None:
            # nothing else sends: each event goes straight out
            async for item in self.body_iterator:
                await send({"type": "http.response.body", "body": _encode(item), "more_body": True})
        else:
            await self._stream_with_pings(send, interval)
        await send({"type": "http.response.body", "body": b"", "more_body": False})

    async def _stream_with_pings(self, send: Send, interval: float) -> None:
        """The events, and a ping whenever nothing was sent for ``interval`` seconds.

        The two senders take turns: one that finds a message on its way waits until it is
        sent (``send`` is never entered twice at once). That is a flag rather than a lock,
        and a waiting sender's event is made only when one has to wait: a lock would add a
        scheduling point (an event-loop round) to every event.
        """
        last_sent = anyio.current_time()
        sending = False
        sent: anyio.Event | None = None  # set once the message on its way is sent

        async def send_body(data: bytes) -> None:
            nonlocal last_sent, sending, sent
            while sending:  # the other sender's message is on its way (one waits at most)
                sent = anyio.Event()
                await sent.wait()
            sending = True
            try:
                await send({"type": "http.response.body", "body": data, "more_body": True})
            finally:
                sending = False
                if sent is not None:
                    sent.set()
                    sent = None
            last_sent = anyio.current_time()

        async def pinger() -> None:
            while True:
                silence = anyio.current_time() - last_sent
                if silence < interval:
                    await anyio.sleep(interval - silence)
                else:
                    await send_body(self.ping_message_factory().encode())

        async def events() -> None:
            async for item in self.body_iterator:
                await send_body(_encode(item))

        await run_beside(events, pinger)
