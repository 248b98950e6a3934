from __future__ import annotations

import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st

from asgi_responses import MalformedRangeHeader, RangeNotSatisfiable, parse_range_header


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("bytes=0-9", [(0, 10)]),
        ("bytes=0-", [(0, 1000)]),
        ("bytes=-100", [(900, 1000)]),
        ("bytes=-5000", [(0, 1000)]),  # a suffix longer than the file selects all of it
        ("bytes=990-2000", [(990, 1000)]),
        ("BYTES = 1-2", [(1, 3)]),
        ("bytes=0-1, 5-6", [(0, 2), (5, 7)]),
        ("bytes=5-6,0-1", [(0, 2), (5, 7)]),  # sorted
        ("bytes=0-10,5-20", [(0, 21)]),  # overlapping: merged
        ("bytes=0-9,10-19", [(0, 20)]),  # adjacent: merged
        ("bytes=0-1,,3-4,", [(0, 2), (3, 5)]),  # empty list elements are allowed
        ("bytes=0-1,2000-3000", [(0, 2)]),  # unsatisfiable ranges are dropped
        ("bytes=-0,0-0", [(0, 1)]),
    ],
)
def test_valid(header: str, expected: list[tuple[int, int]]) -> None:
    assert parse_range_header(header, 1000) == expected


@pytest.mark.parametrize(
    ("header", "message"),
    [
        ("bytes=", "^Range header: range must be requested, got 'bytes='$"),
        ("bytes= , ", "range must be requested"),
        ("bytes=100-0", "^Range header: start must be less than end, got '100-0'$"),
        ("bytes: 0-1", "^Malformed range header: expected 'bytes=<ranges>', got 'bytes: 0-1'.$"),
        ("bytes=abc", "'abc' is not a byte range"),
        ("bytes=1-x", "'x' is not a byte position"),
        ("bytes=-", "'-' is not a byte range"),
        ("bytes=²-3", "is not a byte position"),
        ("bytes=" + "9" * 5000 + "-", "byte position too large, got a number of 5000 digits"),
        ("bytes=" + "x" * 5000 + "-", "^Range header: 'x{60}'... is not a byte position.$"),
    ],
)
def test_malformed(header: str, message: str) -> None:
    with pytest.raises(MalformedRangeHeader, match=message):
        parse_range_header(header, 1000)


@pytest.mark.parametrize(
    "header", ["bytes=1000-", "bytes=5000-6000", "bytes=-0", "bytes=2000-,3000-"]
)
def test_unsatisfiable(header: str) -> None:
    with pytest.raises(RangeNotSatisfiable) as info:
        parse_range_header(header, 1000)
    assert info.value.max_size == 1000


def test_empty_file_is_never_satisfiable() -> None:
    with pytest.raises(RangeNotSatisfiable):
        parse_range_header("bytes=0-", 0)


def test_other_units_are_ignored() -> None:
    assert parse_range_header("items=0-1", 1000) is None


def test_too_many_ranges_are_ignored() -> None:
    header = "bytes=" + ",".join(f"{i}-{i}" for i in range(10_000))
    assert parse_range_header(header, 100_000) is None
    assert parse_range_header("bytes=" + ",".join(["0-0"] * 100), 10) == [(0, 1)]
    assert parse_range_header("bytes=" + ",".join(["0-0"] * 101), 10) is None
    assert parse_range_header("bytes=0-0,2-2,4-4", 10, max_ranges=2) is None


def reference(header: str, size: int) -> set[int]:
    """Every byte position the header asks for, computed the slow, obvious way."""
    wanted: set[int] = set()
    for spec in header.removeprefix("bytes=").split(","):
        first, _, last = spec.partition("-")
        if first:
            stop = int(last) + 1 if last else size
            wanted.update(range(int(first), min(stop, size)))
        else:
            wanted.update(range(max(0, size - int(last)), size))
    return wanted


spec = st.one_of(
    st.tuples(st.integers(0, 300), st.integers(0, 300)).map(lambda t: f"{min(t)}-{max(t)}"),
    st.integers(0, 300).map(lambda n: f"{n}-"),
    st.integers(1, 300).map(lambda n: f"-{n}"),
)


@given(st.lists(spec, min_size=1, max_size=20), st.integers(1, 250))
def test_matches_a_naive_reference(specs: list[str], size: int) -> None:
    header = "bytes=" + ",".join(specs)
    wanted = reference(header, size)
    try:
        ranges = parse_range_header(header, size)
    except RangeNotSatisfiable:
        assert wanted == set()
        return
    assert ranges is not None
    covered = {position for start, stop in ranges for position in range(start, stop)}
    assert covered == wanted
    assert ranges == sorted(ranges)
    assert all(a_stop < b_start for (_, a_stop), (b_start, _) in itertools.pairwise(ranges))
