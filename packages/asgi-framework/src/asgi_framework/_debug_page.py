"""The debug error page: the exception, its frames with source and locals, and the request."""

from __future__ import annotations

import html
import inspect
import re
import sys
import traceback
from collections.abc import Iterable
from types import TracebackType
from typing import Any

from asgi_core import Request

__all__ = ["debug_html", "debug_text"]

#: Lines of source shown around the line of each frame.
CONTEXT_LINES = 5
#: Longest repr shown for a local variable.
MAX_REPR = 400
#: Header values and local variables never shown, even in debug mode.
_SECRET_HEADERS = frozenset(
    {"authorization", "proxy-authorization", "cookie", "x-api-key", "x-auth-token"}
)
_SECRET_NAME = re.compile(r"pass(word|wd)?|secret|token|api_?key|credential|private", re.IGNORECASE)
_MASK = "********"

_STYLE = """
body{font-family:ui-sans-serif,system-ui,sans-serif;margin:0;background:#f6f7f9;color:#1f2328}
header{background:#b42318;color:#fff;padding:1.25rem 2rem}
header h1{margin:0;font-size:1.4rem}
header p{margin:.4rem 0 0;font-family:ui-monospace,monospace;white-space:pre-wrap}
main{padding:1rem 2rem 3rem;max-width:70rem}
h2{font-size:1.05rem;margin:1.6rem 0 .6rem}
details{background:#fff;border:1px solid #d0d7de;border-radius:6px;margin:.4rem 0}
summary{cursor:pointer;padding:.5rem .8rem;font-family:ui-monospace,monospace;font-size:.85rem}
summary .fn{font-weight:600}details.app summary{background:#fff8c5}
pre{margin:0;padding:.4rem .8rem;overflow-x:auto;font-size:.8rem;line-height:1.45}
pre .current{background:#ffebe9;display:block}
table{border-collapse:collapse;width:100%;font-size:.8rem;background:#fff}
td,th{border:1px solid #d0d7de;padding:.3rem .5rem;text-align:left;vertical-align:top;
font-family:ui-monospace,monospace;word-break:break-all}
th{background:#f6f8fa;width:14rem}
.note{color:#57606a;font-size:.8rem}
"""


def _safe_repr(name: str, value: Any) -> str:
    if _SECRET_NAME.search(name):
        return _MASK
    try:
        text = repr(value)
    except Exception as exc:  # noqa: BLE001 - a broken __repr__ must not break the page
        text = f"<unrepresentable {type(value).__name__}: {exc!r}>"
    if len(text) > MAX_REPR:
        text = text[:MAX_REPR] + f"... ({len(text)} characters)"
    return text


def _header_value(name: str, value: str) -> str:
    return _MASK if name.lower() in _SECRET_HEADERS else value


def _frames(tb: TracebackType | None) -> Iterable[tuple[inspect.FrameInfo, dict[str, Any]]]:
    while tb is not None:
        yield inspect.getframeinfo(tb, CONTEXT_LINES * 2 + 1), tb.tb_frame.f_locals  # type: ignore[misc]
        tb = tb.tb_next


def _is_library(filename: str) -> bool:
    return "site-packages" in filename or filename.startswith(sys.prefix + "/lib")


def _frame_html(info: Any, local_vars: dict[str, Any], is_last: bool) -> str:
    escape = html.escape
    first = info.lineno - (info.index or 0)
    source = "".join(
        f'<span class="current">{escape(f"{first + offset:>5}  {line.rstrip()}")}</span>'
        if first + offset == info.lineno
        else escape(f"{first + offset:>5}  {line.rstrip()}") + "\n"
        for offset, line in enumerate(info.code_context or [])
    )
    rows = "".join(
        f"<tr><th>{escape(name)}</th><td>{escape(_safe_repr(name, value))}</td></tr>"
        for name, value in local_vars.items()
    )
    kind = "lib" if _is_library(info.filename) else "app"
    opened = " open" if is_last else ""
    return (
        f'<details class="{kind}"{opened}><summary><span class="fn">{escape(info.function)}</span> '
        f"in {escape(info.filename)}, line {info.lineno}</summary>"
        f"<pre>{source}</pre>" + (f"<table>{rows}</table>" if rows else "") + "</details>"
    )


def _request_rows(request: Request) -> str:
    escape = html.escape
    rows = [("Method", request.method), ("URL", str(request.url))]
    rows += [
        (f"Header {name}", _header_value(name, value)) for name, value in request.headers.items()
    ]
    return "".join(f"<tr><th>{escape(k)}</th><td>{escape(v)}</td></tr>" for k, v in rows)


def debug_html(request: Request, exc: BaseException) -> str:
    """A complete HTML page describing ``exc`` raised while serving ``request``."""
    escape = html.escape
    frames = list(_frames(exc.__traceback__))
    frames_html = "".join(
        _frame_html(info, local_vars, index == len(frames) - 1)
        for index, (info, local_vars) in enumerate(frames)
    )
    chain = ""
    cause = exc.__cause__ or (None if exc.__suppress_context__ else exc.__context__)
    if cause is not None:
        chain = f"<h2>Caused by</h2><pre>{escape(''.join(traceback.format_exception(cause)))}</pre>"
    title = (
        f"{type(exc).__module__}.{type(exc).__qualname__}"
        if type(exc).__module__ != "builtins"
        else type(exc).__qualname__
    )
    return (
        '<!doctype html><html lang="en"><head><meta charset="utf-8">'
        f"<title>{escape(type(exc).__name__)}: {escape(str(exc))[:120]}</title>"
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<style>{_STYLE}</style></head>"
        f"<body><header><h1>{escape(title)}</h1><p>{escape(str(exc))}</p></header><main>"
        f'<h2>Traceback <span class="note">(most recent call last; your code is highlighted; '
        f"passwords, tokens and secrets are masked)</span></h2>{frames_html}{chain}"
        f"<h2>Request</h2><table>{_request_rows(request)}</table>"
        '<p class="note">This page is shown because the application runs with debug=True. '
        "Never enable debug in production.</p></main></body></html>"
    )


def debug_text(exc: BaseException) -> str:
    """The plain-text traceback of ``exc``."""
    return "".join(traceback.format_exception(exc))
