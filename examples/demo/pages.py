"""The demo's HTML (templates arrive with asgi-templates)."""

from __future__ import annotations

_STYLE = """
body{font-family:system-ui,sans-serif;max-width:46rem;margin:2rem auto;padding:0 1rem;line-height:1.5;color:#1f2328}
h1{margin-bottom:.2rem}code{background:#f0f2f4;padding:0 .25rem;border-radius:3px}
section{border:1px solid #d0d7de;border-radius:8px;padding:.6rem 1rem;margin:1rem 0}
#chat-log,#events{height:8rem;overflow-y:auto;background:#f6f8fa;padding:.4rem;font-size:.85rem;white-space:pre-wrap}
input,textarea,button{font:inherit}
"""

INDEX_PAGE = f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>asgi-framework demo</title>
<meta name="viewport" content="width=device-width, initial-scale=1"><style>{_STYLE}</style></head>
<body>
<h1>asgi-framework demo</h1>
<p>Every part of this page is served by the asgi-* packages. Read the API at
<a href="/openapi.yaml">/openapi.yaml</a>; see a <a href="/nowhere">404</a> and a <a href="/crash">500</a> page.</p>

<section><h2>Notes (JSON API over SQLite)</h2>
<form id="note-form"><input name="title" placeholder="title" required> <input name="body" placeholder="body" required>
<button>Add note</button></form>
<p><code>GET /api/notes</code>, <code>POST /api/notes</code>, <code>GET /api/notes/{{id}}</code>,
<code>GET /api/activity</code> (written by a background task).</p>
<h3>Live feed (Server-Sent Events)</h3><div id="events"></div></section>

<section><h2>Chat (WebSocket)</h2>
<div id="chat-log"></div>
<form id="chat-form"><input id="chat-text" placeholder="say something" autocomplete="off"> <button>Send</button></form>
</section>

<section><h2>Upload (at most 3 files of 1 MB)</h2>
<form method="post" action="/upload" enctype="multipart/form-data">
<input type="file" name="file" multiple> <button>Upload</button></form></section>

<script>
const events = document.getElementById("events");
new EventSource("/api/events").addEventListener("note", (event) => {{
  const note = JSON.parse(event.data);
  events.textContent += `note ${{note.id}}: ${{note.title}}\\n`;
}});
document.getElementById("note-form").addEventListener("submit", async (event) => {{
  event.preventDefault();
  const data = Object.fromEntries(new FormData(event.target));
  await fetch("/api/notes", {{method: "POST", headers: {{"content-type": "application/json"}}, body: JSON.stringify(data)}});
  event.target.reset();
}});
const log = document.getElementById("chat-log");
const socket = new WebSocket(`${{location.protocol === "https:" ? "wss" : "ws"}}://${{location.host}}/ws/chat?name=guest`);
socket.onmessage = (event) => {{ const m = JSON.parse(event.data); log.textContent += `${{m.from}}: ${{m.text}}\\n`; }};
document.getElementById("chat-form").addEventListener("submit", (event) => {{
  event.preventDefault(); const input = document.getElementById("chat-text"); socket.send(input.value); input.value = "";
}});
</script>
</body></html>
"""

_FORMAT_SAFE_STYLE = _STYLE.replace("{", "{{").replace("}", "}}")

#: Filled with str.format(status=..., title=..., detail=...); the values must be escaped.
ERROR_PAGE = (
    '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{status} {title}</title>'
    f"<style>{_FORMAT_SAFE_STYLE}</style></head>"
    '<body><h1>{status} · {title}</h1><p>{detail}</p><p><a href="/">Back to the demo</a></p></body></html>'
)
