"""Small value types: ``Address``, ``State``, ``Secret`` and ``CommaSeparatedStrings``."""

from __future__ import annotations

import shlex
from collections.abc import Iterator, Sequence
from typing import Any, NamedTuple, overload

__all__ = ["Address", "CommaSeparatedStrings", "Secret", "State"]


class Address(NamedTuple):
    """A network address: ``Address(host="127.0.0.1", port=50000)``."""

    host: str
    port: int


class Secret:
    """A string that does not show itself in reprs, tracebacks or logs.

    ``str(secret)`` returns the value; ``repr(secret)`` is ``Secret('**********')``.
    """

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        self._value = value

    def __repr__(self) -> str:
        return f"{self.__class__.__name__}('**********')"

    def __str__(self) -> str:
        return self._value

    def __bool__(self) -> bool:
        return bool(self._value)


class CommaSeparatedStrings(Sequence[str]):
    """A sequence of strings read from a comma separated value.

    ``CommaSeparatedStrings("a, 'b, c', d")`` holds ``["a", "b, c", "d"]``: items are
    stripped and may be quoted to contain commas.
    """

    def __init__(self, value: str | Sequence[str]) -> None:
        if isinstance(value, str):
            lexer = shlex.shlex(value, posix=True)
            lexer.whitespace = ","
            lexer.whitespace_split = True
            self._items = [item.strip() for item in lexer]
        else:
            self._items = list(value)

    def __len__(self) -> int:
        return len(self._items)

    @overload
    def __getitem__(self, index: int) -> str: ...

    @overload
    def __getitem__(self, index: slice) -> list[str]: ...

    def __getitem__(self, index: int | slice) -> str | list[str]:
        return self._items[index]

    def __iter__(self) -> Iterator[str]:
        return iter(self._items)

    def __repr__(self) -> str:
        return f"{self.__class__.__name__}({self._items!r})"

    def __str__(self) -> str:
        return ", ".join(repr(item) for item in self._items)


class State:
    """An object holding arbitrary attributes: ``request.state`` and ``app.state``.

    Attribute access reads and writes the wrapped dict, so ``State(scope["state"])`` is a
    live view of the scope's state. Item access (``state["db"]``) works too.
    """

    _state: dict[str, Any]

    def __init__(self, state: dict[str, Any] | None = None) -> None:
        super().__setattr__("_state", {} if state is None else state)

    def __setattr__(self, key: str, value: Any) -> None:
        self._state[key] = value

    def __getattr__(self, key: str) -> Any:
        # Only called when normal lookup fails; "_state" is looked up in __dict__ directly
        # so that copy/pickle, which probe attributes before __init__, cannot recurse.
        try:
            return self.__dict__["_state"][key]
        except KeyError:
            raise self._missing(key) from None

    def __delattr__(self, key: str) -> None:
        try:
            del self._state[key]
        except KeyError:
            raise self._missing(key) from None

    def _missing(self, key: str) -> AttributeError:
        return AttributeError(f"'{self.__class__.__name__}' object has no attribute '{key}'")

    def __getitem__(self, key: str) -> Any:
        return self._state[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self._state[key] = value

    def __delitem__(self, key: str) -> None:
        del self._state[key]

    def __contains__(self, key: object) -> bool:
        return key in self._state

    def __iter__(self) -> Iterator[str]:
        return iter(self._state)

    def __len__(self) -> int:
        return len(self._state)

    def __repr__(self) -> str:
        return f"{self.__class__.__name__}({self._state!r})"
