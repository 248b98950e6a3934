"""asgi-middleware-httpsredirect: redirect ``http``/``ws`` requests to ``https``/``wss``.

``HTTPSRedirectMiddleware`` (Starlette's behaviour: 307, path and query kept, default ports
dropped), with the target built only from a validated ``Host`` header.
"""

from asgi_middleware_httpsredirect._middleware import HTTPSRedirectMiddleware

__version__ = "0.1.0"

__all__ = ["HTTPSRedirectMiddleware", "__version__"]
