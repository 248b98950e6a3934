import copy
import pickle

import pytest

from asgi_core import Address, CommaSeparatedStrings, Secret, State


def test_address() -> None:
    address = Address("127.0.0.1", 8000)
    assert address.host == "127.0.0.1"
    assert address.port == 8000
    host, port = address
    assert (host, port) == ("127.0.0.1", 8000)


def test_secret_hides_value() -> None:
    secret = Secret("hunter2")
    assert repr(secret) == "Secret('**********')"
    assert str(secret) == "hunter2"
    assert bool(secret)
    assert not Secret("")
    assert "hunter2" not in repr([secret])


def test_comma_separated_strings() -> None:
    items = CommaSeparatedStrings("a, b ,c,'d, e', \"f\"")
    assert list(items) == ["a", "b", "c", "d, e", "f"]
    assert len(items) == 5
    assert items[0] == "a"
    assert items[1:3] == ["b", "c"]
    assert repr(items) == "CommaSeparatedStrings(['a', 'b', 'c', 'd, e', 'f'])"
    assert str(items) == "'a', 'b', 'c', 'd, e', 'f'"
    assert list(CommaSeparatedStrings(["x", "y"])) == ["x", "y"]
    assert list(CommaSeparatedStrings("")) == []


def test_comma_separated_strings_unbalanced_quote() -> None:
    with pytest.raises(ValueError, match="No closing quotation"):
        CommaSeparatedStrings("a, 'b")


def test_state_attributes_and_items() -> None:
    backing: dict[str, object] = {}
    state = State(backing)
    state.db = "conn"
    assert backing == {"db": "conn"}
    assert state.db == "conn"
    assert state["db"] == "conn"
    state["other"] = 1
    assert state.other == 1
    assert "other" in state
    assert len(state) == 2
    assert sorted(state) == ["db", "other"]
    del state.db
    del state["other"]
    assert backing == {}
    assert repr(State({"a": 1})) == "State({'a': 1})"


def test_state_missing_attribute_errors() -> None:
    state = State()
    with pytest.raises(AttributeError, match="'State' object has no attribute 'missing'"):
        _ = state.missing
    with pytest.raises(AttributeError, match="'State' object has no attribute 'missing'"):
        del state.missing
    with pytest.raises(KeyError):
        state["missing"]


def test_state_copy_and_pickle() -> None:
    state = State({"a": 1})
    assert copy.copy(state).a == 1
    assert pickle.loads(pickle.dumps(state)).a == 1
