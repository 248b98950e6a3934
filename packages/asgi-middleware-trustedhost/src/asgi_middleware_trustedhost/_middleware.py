"""``TrustedHostMiddleware``: refuse requests whose ``Host`` is not one of the allowed hosts."""

from __future__ import annotations

from collections.abc import Sequence

from asgi_core import URL, split_authority
from asgi_core.types import ASGIApp, Receive, Scope, Send
from asgi_middleware_trustedhost._errors import (
    ENFORCE_DOMAIN_WILDCARD,
    TrustedHostConfigurationError,
)
from asgi_responses import PlainTextResponse, RedirectResponse

__all__ = ["TrustedHostMiddleware"]

_CHECKED = frozenset({"http", "websocket"})


def _checked_hosts(allowed_hosts: Sequence[str]) -> list[str]:
    """The lower-cased patterns; a misplaced ``*`` or a single string raises."""
    if isinstance(allowed_hosts, (str, bytes)):
        raise TypeError(
            "allowed_hosts must be a list of host names such as ['example.org', "
            f"'*.example.org'], not a single string: received {allowed_hosts!r}. Wrap it in "
            f"a list: allowed_hosts=[{allowed_hosts!r}]."
        )
    hosts = list(allowed_hosts)
    for pattern in hosts:
        if not isinstance(pattern, str):
            raise TypeError(
                "allowed_hosts must hold host names (strings) such as 'example.org': "
                f"received {pattern!r} ({type(pattern).__name__})."
            )
        if "*" in pattern[1:] or (pattern[:1] == "*" and pattern != "*" and pattern[1:2] != "."):
            raise TrustedHostConfigurationError(
                f"{ENFORCE_DOMAIN_WILDCARD} Received {pattern!r} in allowed_hosts: a '*' may "
                "only stand alone ('*', every host) or start a pattern followed by a dot "
                "('*.example.com', every subdomain of example.com)."
            )
    return [pattern.lower() for pattern in hosts]


class TrustedHostMiddleware:
    """Answer ``400 Invalid host header`` unless the request's ``Host`` is allowed.

    ``allowed_hosts`` lists host names without ports, compared case-insensitively:
    ``"example.org"``, ``"*.example.org"`` (every subdomain, not ``example.org`` itself),
    ``"[::1]"`` (an IPv6 literal in brackets), or ``"*"`` (every host, the default). The
    ``Host`` header must be a valid ``host[:port]``; its port is ignored.

    With ``www_redirect`` (the default), a request for ``example.org`` when only
    ``www.example.org`` is allowed is redirected there (307, path and query kept).
    HTTP and WebSocket scopes are checked (a WebSocket gets the same answers as a denial
    response); other scope types pass through.
    """

    def __init__(
        self,
        app: ASGIApp,
        allowed_hosts: Sequence[str] | None = None,
        www_redirect: bool = True,
    ) -> None:
        hosts = ["*"] if allowed_hosts is None else _checked_hosts(allowed_hosts)
        self.app = app
        self.allowed_hosts = hosts
        self.allow_any = "*" in hosts
        self.www_redirect = www_redirect
        self._exact = frozenset(host for host in hosts if host[:1] != "*")
        self._suffixes = tuple(host[1:] for host in hosts if host[:2] == "*.")
        invalid = PlainTextResponse("Invalid host header", status_code=400)
        self._invalid_headers = tuple(invalid.raw_headers)
        self._invalid_body = invalid.body

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Pass an allowed request on; redirect to ``www.`` or refuse the others."""
        scope_type = scope["type"]
        if self.allow_any or scope_type not in _CHECKED:
            await self.app(scope, receive, send)
            return
        header = b""  # no Host header: as invalid as an empty one
        for name, value in scope["headers"]:
            if name == b"host":
                header = value
                break
        # the syntax check comes first: "evil.com/x.example.org" ends with an allowed suffix
        # but is not a host; any port length passes, as in Starlette
        parts = split_authority(header.decode("latin-1"), any_port=True)
        host = parts[0].lower() if parts is not None else None
        if host is not None:
            if host in self._exact or host.endswith(self._suffixes):
                await self.app(scope, receive, send)
                return
            if self.www_redirect and "www." + host in self._exact:
                url = URL(scope=scope).replace(netloc="www." + header.decode("latin-1"))
                await RedirectResponse(url=str(url))(scope, receive, send)
                return
        prefix = "websocket." if scope_type == "websocket" else ""
        start = {"type": prefix + "http.response.start", "status": 400}
        await send({**start, "headers": list(self._invalid_headers)})
        await send({"type": prefix + "http.response.body", "body": self._invalid_body})
