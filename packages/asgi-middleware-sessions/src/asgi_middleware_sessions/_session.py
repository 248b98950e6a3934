"""The session: a dict that remembers whether it was accessed and whether it was modified."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, NoReturn

from asgi_middleware_sessions._errors import SessionStoreError

__all__ = ["Session", "UnavailableSession"]


class Session(dict[str, Any]):
    """The session dict the middleware puts in ``scope["session"]`` (``request.session``).

    As in Starlette, ``accessed`` becomes true when ``request.session`` is read (the request
    calls :meth:`mark_accessed`) or the session is changed, and the response then carries
    ``Vary: Cookie``; ``modified`` becomes true on every change (``session[k] = v``, ``del``,
    ``pop`` of a present key, ``popitem``, ``clear``, ``update``, ``setdefault`` of a missing
    key, ``|=``), and only then is the cookie (or the store entry) written. Values must be
    JSON-serialisable. Reads do not mark anything, so an application that only looks at a
    raw ``scope["session"]`` costs nothing.
    """

    accessed: bool = False
    modified: bool = False
    regenerate_requested: bool = False

    def mark_accessed(self) -> None:
        """Record that the response depends on the session (adds ``Vary: Cookie``)."""
        self.accessed = True

    def mark_modified(self) -> None:
        """Record a change: the session is saved when the response starts."""
        self.accessed = True
        self.modified = True

    def regenerate(self) -> None:
        """Give the session a new id when the response starts; call it after a login.

        Against session fixation: with a server-side store the data moves to a new random id
        and the old id's entry is deleted, so an id an attacker planted before the login is
        worthless after it. With the signed cookie (no id) the cookie is signed afresh.
        """
        self.regenerate_requested = True
        self.mark_modified()

    def __setitem__(self, key: str, value: Any) -> None:
        self.mark_modified()
        super().__setitem__(key, value)

    def __delitem__(self, key: str) -> None:
        self.mark_modified()
        super().__delitem__(key)

    def clear(self) -> None:
        """Remove every item (the cookie is deleted, the store entry too)."""
        self.mark_modified()
        super().clear()

    def pop(self, key: str, *args: Any) -> Any:
        """``dict.pop``; a change only when ``key`` was present."""
        if key in self:
            self.mark_modified()
        return super().pop(key, *args)

    def popitem(self) -> tuple[str, Any]:
        """``dict.popitem``; a change unless the session was empty (``KeyError``)."""
        item = super().popitem()
        self.mark_modified()
        return item

    def setdefault(self, key: str, default: Any = None) -> Any:
        """``dict.setdefault``; a change only when ``key`` was missing."""
        if key not in self:
            self.mark_modified()
        return super().setdefault(key, default)

    def update(self, *args: Any, **kwargs: Any) -> None:
        """``dict.update``; always a change, as in Starlette."""
        self.mark_modified()
        super().update(*args, **kwargs)

    def __ior__(self, other: Any) -> Session:  # type: ignore[override,misc]  # dict's is generic
        self.mark_modified()
        super().update(other)
        return self


class UnavailableSession(Session):
    """The session of a request whose store failed to load it.

    Any use of it raises the :class:`SessionStoreError`, so routes that use the session fail
    clearly (a 500 through the application's error handling) instead of seeing an empty
    session, while routes that never touch it keep working.
    """

    def __init__(self, error: SessionStoreError) -> None:
        super().__init__()
        self.error = error

    def _fail(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise self.error

    mark_accessed = _fail
    mark_modified = _fail
    regenerate = _fail
    popitem = _fail
    get = _fail
    keys = _fail
    values = _fail
    items = _fail
    copy = _fail

    def __getitem__(self, key: str) -> Any:
        raise self.error

    def __contains__(self, key: object) -> bool:
        raise self.error

    def __iter__(self) -> Iterator[str]:
        raise self.error

    def __len__(self) -> int:
        raise self.error

    def __eq__(self, other: object) -> bool:
        raise self.error

    def __repr__(self) -> str:
        return f"<{type(self).__name__}: {self.error}>"
