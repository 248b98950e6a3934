"""``JSONResponse`` and pluggable JSON encoders."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from typing import Any, ClassVar

from asgi_core import BackgroundTask
from asgi_responses._base import Response

__all__ = ["JSONEncoder", "JSONResponse", "orjson_encoder", "standard_encoder"]

#: A function turning a Python value into JSON bytes.
JSONEncoder = Callable[[Any], bytes]

# Built once: json.dumps() with non-default arguments builds a new encoder on every call.
_STANDARD = json.JSONEncoder(ensure_ascii=False, allow_nan=False, separators=(",", ":"))


def standard_encoder(content: Any) -> bytes:
    """Compact JSON from the standard library: no spaces, UTF-8, ``NaN``/``Infinity`` refused.

    The same bytes as Starlette's ``JSONResponse``.
    """
    return _STANDARD.encode(content).encode("utf-8")


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

    def __init__(
        self,
        content: Any,
        status_code: int = 200,
        headers: Mapping[str, str] | None = None,
        media_type: str | None = None,
        background: BackgroundTask | None = None,
    ) -> None:
        super().__init__(content, status_code, headers, media_type, background)

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
