"""Laid out like ``starlette.types`` (names from asgi-core)."""

from asgi_core.types import (
    AppType,
    ASGIApp,
    ExceptionHandler,
    HTTPExceptionHandler,
    Lifespan,
    Message,
    Receive,
    Scope,
    Send,
    StatefulLifespan,
    StatelessLifespan,
    WebSocketExceptionHandler,
)

__all__ = [
    "ASGIApp",
    "AppType",
    "ExceptionHandler",
    "HTTPExceptionHandler",
    "Lifespan",
    "Message",
    "Receive",
    "Scope",
    "Send",
    "StatefulLifespan",
    "StatelessLifespan",
    "WebSocketExceptionHandler",
]
