from __future__ import annotations

import itertools
import sys

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
        ("Bytes=0-1", [(0, 2)]),
        (" bytes=\t0-1 ", [(0, 2)]),
        ("bytes=0-1, 5-6", [(0, 2), (5, 7)]),
        ("bytes=5-6,0-1", [(0, 2), (5, 7)]),  # sorted
        ("bytes=0-10,5-20", [(0, 21)]),  # overlapping: merged
        ("bytes=0-9,10-19", [(0, 20)]),  # adjacent: merged
        ("bytes=0-1,,3-4,", [(0, 2), (3, 5)]),  # empty list elements are allowed
        ("bytes=5-5", [(5, 6)]),
        # as Starlette: positions are read like int(), and a range that is not made of
        # numbers is skipped while the others are served
        ("bytes=0-1, x-y", [(0, 2)]),
        ("Bytes=177-784 ,x- ,x--1 ,-1-01", [(177, 785)]),
        ("bytes=+1-+2", [(1, 3)]),
        ("bytes=1_0-20", [(10, 21)]),
        ("bytes= 1 - 2 ", [(1, 3)]),
        ("bytes=-+5", [(995, 1000)]),
        ("bytes=0-1;x,7-8", [(7, 9)]),
        ("bytes=01-02", [(1, 3)]),
        ("bytes=0-" + "9" * 5000 + ",4-5", [(4, 6)]),  # not a number: skipped
    ],
)
def test_valid(header: str, expected: list[tuple[int, int]]) -> None:
    assert parse_range_header(header, 1000) == expected


@pytest.mark.parametrize(
    ("header", "message"),
    [
        # Starlette's answers and texts
        ("bytes: 0-1", "Malformed range header."),
        ("bytes", "Malformed range header."),
        ("=0-1", "Only support bytes range"),
        (" =0-1", "Only support bytes range"),
        ("bytes=", "Range header: range must be requested"),
        ("bytes= , ", "Range header: range must be requested"),
        ("bytes=100", "Range header: range must be requested"),
        ("bytes=-", "Range header: range must be requested"),
        ("bytes=abc", "Range header: range must be requested"),
        ("bytes=1-x", "Range header: range must be requested"),
        ("bytes=²-3", "Range header: range must be requested"),
        ("bytes=-1-01", "Range header: range must be requested"),
        ("bytes=0x1-2", "Range header: range must be requested"),
        ("bytes=" + "9" * 5000 + "-", "Range header: range must be requested"),
        ("bytes=100-0", "Range header: start must be less than end"),
        ("bytes=0--1", "Range header: start must be less than end"),
        ("bytes=0-1, 10-5", "Range header: start must be less than end"),
    ],
)
def test_malformed(header: str, message: str) -> None:
    with pytest.raises(MalformedRangeHeader) as info:
        parse_range_header(header, 1000)
    assert info.value.content == message
    assert str(info.value) == message


@pytest.mark.parametrize(
    "header",
    [
        "bytes=1000-",
        "bytes=5000-6000",
        "bytes=-0",
        "bytes=--5",
        "bytes=2000-,3000-",
        # as Starlette: one range past the end makes the whole header unsatisfiable (RFC
        # 9110 only says a server SHOULD send the satisfiable ones)
        "bytes=0-1,2000-3000",
        "bytes=0-1,-0",
        # checked before the order of start and end, as Starlette
        "bytes=10-5,2000-3000",
        "bytes=2000-1000",
    ],
)
def test_unsatisfiable(header: str) -> None:
    with pytest.raises(RangeNotSatisfiable) as info:
        parse_range_header(header, 1000)
    assert info.value.max_size == 1000


@pytest.mark.parametrize("header", ["bytes=0-", "bytes=-5", "bytes=0-0"])
def test_empty_file_is_never_satisfiable(header: str) -> None:
    with pytest.raises(RangeNotSatisfiable):
        parse_range_header(header, 0)


@pytest.mark.parametrize("header", ["items=0-1", "Items=0-1", "a=b=c", "pages=x"])
def test_other_units_are_ignored(header: str) -> None:
    # RFC 9110 section 14.2: an origin server MUST ignore a range unit it does not
    # understand (Starlette answers 400 "Only support bytes range")
    assert parse_range_header(header, 1000) is None


def test_too_many_ranges_are_ignored() -> None:
    # the limit is Starlette's: more than 100 comma-separated ranges, whatever they are
    header = "bytes=" + ",".join(f"{i}-{i}" for i in range(10_000))
    assert parse_range_header(header, 100_000) is None
    assert parse_range_header("bytes=" + ",".join(["0-0"] * 100), 10) == [(0, 1)]
    assert parse_range_header("bytes=" + ",".join(["0-0"] * 101), 10) is None
    assert parse_range_header("bytes=" + "," * 100, 10) is None
    assert parse_range_header("bytes=10-5" + ",x" * 100, 10) is None
    assert parse_range_header("bytes=0-0,2-2,4-4", 10, max_ranges=2) is None


def test_long_positions_are_not_numbers_whatever_the_interpreter_allows() -> None:
    # converting a number costs more than linear time in its digits: positions longer than
    # Python's default limit are skipped even where that limit is lifted
    previous = sys.get_int_max_str_digits()
    sys.set_int_max_str_digits(0)
    try:
        with pytest.raises(MalformedRangeHeader, match="range must be requested"):
            parse_range_header("bytes=" + "1" * 4301 + "-", 1000)
        assert parse_range_header("bytes=" + "0" * 4300 + "-", 1000) == [(0, 1000)]
    finally:
        sys.set_int_max_str_digits(previous)


def reference(header: str, size: int) -> set[int] | None:
    """Every byte position the header asks for, computed the slow, obvious way.

    ``None`` when a range starts at or past the end: the header is not satisfiable.
    """
    wanted: set[int] = set()
    for spec in header.removeprefix("bytes=").split(","):
        first, _, last = spec.partition("-")
        start = int(first) if first else max(0, size - int(last))
        if start >= size:
            return None
        stop = int(last) + 1 if first and last else size
        wanted.update(range(start, min(stop, size)))
    return wanted


spec = st.one_of(
    st.tuples(st.integers(0, 300), st.integers(0, 300)).map(lambda t: f"{min(t)}-{max(t)}"),
    st.integers(0, 300).map(lambda n: f"{n}-"),
    st.integers(0, 300).map(lambda n: f"-{n}"),
)


@given(st.lists(spec, min_size=1, max_size=20), st.integers(1, 250))
def test_matches_a_naive_reference(specs: list[str], size: int) -> None:
    header = "bytes=" + ",".join(specs)
    wanted = reference(header, size)
    try:
        ranges = parse_range_header(header, size)
    except RangeNotSatisfiable:
        assert wanted is None
        return
    assert ranges is not None
    assert wanted is not None
    covered = {position for start, stop in ranges for position in range(start, stop)}
    assert covered == wanted
    assert ranges == sorted(ranges)
    assert all(a_stop < b_start for (_, a_stop), (b_start, _) in itertools.pairwise(ranges))
