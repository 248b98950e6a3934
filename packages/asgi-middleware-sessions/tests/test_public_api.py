"""The package root exports its public names, each with a docstring."""

from __future__ import annotations

import inspect

import asgi_middleware_sessions


def test_all_names_are_exported_and_documented() -> None:
    assert sorted(asgi_middleware_sessions.__all__) == [
        "MAX_COOKIE_SIZE",
        "MemorySessionStore",
        "RedisSessionStore",
        "Session",
        "SessionMiddleware",
        "SessionStore",
        "SessionStoreError",
        "SessionTooLargeError",
        "__version__",
    ]
    for name in asgi_middleware_sessions.__all__:
        value = getattr(asgi_middleware_sessions, name)
        if inspect.isclass(value) or inspect.isfunction(value):
            assert inspect.getdoc(value), name
            for member_name, member in vars(value).items():
                if not member_name.startswith("_") and inspect.isfunction(member):
                    assert inspect.getdoc(member), f"{name}.{member_name}"
    assert asgi_middleware_sessions.__version__ == "0.1.0"
    assert asgi_middleware_sessions.MAX_COOKIE_SIZE == 4096


def test_importing_the_package_does_not_import_redis() -> None:
    """The redis extra is optional: RedisSessionStore imports redis-py when it is built."""
    import subprocess
    import sys

    code = "import sys, asgi_middleware_sessions; print('redis' in sys.modules)"
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "False"
