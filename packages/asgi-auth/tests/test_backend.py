"""AuthCredentials, AuthenticationBackend and AuthenticationError, as in Starlette."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from asgi_auth import AuthCredentials, AuthenticationBackend, AuthenticationError
from asgi_core import HTTPConnection
from asgi_core.types import Scope


def test_credentials_default_to_no_scopes() -> None:
    assert AuthCredentials().scopes == []
    assert AuthCredentials(None).scopes == []


def test_credentials_copy_the_scopes_into_a_list() -> None:
    given = ("authenticated", "admin")
    credentials = AuthCredentials(given)
    assert credentials.scopes == ["authenticated", "admin"]
    assert isinstance(credentials.scopes, list)
    source = ["a"]
    credentials = AuthCredentials(source)
    source.append("b")
    assert credentials.scopes == ["a"]
    assert AuthCredentials(scope for scope in ["x", "y"]).scopes == ["x", "y"]  # type: ignore[arg-type]


def test_a_string_is_a_sequence_of_characters_as_in_starlette() -> None:
    assert AuthCredentials("ab").scopes == ["a", "b"]


def test_each_credentials_object_has_its_own_list() -> None:
    first, second = AuthCredentials(), AuthCredentials()
    first.scopes.append("admin")
    assert second.scopes == []


def test_authentication_error() -> None:
    error = AuthenticationError("Invalid basic auth credentials")
    assert isinstance(error, Exception)
    assert str(error) == "Invalid basic auth credentials"
    assert error.args == ("Invalid basic auth credentials",)
    assert repr(error) == "AuthenticationError('Invalid basic auth credentials')"
    assert str(AuthenticationError()) == ""


@pytest.mark.anyio
async def test_the_base_backend_must_be_subclassed(scope: Callable[..., Scope]) -> None:
    with pytest.raises(NotImplementedError):
        await AuthenticationBackend().authenticate(HTTPConnection(scope()))
