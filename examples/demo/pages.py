"""The demo's HTML (templates arrive with asgi-templates); every value put in a page is escaped."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from html import escape
from typing import Any

_STYLE = """
body{font-family:system-ui,sans-serif;max-width:46rem;margin:2rem auto;padding:0 1rem;line-height:1.5;color:#1f2328}
h1{margin-bottom:.2rem}code{background:#f0f2f4;padding:0 .25rem;border-radius:3px}
section{border:1px solid #d0d7de;border-radius:8px;padding:.6rem 1rem;margin:1rem 0}
#chat-log,#events{height:8rem;overflow-y:auto;background:#f6f8fa;padding:.4rem;font-size:.85rem;white-space:pre-wrap}
#upload-result{display:block;white-space:pre-wrap;margin-top:.4rem}
table{border-collapse:collapse}td,th{border-bottom:1px solid #d0d7de;padding:.2rem .6rem;text-align:left}
input,textarea,button{font:inherit}
"""

#: The index page's script: the note form, the live feed, the chat and the upload, all
#: without leaving the page.
SCRIPT = """
const events = document.getElementById("events");
const notes = document.getElementById("notes");
new EventSource("/api/events").addEventListener("note", (event) => {
  const note = JSON.parse(event.data);
  events.textContent += `note ${note.id}: ${note.title}\\n`;
  const item = document.createElement("li");
  item.textContent = `${note.title}: ${note.body}`;
  notes.prepend(item);
});
document.getElementById("note-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const data = Object.fromEntries(new FormData(event.target));
  await fetch("/api/notes", {method: "POST", headers: {"content-type": "application/json"}, body: JSON.stringify(data)});
  event.target.reset();
});
const log = document.getElementById("chat-log");
const socket = new WebSocket(`${location.protocol === "https:" ? "wss" : "ws"}://${location.host}/ws/chat?name=guest`);
socket.onmessage = (event) => { const m = JSON.parse(event.data); log.textContent += `${m.from}: ${m.text}\\n`; };
socket.onclose = (event) => { log.textContent += `(chat closed: ${event.code} ${event.reason})\\n`; };
document.getElementById("chat-form").addEventListener("submit", (event) => {
  event.preventDefault(); const input = document.getElementById("chat-text"); socket.send(input.value); input.value = "";
});
const uploadResult = document.getElementById("upload-result");
document.getElementById("upload-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  uploadResult.textContent = "Uploading...";
  try {
    const response = await fetch("/upload", {method: "POST", body: new FormData(event.target)});
    const answer = await response.json();
    if (!response.ok) {
      uploadResult.textContent = `Upload refused (${response.status}): ${answer.detail}`;
      return;
    }
    const lines = answer.files.map((f) => `${f.filename}: ${f.size} bytes, ${f.content_type}`);
    uploadResult.textContent = `Received ${answer.files.length} file(s)\\n${lines.join("\\n")}`;
    event.target.reset();
  } catch (error) {
    uploadResult.textContent = `Upload failed: ${error}`;
  }
});
"""


def _page(title: str, body: str) -> str:
    return (
        f'<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><title>{escape(title)}</title>\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<style>{_STYLE}</style></head>\n<body>\n{body}\n</body></html>\n"
    )


def index_page(notes: Iterable[Mapping[str, Any]]) -> str:
    """The demo's home page, listing the ``notes`` that already exist."""
    items = "\n".join(
        f"<li>{escape(str(note['title']))}: {escape(str(note['body']))}</li>" for note in notes
    )
    return _page(
        "asgi-framework demo",
        f"""<h1>asgi-framework demo</h1>
<p>Every part of this page is served by the asgi-* packages. Read the API at
<a href="/docs">/docs</a> (<a href="/openapi.json">JSON</a>, <a href="/openapi.yaml">YAML</a>);
see a <a href="/nowhere">404</a> and a <a href="/crash">500</a> page.</p>

<section><h2>Notes (JSON API over SQLite)</h2>
<form id="note-form"><input name="title" placeholder="title" required> <input name="body" placeholder="body" required>
<button>Add note</button></form>
<ul id="notes">
{items}
</ul>
<p><code>GET /api/notes</code>, <code>POST /api/notes</code>, <code>GET /api/notes/{{id}}</code>,
<code>GET /api/activity</code> (written by a background task).</p>
<h3>Live feed (Server-Sent Events)</h3><div id="events"></div></section>

<section><h2>Chat (WebSocket)</h2>
<div id="chat-log"></div>
<form id="chat-form"><input id="chat-text" placeholder="say something" autocomplete="off"> <button>Send</button></form>
</section>

<section><h2>Upload (at most 3 files of 1 MB)</h2>
<form id="upload-form" method="post" action="/upload" enctype="multipart/form-data">
<input type="file" name="file" multiple> <button>Upload</button></form>
<output id="upload-result" for="upload-form"></output></section>

<script>{SCRIPT}</script>""",
    )


def docs_page(schema: Mapping[str, Any]) -> str:
    """A readable list of the operations in the OpenAPI ``schema``."""
    rows = []
    for path, operations in schema.get("paths", {}).items():
        for method, operation in operations.items():
            summary = operation.get("summary", "") if isinstance(operation, dict) else ""
            rows.append(
                f"<tr><td><code>{escape(method.upper())}</code></td>"
                f"<td><code>{escape(path)}</code></td><td>{escape(str(summary))}</td></tr>"
            )
    info = schema.get("info", {})
    title = f"{info.get('title', 'API')} {info.get('version', '')}".strip()
    return _page(
        f"{title}: operations",
        f"""<h1>{escape(title)}</h1>
<p>The OpenAPI schema as <a href="/openapi.json">JSON</a> or <a href="/openapi.yaml">YAML</a>.</p>
<table><thead><tr><th>method</th><th>path</th><th>summary</th></tr></thead>
<tbody>
{chr(10).join(rows)}
</tbody></table>
<p><a href="/">Back to the demo</a></p>""",
    )


_FORMAT_SAFE_STYLE = _STYLE.replace("{", "{{").replace("}", "}}")

#: Filled with str.format(status=..., title=..., detail=...); the values must be escaped.
ERROR_PAGE = (
    '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{status} {title}</title>'
    f"<style>{_FORMAT_SAFE_STYLE}</style></head>"
    '<body><h1>{status} · {title}</h1><p>{detail}</p><p><a href="/">Back to the demo</a></p></body></html>'
)
