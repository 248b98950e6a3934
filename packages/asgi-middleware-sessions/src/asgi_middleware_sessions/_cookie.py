"""The session cookie: read from the request, signed, checked, and written as Starlette does."""

from __future__ import annotations

import base64
import binascii
from collections.abc import Sequence
from typing import Any

from itsdangerous import BadSignature, TimestampSigner

from asgi_core import cookie_parser
from asgi_core.types import Scope
from asgi_middleware_sessions._errors import MAX_COOKIE_SIZE, SessionTooLargeError
from asgi_middleware_sessions._store import dumps, loads

__all__ = ["DATA_SALT", "ID_SALT", "SessionCookie", "decode_data", "encode_data"]

DATA_SALT = "itsdangerous.Signer"  # itsdangerous' default, as Starlette signs session data
ID_SALT = "asgi_middleware_sessions.session_id"  # a signed id is never taken for signed data
_EXPIRED = "expires=Thu, 01 Jan 1970 00:00:00 GMT"


def encode_data(data: dict[str, Any]) -> bytes:
    """Session data as Starlette puts it in the cookie: base64 of ``json.dumps`` in UTF-8."""
    return base64.b64encode(dumps(data).encode("utf-8"))


def decode_data(payload: bytes) -> dict[str, Any] | None:
    """The session dict from a cookie payload, or None if it is not base64 JSON of an object."""
    try:
        raw = base64.b64decode(payload, validate=True)
    except binascii.Error:
        return None
    return loads(raw)


class _Signer(TimestampSigner):
    """itsdangerous' TimestampSigner, deriving each key once instead of on every request."""

    def __init__(self, secret_keys: list[bytes], salt: str) -> None:
        super().__init__(secret_keys, salt=salt)
        self._derived: dict[str | bytes | None, bytes] = {}

    def derive_key(self, secret_key: str | bytes | None = None) -> bytes:
        """The signing key derived from ``secret_key`` (the newest when None), cached."""
        derived = self._derived.get(secret_key)
        if derived is None:
            derived = self._derived[secret_key] = super().derive_key(secret_key)
        return derived


class SessionCookie:
    """Reads, verifies and writes one signed cookie; every header byte string is built once.

    ``keys``: the first signs, every key verifies (key rotation). ``max_age`` (seconds, or
    None) is enforced on the server from the signed timestamp, not only by the browser.
    """

    def __init__(
        self,
        name: str,
        keys: Sequence[str | bytes],
        *,
        salt: str,
        max_age: int | None,
        path: str,
        same_site: str,
        https_only: bool,
        domain: str | None,
        partitioned: bool,
    ) -> None:
        self.name = name
        self.max_age = max_age
        # itsdangerous signs with the LAST key of its list and verifies with all of them
        signing_keys = [key.encode("utf-8") if isinstance(key, str) else key for key in keys]
        self.signer: TimestampSigner = _Signer(signing_keys[::-1], salt=salt)
        self._name_bytes = name.encode("ascii")
        flags = f"httponly; samesite={same_site}"
        if https_only:
            flags += "; secure"
        if domain is not None:
            flags += f"; domain={domain}"
        if partitioned:
            flags += "; partitioned"
        self.security_flags = flags
        lifetime = "" if max_age is None else f"; Max-Age={max_age}"
        self._set_prefix = f"{name}=".encode("ascii")
        self._set_suffix = f"; path={path}{lifetime}; {flags}".encode("ascii")
        self.delete_header = (
            b"set-cookie",
            f"{name}=null; path={path}; {_EXPIRED}; {flags}".encode("ascii"),
        )

    def read(self, scope: Scope) -> str | None:
        """The cookie's raw value in the request (the last one if sent twice), or None."""
        value = None
        for key, raw in scope["headers"]:
            if key == b"cookie":
                value = cookie_parser(raw.decode("latin-1")).get(self.name, value)
        return value

    def unsign(self, value: str) -> bytes | None:
        """The payload of a signed cookie value, or None if forged, expired or oversized."""
        if len(self._name_bytes) + len(value) > MAX_COOKIE_SIZE:
            return None  # no browser sends this; do not spend time verifying it
        try:
            return self.signer.unsign(value, max_age=self.max_age)
        except (BadSignature, ValueError):  # SignatureExpired is a BadSignature
            return None

    def set_header(self, payload: bytes) -> tuple[bytes, bytes]:
        """The ``Set-Cookie`` header carrying ``payload``, signed now.

        Raises :class:`SessionTooLargeError` when the cookie would be over
        :data:`MAX_COOKIE_SIZE` bytes, which browsers silently drop.
        """
        value = self.signer.sign(payload)
        size = len(self._name_bytes) + len(value)
        if size > MAX_COOKIE_SIZE:
            raise SessionTooLargeError(self.name, size)
        return (b"set-cookie", self._set_prefix + value + self._set_suffix)
