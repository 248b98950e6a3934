from urllib.parse import parse_qsl

import pytest
from hypothesis import given
from hypothesis import strategies as st

from asgi_core import ImmutableMultiDict, MultiDict, QueryParams, UsageError
from asgi_core._multidict import parse_query_string


def test_immutable_multidict_access() -> None:
    d: ImmutableMultiDict[str, str] = ImmutableMultiDict([("a", "1"), ("b", "2"), ("a", "3")])
    assert d["a"] == "3"
    assert d.getlist("a") == ["1", "3"]
    assert d.getlist("missing") == []
    assert d.get("b") == "2"
    assert d.get("missing", "x") == "x"
    assert "a" in d
    assert "z" not in d
    assert list(d) == ["a", "b"]
    assert len(d) == 2
    assert list(d.keys()) == ["a", "b"]
    assert list(d.values()) == ["3", "2"]
    assert list(d.items()) == [("a", "3"), ("b", "2")]
    assert d.multi_items() == [("a", "1"), ("b", "2"), ("a", "3")]
    assert repr(d) == "ImmutableMultiDict([('a', '1'), ('b', '2'), ('a', '3')])"


def test_immutable_multidict_sources() -> None:
    assert ImmutableMultiDict().multi_items() == []
    assert ImmutableMultiDict({"a": 1}).multi_items() == [("a", 1)]
    assert ImmutableMultiDict(a=1, b=2).multi_items() == [("a", 1), ("b", 2)]
    assert ImmutableMultiDict([("a", 1)], b=2).multi_items() == [("a", 1), ("b", 2)]
    source: ImmutableMultiDict[str, int] = ImmutableMultiDict([("a", 1), ("a", 2)])
    assert ImmutableMultiDict(source).multi_items() == [("a", 1), ("a", 2)]
    # Starlette's message; an AssertionError as Starlette raises, and a ValueError
    with pytest.raises(UsageError, match=r"^Too many arguments\.$") as info:
        ImmutableMultiDict([], [])
    assert isinstance(info.value, AssertionError)


def test_immutable_multidict_equality() -> None:
    assert ImmutableMultiDict([("a", 1), ("b", 2)]) == ImmutableMultiDict([("b", 2), ("a", 1)])
    assert ImmutableMultiDict([("a", 1)]) != ImmutableMultiDict([("a", 1), ("a", 1)])
    assert ImmutableMultiDict([("a", 1)]) != {"a": 1}
    with pytest.raises(TypeError):
        hash(ImmutableMultiDict())


def test_multidict_mutations() -> None:
    d = MultiDict([("a", 1), ("b", 2), ("a", 3)])
    d["a"] = 4
    assert d.multi_items() == [("b", 2), ("a", 4)]
    d.append("a", 5)
    assert d.getlist("a") == [4, 5]
    assert d["a"] == 5
    del d["b"]
    assert d.multi_items() == [("a", 4), ("a", 5)]
    with pytest.raises(KeyError):
        del d["missing"]
    assert d.pop("a") == 5
    assert d.pop("a", "default") == "default"
    assert d.multi_items() == []
    d.update([("x", 1), ("x", 2)], y=3)
    assert d.multi_items() == [("x", 1), ("x", 2), ("y", 3)]
    d.update({"x": 9})
    assert d.multi_items() == [("y", 3), ("x", 9)]
    assert d.poplist("x") == [9]
    assert d.poplist("x") == []
    assert d.setdefault("y", 0) == 3
    assert d.setdefault("z", 0) == 0
    assert d.multi_items() == [("y", 3), ("z", 0)]
    d.setlist("y", [7, 8])
    assert d.multi_items() == [("z", 0), ("y", 7), ("y", 8)]
    assert d["y"] == 8
    d.setlist("y", [])
    assert "y" not in d
    assert d.multi_items() == [("z", 0)]
    d.append("w", 1)
    assert d.popitem() == ("w", 1)
    assert d.multi_items() == [("z", 0)]
    d.clear()
    assert d.multi_items() == []
    assert len(d) == 0


def test_query_params_parsing() -> None:
    q = QueryParams("a=1&b=2&a=3&empty=&novalue")
    assert q["a"] == "3"
    assert q.getlist("a") == ["1", "3"]
    assert q["empty"] == ""
    assert q["novalue"] == ""
    assert str(q) == "a=1&b=2&a=3&empty=&novalue="
    assert repr(q) == "QueryParams('a=1&b=2&a=3&empty=&novalue=')"


def test_query_params_only_ampersand_separates() -> None:
    q = QueryParams("a=1;b=2")
    assert q.multi_items() == [("a", "1;b=2")]


def test_query_params_sources() -> None:
    assert QueryParams(b"a=%C3%A9&b=+x").multi_items() == [("a", "é"), ("b", " x")]
    assert QueryParams({"a": 1}).multi_items() == [("a", "1")]
    assert QueryParams([("a", 1), ("a", 2)]).multi_items() == [("a", "1"), ("a", "2")]
    assert QueryParams(a=1).multi_items() == [("a", "1")]
    assert QueryParams("a=1", b=2).multi_items() == [("a", "1"), ("b", "2")]
    assert QueryParams().multi_items() == []
    assert QueryParams("") == QueryParams()


def test_query_params_raw_bytes() -> None:
    assert QueryParams("q=é".encode()).multi_items() == [("q", "é")]
    assert QueryParams(b"q=\xe9").multi_items() == [("q", "é")]  # not UTF-8: latin-1


@given(st.text(alphabet=st.sampled_from("ab=&+%;é 0123456789ABCDEFcf"), max_size=40))
def test_query_string_parser_matches_parse_qsl(query: str) -> None:
    assert parse_query_string(query) == parse_qsl(query, keep_blank_values=True)


@given(st.lists(st.tuples(st.text(max_size=6), st.text(max_size=6)), max_size=8))
def test_query_params_survive_their_string(items: list[tuple[str, str]]) -> None:
    params = QueryParams(items)
    assert params.multi_items() == items
    assert QueryParams(str(params)).multi_items() == items
    assert QueryParams(str(params).encode()) == params
