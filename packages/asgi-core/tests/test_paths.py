import pytest

from asgi_core import get_route_path


@pytest.mark.parametrize(
    ("path", "root_path", "expected"),
    [
        ("/users/1", "", "/users/1"),
        ("/api/users/1", "/api", "/users/1"),
        ("/api", "/api", ""),
        ("/api/", "/api", "/"),
        ("/apiary/x", "/api", "/apiary/x"),  # not a whole-segment prefix
        ("/other", "/api", "/other"),  # root_path not a prefix at all
    ],
)
def test_get_route_path(path: str, root_path: str, expected: str) -> None:
    assert get_route_path({"type": "http", "path": path, "root_path": root_path}) == expected


def test_get_route_path_without_root_path_key() -> None:
    assert get_route_path({"type": "http", "path": "/x"}) == "/x"
