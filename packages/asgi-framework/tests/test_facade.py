"""The modules laid out like Starlette's import and export what they promise."""

from __future__ import annotations

import importlib

import pytest

from asgi_core import AsgiDeprecationWarning

MODULES = [
    "applications",
    "routing",
    "requests",
    "responses",
    "websockets",
    "datastructures",
    "exceptions",
    "status",
    "background",
    "concurrency",
    "config",
    "convertors",
    "endpoints",
    "formparsers",
    "types",
    "testclient",
    "schemas",
    "middleware",
    "middleware.errors",
    "middleware.exceptions",
    "middleware.cors",
    "middleware.trustedhost",
    "middleware.httpsredirect",
    "middleware.gzip",
    "middleware.compress",
    "middleware.opentelemetry",
    "middleware.base",
    "middleware.body_limit",
    "middleware.sessions",
    "middleware.authentication",
    "authentication",
    "templating",
    "staticfiles",
    "broadcast",
]


@pytest.mark.parametrize("name", MODULES)
def test_module_exports(name: str) -> None:
    module = importlib.import_module(f"asgi_framework.{name}")
    assert module.__doc__
    assert module.__all__
    for exported in module.__all__:
        assert hasattr(module, exported), f"asgi_framework.{name}.{exported}"


def test_the_same_objects_as_the_owning_packages() -> None:
    from asgi_core import Request
    from asgi_framework.requests import Request as FacadeRequest
    from asgi_framework.routing import Router as FacadeRouter
    from asgi_routing import Router

    assert FacadeRequest is Request
    assert FacadeRouter is Router


def test_the_middleware_modules_re_export_the_middleware_packages() -> None:
    import asgi_auth
    import asgi_middleware_base
    import asgi_middleware_bodylimit
    import asgi_middleware_compress
    import asgi_middleware_cors
    import asgi_middleware_httpsredirect
    import asgi_middleware_opentelemetry
    import asgi_middleware_sessions
    import asgi_middleware_trustedhost
    from asgi_framework.middleware import (
        authentication,
        base,
        body_limit,
        compress,
        cors,
        gzip,
        httpsredirect,
        opentelemetry,
        sessions,
        trustedhost,
    )

    for facade, package in [
        (cors, asgi_middleware_cors),
        (trustedhost, asgi_middleware_trustedhost),
        (httpsredirect, asgi_middleware_httpsredirect),
        (gzip, asgi_middleware_compress),
        (compress, asgi_middleware_compress),
        (opentelemetry, asgi_middleware_opentelemetry),
        (base, asgi_middleware_base),
        (body_limit, asgi_middleware_bodylimit),
        (sessions, asgi_middleware_sessions),
        (authentication, asgi_auth),
    ]:
        for name in facade.__all__:
            assert getattr(facade, name) is getattr(package, name), f"{facade.__name__}.{name}"
    # every public name of the single-purpose packages is there
    for facade, package in [
        (cors, asgi_middleware_cors),
        (trustedhost, asgi_middleware_trustedhost),
        (httpsredirect, asgi_middleware_httpsredirect),
        (opentelemetry, asgi_middleware_opentelemetry),
        (base, asgi_middleware_base),
        (body_limit, asgi_middleware_bodylimit),
        (sessions, asgi_middleware_sessions),
    ]:
        assert set(facade.__all__) == set(package.__all__) - {"__version__"}
    assert set(gzip.__all__) | set(compress.__all__) == set(asgi_middleware_compress.__all__) - {
        "__version__"
    }


def test_status_facade() -> None:
    from asgi_framework import status

    assert status.HTTP_404_NOT_FOUND == 404
    assert "HTTP_200_OK" in dir(status)
    with pytest.warns(AsgiDeprecationWarning, match="HTTP_422_UNPROCESSABLE_ENTITY"):
        assert status.HTTP_422_UNPROCESSABLE_ENTITY == 422


def test_root_exports() -> None:
    import asgi_framework

    assert asgi_framework.__all__ == [
        "App",
        "Config",
        "Starlette",
        "__version__",
        "install_as_starlette",
    ]


def test_starlette_names_for_migrating_code() -> None:
    from asgi_framework import App, Starlette
    from asgi_framework.applications import Starlette as FromApplications
    from asgi_framework.exceptions import StarletteDeprecationWarning

    assert Starlette is FromApplications is App
    assert StarletteDeprecationWarning is AsgiDeprecationWarning


def test_authentication_splits_asgi_auth_as_starlette_does() -> None:
    import asgi_auth
    from asgi_framework import authentication
    from asgi_framework.middleware import authentication as middleware

    assert middleware.__all__ == ["AuthenticationMiddleware"]
    assert middleware.AuthenticationMiddleware is asgi_auth.AuthenticationMiddleware
    for name in authentication.__all__:
        assert getattr(authentication, name) is getattr(asgi_auth, name), name
    # between them, every public name of asgi-auth
    assert set(authentication.__all__) | set(middleware.__all__) == set(asgi_auth.__all__) - {
        "__version__"
    }


def test_templating_re_exports_asgi_templates() -> None:
    import asgi_templates
    from asgi_framework import templating

    for name in templating.__all__:
        assert getattr(templating, name) is getattr(asgi_templates, name), name
    assert set(templating.__all__) == set(asgi_templates.__all__) - {"__version__"}


def test_staticfiles_re_exports_asgi_staticfiles() -> None:
    import asgi_staticfiles
    from asgi_framework import staticfiles

    for name in staticfiles.__all__:
        assert getattr(staticfiles, name) is getattr(asgi_staticfiles, name), name
    assert set(staticfiles.__all__) == set(asgi_staticfiles.__all__) - {"__version__"}
