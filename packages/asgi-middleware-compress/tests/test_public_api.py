"""The package root exports its public names, each with a docstring."""

from __future__ import annotations

import inspect

import asgi_middleware_compress


def test_all_names_are_exported_and_documented() -> None:
    assert sorted(asgi_middleware_compress.__all__) == [
        "CompressMiddleware",
        "DEFAULT_EXCLUDED_CONTENT_TYPES",
        "GZipMiddleware",
        "GZipResponder",
        "IdentityResponder",
        "__version__",
        "unattached_send",
    ]
    for name in asgi_middleware_compress.__all__:
        value = getattr(asgi_middleware_compress, name)
        if inspect.isclass(value) or inspect.isfunction(value):
            assert inspect.getdoc(value), name
    assert asgi_middleware_compress.__version__ == "0.1.0"
