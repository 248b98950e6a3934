"""What the issue-16 scenarios send and expect, shared by every framework's implementation.

Each framework module (``peers_ours``, ``peers_raw``, ``peers_starlette`` for Starlette and
FastAPI, ``peers_litestar``, ``peers_blacksheep``) builds one application per scenario from
these constants, so that every implementation does the same work and answers the same bytes
(the drivers check the bodies before timing anything).
"""

from __future__ import annotations

import base64
import json
import os
import random
import tempfile
from collections.abc import Iterable
from typing import Any

TEXT = "Hello, world!"
JSON_DATA: dict[str, Any] = {
    "message": "Hello, world!",
    "id": 42,
    "tags": ["a", "b"],
    "ok": True,
}

#: 100 routes ``/r{i}/users/{user:int}/items/{item}``; the request hits the last one
ROUTE_COUNT = 100
ROUTE_PATH = "/r99/users/42/items/pen"
NOT_FOUND_PATH = "/nothing/here"


def route_result(user: int, item: str) -> str:
    return f"{user} {item}"


ORIGIN = "https://app.example.org"

#: a cookie session: read ``count``, write ``count + 1``, answer the new count
SECRET = "bench-secret-key-0123456789abcdef"
SESSION_COOKIE = "session"

FORM_FIELDS = [(f"field{i}", f"value {i}!") for i in range(10)]
FORM_BODY = "&".join(f"{k}={v.replace(' ', '+').replace('!', '%21')}" for k, v in FORM_FIELDS)


def form_result(items: Iterable[tuple[str, Any]]) -> str:
    return ",".join(f"{k}={v}" for k, v in items)


# --- 1 MB multipart upload: a text field and a file --------------------------------------

BOUNDARY = "----benchboundary7MA4YWxkTrZu0gW"
UPLOAD_SIZE = 1024 * 1024
UPLOAD_NAME = "report.bin"
#: printable bytes (the end-to-end driver passes the body to wrk in a Lua string)
UPLOAD_DATA = base64.b64encode(random.Random(16).randbytes(UPLOAD_SIZE))[:UPLOAD_SIZE]
UPLOAD_BODY = (
    (
        f"--{BOUNDARY}\r\n"
        'Content-Disposition: form-data; name="title"\r\n\r\n'
        "quarterly\r\n"
        f"--{BOUNDARY}\r\n"
        f'Content-Disposition: form-data; name="file"; filename="{UPLOAD_NAME}"\r\n'
        "Content-Type: application/octet-stream\r\n\r\n"
    ).encode()
    + UPLOAD_DATA
    + f"\r\n--{BOUNDARY}--\r\n".encode()
)
UPLOAD_CONTENT_TYPE = f"multipart/form-data; boundary={BOUNDARY}"


def upload_result(title: str, filename: str | None, size: int) -> str:
    return f"{title} {filename} {size}"


# --- files -------------------------------------------------------------------------------

FILE_SIZE = 1024 * 1024
DOWNLOAD_FILE = os.path.join(tempfile.gettempdir(), "asgi-bench-download-1mb.bin")


def ensure_download_file() -> str:
    if not os.path.exists(DOWNLOAD_FILE) or os.path.getsize(DOWNLOAD_FILE) != FILE_SIZE:
        with open(DOWNLOAD_FILE, "wb") as file:
            file.write(os.urandom(FILE_SIZE))
    return DOWNLOAD_FILE


ensure_download_file()

# --- WebSocket echo and SSE --------------------------------------------------------------

WS_MESSAGES = [f"message {i}" for i in range(1000)]
SSE_EVENTS = 1000


def sse_event(i: int) -> str:
    return f"data: {i}\n\n"


# --- a templated page --------------------------------------------------------------------

TEMPLATE_DIR = os.path.join(tempfile.gettempdir(), "asgi-bench-templates")
TEMPLATE_NAME = "page.html"
TEMPLATE = """<!doctype html>
<html><head><title>{{ title }}</title></head>
<body><h1>{{ title }}</h1>
<ul>{% for item in items %}
<li class="{{ loop.cycle('odd', 'even') }}">
{{- item.name }}: {{ "%.2f"|format(item.price) }}</li>{% endfor %}
</ul><p>{{ note }}</p></body></html>
"""
TEMPLATE_CONTEXT: dict[str, Any] = {
    "title": "Catalogue",
    "items": [{"name": f"item <{i}>", "price": i * 1.5} for i in range(20)],
    "note": "Prices & taxes included",
}


def ensure_template() -> str:
    """page.html, and the same as page.jinja (BlackSheep's ``view`` adds ``.jinja``)."""
    os.makedirs(TEMPLATE_DIR, exist_ok=True)
    for name in (TEMPLATE_NAME, "page.jinja"):
        path = os.path.join(TEMPLATE_DIR, name)
        with open(path, "w") as file:
            file.write(TEMPLATE)
    return TEMPLATE_DIR


ensure_template()


def canonical_json(body: bytes) -> bytes:
    """JSON bodies compared by value: frameworks differ in separators only."""
    return json.dumps(json.loads(body), sort_keys=True).encode()


def status_only(body: bytes) -> bytes:
    """Each framework has its own 404 page; only the status is compared."""
    return b""


def sse_normalise(body: bytes) -> bytes:
    return body.replace(b"\r\n", b"\n")


# --- the 1 MB static file: the folder of the static-1mb scenario -------------------------

STATIC_DIR = os.path.join(tempfile.gettempdir(), "asgi-bench-static")
STATIC_NAME = "bundle-1mb.bin"
STATIC_PATH = f"/static/{STATIC_NAME}"


def ensure_static_file() -> str:
    path = os.path.join(STATIC_DIR, STATIC_NAME)
    if not os.path.exists(path) or os.path.getsize(path) != FILE_SIZE:
        os.makedirs(STATIC_DIR, exist_ok=True)
        with open(path, "wb") as file:
            file.write(os.urandom(FILE_SIZE))
    return STATIC_DIR


ensure_static_file()


def sorted_fields(body: bytes) -> bytes:
    """Litestar returns form fields in its own order; compared as a set of fields."""
    return b",".join(sorted(body.split(b",")))
