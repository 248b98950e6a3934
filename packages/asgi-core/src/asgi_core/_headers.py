"""``Headers`` and ``MutableHeaders``: case-insensitive, multi-valued HTTP headers.

Headers are stored as the ASGI raw list of ``(name, value)`` byte pairs with lower-case
names, decoded as latin-1 on access, so reading them costs nothing until asked.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any, TypeVar, overload

from asgi_core.exceptions import UsageError
from asgi_core.types import Scope

__all__ = ["Headers", "MutableHeaders"]

RawHeaders = list[tuple[bytes, bytes]]
T = TypeVar("T")


class Headers(Mapping[str, str]):
    """An immutable, case-insensitive multidict of HTTP headers.

    Build it from a mapping (``Headers({"Content-Type": "text/plain"})``), from raw ASGI
    pairs (``Headers(raw=[(b"content-type", b"text/plain")])``) or from a scope
    (``Headers(scope=scope)``). Only one of the three may be given (else
    :class:`~asgi_core.exceptions.UsageError`).
    """

    __slots__ = ("_list",)

    def __init__(
        self,
        headers: Mapping[str, str] | None = None,
        raw: RawHeaders | None = None,
        scope: Scope | None = None,
    ) -> None:
        self._list: RawHeaders = []
        if headers is not None:
            if raw is not None:
                raise UsageError('Cannot set both "headers" and "raw".')
            if scope is not None:
                raise UsageError('Cannot set both "headers" and "scope".')
            self._list = [
                (key.lower().encode("latin-1"), value.encode("latin-1"))
                for key, value in headers.items()
            ]
        elif raw is not None:
            if scope is not None:
                raise UsageError('Cannot set both "raw" and "scope".')
            self._list = raw
        elif scope is not None:
            # Share one list with the scope so that MutableHeaders(scope=...) edits it.
            headers_list = scope["headers"]
            if type(headers_list) is not list:
                headers_list = scope["headers"] = list(headers_list)
            self._list = headers_list

    @property
    def raw(self) -> RawHeaders:
        """The raw ASGI ``(name, value)`` byte pairs."""
        return list(self._list)

    def keys(self) -> list[str]:  # type: ignore[override]
        """Every header name, lower case, duplicates included."""
        return [key.decode("latin-1") for key, _ in self._list]

    def values(self) -> list[str]:  # type: ignore[override]
        """Every header value, duplicates included."""
        return [value.decode("latin-1") for _, value in self._list]

    def items(self) -> list[tuple[str, str]]:  # type: ignore[override]
        """Every ``(name, value)`` pair, decoded, duplicates included."""
        return [(key.decode("latin-1"), value.decode("latin-1")) for key, value in self._list]

    def getlist(self, key: str) -> list[str]:
        """Every value of the header ``key`` (case-insensitive), in order."""
        name = key.lower().encode("latin-1")
        return [value.decode("latin-1") for item_key, value in self._list if item_key == name]

    def mutablecopy(self) -> MutableHeaders:
        """A :class:`MutableHeaders` holding a copy of these headers."""
        return MutableHeaders(raw=self._list[:])

    def __getitem__(self, key: str) -> str:
        name = key.lower().encode("latin-1")
        for item_key, value in self._list:
            if item_key == name:
                return value.decode("latin-1")
        raise KeyError(key)

    @overload
    def get(self, key: str) -> str | None: ...

    @overload
    def get(self, key: str, default: str | T) -> str | T: ...

    def get(self, key: str, default: Any = None) -> Any:
        """The first value of the header ``key``, or ``default``."""
        name = key.lower().encode("latin-1")
        for item_key, value in self._list:
            if item_key == name:
                return value.decode("latin-1")
        return default

    def __contains__(self, key: Any) -> bool:
        if not isinstance(key, str):
            return False
        name = key.lower().encode("latin-1")
        return any(item_key == name for item_key, _ in self._list)

    def __iter__(self) -> Iterator[Any]:
        return iter(self.keys())

    def __len__(self) -> int:
        return len(self._list)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Headers):
            return False
        return sorted(self._list) == sorted(other._list)

    def __repr__(self) -> str:
        name = self.__class__.__name__
        as_dict = dict(self.items())
        if len(as_dict) == len(self):
            return f"{name}({as_dict!r})"
        return f"{name}(raw={self.raw!r})"


class MutableHeaders(Headers):
    """Headers that can be changed; edits write through to the underlying raw list."""

    __slots__ = ()

    def __setitem__(self, key: str, value: str) -> None:
        """Set the header ``key`` to ``value``, replacing every earlier value."""
        name = key.lower().encode("latin-1")
        encoded = value.encode("latin-1")
        found = [index for index, (item_key, _) in enumerate(self._list) if item_key == name]
        for index in reversed(found[1:]):
            del self._list[index]
        if found:
            self._list[found[0]] = (name, encoded)
        else:
            self._list.append((name, encoded))

    def __delitem__(self, key: str) -> None:
        """Remove every value of the header ``key`` (no error when absent)."""
        name = key.lower().encode("latin-1")
        self._list[:] = [item for item in self._list if item[0] != name]

    def __ior__(self, other: Mapping[str, str]) -> MutableHeaders:
        if not isinstance(other, Mapping):
            raise TypeError(f"Expected a mapping but got {other.__class__.__name__}")
        self.update(other)
        return self

    def __or__(self, other: Mapping[str, str]) -> MutableHeaders:
        if not isinstance(other, Mapping):
            raise TypeError(f"Expected a mapping but got {other.__class__.__name__}")
        new = self.mutablecopy()
        new.update(other)
        return new

    @property
    def raw(self) -> RawHeaders:
        """The live raw list (edits to it are edits to these headers)."""
        return self._list

    def setdefault(self, key: str, value: str) -> str:
        """Return the first value of ``key``, first appending ``value`` when absent."""
        name = key.lower().encode("latin-1")
        for item_key, item_value in self._list:
            if item_key == name:
                return item_value.decode("latin-1")
        self._list.append((name, value.encode("latin-1")))
        return value

    def update(self, other: Mapping[str, str]) -> None:
        """Set every header of ``other``, replacing existing values."""
        for key, value in other.items():
            self[key] = value

    def append(self, key: str, value: str) -> None:
        """Add a value for ``key`` without removing existing ones."""
        self._list.append((key.lower().encode("latin-1"), value.encode("latin-1")))

    def add_vary_header(self, vary: str) -> None:
        """Add ``vary`` to the ``Vary`` header, keeping what is already there."""
        existing = self.get("vary")
        if existing is not None:
            vary = f"{existing}, {vary}"
        self["vary"] = vary
