"""``HTTPSRedirectMiddleware``: send every ``http``/``ws`` request to ``https``/``wss``."""

from __future__ import annotations

from asgi_core import URL, split_authority
from asgi_core.types import ASGIApp, Receive, Scope, Send
from asgi_responses import PlainTextResponse, RedirectResponse

__all__ = ["HTTPSRedirectMiddleware"]

_SECURE = {"http": "https", "ws": "wss"}
_DEFAULT_SCHEME = {"http": "http", "websocket": "ws"}
_DEFAULT_PORTS = (80, 443)


class HTTPSRedirectMiddleware:
    """Redirect plain ``http``/``ws`` requests to ``https``/``wss`` with ``307``.

    The path and query are kept; the ports 80 and 443 are dropped (the secure default port
    is implied), any other port is kept. The target's host is the request's ``Host`` header
    when it is a valid ``host[:port]``, else ``400 Invalid host header``: a crafted ``Host``
    (``evil.com/path``, ``a@b``) never becomes the authority of the redirect. Without a
    ``Host`` header (HTTP/1.0) the server's address is used (``400`` on a Unix socket). A
    WebSocket handshake gets the same answers as a denial response; secure requests and
    other scope types pass through.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        invalid = PlainTextResponse("Invalid host header", status_code=400)
        self._invalid_headers = tuple(invalid.raw_headers)
        self._invalid_body = invalid.body

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Redirect an insecure HTTP or WebSocket request; pass everything else on."""
        default_scheme = _DEFAULT_SCHEME.get(scope["type"])
        secure_scheme = None
        if default_scheme is not None:
            secure_scheme = _SECURE.get(scope.get("scheme", default_scheme))
        if secure_scheme is None:
            await self.app(scope, receive, send)
            return
        netloc = self._netloc(scope)
        if netloc is None:
            prefix = "websocket." if scope["type"] == "websocket" else ""
            start = {"type": prefix + "http.response.start", "status": 400}
            await send({**start, "headers": list(self._invalid_headers)})
            await send({"type": prefix + "http.response.body", "body": self._invalid_body})
            return
        url = URL(scope=scope).replace(scheme=secure_scheme, netloc=netloc)
        await RedirectResponse(url=str(url))(scope, receive, send)

    @staticmethod
    def _netloc(scope: Scope) -> str | None:
        """The redirect's authority: from a valid ``Host``, else the server; ``None``: 400."""
        for name, value in scope["headers"]:
            if name == b"host":
                header = value.decode("latin-1")
                parts = split_authority(header)
                if parts is None:
                    return None
                host, port = parts
                # as Starlette: a dropped port leaves the lower-cased host name
                return host.lower() if _port_number(port) in _DEFAULT_PORTS else header
        server = scope.get("server")
        if server is None or server[1] is None:  # unknown, or a Unix socket's path
            return None
        host, port = server
        if ":" in host and not host.startswith("["):
            host = f"[{host}]"
        return str(host) if port in _DEFAULT_PORTS else f"{host}:{port}"


def _port_number(port: str | None) -> int | None:
    return None if port is None else int(port)
