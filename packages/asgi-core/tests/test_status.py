import http

import pytest

from asgi_core import AsgiDeprecationWarning, status


def test_http_codes_match_their_names() -> None:
    names = [name for name in status.__all__ if name.startswith("HTTP_")]
    assert len(names) == 63
    for name in names:
        code = int(name.split("_")[1])
        assert getattr(status, name) == code


def test_http_codes_cover_the_standard_library() -> None:
    ours = {getattr(status, name) for name in status.__all__ if name.startswith("HTTP_")}
    assert {int(s) for s in http.HTTPStatus} - ours <= {509}  # 509 is not registered by IANA


def test_websocket_codes() -> None:
    assert status.WS_1000_NORMAL_CLOSURE == 1000
    assert status.WS_1009_MESSAGE_TOO_BIG == 1009
    assert status.WS_1015_TLS_HANDSHAKE == 1015
    assert len([n for n in status.__all__ if n.startswith("WS_")]) == 15


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("HTTP_413_REQUEST_ENTITY_TOO_LARGE", "HTTP_413_CONTENT_TOO_LARGE"),
        ("HTTP_414_REQUEST_URI_TOO_LONG", "HTTP_414_URI_TOO_LONG"),
        ("HTTP_416_REQUESTED_RANGE_NOT_SATISFIABLE", "HTTP_416_RANGE_NOT_SATISFIABLE"),
        ("HTTP_422_UNPROCESSABLE_ENTITY", "HTTP_422_UNPROCESSABLE_CONTENT"),
    ],
)
def test_deprecated_names_warn(old: str, new: str) -> None:
    with pytest.warns(
        AsgiDeprecationWarning, match=f"'{old}' is deprecated. Use '{new}' instead."
    ) as record:
        value = getattr(status, old)
    assert value == getattr(status, new)
    assert record[0].filename == __file__


def test_unknown_name() -> None:
    with pytest.raises(
        AttributeError, match="module 'asgi_core.status' has no attribute 'HTTP_999'"
    ):
        _ = status.HTTP_999


def test_dir_lists_old_and_new_names() -> None:
    names = dir(status)
    assert "HTTP_200_OK" in names
    assert "HTTP_422_UNPROCESSABLE_ENTITY" in names


def test_deprecated_names_warn_at_the_line_that_uses_them() -> None:
    first_line = test_deprecated_names_warn_at_the_line_that_uses_them.__code__.co_firstlineno
    with pytest.warns(AsgiDeprecationWarning) as imported:
        from asgi_core.status import HTTP_413_REQUEST_ENTITY_TOO_LARGE  # noqa: F401
    with pytest.warns(AsgiDeprecationWarning) as read:
        _ = status.HTTP_414_REQUEST_URI_TOO_LONG
    assert [(w.filename, w.lineno) for w in [*imported, *read]] == [
        (__file__, first_line + 3),
        (__file__, first_line + 5),
    ]
