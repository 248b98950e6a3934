"""The ``Middleware`` spec: a middleware class with the arguments to build it later."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

__all__ = ["Middleware"]


class Middleware:
    """``Middleware(cls, *args, **kwargs)``: build ``cls(app, *args, **kwargs)`` later.

    Applications keep a list of these and build the middleware stack once, on the first
    request, wrapping each around the next. Unpacks as ``cls, args, kwargs``.
    """

    __slots__ = ("args", "cls", "kwargs")

    def __init__(self, cls: Any, *args: Any, **kwargs: Any) -> None:
        if not callable(cls):
            raise TypeError(
                f"Middleware expects a middleware class or factory as first argument, got {cls!r}."
            )
        self.cls = cls
        self.args = args
        self.kwargs = kwargs

    def __iter__(self) -> Iterator[Any]:
        return iter((self.cls, self.args, self.kwargs))

    def __repr__(self) -> str:
        parts = [getattr(self.cls, "__name__", "")]
        parts += [repr(value) for value in self.args]
        parts += [f"{key}={value!r}" for key, value in self.kwargs.items()]
        return f"{self.__class__.__name__}({', '.join(parts)})"
