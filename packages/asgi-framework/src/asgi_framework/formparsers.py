"""Laid out like ``starlette.formparsers`` (names from asgi-core)."""

from asgi_core.formparsers import FormParser, MultiPartException, MultiPartParser

__all__ = ["FormParser", "MultiPartException", "MultiPartParser"]
