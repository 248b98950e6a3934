"""A JSON REST API with path and query parameters and a catch-all 404 route.

Run: ``hatch run uvicorn --app-dir examples/rest_api app:app``
"""

from __future__ import annotations

from asgi_core import HTTPException, Request
from asgi_framework import App
from asgi_responses import JSONResponse
from asgi_routing import Route

BOOKS = {
    1: {"id": 1, "title": "The Left Hand of Darkness", "year": 1969},
    2: {"id": 2, "title": "Kindred", "year": 1979},
    3: {"id": 3, "title": "Parable of the Sower", "year": 1993},
}


def _int_param(request: Request, name: str, default: int) -> int:
    value = request.query_params.get(name, str(default))
    if not value.isdigit():
        raise HTTPException(
            400, f"Query parameter {name!r} must be a non-negative integer, got {value!r}."
        )
    return int(value)


async def list_books(request: Request) -> JSONResponse:
    """Books, optionally filtered with ?since=YEAR, paginated with ?limit= and ?offset=."""
    since = _int_param(request, "since", 0)
    limit = _int_param(request, "limit", 10)
    offset = _int_param(request, "offset", 0)
    books = [book for book in BOOKS.values() if int(book["year"]) >= since]  # type: ignore[call-overload]
    return JSONResponse({"total": len(books), "items": books[offset : offset + limit]})


async def get_book(request: Request) -> JSONResponse:
    book_id = request.path_params["book_id"]
    if book_id not in BOOKS:
        raise HTTPException(404, f"No book with id {book_id}.")
    return JSONResponse(BOOKS[book_id])


async def not_found(request: Request) -> JSONResponse:
    """The catch-all route: any other path gets a JSON 404."""
    return JSONResponse({"detail": f"Nothing at {request.url.path}"}, status_code=404)


async def http_error(request: Request, exc: HTTPException) -> JSONResponse:
    return JSONResponse({"detail": exc.detail}, status_code=exc.status_code)


app = App(
    routes=[
        Route("/books", list_books),
        Route("/books/{book_id:int}", get_book),
        Route("/{path:path}", not_found),
    ],
    exception_handlers={HTTPException: http_error},
)
