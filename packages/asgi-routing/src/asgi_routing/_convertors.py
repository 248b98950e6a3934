"""Path parameter convertors: ``{id:int}``, ``{name:str}``, ``{rest:path}``, ..."""

from __future__ import annotations

import math
import uuid
from typing import Any, ClassVar, Generic, TypeVar

from asgi_routing._errors import RouteConfigurationError

__all__ = [
    "CONVERTOR_TYPES",
    "Convertor",
    "FloatConvertor",
    "IntegerConvertor",
    "PathConvertor",
    "StringConvertor",
    "UUIDConvertor",
    "convert_params",
    "register_url_convertor",
]

T = TypeVar("T")


class Convertor(Generic[T]):
    """Turns one path parameter from text (matched by :attr:`regex`) to a value and back.

    Subclass it and :func:`register_url_convertor` the subclass to add a ``{name:kind}``.
    """

    regex: ClassVar[str] = ""

    def convert(self, value: str) -> T:
        """The value of the matched text."""
        raise NotImplementedError()  # pragma: no cover - abstract

    def to_string(self, value: T) -> str:
        """The text of a value, for building URLs."""
        raise NotImplementedError()  # pragma: no cover - abstract


class StringConvertor(Convertor[str]):
    """One non-empty path segment (no ``/``): the default."""

    regex = "[^/]+"

    def convert(self, value: str) -> str:
        """The text itself."""
        return value

    def to_string(self, value: str) -> str:
        """The text, which must be non-empty and contain no ``/``."""
        value = str(value)
        if "/" in value:
            raise RouteConfigurationError(
                f"May not contain path separators: got {value!r}. Use a {{name:path}} "
                "parameter for values with '/'."
            )
        if not value:
            raise RouteConfigurationError(
                "Must not be empty: got ''. Pass a non-empty value for this path parameter."
            )
        return value


class PathConvertor(Convertor[str]):
    """Anything, ``/`` included, possibly empty: the rest of a path."""

    regex = ".*"

    def convert(self, value: str) -> str:
        """The text itself."""
        return str(value)

    def to_string(self, value: str) -> str:
        """The text itself."""
        return str(value)


class IntegerConvertor(Convertor[int]):
    """A non-negative integer: ``[0-9]+``."""

    regex = "[0-9]+"

    def convert(self, value: str) -> int:
        """``int(value)``."""
        return int(value)

    def to_string(self, value: int) -> str:
        """The decimal text of a non-negative integer."""
        value = int(value)
        if value < 0:
            raise RouteConfigurationError(
                f"Negative integers are not supported: got {value}. Pass a value >= 0."
            )
        return str(value)


class FloatConvertor(Convertor[float]):
    """A non-negative decimal number: ``[0-9]+(\\.[0-9]+)?``."""

    regex = r"[0-9]+(\.[0-9]+)?"

    def convert(self, value: str) -> float:
        """``float(value)``."""
        return float(value)

    def to_string(self, value: float) -> str:
        """The decimal text of a finite, non-negative number, without trailing zeros."""
        value = float(value)
        if math.isnan(value):
            raise RouteConfigurationError("NaN values are not supported: got nan. Pass a number.")
        if value < 0.0:
            raise RouteConfigurationError(
                f"Negative floats are not supported: got {value!r}. Pass a value >= 0."
            )
        if math.isinf(value):
            raise RouteConfigurationError(
                "Infinite values are not supported: got inf. Pass a finite number."
            )
        return ("%0.20f" % value).rstrip("0").rstrip(".")  # noqa: UP031 - fixed-point digits


class UUIDConvertor(Convertor[uuid.UUID]):
    """A UUID in its canonical hyphenated form."""

    regex = "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"

    def convert(self, value: str) -> uuid.UUID:
        """``uuid.UUID(value)``."""
        return uuid.UUID(value)

    def to_string(self, value: uuid.UUID) -> str:
        """``str(value)``."""
        return str(value)


#: Every convertor by the name used in paths; :func:`register_url_convertor` adds to it.
CONVERTOR_TYPES: dict[str, Convertor[Any]] = {
    "str": StringConvertor(),
    "path": PathConvertor(),
    "int": IntegerConvertor(),
    "float": FloatConvertor(),
    "uuid": UUIDConvertor(),
}

#: The built-in convertors that match exactly one non-empty path segment; the routing table
#: indexes them by segment. Any other convertor is checked with its regular expression.
SEGMENT_CONVERTORS = frozenset(
    id(CONVERTOR_TYPES[name]) for name in ("str", "int", "float", "uuid")
)


def convert_params(
    matched: dict[str, str], convertors: dict[str, Convertor[Any]], path_params: dict[str, Any]
) -> bool:
    """Put every matched parameter into ``path_params``, converted; ``False`` if one refuses.

    A convertor refuses its text by raising ``ValueError``: ``{id:int}`` does for more digits
    than Python converts to an ``int`` (4300 by default), which would otherwise be a 500 for
    anyone who sends a long number. The route then does not match, as for any other text its
    pattern does not take.
    """
    try:
        for key, value in matched.items():
            convertor = convertors[key]
            kind = type(convertor)  # the built-in str and int (exact classes) without a call
            if kind is StringConvertor:
                path_params[key] = value
            elif kind is IntegerConvertor:
                path_params[key] = int(value)
            else:
                path_params[key] = convertor.convert(value)
    except ValueError:
        return False
    return True


def register_url_convertor(key: str, convertor: Convertor[Any]) -> None:
    """Make ``{name:key}`` available in paths, converted by ``convertor``."""
    CONVERTOR_TYPES[key] = convertor
