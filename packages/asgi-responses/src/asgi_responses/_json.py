"""``JSONResponse`` and pluggable JSON encoders."""

from __future__ import annotations

import json
import json.encoder
from collections.abc import Callable, Mapping
from types import ModuleType
from typing import Any, ClassVar

from asgi_core import BackgroundTask
from asgi_responses._base import Response

__all__ = [
    "JSONEncoder",
    "JSONResponse",
    "build_standard_encoder",
    "orjson_encoder",
    "standard_encoder",
]

#: A function turning a Python value into JSON bytes.
JSONEncoder = Callable[[Any], bytes]

_STANDARD_DOC = """Compact JSON from the standard library: no spaces, UTF-8, NaN/Infinity refused.

The same bytes as Starlette's ``JSONResponse``.
"""


def build_standard_encoder(module: ModuleType = json.encoder) -> JSONEncoder:
    """Build the compact, UTF-8, ``NaN``-refusing encoder once.

    ``json.dumps()`` with non-default arguments builds a new ``JSONEncoder`` on every call,
    and ``JSONEncoder.encode`` builds a new C encoder on every call; this builds the C
    encoder of ``json.encoder`` once (without its circular-reference bookkeeping: a cycle
    ends in ``RecursionError`` instead of ``ValueError``), falling back to the Python
    encoder where the C one is missing.
    """
    encoder = json.JSONEncoder(ensure_ascii=False, allow_nan=False, separators=(",", ":"))
    make = getattr(module, "c_make_encoder", None)
    if make is not None:
        try:
            c_encoder = make(
                None, encoder.default, module.encode_basestring, None, ":", ",", False, False, False
            )
        except TypeError:  # a C encoder with another signature: use the Python one
            pass
        else:

            def encode_c(content: Any) -> bytes:
                return "".join(c_encoder(content, 0)).encode("utf-8")

            encode_c.__doc__ = _STANDARD_DOC
            return encode_c

    def encode_python(content: Any) -> bytes:
        return encoder.encode(content).encode("utf-8")

    encode_python.__doc__ = _STANDARD_DOC
    return encode_python


standard_encoder: JSONEncoder = build_standard_encoder()


def orjson_encoder(content: Any) -> bytes:
    """JSON from orjson (``pip install 'asgi-responses[orjson]'``), several times faster.

    Differences from :func:`standard_encoder`: ``NaN`` and ``Infinity`` become ``null``
    instead of raising; ``datetime``, ``date``, ``time``, ``UUID``, dataclasses and numpy
    arrays are serialised natively; dict keys must be ``str`` (others raise); integers must
    fit in 64 bits; non-``str`` subclasses of ``str``/``int``/``dict`` are serialised as
    their base type. The output is otherwise identical (compact, UTF-8).
    """
    try:
        import orjson
    except ImportError:
        raise ImportError(
            "orjson_encoder needs the orjson library: pip install 'asgi-responses[orjson]'"
        ) from None
    encoded: bytes = orjson.dumps(content)
    return encoded


class JSONResponse(Response):
    """An ``application/json`` response of ``content`` encoded by :attr:`json_encoder`.

    The default encoder produces compact UTF-8 JSON and refuses ``NaN``. Plug another one
    per class (``class Fast(JSONResponse): json_encoder = staticmethod(orjson_encoder)``) or
    for the whole application with :meth:`use_encoder`.
    """

    media_type = "application/json"
    json_encoder: ClassVar[staticmethod[[Any], bytes]] = staticmethod(standard_encoder)

    _default_json_render: ClassVar[bool] = True

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        cls._default_json_render = cls.render is JSONResponse.render

    def __init__(
        self,
        content: Any,
        status_code: int = 200,
        headers: Mapping[str, str] | None = None,
        media_type: str | None = None,
        background: BackgroundTask | None = None,
    ) -> None:
        made_of = self._content_type_of
        if made_of[0] is self.media_type and made_of[1] is self.charset:
            content_type = self._content_type
        else:
            content_type = self._class_content_type()
        if (
            status_code != 200
            or headers is not None
            or media_type is not None
            or content_type is None
            or not self._default_json_render
            or not self._default_headers
        ):
            super().__init__(content, status_code, headers, media_type, background)
            return
        # the common case, written out: the same result as Response.__init__
        self.status_code = 200
        self.background = background
        self.body = body = self.json_encoder(content)
        self.raw_headers = [(b"content-length", b"%d" % len(body)), content_type]

    def render(self, content: Any) -> bytes:
        """``content`` as JSON bytes."""
        return self.json_encoder(content)

    @classmethod
    def use_encoder(cls, encoder: JSONEncoder) -> None:
        """Make ``encoder`` the default of this class and its subclasses.

        ``JSONResponse.use_encoder(orjson_encoder)`` at start-up switches every JSON response
        of the process (the whole application) to orjson; subclasses that set their own
        ``json_encoder`` keep it.
        """
        cls.json_encoder = staticmethod(encoder)
