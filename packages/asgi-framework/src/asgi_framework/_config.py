"""``Config``: settings from the environment and an optional ``.env`` file, with casting."""

from __future__ import annotations

import os
import warnings
from collections.abc import Callable, Iterator, MutableMapping
from pathlib import Path
from typing import Any, TypeVar, overload

__all__ = ["Config", "Environ", "EnvironError", "environ", "undefined"]

T = TypeVar("T")


class undefined:
    """The marker for "no default": a missing key raises ``KeyError``."""


class EnvironError(Exception):
    """An environment variable was changed after the application read it."""


class Environ(MutableMapping[str, str]):
    """``os.environ`` that refuses changes to a key once it has been read.

    Changing a setting after the application read it would leave the application with
    the old value; tests that set variables must set them first.
    """

    def __init__(self, environ: MutableMapping[str, str] = os.environ) -> None:
        self._environ = environ
        self._has_been_read: set[str] = set()

    def __getitem__(self, key: str) -> str:
        self._has_been_read.add(key)
        return self._environ.__getitem__(key)

    def __setitem__(self, key: str, value: str) -> None:
        if key in self._has_been_read:
            raise EnvironError(
                f"Attempting to set environ['{key}'], but the value has already been read."
            )
        self._environ.__setitem__(key, value)

    def __delitem__(self, key: str) -> None:
        if key in self._has_been_read:
            raise EnvironError(
                f"Attempting to delete environ['{key}'], but the value has already been read."
            )
        self._environ.__delitem__(key)

    def __iter__(self) -> Iterator[str]:
        return iter(self._environ)

    def __len__(self) -> int:
        return len(self._environ)


#: The process environment, guarded against late changes.
environ = Environ()

_BOOLS = {"true": True, "1": True, "false": False, "0": False}


def _unquote(value: str) -> str:
    """``value`` without one pair of matching quotes around it (``'a'`` and ``"a"``)."""
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
        return value[1:-1]
    return value


class Config:
    """Read settings: ``DEBUG = config("DEBUG", cast=bool, default=False)``.

    Values come from ``environ`` first, then from ``env_file`` (``KEY=value`` lines, ``#``
    comments; one pair of matching quotes around a value is removed, a lone or mismatched
    quote is kept). ``cast`` converts them: ``bool`` understands ``true``/``false``/``1``/``0``
    (any case); ``Secret`` and ``CommaSeparatedStrings`` work as casts too. A missing key
    without a default raises ``KeyError``; a value the cast refuses raises ``ValueError``
    naming the key and the value.
    """

    def __init__(
        self,
        env_file: str | Path | None = None,
        environ: MutableMapping[str, str] = environ,
        env_prefix: str = "",
        encoding: str = "utf-8",
    ) -> None:
        self.environ = environ
        self.env_prefix = env_prefix
        self.file_values: dict[str, str] = {}
        if env_file is not None:
            if not os.path.isfile(env_file):
                warnings.warn(f"Config file '{env_file}' not found.", stacklevel=2)
            else:
                self.file_values = self._read_file(env_file, encoding)

    @overload
    def __call__(self, key: str, *, default: None) -> str | None: ...

    @overload
    def __call__(self, key: str, cast: Callable[[Any], T], default: Any = ...) -> T: ...

    @overload
    def __call__(
        self, key: str, cast: None = None, default: str | type[undefined] = ...
    ) -> str: ...

    def __call__(
        self, key: str, cast: Callable[[Any], Any] | None = None, default: Any = undefined
    ) -> Any:
        return self.get(key, cast, default)

    def get(
        self, key: str, cast: Callable[[Any], Any] | None = None, default: Any = undefined
    ) -> Any:
        """The value of ``key`` (with the prefix), cast, or ``default``."""
        key = self.env_prefix + key
        if key in self.environ:
            return self._cast(key, self.environ[key], cast)
        if key in self.file_values:
            return self._cast(key, self.file_values[key], cast)
        if default is not undefined:
            return self._cast(key, default, cast)
        raise KeyError(f"Config '{key}' is missing, and has no default.")

    def _read_file(self, path: str | Path, encoding: str) -> dict[str, str]:
        values: dict[str, str] = {}
        with open(path, encoding=encoding) as file:
            for raw in file:
                line = raw.strip()
                if "=" in line and not line.startswith("#"):
                    key, value = line.split("=", 1)
                    values[key.strip()] = _unquote(value.strip())
        return values

    def _cast(self, key: str, value: Any, cast: Callable[[Any], Any] | None) -> Any:
        if cast is None or value is None:
            return value
        if cast is bool and isinstance(value, str):
            lowered = value.lower()
            if lowered not in _BOOLS:
                raise ValueError(f"Config '{key}' has value '{lowered}'. Not a valid bool.")
            return _BOOLS[lowered]
        try:
            return cast(value)
        except (TypeError, ValueError):
            name = getattr(cast, "__name__", repr(cast))
            raise ValueError(f"Config '{key}' has value '{value}'. Not a valid {name}.") from None
