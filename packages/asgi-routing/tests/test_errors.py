"""``RouteConfigurationError``: a ValueError *and* an AssertionError, with useful messages."""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from typing import Any

import pytest

from asgi_core import Request
from asgi_core.types import Receive, Scope, Send
from asgi_responses import PlainTextResponse
from asgi_routing import (
    CONVERTOR_TYPES,
    Host,
    Mount,
    Route,
    RouteConfigurationError,
    Router,
    WebSocketRoute,
    compile_path,
)


async def home(request: Request) -> PlainTextResponse:
    return PlainTextResponse("home")  # pragma: no cover - never called here


async def asgi_app(scope: Scope, receive: Receive, send: Send) -> None:
    pass  # pragma: no cover - never called here


def test_it_is_a_value_error_and_an_assertion_error() -> None:
    assert issubclass(RouteConfigurationError, ValueError)
    assert issubclass(RouteConfigurationError, AssertionError)
    with pytest.raises(ValueError, match="Routed paths must start with '/'"):
        Route("users", home)
    with pytest.raises(AssertionError) as info:  # the way code written for Starlette catches it
        Route("users", home)
    assert isinstance(info.value, RouteConfigurationError)


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (
            lambda: Route("users", home),
            "Routed paths must start with '/': got 'users'. Write '/users'.",
        ),
        (
            lambda: WebSocketRoute("ws", home),
            "Routed paths must start with '/': got 'ws'. Write '/ws'.",
        ),
        (
            lambda: Mount("static", app=asgi_app),
            (
                "Routed paths must start with '/': got 'static'. Write '/static' (or '' to mount "
                "at the root)."
            ),
        ),
        (
            lambda: Mount("/static"),
            (
                "Either 'app=...', or 'routes=' must be specified: got neither for the mount at "
                "'/static'. Pass app=<an ASGI app> or routes=[...]."
            ),
        ),
        (
            lambda: Host("/api", app=asgi_app),
            (
                "Host must not start with '/': got '/api'. Give a host name such as 'example.org' "
                "or '{subdomain}.example.org'; use Mount for a path prefix."
            ),
        ),
        (
            lambda: compile_path("/{day:date}"),
            (
                "Unknown path convertor 'date' in '/{day:date}'. Use one of float, int, path, str, "
                "uuid, or add it first with register_url_convertor('date', ...)."
            ),
        ),
        (
            lambda: Route("/{id}/{id}", home),
            "Duplicated param name id at path /{id}/{id}. Give each path parameter its own name.",
        ),
    ],
)
def test_configuration_errors_say_what_was_received_and_what_to_do(
    make: Callable[[], Any], message: str
) -> None:
    with pytest.raises(RouteConfigurationError, match=f"^{re.escape(message)}$"):
        make()


@pytest.mark.parametrize(
    ("kind", "value", "message"),
    [
        (
            "str",
            "a/b",
            (
                "May not contain path separators: got 'a/b'. Use a {name:path} parameter for "
                "values with '/'."
            ),
        ),
        ("str", "", "Must not be empty: got ''. Pass a non-empty value for this path parameter."),
        ("int", -1, "Negative integers are not supported: got -1. Pass a value >= 0."),
        ("float", -1.5, "Negative floats are not supported: got -1.5. Pass a value >= 0."),
        ("float", math.nan, "NaN values are not supported: got nan. Pass a number."),
        ("float", math.inf, "Infinite values are not supported: got inf. Pass a finite number."),
    ],
)
def test_values_a_convertor_cannot_put_in_a_url(kind: str, value: Any, message: str) -> None:
    with pytest.raises(RouteConfigurationError, match=f"^{re.escape(message)}$"):
        CONVERTOR_TYPES[kind].to_string(value)


def test_url_path_for_with_a_bad_value() -> None:
    router = Router([Route("/users/{id:int}", home, name="user")])
    with pytest.raises(AssertionError, match="Negative integers are not supported: got -3"):
        router.url_path_for("user", id=-3)
