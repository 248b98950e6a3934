"""asgi-core: the base of the asgi-* family.

ASGI types, datastructures (URL, Headers, QueryParams, FormData, UploadFile, ...),
``HTTPConnection`` and ``Request``, form parsing with limits, exceptions, status codes,
background tasks, thread-pool helpers, the ``Middleware`` spec and the registry of the
scope keys the family uses. Every public name is importable from the package root.
"""

from asgi_core import scope_keys, status
from asgi_core._awaitable import (
    AwaitableOrContextManager,
    AwaitableOrContextManagerWrapper,
    SupportsAsyncClose,
)
from asgi_core._deprecation import AsgiDeprecationWarning, warn_deprecated
from asgi_core._host import split_authority
from asgi_core._paths import get_route_path
from asgi_core._receive import SharedReceive, shared_receive
from asgi_core.background import BackgroundTask, BackgroundTasks
from asgi_core.concurrency import is_async_callable, iterate_in_threadpool, run_in_threadpool
from asgi_core.datastructures import (
    URL,
    Address,
    CommaSeparatedStrings,
    FormData,
    Headers,
    ImmutableMultiDict,
    MultiDict,
    MutableHeaders,
    QueryParams,
    Secret,
    State,
    UploadFile,
    URLPath,
)
from asgi_core.exceptions import (
    HTTPException,
    UsageError,
    WebSocketDisconnect,
    WebSocketException,
)
from asgi_core.formparsers import FormParser, MultiPartException, MultiPartParser
from asgi_core.middleware import Middleware
from asgi_core.requests import (
    ClientDisconnect,
    HTTPConnection,
    InvalidJSONError,
    Request,
    cookie_parser,
)
from asgi_core.types import ASGIApp, Message, Receive, Scope, Send

__version__ = "0.1.0"

__all__ = [
    "URL",
    "ASGIApp",
    "Address",
    "AsgiDeprecationWarning",
    "AwaitableOrContextManager",
    "AwaitableOrContextManagerWrapper",
    "BackgroundTask",
    "BackgroundTasks",
    "ClientDisconnect",
    "CommaSeparatedStrings",
    "FormData",
    "FormParser",
    "HTTPConnection",
    "HTTPException",
    "Headers",
    "ImmutableMultiDict",
    "InvalidJSONError",
    "Message",
    "Middleware",
    "MultiDict",
    "MultiPartException",
    "MultiPartParser",
    "MutableHeaders",
    "QueryParams",
    "Receive",
    "Request",
    "Scope",
    "Secret",
    "Send",
    "SharedReceive",
    "State",
    "SupportsAsyncClose",
    "URLPath",
    "UploadFile",
    "UsageError",
    "WebSocketDisconnect",
    "WebSocketException",
    "__version__",
    "cookie_parser",
    "get_route_path",
    "is_async_callable",
    "iterate_in_threadpool",
    "run_in_threadpool",
    "scope_keys",
    "shared_receive",
    "split_authority",
    "status",
    "warn_deprecated",
]
