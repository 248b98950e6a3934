from __future__ import annotations

import pytest

from asgi_core.types import Receive, Scope, Send
from asgi_middleware_trustedhost import (
    ENFORCE_DOMAIN_WILDCARD,
    TrustedHostConfigurationError,
    TrustedHostMiddleware,
)


async def app(scope: Scope, receive: Receive, send: Send) -> None:  # pragma: no cover - unused
    pass


def test_starlettes_message() -> None:
    assert ENFORCE_DOMAIN_WILDCARD == "Domain wildcard patterns must be like '*.example.com'."


@pytest.mark.parametrize(
    "pattern",
    ["example.*", "a*.example.org", "*example.org", "**.example.org", "*.*.example.org", "a.*.b"],
)
def test_a_misplaced_wildcard_is_refused(pattern: str) -> None:
    with pytest.raises(TrustedHostConfigurationError) as info:
        TrustedHostMiddleware(app, allowed_hosts=["example.org", pattern])
    assert str(info.value) == (
        f"Domain wildcard patterns must be like '*.example.com'. Received {pattern!r} in "
        "allowed_hosts: a '*' may only stand alone ('*', every host) or start a pattern "
        "followed by a dot ('*.example.com', every subdomain of example.com)."
    )
    assert isinstance(info.value, ValueError)
    assert isinstance(info.value, AssertionError)


@pytest.mark.parametrize("pattern", ["*", "*.", "*.example.org", "", "example.org"])
def test_valid_patterns(pattern: str) -> None:
    TrustedHostMiddleware(app, allowed_hosts=[pattern])


@pytest.mark.parametrize("value", ["example.org", b"example.org"])
def test_a_single_string_is_refused(value: str) -> None:
    with pytest.raises(TypeError) as info:
        TrustedHostMiddleware(app, allowed_hosts=value)
    assert str(info.value) == (
        "allowed_hosts must be a list of host names such as ['example.org', '*.example.org'], "
        f"not a single string: received {value!r}. Wrap it in a list: allowed_hosts=[{value!r}]."
    )


def test_a_non_string_is_refused() -> None:
    with pytest.raises(TypeError) as info:
        TrustedHostMiddleware(app, allowed_hosts=["example.org", None])  # type: ignore[list-item]
    assert str(info.value) == (
        "allowed_hosts must hold host names (strings) such as 'example.org': "
        "received None (NoneType)."
    )
