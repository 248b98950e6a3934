"""asgi-routing: routing for ASGI applications, following ``starlette.routing``.

``Router``, ``Route``, ``WebSocketRoute``, ``Mount``, ``Host``, ``BaseRoute``, ``Match``,
``NoMatchFound``, the path convertors (``register_url_convertor``), ``compile_path``,
``get_name``, ``request_response``, ``websocket_session``, ``HTTPEndpoint``,
``WebSocketEndpoint``, the exception-handler lookup (``find_exception_handler``,
``call_exception_handler``) and default handlers (``http_exception_handler``,
``websocket_exception_handler``) that exception middleware shares with endpoints, and
``RouteConfigurationError`` for misuse of the API. Routes are
compiled into a table whose lookup does not grow with the number of routes, with
Starlette's first-match semantics unchanged.
"""

from asgi_routing._compile import compile_path, replace_params
from asgi_routing._convertors import (
    CONVERTOR_TYPES,
    Convertor,
    FloatConvertor,
    IntegerConvertor,
    PathConvertor,
    StringConvertor,
    UUIDConvertor,
    register_url_convertor,
)
from asgi_routing._endpoints import HTTPEndpoint, WebSocketEndpoint
from asgi_routing._errors import RouteConfigurationError
from asgi_routing._exception_handling import (
    call_exception_handler,
    find_exception_handler,
    http_exception_handler,
    websocket_exception_handler,
)
from asgi_routing._match import Match, NoMatchFound
from asgi_routing._mount import Host, Mount
from asgi_routing._route import BaseRoute, Route, WebSocketRoute
from asgi_routing._router import Router
from asgi_routing._table import RouteList, RouteTable
from asgi_routing._wrappers import get_name, request_response, websocket_session

__version__ = "0.1.0"

__all__ = [
    "CONVERTOR_TYPES",
    "BaseRoute",
    "Convertor",
    "FloatConvertor",
    "HTTPEndpoint",
    "Host",
    "IntegerConvertor",
    "Match",
    "Mount",
    "NoMatchFound",
    "PathConvertor",
    "Route",
    "RouteConfigurationError",
    "RouteList",
    "RouteTable",
    "Router",
    "StringConvertor",
    "UUIDConvertor",
    "WebSocketEndpoint",
    "WebSocketRoute",
    "__version__",
    "call_exception_handler",
    "compile_path",
    "find_exception_handler",
    "get_name",
    "http_exception_handler",
    "register_url_convertor",
    "replace_params",
    "request_response",
    "websocket_exception_handler",
    "websocket_session",
]
