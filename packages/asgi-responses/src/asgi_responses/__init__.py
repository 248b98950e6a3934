"""asgi-responses: every response class of the family, each a plain ASGI application.

``Response``, ``PlainTextResponse``, ``HTMLResponse``, ``JSONResponse`` (pluggable
encoders), ``RedirectResponse``, ``StreamingResponse``, ``FileResponse`` (Range, multiple
ranges, conditional requests, ``http.response.pathsend``) and ``EventSourceResponse`` with
``ServerSentEvent``. Usable from any ASGI framework or a hand-written ASGI callable;
``for_starlette`` makes them returnable from FastAPI endpoints.
"""

from asgi_responses._base import Response
from asgi_responses._cookie import cookie_header
from asgi_responses._file import FileResponse, content_disposition
from asgi_responses._json import (
    JSONEncoder,
    JSONResponse,
    build_standard_encoder,
    orjson_encoder,
    standard_encoder,
)
from asgi_responses._ranges import MalformedRangeHeader, RangeNotSatisfiable, parse_range_header
from asgi_responses._redirect import RedirectResponse
from asgi_responses._sse import EventSourceResponse, ServerSentEvent
from asgi_responses._starlette import for_starlette
from asgi_responses._streaming import ContentStream, StreamingResponse
from asgi_responses._text import HTMLResponse, PlainTextResponse
from asgi_responses._watch import ResponseWatch, past_watches

__version__ = "0.1.0"

__all__ = [
    "ContentStream",
    "EventSourceResponse",
    "FileResponse",
    "HTMLResponse",
    "JSONEncoder",
    "JSONResponse",
    "MalformedRangeHeader",
    "PlainTextResponse",
    "RangeNotSatisfiable",
    "RedirectResponse",
    "Response",
    "ResponseWatch",
    "ServerSentEvent",
    "StreamingResponse",
    "__version__",
    "build_standard_encoder",
    "content_disposition",
    "cookie_header",
    "for_starlette",
    "orjson_encoder",
    "parse_range_header",
    "past_watches",
    "standard_encoder",
]
