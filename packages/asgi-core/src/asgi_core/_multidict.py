"""Multi-value mappings: ``ImmutableMultiDict``, ``MultiDict`` and ``QueryParams``.

A multidict keeps every ``(key, value)`` pair in order; plain mapping access returns the
last value of a key and :meth:`~ImmutableMultiDict.getlist` returns all of them.
"""

from __future__ import annotations

from collections.abc import ItemsView, Iterable, Iterator, KeysView, Mapping, ValuesView
from typing import Any, Generic, TypeVar, Union
from urllib.parse import unquote_plus, urlencode

from asgi_core.exceptions import UsageError

__all__ = ["ImmutableMultiDict", "MultiDict", "QueryParams"]

_KeyType = TypeVar("_KeyType")
_CovariantValueType = TypeVar("_CovariantValueType", covariant=True)

_MultiDictSource = Union[
    "ImmutableMultiDict[Any, Any]",
    Mapping[Any, Any],
    Iterable[tuple[Any, Any]],
]


def parse_query_string(query: str) -> list[tuple[str, str]]:
    """Split a query string into decoded ``(name, value)`` pairs.

    Same result as ``urllib.parse.parse_qsl(query, keep_blank_values=True)``: only ``&``
    separates fields, empty fields are skipped, ``+`` is a space and percent-escapes are
    decoded as UTF-8 (invalid sequences become U+FFFD). Written out because it runs on
    every request that reads its query and is about twice as fast for the usual input.
    """
    pairs: list[tuple[str, str]] = []
    for field in query.split("&"):
        if not field:
            continue
        name, _, value = field.partition("=")
        if "%" in field or "+" in field:
            name = unquote_plus(name, errors="replace")
            value = unquote_plus(value, errors="replace")
        pairs.append((name, value))
    return pairs


def _pairs(value: Any) -> list[tuple[Any, Any]]:
    if not value:
        return []
    if hasattr(value, "multi_items"):
        return list(value.multi_items())
    if hasattr(value, "items"):
        return list(value.items())
    return list(value)


class ImmutableMultiDict(
    Mapping[_KeyType, _CovariantValueType], Generic[_KeyType, _CovariantValueType]
):
    """An immutable ordered mapping that may hold several values per key."""

    _dict: dict[_KeyType, _CovariantValueType]
    _list: list[tuple[_KeyType, _CovariantValueType]]

    def __init__(self, *args: _MultiDictSource, **kwargs: Any) -> None:
        if len(args) > 1:
            raise UsageError("Too many arguments.")
        items = _pairs(args[0] if args else None)
        if kwargs:
            items += list(kwargs.items())
        self._list = items
        self._dict = dict(items)

    def getlist(self, key: Any) -> list[_CovariantValueType]:
        """Every value stored under ``key``, in order (an empty list when absent)."""
        return [item_value for item_key, item_value in self._list if item_key == key]

    def keys(self) -> KeysView[_KeyType]:
        """The distinct keys."""
        return self._dict.keys()

    def values(self) -> ValuesView[_CovariantValueType]:
        """The last value of each key."""
        return self._dict.values()

    def items(self) -> ItemsView[_KeyType, _CovariantValueType]:
        """``(key, last value)`` for each distinct key."""
        return self._dict.items()

    def multi_items(self) -> list[tuple[_KeyType, _CovariantValueType]]:
        """Every ``(key, value)`` pair, in order, duplicates included."""
        return list(self._list)

    def __getitem__(self, key: _KeyType) -> _CovariantValueType:
        return self._dict[key]

    def __contains__(self, key: Any) -> bool:
        return key in self._dict

    def __iter__(self) -> Iterator[_KeyType]:
        return iter(self._dict)

    def __len__(self) -> int:
        return len(self._dict)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, self.__class__):
            return False
        return sorted(self._list, key=repr) == sorted(other._list, key=repr)

    def __repr__(self) -> str:
        return f"{self.__class__.__name__}({self.multi_items()!r})"


class MultiDict(ImmutableMultiDict[Any, Any]):
    """A mutable :class:`ImmutableMultiDict`."""

    def __setitem__(self, key: Any, value: Any) -> None:
        self.setlist(key, [value])

    def __delitem__(self, key: Any) -> None:
        del self._dict[key]
        self._list = [(k, v) for k, v in self._list if k != key]

    def pop(self, key: Any, default: Any = None) -> Any:
        """Remove every value of ``key`` and return the last one (or ``default``)."""
        self._list = [(k, v) for k, v in self._list if k != key]
        return self._dict.pop(key, default)

    def popitem(self) -> tuple[Any, Any]:
        """Remove and return the most recently set key with its last value."""
        key, value = self._dict.popitem()
        self._list = [(k, v) for k, v in self._list if k != key]
        return key, value

    def poplist(self, key: Any) -> list[Any]:
        """Remove every value of ``key`` and return them all."""
        values = self.getlist(key)
        self.pop(key)
        return values

    def clear(self) -> None:
        """Remove everything."""
        self._dict.clear()
        self._list.clear()

    def setdefault(self, key: Any, default: Any = None) -> Any:
        """Return the value of ``key``, first storing ``default`` when it is absent."""
        if key not in self._dict:
            self._dict[key] = default
            self._list.append((key, default))
        return self._dict[key]

    def setlist(self, key: Any, values: list[Any]) -> None:
        """Replace every value of ``key`` by ``values`` (removing the key when empty)."""
        if not values:
            self.pop(key, None)
            return
        self._list = [(k, v) for k, v in self._list if k != key]
        self._list.extend((key, value) for value in values)
        self._dict[key] = values[-1]

    def append(self, key: Any, value: Any) -> None:
        """Add one more value for ``key``."""
        self._list.append((key, value))
        self._dict[key] = value

    def update(self, *args: _MultiDictSource, **kwargs: Any) -> None:
        """Replace the values of every key present in the arguments."""
        incoming = MultiDict(*args, **kwargs)
        self._list = [(k, v) for k, v in self._list if k not in incoming._dict]
        self._list.extend(incoming._list)
        self._dict.update(incoming._dict)


class QueryParams(ImmutableMultiDict[str, str]):
    """An immutable multidict of query-string parameters.

    Accepts a query string (``str`` or ``bytes``; only ``&`` separates fields), a mapping,
    a list of pairs or another multidict.
    """

    def __init__(self, *args: _MultiDictSource | str | bytes, **kwargs: Any) -> None:
        value = args[0] if len(args) == 1 else None
        if isinstance(value, bytes):
            # raw (not percent-encoded) UTF-8 is decoded as such; other bytes as latin-1
            raw = value
            try:
                value = raw.decode("utf-8")
            except UnicodeDecodeError:
                value = raw.decode("latin-1")
        if isinstance(value, str) and not kwargs:
            # the fast path used for every request: the parser already yields strings
            self._list = parse_query_string(value)
            self._dict = dict(self._list)
            return
        if isinstance(value, str):
            args = (parse_query_string(value),)
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self._list = [(str(k), str(v)) for k, v in self._list]
        self._dict = dict(self._list)

    def __str__(self) -> str:
        return urlencode(self._list)

    def __repr__(self) -> str:
        return f"{self.__class__.__name__}({str(self)!r})"
