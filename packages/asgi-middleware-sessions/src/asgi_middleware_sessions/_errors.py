"""The exceptions of the package: a store that failed, and a session too large for a cookie."""

from __future__ import annotations

__all__ = ["MAX_COOKIE_SIZE", "SessionStoreError", "SessionTooLargeError"]

MAX_COOKIE_SIZE = 4096
"""Most bytes of cookie name plus value browsers keep (RFC 6265bis ignores longer cookies)."""


class SessionStoreError(RuntimeError):
    """A session store could not load, save or delete a session.

    Raised instead of handing the application an empty session, which would log every user
    out while the store is unreachable. ``store`` names the store, ``operation`` is
    ``"load"``, ``"save"`` or ``"delete"``, and ``__cause__`` is the original exception.
    """

    def __init__(self, store: str, operation: str, cause: BaseException, hint: str = "") -> None:
        self.store = store
        self.operation = operation
        message = (
            f"{store} could not {operation} the session: {type(cause).__name__}: {cause}. "
            "The request was not given an empty session (that would log the user out); "
            "check that the store is reachable, sessions work again as soon as it is."
        )
        if hint:
            message = f"{message} {hint}"
        super().__init__(message)


class SessionTooLargeError(ValueError):
    """The session does not fit in a cookie.

    Browsers silently drop a cookie whose name and value are over :data:`MAX_COOKIE_SIZE`
    bytes, which would lose the session without a trace; this error is raised instead, before
    the response starts. ``size`` is the cookie's name and value length in bytes.
    """

    def __init__(self, cookie_name: str, size: int) -> None:
        self.size = size
        super().__init__(
            f"The session cookie {cookie_name!r} would be {size} bytes (name and signed value), "
            f"over the {MAX_COOKIE_SIZE} bytes browsers keep: they would drop it silently. "
            "Keep less in the session (ids rather than whole objects), or keep the data on "
            "the server with SessionMiddleware(..., store=MemorySessionStore()) or "
            "store=RedisSessionStore(url), which put only a signed session id in the cookie."
        )
