from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from asgi_middleware_sessions import Session, SessionStoreError
from asgi_middleware_sessions._session import UnavailableSession

CHANGES: dict[str, Callable[[Session], Any]] = {
    "setitem": lambda s: s.__setitem__("c", 3),
    "setitem same value": lambda s: s.__setitem__("a", 1),
    "delitem": lambda s: s.__delitem__("a"),
    "pop": lambda s: s.pop("a"),
    "pop with default": lambda s: s.pop("a", None),
    "popitem": lambda s: s.popitem(),
    "clear": lambda s: s.clear(),
    "update": lambda s: s.update(c=3),
    "update with nothing": lambda s: s.update(),
    "update with pairs": lambda s: s.update([("c", 3)]),
    "setdefault of a missing key": lambda s: s.setdefault("c", 3),
    "ior": lambda s: s.__ior__({"c": 3}),
    "ior with nothing": lambda s: s.__ior__({}),
    "regenerate": lambda s: s.regenerate(),
}

READS: dict[str, Callable[[Session], Any]] = {
    "getitem": lambda s: s["a"],
    "get": lambda s: s.get("a"),
    "contains": lambda s: "a" in s,
    "iter": list,
    "len": len,
    "keys": lambda s: s.keys(),
    "items": lambda s: list(s.items()),
    "values": lambda s: list(s.values()),
    "copy": lambda s: s.copy(),
    "eq": lambda s: s == {"a": 1},
    "pop of a missing key with default": lambda s: s.pop("zz", None),
    "setdefault of a present key": lambda s: s.setdefault("a", 5),
}


def test_a_new_session_is_neither_accessed_nor_modified() -> None:
    session = Session({"a": 1})
    assert session == {"a": 1}
    assert isinstance(session, dict)
    assert (session.accessed, session.modified, session.regenerate_requested) == (
        False,
        False,
        False,
    )


@pytest.mark.parametrize("change", CHANGES.values(), ids=CHANGES.keys())
def test_every_change_marks_the_session_modified_and_accessed(
    change: Callable[[Session], Any],
) -> None:
    session = Session({"a": 1, "b": 2})
    change(session)
    assert (session.accessed, session.modified) == (True, True)


@pytest.mark.parametrize("read", READS.values(), ids=READS.keys())
def test_reads_mark_nothing(read: Callable[[Session], Any]) -> None:
    session = Session({"a": 1})
    read(session)
    assert (session.accessed, session.modified) == (False, False)


def test_the_changes_do_what_dict_does() -> None:
    session = Session({"a": 1, "b": 2})
    session["c"] = 3
    del session["a"]
    assert session.pop("b") == 2
    assert session.pop("missing", "default") == "default"
    assert session.setdefault("c", 0) == 3
    assert session.setdefault("d", 4) == 4
    session.update({"e": 5}, f=6)
    result = session.__ior__({"g": 7})
    assert result is session
    assert session == {"c": 3, "d": 4, "e": 5, "f": 6, "g": 7}
    assert session.popitem() == ("g", 7)
    session.clear()
    assert session == {}


def test_in_place_or_returns_the_session_itself() -> None:
    session = Session()
    alias = session
    alias |= {"a": 1}
    assert alias is session
    assert session == {"a": 1}
    assert session.modified


def test_failed_changes() -> None:
    """As Starlette: a failed del counts as a change, a failed pop/popitem does not."""
    session = Session()
    with pytest.raises(KeyError):
        del session["missing"]
    assert session.modified

    session = Session()
    with pytest.raises(KeyError):
        session.pop("missing")
    with pytest.raises(KeyError):
        session.popitem()
    assert not session.modified

    session = Session()
    with pytest.raises(TypeError):
        session.update(1)
    assert session.modified


def test_mark_accessed_and_mark_modified() -> None:
    session = Session()
    session.mark_accessed()
    assert (session.accessed, session.modified) == (True, False)
    session.mark_modified()
    assert (session.accessed, session.modified) == (True, True)


def test_regenerate_asks_for_a_new_id() -> None:
    session = Session({"a": 1})
    session.regenerate()
    assert session.regenerate_requested
    assert session == {"a": 1}
    assert Session().regenerate_requested is False  # a class default, not shared state


def test_a_dict_merge_gives_a_plain_dict() -> None:
    merged = Session({"a": 1}) | {"b": 2}
    assert type(merged) is dict
    assert type(Session({"a": 1}).copy()) is dict


ERROR = SessionStoreError("Store", "load", ConnectionError("down"))

USES: dict[str, Callable[[Session], Any]] = {
    **READS,
    **CHANGES,
    "mark_accessed": lambda s: s.mark_accessed(),
    "mark_modified": lambda s: s.mark_modified(),
    "bool": bool,
    "popitem": lambda s: s.popitem(),
}
del USES["eq"]


@pytest.mark.parametrize("use", USES.values(), ids=USES.keys())
def test_an_unavailable_session_raises_the_store_error_on_every_use(
    use: Callable[[Session], Any],
) -> None:
    session = UnavailableSession(ERROR)
    with pytest.raises(SessionStoreError) as caught:
        use(session)
    assert caught.value is ERROR
    assert (session.accessed, session.modified) == (False, False)


def test_an_unavailable_session_compares_by_raising_and_shows_the_error() -> None:
    session = UnavailableSession(ERROR)
    with pytest.raises(SessionStoreError):
        _ = session == {}
    assert repr(session) == f"<UnavailableSession: {ERROR}>"
    assert isinstance(session, Session)
