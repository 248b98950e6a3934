"""Laid out like ``starlette.middleware.opentelemetry`` (asgi-middleware-opentelemetry).

``pip install 'asgi-framework[otel]'`` installs asgi-middleware-opentelemetry and the
OpenTelemetry API; without it, importing this module raises an ``ImportError`` that says so.
"""

from asgi_framework._extras import missing_extra

try:
    from asgi_middleware_opentelemetry import INSTRUMENTATION_NAME, OpenTelemetryMiddleware
except ImportError as exc:
    raise missing_extra(__name__, "otel") from exc

__all__ = ["INSTRUMENTATION_NAME", "OpenTelemetryMiddleware"]
