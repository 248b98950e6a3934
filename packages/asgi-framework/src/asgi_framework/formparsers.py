"""Laid out like ``starlette.formparsers`` (names from asgi-core)."""

from asgi_core.formparsers import FormMessage, FormParser, MultiPartException, MultiPartParser

__all__ = ["FormMessage", "FormParser", "MultiPartException", "MultiPartParser"]
