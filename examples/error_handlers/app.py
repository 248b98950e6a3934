"""Custom exception handlers for 404, 500 and an application exception class.

Run: ``hatch run uvicorn --app-dir examples/error_handlers app:app``
"""

from __future__ import annotations

from asgi_core import HTTPException, Request
from asgi_framework import App
from asgi_responses import HTMLResponse, JSONResponse, PlainTextResponse, Response
from asgi_routing import Route


class PaymentRequired(Exception):
    """An application error with its own handler."""

    def __init__(self, amount: int) -> None:
        super().__init__(f"{amount} credits needed")
        self.amount = amount


async def home(request: Request) -> PlainTextResponse:
    return PlainTextResponse("home")


async def premium(request: Request) -> Response:
    raise PaymentRequired(5)


async def crash(request: Request) -> Response:
    raise RuntimeError("something broke")


async def not_found(request: Request, exc: Exception) -> HTMLResponse:
    return HTMLResponse(
        "<h1>Page not found</h1><p>Try the <a href='/'>home page</a>.</p>", status_code=404
    )


async def server_error(request: Request, exc: Exception) -> HTMLResponse:
    return HTMLResponse("<h1>Something went wrong</h1><p>We have been told.</p>", status_code=500)


def payment_required(request: Request, exc: PaymentRequired) -> JSONResponse:
    """A sync handler: run in the thread pool."""
    return JSONResponse({"detail": str(exc), "amount": exc.amount}, status_code=402)


def http_error(request: Request, exc: HTTPException) -> PlainTextResponse:
    return PlainTextResponse(exc.detail, status_code=exc.status_code)


app = App(
    routes=[Route("/", home), Route("/premium", premium), Route("/crash", crash)],
    exception_handlers={
        404: not_found,
        500: server_error,
        PaymentRequired: payment_required,
        HTTPException: http_error,
    },
)
