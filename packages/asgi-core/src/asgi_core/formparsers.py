"""Form parsing with limits, laid out like ``starlette.formparsers``."""

from enum import Enum

from typing_extensions import deprecated

from asgi_core._deprecation import AsgiDeprecationWarning
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
    "FormMessage",
    "FormParser",
    "MultiPartException",
    "MultiPartParser",
]


@deprecated(
    "`FormMessage` is deprecated and will be removed in a future version.",
    category=AsgiDeprecationWarning,
    stacklevel=2,  # past Enum's own __call__, to the caller's line
)
class FormMessage(Enum):
    """Deprecated, kept for code written for Starlette: the parsers do not use it.

    The events of Starlette's old urlencoded parser. Calling it (``FormMessage(1)``) warns
    with :class:`~asgi_core.AsgiDeprecationWarning`, as Starlette warns; its members can
    still be read.
    """

    FIELD_START = 1
    FIELD_NAME = 2
    FIELD_DATA = 3
    FIELD_END = 4
    END = 5
