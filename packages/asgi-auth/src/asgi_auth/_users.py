"""The user an authentication backend puts in ``scope["user"]`` (``request.user``)."""

from __future__ import annotations

__all__ = ["BaseUser", "SimpleUser", "UnauthenticatedUser"]


class BaseUser:
    """The interface of ``request.user``: subclass it for your own user model.

    Override :attr:`is_authenticated`, :attr:`display_name` and :attr:`identity`; each
    raises ``NotImplementedError`` here, as in Starlette.
    """

    @property
    def is_authenticated(self) -> bool:
        """Whether the connection carries valid credentials."""
        raise NotImplementedError()

    @property
    def display_name(self) -> str:
        """The name to show for this user."""
        raise NotImplementedError()

    @property
    def identity(self) -> str:
        """A unique identifier of this user (an id, a user name, ...)."""
        raise NotImplementedError()


class SimpleUser(BaseUser):
    """An authenticated user known only by ``username``."""

    def __init__(self, username: str) -> None:
        self.username = username

    @property
    def is_authenticated(self) -> bool:
        """Always ``True``."""
        return True

    @property
    def display_name(self) -> str:
        """The user name."""
        return self.username

    @property
    def identity(self) -> str:
        """The user name."""
        return self.username


class UnauthenticatedUser(BaseUser):
    """The user of a connection the backend did not authenticate (it returned ``None``)."""

    @property
    def is_authenticated(self) -> bool:
        """Always ``False``."""
        return False

    @property
    def display_name(self) -> str:
        """The empty string."""
        return ""

    @property
    def identity(self) -> str:
        """The empty string."""
        return ""
