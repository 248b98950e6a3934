"""BaseUser, SimpleUser and UnauthenticatedUser, as in Starlette."""

from __future__ import annotations

import pytest

from asgi_auth import BaseUser, SimpleUser, UnauthenticatedUser


@pytest.mark.parametrize("name", ["is_authenticated", "display_name", "identity"])
def test_base_user_leaves_every_property_to_subclasses(name: str) -> None:
    with pytest.raises(NotImplementedError):
        getattr(BaseUser(), name)


def test_simple_user() -> None:
    user = SimpleUser("ada")
    assert isinstance(user, BaseUser)
    assert user.username == "ada"
    assert user.is_authenticated is True
    assert user.display_name == "ada"
    assert user.identity == "ada"
    assert vars(user) == {"username": "ada"}


def test_unauthenticated_user() -> None:
    user = UnauthenticatedUser()
    assert isinstance(user, BaseUser)
    assert user.is_authenticated is False
    assert user.display_name == ""
    assert user.identity == ""


def test_a_subclass_with_its_own_model() -> None:
    class User(BaseUser):
        def __init__(self, user_id: int, email: str) -> None:
            self.user_id = user_id
            self.email = email

        @property
        def is_authenticated(self) -> bool:
            return True

        @property
        def display_name(self) -> str:
            return self.email

        @property
        def identity(self) -> str:
            return str(self.user_id)

    user = User(7, "ada@example.org")
    assert (user.is_authenticated, user.display_name, user.identity) == (
        True,
        "ada@example.org",
        "7",
    )
