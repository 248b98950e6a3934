from __future__ import annotations

import inspect

import pytest

import asgi_staticfiles


@pytest.mark.parametrize("name", asgi_staticfiles.__all__)
def test_documented(name: str) -> None:
    obj = getattr(asgi_staticfiles, name)
    if inspect.isclass(obj):
        assert inspect.getdoc(obj), name
        for attribute, value in vars(obj).items():
            if not attribute.startswith("_") and inspect.isfunction(value):
                assert inspect.getdoc(value), f"{name}.{attribute}"


def test_starlettes_names() -> None:
    assert {"StaticFiles", "NotModifiedResponse", "PathLike"} <= set(asgi_staticfiles.__all__)
    assert asgi_staticfiles.__version__ == "0.1.0"


def test_starlettes_methods() -> None:
    cls = asgi_staticfiles.StaticFiles
    for name in ("get_directories", "get_path", "lookup_path", "file_response", "is_not_modified"):
        assert not inspect.iscoroutinefunction(getattr(cls, name)), name
    for name in ("__call__", "get_response", "check_config"):
        assert inspect.iscoroutinefunction(getattr(cls, name)), name
    signature = inspect.signature(cls.file_response)
    assert list(signature.parameters) == [
        "self",
        "full_path",
        "stat_result",
        "scope",
        "status_code",
    ]
