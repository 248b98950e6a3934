"""Configuration checks, and URLs without their passwords."""

from __future__ import annotations

import pytest

from asgi_broadcast._options import check_int, check_overflow, check_seconds, redacted


def test_check_int() -> None:
    assert check_int("X", "n", 3, minimum=1) == 3
    with pytest.raises(TypeError, match=r"X\(n=3.0\): pass an integer \(at least 1\)"):
        check_int("X", "n", 3.0, minimum=1)
    with pytest.raises(TypeError, match=r"X\(n=False\)"):
        check_int("X", "n", False, minimum=0)
    with pytest.raises(ValueError, match=r"X\(n=0\): pass an integer of at least 1"):
        check_int("X", "n", 0, minimum=1)


def test_check_seconds() -> None:
    assert check_seconds("X", "t", 2) == 2.0
    assert isinstance(check_seconds("X", "t", 2), float)
    for wrong in (0, -1, float("nan")):
        with pytest.raises(ValueError, match="positive number of seconds"):
            check_seconds("X", "t", wrong)
    for wrong_type in (None, "1", True):
        with pytest.raises(TypeError, match="a number of seconds"):
            check_seconds("X", "t", wrong_type)


def test_check_overflow() -> None:
    assert check_overflow("X", "drop_oldest") == "drop_oldest"
    assert check_overflow("X", "drop_newest") == "drop_newest"
    with pytest.raises(ValueError, match=r"X\(overflow=None\)"):
        check_overflow("X", None)


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        ("redis://localhost:6379/0", "redis://localhost:6379/0"),
        ("redis://user@host/0", "redis://user@host/0"),
        ("redis://:secret@host/0", "redis://:***@host/0"),
        ("rediss://ada:p@ss:w0rd@host:6380", "rediss://ada:***@host:6380"),
        ("memory://", "memory://"),
    ],
)
def test_redacted(url: str, shown: str) -> None:
    assert redacted(url) == shown
