"""Form parsing with limits, laid out like ``starlette.formparsers``."""

from asgi_core._form_limits import (
    DEFAULT_MAX_FIELDS,
    DEFAULT_MAX_FILES,
    DEFAULT_MAX_PART_SIZE,
    MultiPartException,
)
from asgi_core._multipart import MultiPartParser
from asgi_core._urlencoded import FormParser

__all__ = [
    "DEFAULT_MAX_FIELDS",
    "DEFAULT_MAX_FILES",
    "DEFAULT_MAX_PART_SIZE",
    "FormParser",
    "MultiPartException",
    "MultiPartParser",
]
