"""Checks of SessionMiddleware's parameters: wrong values raise when the middleware is built."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from asgi_core import Secret

__all__ = [
    "check_cookie_attributes",
    "check_cookie_name",
    "check_max_age",
    "check_store",
    "secret_keys",
]

SAME_SITE_VALUES = ("lax", "strict", "none")
# RFC 6265, section 4.1.1: a cookie name is an HTTP token.
_TOKEN = re.compile(r"[!#$%&'*+\-.^_`|~0-9A-Za-z]+")
# Attribute values: printable ASCII but ";", which would end them (header injection).
_UNSAFE_ATTRIBUTE = re.compile(r"[^\x20-\x3a\x3c-\x7e]")


def _key(key: object, where: str) -> str | bytes:
    if isinstance(key, (str, bytes)):
        value: str | bytes = key
    elif isinstance(key, Secret) or type(key).__name__ == "Secret":  # ours or Starlette's
        value = str(key)
    else:
        raise TypeError(
            f"SessionMiddleware(secret_key=...): {where} must be a str or a Secret, got "
            f"{type(key).__name__} {key!r}. Pass a long random string, for example "
            "Secret(os.environ['SESSION_SECRET']), or a list of them to rotate keys."
        )
    if not value:
        raise ValueError(
            f"SessionMiddleware(secret_key=...): {where} is empty, and anyone could forge "
            "sessions signed with it. Pass a long random string (secrets.token_urlsafe(32))."
        )
    return value


def secret_keys(secret_key: Any) -> list[str | bytes]:
    """The signing keys, the one that signs first; every one of them verifies."""
    if isinstance(secret_key, Sequence) and not isinstance(secret_key, (str, bytes)):
        if not secret_key:
            raise ValueError(
                "SessionMiddleware(secret_key=[]): the list of keys is empty. Pass at least "
                "one key; the first signs new cookies, all of them verify incoming ones."
            )
        return [_key(key, f"key {index}") for index, key in enumerate(secret_key)]
    return [_key(secret_key, "the key")]


def check_cookie_name(session_cookie: object) -> str:
    """``session_cookie`` if it is a valid cookie name."""
    if not isinstance(session_cookie, str) or not _TOKEN.fullmatch(session_cookie):
        raise ValueError(
            f"SessionMiddleware(session_cookie={session_cookie!r}): a cookie name must be a "
            "non-empty string of letters, digits and !#$%&'*+-.^_`|~ (no spaces, '=' or ';'), "
            "for example 'session' or '__Host-session'."
        )
    return session_cookie


def check_max_age(max_age: object) -> int | None:
    """``max_age`` if it is a positive whole number of seconds, or None."""
    if max_age is None:
        return None
    if isinstance(max_age, bool) or not isinstance(max_age, int) or max_age <= 0:
        raise ValueError(
            f"SessionMiddleware(max_age={max_age!r}): pass a whole number of seconds > 0 "
            "(14 * 24 * 60 * 60 is two weeks), or None for a cookie that lasts until the "
            "browser closes."
        )
    return max_age


def _attribute(name: str, value: object, *, optional: bool = False) -> None:
    if optional and value is None:
        return
    if not isinstance(value, str) or _UNSAFE_ATTRIBUTE.search(value) or (optional and not value):
        wanted = "None or a non-empty string" if optional else "a string"
        raise ValueError(
            f"SessionMiddleware({name}={value!r}): pass {wanted} of printable ASCII "
            "characters other than ';' (percent-encode a path, use the punycode of a domain)."
        )


def check_cookie_attributes(
    path: object, same_site: object, https_only: object, domain: object, partitioned: object
) -> None:
    """Raise if the cookie attributes are malformed or make browsers refuse the cookie."""
    _attribute("path", path)
    _attribute("domain", domain, optional=True)
    if not isinstance(same_site, str) or same_site.lower() not in SAME_SITE_VALUES:
        raise ValueError(
            f"SessionMiddleware(same_site={same_site!r}): pass 'lax' (the default), "
            "'strict' or 'none'."
        )
    for name, flag in (("https_only", https_only), ("partitioned", partitioned)):
        if not isinstance(flag, bool):
            raise TypeError(f"SessionMiddleware({name}={flag!r}): pass True or False.")
    if not https_only and same_site.lower() == "none":
        raise ValueError(
            "SessionMiddleware(same_site='none', https_only=False): browsers refuse a "
            "SameSite=None cookie without the Secure attribute, so the session would be lost. "
            "Pass https_only=True (and serve the site over HTTPS), or same_site='lax'."
        )
    if partitioned and not https_only:
        raise ValueError(
            "SessionMiddleware(partitioned=True, https_only=False): browsers refuse a "
            "Partitioned cookie without the Secure attribute. Pass https_only=True too."
        )


def check_store(store: object) -> None:
    """Raise unless ``store`` is None or has the SessionStore methods."""
    if store is None:
        return
    missing = [
        name for name in ("load", "save", "delete") if not callable(getattr(store, name, None))
    ]
    if missing:
        raise TypeError(
            f"SessionMiddleware(store={store!r}): a store needs async load(session_id), "
            f"save(session_id, data, ttl) and delete(session_id) methods; missing: "
            f"{', '.join(missing)}. Use MemorySessionStore(), RedisSessionStore(url), "
            "or None for the signed cookie."
        )
