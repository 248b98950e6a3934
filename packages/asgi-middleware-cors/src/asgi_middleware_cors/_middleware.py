"""``CORSMiddleware``: Cross-Origin Resource Sharing for any ASGI application."""

from __future__ import annotations

import functools
from collections.abc import Awaitable, Collection, Mapping

from asgi_core import Headers, MutableHeaders
from asgi_core.types import ASGIApp, Message, Receive, Scope, Send
from asgi_middleware_cors._config import compile_origin_regex, max_age_value, string_collection
from asgi_middleware_cors._constants import ALL_METHODS, SAFELISTED_HEADERS
from asgi_middleware_cors._headers import with_cors_headers
from asgi_responses import PlainTextResponse, Response

__all__ = ["CORSMiddleware"]

_ALLOW_ORIGIN = "Access-Control-Allow-Origin"
_ALLOW_ORIGIN_BYTES = b"access-control-allow-origin"
_PREFLIGHT_VARY = (
    "Origin, Access-Control-Request-Method, Access-Control-Request-Headers, "
    "Access-Control-Request-Private-Network"
)
_NO_HEADERS: Mapping[bytes, bytes] = {}


class CORSMiddleware:
    """Answer CORS preflight requests and add CORS headers to every HTTP response.

    Parameters, defaults and answers are Starlette's:

    - ``allow_origins``: origins allowed to read responses, compared exactly
      (``"https://example.org"``); ``"*"`` allows every origin.
    - ``allow_methods``: methods a preflight may ask for; ``"*"`` is :data:`ALL_METHODS`.
    - ``allow_headers``: request headers a preflight may ask for, besides
      :data:`SAFELISTED_HEADERS`; ``"*"`` allows whatever the browser asks for.
    - ``allow_credentials``: let browsers send cookies and read the answer
      (``Access-Control-Allow-Credentials: true``). With ``allow_origins=["*"]`` the request's
      origin is echoed instead of ``*``, with ``Vary: Origin``.
    - ``allow_origin_regex``: a regular expression that must match a WHOLE origin
      (``r"https://.*\\.example\\.org"`` does not allow ``https://a.example.org.evil.com``).
    - ``allow_private_network``: answer Private Network Access preflights
      (``Access-Control-Allow-Private-Network: true``).
    - ``expose_headers``: response headers the page's script may read.
    - ``max_age``: seconds a browser may cache a preflight answer.

    A preflight (``OPTIONS`` with ``Origin`` and ``Access-Control-Request-Method``) is
    answered here, with 200 ``OK`` or 400 ``Disallowed CORS origin, method, headers``
    (the checks that failed). Every other HTTP response (error pages included) gets
    ``Vary: Origin`` and, for an allowed ``Origin``, the CORS headers; every
    ``http.response.start`` passing through is handled, so a 500 sent back through this
    middleware by an outer error handler gets them too. Other scope types pass through.
    """

    def __init__(
        self,
        app: ASGIApp,
        allow_origins: Collection[str] = (),
        allow_methods: Collection[str] = ("GET",),
        allow_headers: Collection[str] = (),
        allow_credentials: bool = False,
        allow_origin_regex: str | None = None,
        allow_private_network: bool = False,
        expose_headers: Collection[str] = (),
        max_age: int = 600,
    ) -> None:
        origins = string_collection("allow_origins", allow_origins)
        methods = string_collection("allow_methods", allow_methods)
        headers = string_collection("allow_headers", allow_headers)
        exposed = string_collection("expose_headers", expose_headers)
        max_age = max_age_value(max_age)

        self.app = app
        self.allow_origins = origins
        self.allow_methods = ALL_METHODS if "*" in methods else methods
        listed_headers = sorted(SAFELISTED_HEADERS | set(headers))
        self.allow_headers = [header.lower() for header in listed_headers]
        self.allow_all_origins = "*" in origins
        self.allow_all_headers = "*" in headers
        self.allow_credentials = allow_credentials
        self.allow_origin_regex = compile_origin_regex(allow_origin_regex)
        self.allow_private_network = allow_private_network
        # With credentials a browser refuses "*": the request's origin is echoed instead.
        self.preflight_explicit_allow_origin = not self.allow_all_origins or allow_credentials

        simple_headers: dict[str, str] = {}
        if self.allow_all_origins:
            simple_headers[_ALLOW_ORIGIN] = "*"
        if allow_credentials:
            simple_headers["Access-Control-Allow-Credentials"] = "true"
        if exposed:
            simple_headers["Access-Control-Expose-Headers"] = ", ".join(exposed)
        self.simple_headers = simple_headers

        preflight_headers = {"Vary": _PREFLIGHT_VARY}
        if not self.preflight_explicit_allow_origin:
            preflight_headers[_ALLOW_ORIGIN] = "*"
        preflight_headers["Access-Control-Allow-Methods"] = ", ".join(self.allow_methods)
        preflight_headers["Access-Control-Max-Age"] = str(max_age)
        if not self.allow_all_headers:
            preflight_headers["Access-Control-Allow-Headers"] = ", ".join(listed_headers)
        if allow_credentials:
            preflight_headers["Access-Control-Allow-Credentials"] = "true"
        self.preflight_headers = preflight_headers

        # Precomputed for the request path: names and values as ASGI bytes.
        self._origins = frozenset(origins)
        self._header_names = frozenset(self.allow_headers)
        self._simple = {
            name.lower().encode("latin-1"): value.encode("latin-1")
            for name, value in simple_headers.items()
        }
        cls = type(self)
        self._starlette_hooks = (
            cls.simple_response is not CORSMiddleware.simple_response
            or cls.send is not CORSMiddleware.send
        )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Answer a preflight, or run the app with a ``send`` that adds the CORS headers."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        origin = None
        for name, value in scope["headers"]:
            if name == b"origin":
                origin = value
                break
        if origin is not None and scope["method"] == "OPTIONS":
            for name, _ in scope["headers"]:
                if name == b"access-control-request-method":
                    response = self.preflight_response(Headers(scope=scope))
                    await response(scope, receive, send)
                    return
        if self._starlette_hooks:
            await self.simple_response(scope, receive, send, Headers(scope=scope))
            return
        headers = self._response_headers(origin)

        def send_with_cors(message: Message) -> Awaitable[None]:
            # a plain function returning send's awaitable: no coroutine of its own per message
            if message["type"] == "http.response.start":
                message = {
                    **message,
                    "headers": with_cors_headers(message.get("headers", ()), headers),
                }
            return send(message)

        await self.app(scope, receive, send_with_cors)

    def is_allowed_origin(self, origin: str) -> bool:
        """Whether ``origin`` may read responses: ``"*"``, an exact entry, or a full regex match.

        Override it to decide per request (for example from a database); every simple
        request and preflight asks it.
        """
        if self.allow_all_origins:
            return True
        if self.allow_origin_regex is not None and self.allow_origin_regex.fullmatch(origin):
            return True
        return origin in self._origins

    def preflight_response(self, request_headers: Headers) -> Response:
        """The answer to a preflight request: 200 ``OK`` or 400 naming what is disallowed."""
        requested_origin = request_headers["origin"]
        requested_method = request_headers["access-control-request-method"]
        requested_headers = request_headers.get("access-control-request-headers")
        requested_private_network = request_headers.get("access-control-request-private-network")

        headers = dict(self.preflight_headers)
        failures = []
        if self.is_allowed_origin(requested_origin):
            if self.preflight_explicit_allow_origin:
                headers[_ALLOW_ORIGIN] = requested_origin
        else:
            failures.append("origin")
        if requested_method not in self.allow_methods:
            failures.append("method")
        if requested_headers is not None:
            if self.allow_all_headers:
                headers["Access-Control-Allow-Headers"] = requested_headers
            elif any(
                header.strip().lower() not in self._header_names
                for header in requested_headers.split(",")
            ):
                failures.append("headers")
        if requested_private_network is not None:
            if self.allow_private_network:
                headers["Access-Control-Allow-Private-Network"] = "true"
            else:
                failures.append("private-network")
        if failures:
            text = "Disallowed CORS " + ", ".join(failures)
            return PlainTextResponse(text, status_code=400, headers=headers)
        return PlainTextResponse("OK", status_code=200, headers=headers)

    async def simple_response(
        self, scope: Scope, receive: Receive, send: Send, request_headers: Headers
    ) -> None:
        """Run the app, passing its messages through :meth:`send` (Starlette's hook).

        ``__call__`` goes through here (and :meth:`send`) only when a subclass overrides one
        of them; otherwise it uses an equivalent, faster path.
        """
        await self.app(
            scope, receive, functools.partial(self.send, send=send, request_headers=request_headers)
        )

    async def send(self, message: Message, send: Send, request_headers: Headers) -> None:
        """Send ``message``, with the CORS headers added when it starts the response."""
        if message["type"] == "http.response.start":
            origin = request_headers.get("origin")
            headers = self._response_headers(None if origin is None else origin.encode("latin-1"))
            message = {**message, "headers": with_cors_headers(message.get("headers", ()), headers)}
        await send(message)

    @staticmethod
    def allow_explicit_origin(headers: MutableHeaders, origin: str) -> None:
        """Set ``Access-Control-Allow-Origin: <origin>`` and add ``Origin`` to ``Vary``."""
        headers[_ALLOW_ORIGIN] = origin
        headers.add_vary_header("Origin")

    def _response_headers(self, origin: bytes | None) -> Mapping[bytes, bytes]:
        """The headers to set on a response to a request from ``origin``."""
        if origin is None:
            return _NO_HEADERS
        if self.preflight_explicit_allow_origin and self.is_allowed_origin(
            origin.decode("latin-1")
        ):
            return {**self._simple, _ALLOW_ORIGIN_BYTES: origin}
        return self._simple
