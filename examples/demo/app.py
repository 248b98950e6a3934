"""The demo: the family working together. ``hatch run demo`` serves it on http://127.0.0.1:8000.

What it shows (it grows as the packages land):

- pages rendered from Jinja2 templates (``templates/``, asgi-templates) whose stylesheet and
  script come through StaticFiles (``/static``, asgi-staticfiles), the stylesheet also as
  precompressed ``demo.css.br`` and ``demo.css.gz`` for browsers that accept them;
- a login (any name, password ``demo``) kept in a server-side session: SessionMiddleware with
  a MemorySessionStore, or a RedisSessionStore when ``REDIS_URL`` is set
  (asgi-middleware-sessions), read by an AuthenticationMiddleware backend (asgi-auth); the
  account page is protected by ``@requires("authenticated", redirect="login")``;
- a JSON API over an embedded SQLite database (``/api/notes``), with validation errors as 400;
- background tasks (an activity log written after each note is created);
- a WebSocket chat (``/ws/chat``: the logged-in name, else ``?name=``) and a Server-Sent
  Events feed of new notes (``/api/events``), both fanned out by asgi-broadcast: in this
  process (``memory://``), or through Redis Pub/Sub when ``REDIS_URL`` is set, so that every
  process serving the demo sees every message (Redis, for the sessions and the broadcast,
  needs asyncio: uvicorn, or hypercorn's default worker); binary frames close the chat with
  1003;
- a file upload with limits (``/upload``: at most 3 files of 1 MB), sent from the page by fetch;
- custom error pages (404 and 500);
- middleware: TrustedHostMiddleware (127.0.0.1, localhost and the test client's host; other
  ``Host`` headers get 400), CORSMiddleware (the JSON API may be called from pages on other
  origins) and CompressMiddleware (zstd, brotli or gzip for large responses);
- an OpenAPI schema (``/openapi.json``, ``/openapi.yaml``) and a page listing it (``/docs``);
- a lifespan that opens the database (in a temporary folder removed at shutdown, unless
  ``DEMO_DATABASE`` names a file) and shares it through ``request.state``.
"""

from __future__ import annotations

import json
import logging
import os
import secrets
import sqlite3
import tempfile
from collections.abc import AsyncIterator
from contextlib import ExitStack, asynccontextmanager
from datetime import datetime, timezone
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import anyio

from asgi_broadcast import Broadcast, BroadcastConnectionError, BroadcastReconnected
from asgi_core import (
    BackgroundTask,
    ClientDisconnect,
    HTTPException,
    Request,
    UploadFile,
    run_in_threadpool,
)
from asgi_framework import App
from asgi_framework.authentication import (
    AuthCredentials,
    AuthenticationBackend,
    BaseUser,
    SimpleUser,
    UnauthenticatedUser,
    requires,
)
from asgi_framework.middleware import Middleware
from asgi_framework.middleware.authentication import AuthenticationMiddleware
from asgi_framework.middleware.compress import CompressMiddleware
from asgi_framework.middleware.cors import CORSMiddleware
from asgi_framework.middleware.sessions import (
    MemorySessionStore,
    RedisSessionStore,
    Session,
    SessionMiddleware,
    SessionStore,
)
from asgi_framework.middleware.trustedhost import TrustedHostMiddleware
from asgi_framework.requests import HTTPConnection
from asgi_framework.schemas import SchemaGenerator
from asgi_framework.staticfiles import StaticFiles
from asgi_framework.status import WS_1003_UNSUPPORTED_DATA
from asgi_framework.templating import Jinja2Templates
from asgi_responses import (
    EventSourceResponse,
    JSONResponse,
    RedirectResponse,
    Response,
    ServerSentEvent,
)
from asgi_routing import Mount, Route, WebSocketRoute
from asgi_websockets import WebSocket

HERE = Path(__file__).resolve().parent
logger = logging.getLogger("examples.demo")

schemas = SchemaGenerator(
    {"openapi": "3.0.0", "info": {"title": "asgi-framework demo", "version": "0.1"}}
)


class Database:
    """A small SQLite store; every query runs in a worker thread."""

    def __init__(self, path: str) -> None:
        self.connection = sqlite3.connect(path, check_same_thread=False)
        self.connection.row_factory = sqlite3.Row
        self.lock = anyio.Lock()
        self.connection.executescript(
            "CREATE TABLE IF NOT EXISTS notes"
            " (id INTEGER PRIMARY KEY, title TEXT NOT NULL, body TEXT NOT NULL);"
            "CREATE TABLE IF NOT EXISTS activity (id INTEGER PRIMARY KEY, message TEXT NOT NULL);"
        )

    async def query(self, sql: str, *params: Any) -> list[dict[str, Any]]:
        def run() -> list[dict[str, Any]]:
            with self.connection:
                return [dict(row) for row in self.connection.execute(sql, params).fetchall()]

        async with self.lock:
            return await run_in_threadpool(run)

    async def insert(self, sql: str, *params: Any) -> int:
        def run() -> int:
            with self.connection:
                return int(self.connection.execute(sql, params).lastrowid or 0)

        async with self.lock:
            return await run_in_threadpool(run)


#: The broadcast channels: chat messages, and the notes the SSE feed announces.
CHAT = "asgi-demo:chat"
NOTES = "asgi-demo:notes"


def make_broadcast() -> Broadcast:
    """Redis Pub/Sub when ``REDIS_URL`` is set (every process sees every event), else memory.

    Made anew by each lifespan: a ``Broadcast`` belongs to the event loop that connected it.
    """
    return Broadcast(os.environ.get("REDIS_URL") or "memory://")


# --------------------------------------------------------------------------- sessions, login

#: Signs the session cookie. Set DEMO_SECRET_KEY to keep sessions across restarts (and to
#: share them between processes with Redis); otherwise each start makes a new random key.
SECRET_KEY = os.environ.get("DEMO_SECRET_KEY") or secrets.token_urlsafe(32)

#: The demo's only password: any name logs in with it.
DEMO_PASSWORD = "demo"


def session_store() -> SessionStore:
    """Redis when ``REDIS_URL`` is set (shared by every process), else this process's memory."""
    url = os.environ.get("REDIS_URL")
    if url:
        return RedisSessionStore(url, prefix="asgi-demo:session:")
    return MemorySessionStore()


store = session_store()
STORE_NAME = "in Redis" if isinstance(store, RedisSessionStore) else "in this process's memory"


class SessionBackend(AuthenticationBackend):
    """Whoever the session says logged in; static files and the JSON API do not ask.

    Not reading the session there keeps their responses free of ``Vary: Cookie``, so caches
    share them between visitors.
    """

    async def authenticate(self, conn: HTTPConnection) -> tuple[AuthCredentials, BaseUser] | None:
        if conn.scope["path"].startswith(("/static/", "/api/")):
            return None
        name = conn.session.get("user")
        if not isinstance(name, str):
            return None
        return AuthCredentials(["authenticated"]), SimpleUser(name)


def current_user(request: Request) -> dict[str, Any]:
    """A context processor: every template sees ``user`` (the error pages too)."""
    user = request.scope.get("user")
    return {"user": user if isinstance(user, BaseUser) else UnauthenticatedUser()}


templates = Jinja2Templates(directory=HERE / "templates", context_processors=[current_user])


def safe_next(request: Request, target: str) -> str:
    """``target`` if it is a page of this site (a path, or a URL on this host), else /account.

    ``@requires(..., redirect="login")`` passes the full URL of the page asked for; anything
    pointing elsewhere is dropped, so the login cannot be used to redirect to another site.
    """
    parts = urlsplit(target)
    same_site = (parts.scheme, parts.netloc) in {("", ""), (request.url.scheme, request.url.netloc)}
    path = parts.path
    if not same_site or not path.startswith("/") or path.startswith("//") or "\\" in path:
        return "/account"
    return urlunsplit(("", "", path, parts.query, ""))


def login_page(request: Request, status_code: int = 200, **context: Any) -> Response:
    values = {"next": "", "username": "", "error": None, "store": STORE_NAME, **context}
    return templates.TemplateResponse(request, "login.html", values, status_code=status_code)


async def login(request: Request) -> Response:
    if request.method == "GET":
        return login_page(request, next=request.query_params.get("next", ""))
    async with request.form(max_fields=3, max_files=0) as form:
        username = str(form.get("username", "")).strip()[:30]
        password = str(form.get("password", ""))
        next_url = safe_next(request, str(form.get("next", "")))
    if not username or not secrets.compare_digest(password, DEMO_PASSWORD):
        error = "Unknown name or wrong password (any name, password demo)."
        return login_page(request, 400, error=error, username=username, next=next_url)
    session = request.session
    if isinstance(session, Session):
        session.regenerate()  # a new session id after the login (no session fixation)
    session["user"] = username
    session["logged_in_at"] = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M:%S")
    session["visits"] = 0
    return RedirectResponse(next_url, status_code=303)


async def logout(request: Request) -> Response:
    request.session.clear()  # the store forgets it; the cookie is deleted
    return RedirectResponse("/", status_code=303)


@requires("authenticated", redirect="login")
async def account(request: Request) -> Response:
    request.session["visits"] = request.session.get("visits", 0) + 1
    context = {
        "visits": request.session["visits"],
        "logged_in_at": request.session.get("logged_in_at"),
        "store": STORE_NAME,
    }
    return templates.TemplateResponse(request, "account.html", context)


# --------------------------------------------------------------------------- the application


@asynccontextmanager
async def lifespan(app: App) -> AsyncIterator[dict[str, Any]]:
    with ExitStack() as cleanup:  # undone in reverse at shutdown: close, then remove the folder
        path = os.environ.get("DEMO_DATABASE")
        if not path:
            folder = cleanup.enter_context(tempfile.TemporaryDirectory(prefix="asgi-demo-"))
            path = os.path.join(folder, "demo.sqlite3")
        database = Database(path)
        cleanup.callback(database.connection.close)
        try:
            async with make_broadcast() as broadcast:
                yield {"db": database, "broadcast": broadcast}
        finally:
            if isinstance(store, RedisSessionStore):
                await store.aclose()  # the connections to Redis


async def index(request: Request) -> Response:
    notes = await request.state.db.query("SELECT * FROM notes ORDER BY id DESC LIMIT 20")
    return templates.TemplateResponse(request, "index.html", {"notes": notes})


async def list_notes(request: Request) -> JSONResponse:
    """
    ---
    summary: List notes, newest first.
    parameters:
      - {name: limit, in: query, schema: {type: integer, maximum: 100}}
    responses:
      200: {description: The notes.}
    """
    limit = request.query_params.get("limit", "20")
    if not limit.isdigit() or not 1 <= int(limit) <= 100:
        raise HTTPException(400, f"limit must be an integer from 1 to 100, got {limit!r}.")
    notes = await request.state.db.query("SELECT * FROM notes ORDER BY id DESC LIMIT ?", int(limit))
    return JSONResponse(notes)


async def log_activity(db: Database, message: str) -> None:
    await db.insert("INSERT INTO activity (message) VALUES (?)", message)


async def create_note(request: Request) -> JSONResponse:
    """
    ---
    summary: Create a note.
    requestBody:
      content: {application/json: {schema: {type: object, required: [title, body]}}}
    responses:
      201: {description: The created note.}
      400: {description: Invalid JSON or missing fields.}
    """
    data = await request.json()  # invalid JSON is a 400 on its own
    if not isinstance(data, dict) or not all(
        isinstance(data.get(key), str) and data[key] for key in ("title", "body")
    ):
        raise HTTPException(400, 'Send a JSON object with non-empty "title" and "body" strings.')
    db: Database = request.state.db
    note_id = await db.insert(
        "INSERT INTO notes (title, body) VALUES (?, ?)", data["title"], data["body"]
    )
    note = {"id": note_id, "title": data["title"], "body": data["body"]}
    try:
        await request.state.broadcast.publish(NOTES, json.dumps(note))
    except BroadcastConnectionError:  # Redis is down: the note is saved, the feed misses it
        logger.warning("note %s was not announced: the broadcast is unreachable", note_id)
    return JSONResponse(
        note,
        status_code=201,
        background=BackgroundTask(log_activity, db, f"created note {note_id}"),
    )


async def get_note(request: Request) -> JSONResponse:
    """
    ---
    summary: One note.
    responses:
      200: {description: The note.}
      404: {description: No such note.}
    """
    notes = await request.state.db.query(
        "SELECT * FROM notes WHERE id = ?", request.path_params["note_id"]
    )
    if not notes:
        raise HTTPException(404, f"No note with id {request.path_params['note_id']}.")
    return JSONResponse(notes[0])


async def activity(request: Request) -> JSONResponse:
    return JSONResponse(await request.state.db.query("SELECT message FROM activity ORDER BY id"))


async def events(request: Request) -> EventSourceResponse:
    broadcast: Broadcast = request.state.broadcast

    async def stream() -> AsyncIterator[ServerSentEvent]:
        async with broadcast.subscribe(NOTES) as subscriber:
            yield ServerSentEvent(comment="connected")  # subscribed: no note is missed now
            while True:
                try:
                    async for event in subscriber:
                        note = json.loads(event.message)
                        yield ServerSentEvent(note, event="note", id=note["id"])
                    return  # the broadcast disconnected: the application is stopping
                except BroadcastReconnected:  # Redis was away: notes may be missing
                    yield ServerSentEvent(comment="reconnected: some notes may be missing")

    return EventSourceResponse(stream(), ping=SSE_PING)


#: Seconds between the feed's pings (``DEMO_SSE_PING``, default 10): they keep proxies from
#: closing a quiet stream, and a failed ping is how the server learns that a client left, so
#: the subscription of a closed page lasts at most this long.
SSE_PING = float(os.environ.get("DEMO_SSE_PING") or 10)


async def upload(request: Request) -> JSONResponse:
    """
    ---
    summary: Upload up to 3 files of at most 1 MB each.
    responses:
      200: {description: What was received.}
      400: {description: A limit was crossed.}
    """
    try:
        async with request.form(max_files=3, max_fields=10, max_file_size=1024 * 1024) as form:
            files = [
                {
                    "field": name,
                    "filename": value.filename,
                    "size": value.size,
                    "content_type": value.content_type,
                }
                for name, value in form.multi_items()
                if isinstance(value, UploadFile)
            ]
            fields = {k: v for k, v in form.multi_items() if isinstance(v, str)}
    except HTTPException:
        # A limit was crossed part-way through the body: read (and drop) the rest of a
        # reasonably sized upload first, so that the browser, still sending, reads the 400
        # instead of a reset connection.
        await drain(request, limit=DRAIN_LIMIT)
        raise
    return JSONResponse({"files": files, "fields": fields})


#: How much of a refused upload is read and dropped so that the client sees the answer.
DRAIN_LIMIT = 8 * 1024 * 1024


async def drain(request: Request, *, limit: int) -> None:
    """Read and drop what is left of the request body, up to ``limit`` bytes.

    ``request.stream()`` goes on where the form parser stopped; it raises ``RuntimeError``
    when the parser had read the whole body already, and ``ClientDisconnect`` when the client
    is gone: both mean there is nothing left to drain.
    """
    read = 0
    try:
        async for chunk in request.stream():
            read += len(chunk)
            if read > limit:
                return
    except (RuntimeError, ClientDisconnect):
        return


#: The close reason for a binary frame (at most 123 bytes, as RFC 6455 allows).
BINARY_REFUSED = "The chat takes text messages only; binary frames are not supported."


def chat_name(websocket: WebSocket) -> str:
    """The logged-in user's name, else the ``name`` query parameter, else anonymous."""
    user = websocket.scope.get("user")
    if isinstance(user, BaseUser) and user.is_authenticated:
        return user.display_name[:30]
    return websocket.query_params.get("name", "anonymous")[:30] or "anonymous"


def chat_line(sender: str, text: str) -> str:
    return json.dumps({"from": sender, "text": text})


async def chat(websocket: WebSocket) -> None:
    await websocket.accept()
    name = chat_name(websocket)
    broadcast: Broadcast = websocket.state.broadcast
    binary = False
    async with broadcast.subscribe(CHAT) as subscriber, anyio.create_task_group() as task_group:

        async def forward() -> None:
            while True:
                try:
                    async for event in subscriber:
                        await websocket.send_text(event.message)
                    return
                except BroadcastReconnected:
                    await websocket.send_text(chat_line("server", RECONNECTED))

        async def publish(text: str) -> None:
            try:
                await broadcast.publish(CHAT, text)
            except BroadcastConnectionError:  # tell this user; the others cannot hear it
                await websocket.send_text(chat_line("server", NOT_DELIVERED))

        task_group.start_soon(forward)
        await publish(chat_line("server", f"{name} joined"))
        while True:
            message = await websocket.receive()
            if message["type"] == "websocket.disconnect":
                break
            text = message.get("text")
            if text is None:  # a binary frame: answer with a close code, not a traceback
                binary = True
                break
            await publish(chat_line(name, text[:500]))
        task_group.cancel_scope.cancel()  # stop forwarding before the socket closes
    if binary:
        await websocket.close(code=WS_1003_UNSUPPORTED_DATA, reason=BINARY_REFUSED)


#: What the chat says when the broadcast lost and found Redis again, or cannot reach it.
RECONNECTED = "(reconnected: some messages may be missing)"
NOT_DELIVERED = "(not delivered: the chat cannot reach Redis; try again)"


async def crash(request: Request) -> Response:
    raise RuntimeError("This page fails on purpose, to show the 500 page.")


async def openapi(request: Request) -> Response:
    return schemas.OpenAPIResponse(request)


async def openapi_json(request: Request) -> JSONResponse:
    return JSONResponse(schemas.get_schema(request.app.routes))


def operations(schema: dict[str, Any]) -> list[dict[str, str]]:
    """The operations of an OpenAPI ``schema``, one row each, for ``docs.html``."""
    rows = []
    for path, items in schema.get("paths", {}).items():
        for method, operation in items.items():
            summary = operation.get("summary", "") if isinstance(operation, dict) else ""
            rows.append({"method": method.upper(), "path": path, "summary": str(summary)})
    return rows


async def api_docs(request: Request) -> Response:
    schema = schemas.get_schema(request.app.routes)
    info = schema.get("info", {})
    title = f"{info.get('title', 'API')} {info.get('version', '')}".strip()
    context = {"title": title, "operations": operations(schema)}
    return templates.TemplateResponse(request, "docs.html", context)


def error_page(request: Request, status: int, title: str, detail: str) -> Response:
    context = {"status": status, "title": title, "detail": detail}
    return templates.TemplateResponse(request, "error.html", context, status_code=status)


async def not_found(request: Request, exc: Exception) -> Response:
    detail = getattr(exc, "detail", "Not Found")
    if request.url.path.startswith("/api/"):
        return JSONResponse({"detail": detail}, status_code=404)
    return error_page(request, 404, "Page not found", f"Nothing lives at {request.url.path}.")


async def bad_request(request: Request, exc: Exception) -> Response:
    return JSONResponse({"detail": getattr(exc, "detail", "Bad Request")}, status_code=400)


async def server_error(request: Request, exc: Exception) -> Response:
    detail = "The error was logged; please try again later."
    return error_page(request, 500, "Something went wrong", detail)


app = App(
    debug=os.environ.get("DEMO_DEBUG") == "1",
    routes=[
        Route("/", index),
        Route("/api/notes", list_notes, methods=["GET"]),
        Route("/api/notes", create_note, methods=["POST"]),
        Route("/api/notes/{note_id:int}", get_note),
        Route("/api/activity", activity),
        Route("/api/events", events),
        Route("/upload", upload, methods=["POST"]),
        WebSocketRoute("/ws/chat", chat),
        Route("/crash", crash),
        Route("/openapi.yaml", openapi, include_in_schema=False),
        Route("/openapi.json", openapi_json, include_in_schema=False),
        Route("/docs", api_docs, include_in_schema=False),
        Route("/login", login, methods=["GET", "POST"], name="login", include_in_schema=False),
        Route("/logout", logout, methods=["POST"], name="logout", include_in_schema=False),
        Route("/account", account, name="account", include_in_schema=False),
        Mount(
            "/static",
            StaticFiles(
                directory=HERE / "static", precompressed=True, cache_control="public, max-age=3600"
            ),
            name="static",
        ),
    ],
    middleware=[
        # outermost: requests for other hosts are refused before anything else runs
        Middleware(TrustedHostMiddleware, allowed_hosts=["127.0.0.1", "localhost", "testserver"]),
        Middleware(
            CORSMiddleware,
            allow_origins=["*"],
            allow_methods=["GET", "POST"],
            allow_headers=["Content-Type"],
        ),
        # the event stream is never compressed (text/event-stream is excluded by default)
        Middleware(CompressMiddleware, minimum_size=1000),
        # the session first, so that the authentication backend can read it
        Middleware(SessionMiddleware, secret_key=SECRET_KEY, store=store),
        Middleware(AuthenticationMiddleware, backend=SessionBackend()),
    ],
    exception_handlers={404: not_found, 400: bad_request, 500: server_error},
    lifespan=lifespan,
)
