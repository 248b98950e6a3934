"""The package root exports its public names, each with a docstring, as Starlette names them."""

from __future__ import annotations

import inspect

import asgi_auth


def test_all_names_are_exported_and_documented() -> None:
    assert sorted(asgi_auth.__all__) == [
        "AuthCredentials",
        "AuthenticationBackend",
        "AuthenticationError",
        "AuthenticationMiddleware",
        "BaseUser",
        "SimpleUser",
        "UnauthenticatedUser",
        "__version__",
        "has_required_scope",
        "requires",
    ]
    assert asgi_auth.__doc__
    for name in asgi_auth.__all__:
        value = getattr(asgi_auth, name)
        if inspect.isclass(value) or inspect.isfunction(value):
            assert inspect.getdoc(value), name
        if inspect.isclass(value):
            for attribute, member in vars(value).items():
                if not attribute.startswith("_"):
                    assert inspect.getdoc(member), f"{name}.{attribute}"
    assert asgi_auth.__version__ == "0.1.0"


def test_signatures_follow_starlette() -> None:
    signature = inspect.signature
    assert str(signature(asgi_auth.requires)) == (
        "(scopes: 'str | Sequence[str]', status_code: 'int' = 403, redirect: 'str | None' = None)"
        " -> 'Callable[[Callable[_P, Any]], Callable[_P, Any]]'"
    )
    assert list(signature(asgi_auth.AuthenticationMiddleware).parameters) == [
        "app",
        "backend",
        "on_error",
    ]
    assert signature(asgi_auth.AuthenticationMiddleware).parameters["on_error"].default is None
    assert list(signature(asgi_auth.has_required_scope).parameters) == ["conn", "scopes"]
    assert list(signature(asgi_auth.AuthCredentials).parameters) == ["scopes"]
    assert list(signature(asgi_auth.SimpleUser).parameters) == ["username"]
    assert inspect.iscoroutinefunction(asgi_auth.AuthenticationBackend.authenticate)
    assert isinstance(
        inspect.getattr_static(asgi_auth.AuthenticationMiddleware, "default_on_error"),
        staticmethod,
    )
