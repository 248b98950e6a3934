from __future__ import annotations

from collections.abc import Callable

import pytest
from hypothesis import given
from hypothesis import strategies as st

from asgi_core import Headers, MutableHeaders, UsageError
from asgi_core.types import Scope


def test_headers_from_mapping() -> None:
    h = Headers({"Content-Type": "text/plain", "X-A": "1"})
    assert h.raw == [(b"content-type", b"text/plain"), (b"x-a", b"1")]
    assert h["content-type"] == "text/plain"
    assert h["CONTENT-TYPE"] == "text/plain"
    assert h.get("x-a") == "1"
    assert h.get("missing") is None
    assert h.get("missing", "d") == "d"
    assert "X-A" in h
    assert "missing" not in h
    not_a_string: object = 42
    assert not_a_string not in h
    with pytest.raises(KeyError):
        h["missing"]


def test_headers_multi_values() -> None:
    h = Headers(raw=[(b"set-cookie", b"a=1"), (b"set-cookie", b"b=2"), (b"x", b"y")])
    assert h["set-cookie"] == "a=1"
    assert h.getlist("Set-Cookie") == ["a=1", "b=2"]
    assert h.keys() == ["set-cookie", "set-cookie", "x"]
    assert h.values() == ["a=1", "b=2", "y"]
    assert h.items() == [("set-cookie", "a=1"), ("set-cookie", "b=2"), ("x", "y")]
    assert list(h) == ["set-cookie", "set-cookie", "x"]
    assert len(h) == 3
    assert repr(h) == (
        "Headers(raw=[(b'set-cookie', b'a=1'), (b'set-cookie', b'b=2'), (b'x', b'y')])"
    )
    assert repr(Headers({"a": "1"})) == "Headers({'a': '1'})"


def test_headers_latin1_values() -> None:
    h = Headers(raw=[(b"x", "café".encode("latin-1"))])
    assert h["x"] == "café"


def test_headers_equality() -> None:
    assert Headers({"a": "1", "b": "2"}) == Headers(raw=[(b"b", b"2"), (b"a", b"1")])
    assert Headers({"a": "1"}) != Headers({"a": "2"})
    assert Headers({"a": "1"}) != {"a": "1"}


def test_headers_argument_conflicts(make_scope: Callable[..., Scope]) -> None:
    with pytest.raises(UsageError, match='Cannot set both "headers" and "raw"'):
        Headers({"a": "1"}, raw=[])
    with pytest.raises(UsageError, match='Cannot set both "headers" and "scope"'):
        Headers({"a": "1"}, scope=make_scope())
    with pytest.raises(UsageError, match='Cannot set both "raw" and "scope"'):
        Headers(raw=[], scope=make_scope())
    assert Headers().raw == []


def test_headers_from_scope_share_the_list(make_scope: Callable[..., Scope]) -> None:
    scope = make_scope(headers=((b"a", b"1"),))
    headers = MutableHeaders(scope=scope)
    assert isinstance(scope["headers"], list)
    headers["b"] = "2"
    assert scope["headers"] == [(b"a", b"1"), (b"b", b"2")]
    assert Headers(scope=scope)["b"] == "2"


def test_mutable_headers_set_and_delete() -> None:
    h = MutableHeaders(raw=[(b"a", b"1"), (b"b", b"2"), (b"a", b"3")])
    h["A"] = "9"
    assert h.raw == [(b"a", b"9"), (b"b", b"2")]
    h["c"] = "4"
    assert h.raw == [(b"a", b"9"), (b"b", b"2"), (b"c", b"4")]
    h.append("c", "5")
    assert h.getlist("c") == ["4", "5"]
    del h["C"]
    assert "c" not in h
    del h["missing"]
    assert h.setdefault("a", "x") == "9"
    assert h.setdefault("new", "x") == "x"
    assert h["new"] == "x"
    h.update({"a": "1", "z": "26"})
    assert h["a"] == "1"
    assert h["z"] == "26"


def test_mutable_headers_or_operators() -> None:
    h = MutableHeaders({"a": "1"})
    merged = h | {"b": "2"}
    assert merged == Headers({"a": "1", "b": "2"})
    assert h == Headers({"a": "1"})
    h |= {"a": "3"}
    assert h["a"] == "3"
    with pytest.raises(TypeError, match="Expected a mapping but got list"):
        h |= [("a", "b")]  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="Expected a mapping but got str"):
        h | "x"  # type: ignore[operator]


def test_mutable_copy_is_independent() -> None:
    h = Headers({"a": "1"})
    copy = h.mutablecopy()
    copy["a"] = "2"
    assert h["a"] == "1"
    assert copy["a"] == "2"


def test_add_vary_header() -> None:
    h = MutableHeaders()
    h.add_vary_header("Origin")
    assert h["vary"] == "Origin"
    h.add_vary_header("Accept-Encoding")
    assert h["vary"] == "Origin, Accept-Encoding"


def test_headers_from_scope_with_a_tuple() -> None:
    scope: Scope = {"type": "http", "headers": ((b"a", b"1"),)}
    headers = Headers(scope=scope)
    assert headers["a"] == "1"
    assert scope["headers"] == [(b"a", b"1")]


# --- properties: Headers and MutableHeaders behave like a list of pairs ------------------------


NAMES = st.sampled_from(["a", "B", "content-type", "X-Long-Name", "set-cookie", "Vary"])
VALUES = st.text(alphabet=st.characters(min_codepoint=0x20, max_codepoint=0xFF), max_size=8)
OPERATIONS = st.lists(
    st.tuples(st.sampled_from(["set", "append", "delete", "setdefault"]), NAMES, VALUES),
    max_size=20,
)


@given(st.lists(st.tuples(NAMES, VALUES), max_size=12), NAMES)
def test_headers_read_the_raw_pairs(pairs: list[tuple[str, str]], name: str) -> None:
    raw = [(key.lower().encode(), value.encode("latin-1")) for key, value in pairs]
    headers = Headers(raw=raw)
    wanted = [value for key, value in pairs if key.lower() == name.lower()]
    assert headers.getlist(name) == wanted
    assert headers.getlist(name.upper()) == wanted
    assert headers.get(name) == (wanted[0] if wanted else None)
    assert (name in headers) == bool(wanted)
    assert headers.items() == [(key.lower(), value) for key, value in pairs]
    assert len(headers) == len(pairs)
    assert Headers(raw=list(headers.raw)) == headers


@given(OPERATIONS)
def test_mutable_headers_follow_a_list_model(operations: list[tuple[str, str, str]]) -> None:
    headers = MutableHeaders()
    model: list[tuple[str, str]] = []
    for operation, name, value in operations:
        key = name.lower()
        if operation == "set":
            headers[name] = value
            positions = [index for index, (k, _) in enumerate(model) if k == key]
            if positions:
                model[positions[0]] = (key, value)
                for index in reversed(positions[1:]):
                    del model[index]
            else:
                model.append((key, value))
        elif operation == "append":
            headers.append(name, value)
            model.append((key, value))
        elif operation == "delete":
            del headers[name]
            model = [(k, v) for k, v in model if k != key]
        else:
            existing = [v for k, v in model if k == key]
            assert headers.setdefault(name, value) == (existing[0] if existing else value)
            if not existing:
                model.append((key, value))
        assert headers.items() == model
        assert headers.raw == [(k.encode(), v.encode("latin-1")) for k, v in model]
