"""asgi-middleware-opentelemetry: OpenTelemetry server spans for any ASGI application.

``OpenTelemetryMiddleware`` starts one ``SERVER`` span per HTTP request with the attributes
of the OpenTelemetry HTTP semantic conventions, names it after the matched route
(``scope["route"]``), continues the caller's trace from the ``traceparent`` header, and
costs next to nothing while no tracer provider is configured. It follows Starlette 1.10's
``starlette.middleware.opentelemetry``.
"""

from asgi_middleware_opentelemetry._middleware import INSTRUMENTATION_NAME, OpenTelemetryMiddleware
from asgi_middleware_opentelemetry._version import __version__

__all__ = ["INSTRUMENTATION_NAME", "OpenTelemetryMiddleware", "__version__"]
