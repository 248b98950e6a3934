"""What form parsers share: the error they raise, default limits and message helpers."""

from __future__ import annotations

from asgi_core.exceptions import HTTPException

__all__ = [
    "DEFAULT_MAX_FIELDS",
    "DEFAULT_MAX_FILES",
    "DEFAULT_MAX_PART_SIZE",
    "MultiPartException",
    "content_type_options",
    "kilobytes",
    "shown",
    "size_text",
]

DEFAULT_MAX_FILES = 1000
DEFAULT_MAX_FIELDS = 1000
DEFAULT_MAX_PART_SIZE = 1024 * 1024


class MultiPartException(HTTPException):
    """A form body could not be parsed or broke a limit.

    It is an :class:`HTTPException` with status 400 whose ``detail`` says what was wrong,
    so an application turns it into a ``400 Bad Request`` with that message; code that
    parses forms directly can catch it and read ``message``.
    """

    def __init__(self, message: str) -> None:
        super().__init__(400, detail=message)
        self.message = message

    def __str__(self) -> str:
        return self.message


def content_type_options(value: str | None) -> tuple[str, dict[str, str]]:
    """Split a ``Content-Type`` value into its lower-case media type and parameters."""
    if not value:
        return "", {}
    media_type, *params = value.split(";")
    options: dict[str, str] = {}
    for param in params:
        key, sep, param_value = param.partition("=")
        if sep:
            param_value = param_value.strip()
            if len(param_value) >= 2 and param_value[0] == param_value[-1] == '"':
                param_value = param_value[1:-1]
            options[key.strip().lower()] = param_value
    return media_type.strip().lower(), options


def kilobytes(size: int) -> int:
    """``size`` in whole kilobytes, rounded down, as Starlette's limit messages state it."""
    return size // 1024


def size_text(size: int) -> str:
    """``1048576`` -> ``"1MB"``, ``2048`` -> ``"2KB"``, ``1000`` -> ``"1000 bytes"``."""
    if size and size % (1024 * 1024) == 0:
        return f"{size // (1024 * 1024)}MB"
    if size and size % 1024 == 0:
        return f"{size // 1024}KB"
    return f"{size} bytes"


def shown(value: str | bytes | None, limit: int = 60) -> str:
    """``repr(value)`` for an error message, cut to about ``limit`` characters.

    Messages quote what the client sent; a hostile client must not make them huge.
    """
    if isinstance(value, bytes):
        value = value.decode("latin-1")
    if value is not None and len(value) > limit:
        return f"{value[:limit]!r}..."
    return repr(value)
