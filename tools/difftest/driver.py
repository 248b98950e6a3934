"""A neutral in-process ASGI driver: the same scope and messages for both frameworks.

Neither framework's test client is used, so that what is compared is what each application
sends on the wire (``http.response.start``/``body``, WebSocket messages), not how a client
library interprets it.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import anyio

Message = dict[str, Any]
App = Any  # an ASGI application of either framework

TIMEOUT = 5.0


@dataclass(frozen=True)
class HTTPRequest:
    """One HTTP request to send; ``body`` is split into the given chunks."""

    method: str = "GET"
    path: str = "/"
    query_string: bytes = b""
    headers: Sequence[tuple[bytes, bytes]] = ()
    body: Sequence[bytes] = ()
    scheme: str = "http"
    root_path: str = ""
    spec_version: str = "2.4"
    raw_path: bytes | None = None
    extensions: dict[str, Any] = field(default_factory=dict)

    def scope(self) -> dict[str, Any]:
        headers = list(self.headers)
        if not any(name == b"host" for name, _ in headers):
            headers.insert(0, (b"host", b"testserver"))
        return {
            "type": "http",
            "asgi": {"version": "3.0", "spec_version": self.spec_version},
            "http_version": "1.1",
            "method": self.method,
            "scheme": self.scheme,
            "path": self.path,
            "raw_path": self.raw_path
            if self.raw_path is not None
            else self.path.encode("utf-8", "surrogateescape"),
            "query_string": self.query_string,
            "root_path": self.root_path,
            "headers": headers,
            "client": ("127.0.0.1", 50000),
            "server": ("testserver", 80),
            "extensions": dict(self.extensions),
            "state": {},
        }


@dataclass
class Observed:
    """What an application did with one request or WebSocket session."""

    messages: list[Message] = field(default_factory=list)
    exception: str | None = None

    def summary(self) -> dict[str, Any]:
        """status, headers, body (joined), other messages and the exception, for comparison."""
        status: int | None = None
        headers: list[tuple[str, str]] | None = None
        body = b""
        other: list[Message] = []
        for message in self.messages:
            kind = message["type"]
            if kind == "http.response.start":
                status = message["status"]
                headers = [
                    (bytes(k).decode("latin-1"), bytes(v).decode("latin-1"))
                    for k, v in message.get("headers", [])
                ]
                if message.get("trailers"):
                    other.append({"type": kind, "trailers": True})
            elif kind == "http.response.body":
                body += bytes(message.get("body", b""))
            else:
                other.append(message)
        return {
            "status": status,
            "headers": headers,
            "body": body,
            "messages": other,
            "exception": self.exception,
        }


def describe_exception(exc: BaseException) -> str:
    """``TypeName: message`` (module paths differ between the frameworks by design)."""
    inner = getattr(exc, "exceptions", None)  # an exception group of one
    if isinstance(inner, tuple) and len(inner) == 1:
        return describe_exception(inner[0])
    return f"{type(exc).__name__}: {exc}"


async def run_http(app: App, request: HTTPRequest) -> Observed:
    """Send ``request`` to ``app`` and record everything it sends back."""
    observed = Observed()
    chunks = list(request.body) or [b""]
    done = anyio.Event()
    index = 0

    async def receive() -> Message:
        nonlocal index
        if index < len(chunks):
            body = chunks[index]
            index += 1
            return {"type": "http.request", "body": body, "more_body": index < len(chunks)}
        await done.wait()
        return {"type": "http.disconnect"}

    async def send(message: Message) -> None:
        observed.messages.append(dict(message))
        if message["type"] == "http.response.body" and not message.get("more_body", False):
            done.set()

    try:
        with anyio.fail_after(TIMEOUT):
            await app(request.scope(), receive, send)
    except TimeoutError:
        observed.exception = "timeout"
    except BaseException as exc:  # the exception is part of what is compared
        observed.exception = normalise(describe_exception(exc))
    finally:
        done.set()
    return observed


@dataclass(frozen=True)
class WebSocketSession:
    """A WebSocket session: the client's messages, sent after each application message."""

    path: str = "/"
    headers: Sequence[tuple[bytes, bytes]] = ()
    subprotocols: Sequence[str] = ()
    query_string: bytes = b""
    # what the client sends, in order; each is sent when the app asks to receive
    client: Sequence[Message] = ()
    extensions: dict[str, Any] = field(default_factory=dict)

    def scope(self) -> dict[str, Any]:
        headers = [(b"host", b"testserver"), *self.headers]
        return {
            "type": "websocket",
            "asgi": {"version": "3.0", "spec_version": "2.4"},
            "http_version": "1.1",
            "scheme": "ws",
            "path": self.path,
            "raw_path": self.path.encode(),
            "query_string": self.query_string,
            "root_path": "",
            "headers": headers,
            "client": ("127.0.0.1", 50000),
            "server": ("testserver", 80),
            "subprotocols": list(self.subprotocols),
            "extensions": dict(self.extensions),
            "state": {},
        }


async def run_websocket(app: App, session: WebSocketSession) -> Observed:
    """Play ``session`` against ``app``: connect, then the client's messages in order."""
    observed = Observed()
    queue = [{"type": "websocket.connect"}, *session.client]
    closed = anyio.Event()

    async def receive() -> Message:
        if queue:
            return queue.pop(0)
        await closed.wait()
        return {"type": "websocket.disconnect", "code": 1006}

    async def send(message: Message) -> None:
        observed.messages.append(dict(message))
        if message["type"] in {"websocket.close", "websocket.http.response.body"} and not (
            message.get("more_body", False)
        ):
            closed.set()

    try:
        with anyio.fail_after(TIMEOUT):
            await app(session.scope(), receive, send)
    except TimeoutError:
        observed.exception = "timeout"
    except BaseException as exc:  # the exception is part of what is compared
        observed.exception = normalise(describe_exception(exc))
    finally:
        closed.set()
    return observed


OBJECT_REPR = re.compile(r"<(?:[\w.]+\.)?(\w+) object at 0x[0-9a-f]+>")
FUNCTION_REPR = re.compile(r"<function ([\w.<>]+) at 0x[0-9a-f]+>")
MODULE_NAME = re.compile(r"module '(?:starlette|asgi_\w+)(?:\.(\w+))*'")


def normalise(value: Any) -> Any:
    """Make NaN equal to itself, bytes-likes comparable, and default object reprs neutral.

    ``<starlette.routing.Router object at 0x...>`` and ``<asgi_routing._router.Router object
    at 0x...>`` both become ``<Router object>``: module paths and addresses differ by design.
    """
    if isinstance(value, str):
        value = OBJECT_REPR.sub(r"<\1 object>", value)
        value = FUNCTION_REPR.sub(r"<function \1>", value)
        return MODULE_NAME.sub(r"module '<framework>.\1'", value)
    if callable(value) and hasattr(value, "__qualname__"):
        return f"<callable {value.__qualname__}>"
    if isinstance(value, float) and math.isnan(value):
        return "nan"
    if isinstance(value, bytearray | memoryview):
        return bytes(value)
    if isinstance(value, dict):
        return {k: normalise(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [normalise(v) for v in value]
    return value
