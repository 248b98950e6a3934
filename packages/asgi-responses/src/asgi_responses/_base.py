"""``Response``: a status, headers and a body, sent as an ASGI application."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any, ClassVar, Literal

from asgi_core import BackgroundTask, MutableHeaders
from asgi_core.types import Message, Receive, Scope, Send
from asgi_responses._cookie import cookie_header

__all__ = ["Response", "content_type_header", "websocket_denial_send"]

_RawHeaders = list[tuple[bytes, bytes]]
_CONTENT_TYPES: dict[tuple[str, str], tuple[bytes, bytes]] = {}
#: At most this many (media type, charset) pairs are cached. Media types may come from
#: requests (a file name's extension, a negotiated type), so the cache must not grow
#: without bound; an application uses a handful, which are cached first.
_CONTENT_TYPES_MAX = 256


def content_type_header(media_type: str, charset: str) -> tuple[bytes, bytes]:
    """The ``content-type`` header for ``media_type``, with ``charset`` added to ``text/*``.

    Computed once per (media type, charset) and reused (up to
    256 pairs): this runs for every response.
    """
    key = (media_type, charset)
    header = _CONTENT_TYPES.get(key)
    if header is None:
        value = media_type
        if media_type.startswith("text/") and "charset=" not in media_type.lower():
            value = f"{media_type}; charset={charset}"
        header = (b"content-type", value.encode("latin-1"))
        if len(_CONTENT_TYPES) < _CONTENT_TYPES_MAX:
            _CONTENT_TYPES[key] = header
    return header


def websocket_denial_send(send: Send) -> Send:
    """Wrap ``send`` so that HTTP response messages become WebSocket denial messages."""

    async def denial_send(message: Message) -> None:
        # responses only send "http.response.start" and "http.response.body" here
        await send({**message, "type": "websocket." + message["type"]})

    return denial_send


class Response:
    """An HTTP response: ``await response(scope, receive, send)`` sends it.

    ``content`` may be ``str`` (encoded with :attr:`charset`), ``bytes``, ``memoryview`` or
    ``None``; :meth:`render` can be overridden to accept other types. ``content-length`` and
    ``content-type`` (with ``; charset=utf-8`` for ``text/*``) are added unless given in
    ``headers``. ``background`` runs after the body is sent. On a ``websocket`` scope the
    response is sent as a WebSocket denial response.
    """

    media_type: ClassVar[str | None] = None
    charset: ClassVar[str] = "utf-8"

    # Per-class facts computed once (see __init_subclass__), so that building a response
    # does no work that does not depend on it. The content-type header remembers the
    # media_type and charset it was made from: assigning either on the class later is
    # noticed (an identity check) and the header made again.
    _content_type: ClassVar[tuple[bytes, bytes] | None] = None
    _content_type_of: ClassVar[tuple[str | None, str]] = (None, "utf-8")
    _default_render: ClassVar[bool] = True
    _default_headers: ClassVar[bool] = True  # init_headers() is not overridden

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        cls._default_render = cls.render is Response.render
        cls._default_headers = cls.init_headers is Response.init_headers
        cls._class_content_type()

    @classmethod
    def _class_content_type(cls) -> tuple[bytes, bytes] | None:
        """The ``content-type`` header of the class's ``media_type`` and ``charset``."""
        media_type, charset = cls.media_type, cls.charset
        made_of = cls._content_type_of
        if made_of[0] is not media_type or made_of[1] is not charset:
            cls._content_type = (
                content_type_header(media_type, charset) if media_type is not None else None
            )
            cls._content_type_of = (media_type, charset)
        return cls._content_type

    def __init__(
        self,
        content: Any = None,
        status_code: int = 200,
        headers: Mapping[str, str] | None = None,
        media_type: str | None = None,
        background: BackgroundTask | None = None,
    ) -> None:
        self.status_code = status_code
        self.background = background
        if media_type is not None:
            self.media_type = media_type  # type: ignore[misc]
        if self._default_render and type(content) is str:
            body: bytes | memoryview = content.encode(self.charset)
        else:
            body = self.render(content)
        self.body = body
        if (
            headers is None
            and media_type is None
            and self._default_headers
            and (status_code == 200 or (status_code > 200 and status_code not in (204, 304)))
        ):
            # the common case, written out: same result as init_headers()
            made_of = self._content_type_of
            if made_of[0] is self.media_type and made_of[1] is self.charset:
                content_type = self._content_type
            else:
                content_type = self._class_content_type()
            if content_type is None:
                self.raw_headers = [(b"content-length", b"%d" % len(body))]
            else:
                self.raw_headers = [(b"content-length", b"%d" % len(body)), content_type]
            return
        self.init_headers(headers)

    def render(self, content: Any) -> bytes | memoryview:
        """Turn ``content`` into the body bytes.

        A ``memoryview`` is sent as it is when it is a contiguous run of bytes; one of items
        wider than a byte (``array("i")``, numpy data) is viewed as bytes, so that
        ``content-length`` counts bytes, not items; a non-contiguous one (``view[::2]``) is
        copied into ``bytes``, since servers can only write contiguous buffers.
        """
        if content is None:
            return b""
        if isinstance(content, bytes):
            return content
        if isinstance(content, memoryview):
            if not content.c_contiguous:
                return content.tobytes()
            if content.itemsize == 1 and content.ndim == 1:
                return content
            return content.cast("B")
        encoded: bytes = content.encode(self.charset)
        return encoded

    def init_headers(self, headers: Mapping[str, str] | None = None) -> None:
        """Build :attr:`raw_headers` from ``headers`` plus content length and type."""
        raw: _RawHeaders
        if headers is None:
            raw = []
            add_length = add_type = True
        else:
            raw = [(k.lower().encode("latin-1"), v.encode("latin-1")) for k, v in headers.items()]
            names = {name for name, _ in raw}
            add_length = b"content-length" not in names
            add_type = b"content-type" not in names
        body = getattr(self, "body", None)
        status = self.status_code
        if add_length and body is not None and status >= 200 and status not in (204, 304):
            raw.append((b"content-length", b"%d" % len(body)))
        media_type = self.media_type
        if add_type and media_type is not None:
            raw.append(content_type_header(media_type, self.charset))
        self.raw_headers = raw

    @property
    def headers(self) -> MutableHeaders:
        """The response headers; changes write through to :attr:`raw_headers`."""
        headers: MutableHeaders | None = self.__dict__.get("_headers")
        if headers is None:
            headers = self.__dict__["_headers"] = MutableHeaders(raw=self.raw_headers)
        return headers

    def set_cookie(
        self,
        key: str,
        value: str = "",
        max_age: int | None = None,
        expires: datetime | str | int | None = None,
        path: str | None = "/",
        domain: str | None = None,
        secure: bool = False,
        httponly: bool = False,
        samesite: Literal["lax", "strict", "none"] | None = "lax",
        partitioned: bool = False,
    ) -> None:
        """Add a ``Set-Cookie`` header (see :func:`~asgi_responses.cookie_header`)."""
        self.raw_headers.append(
            (
                b"set-cookie",
                cookie_header(
                    key,
                    value,
                    max_age=max_age,
                    expires=expires,
                    path=path,
                    domain=domain,
                    secure=secure,
                    httponly=httponly,
                    samesite=samesite,
                    partitioned=partitioned,
                ).encode("latin-1"),
            )
        )

    def delete_cookie(
        self,
        key: str,
        path: str = "/",
        domain: str | None = None,
        secure: bool = False,
        httponly: bool = False,
        samesite: Literal["lax", "strict", "none"] | None = "lax",
        partitioned: bool = False,
    ) -> None:
        """Expire the cookie ``key`` (same ``path``/``domain``/``partitioned`` as when set)."""
        self.set_cookie(
            key,
            max_age=0,
            expires=0,
            path=path,
            domain=domain,
            secure=secure,
            httponly=httponly,
            samesite=samesite,
            partitioned=partitioned,
        )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "websocket":
            send = websocket_denial_send(send)
        await send(
            {"type": "http.response.start", "status": self.status_code, "headers": self.raw_headers}
        )
        await send({"type": "http.response.body", "body": self.body})
        if self.background is not None:
            await self.background()
