import pytest

from asgi_core._form_limits import content_type_options, kilobytes, shown, size_text


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, ("", {})),
        ("", ("", {})),
        ("Text/HTML", ("text/html", {})),
        ("multipart/form-data; boundary=abc", ("multipart/form-data", {"boundary": "abc"})),
        (
            'multipart/form-data; Boundary="a b"; charset=utf-8',
            ("multipart/form-data", {"boundary": "a b", "charset": "utf-8"}),
        ),
        ("text/plain; junk; a=1", ("text/plain", {"a": "1"})),
    ],
)
def test_content_type_options(value: str | None, expected: tuple[str, dict[str, str]]) -> None:
    assert content_type_options(value) == expected


def test_kilobytes_round_down_as_starlette_states_limits() -> None:
    assert kilobytes(1024 * 1024) == 1024
    assert kilobytes(3000) == 2
    assert kilobytes(10) == 0


def test_size_text() -> None:
    assert size_text(1024 * 1024) == "1MB"
    assert size_text(3 * 1024) == "3KB"
    assert size_text(1000) == "1000 bytes"
    assert size_text(0) == "0 bytes"


def test_shown_quotes_and_cuts_what_the_client_sent() -> None:
    assert shown(None) == "None"
    assert shown("a'b") == '"a\'b"'
    assert shown(b"caf\xe9") == "'café'"
    assert shown("x" * 61) == f"{'x' * 60!r}..."
    assert shown("x" * 5, limit=3) == "'xxx'..."
