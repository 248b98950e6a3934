"""The examples of asgi-staticfiles's README and docs page run and answer as they claim."""

from __future__ import annotations

import gzip
import re
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "packages" / "asgi-staticfiles" / "README.md"
PAGE = ROOT / "docs" / "pages" / "packages" / "asgi-staticfiles.md"
BROWSER = "text/html,application/xhtml+xml,*/*;q=0.8"


def blocks(path: Path) -> list[str]:
    return re.findall(r"```python\n(.*?)```", path.read_text(), re.DOTALL)


def run(block: str) -> dict[str, Any]:
    namespace: dict[str, Any] = {}
    exec(block, namespace)
    return namespace


@pytest.fixture
def site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    public = tmp_path / "public"
    (public / "assets").mkdir(parents=True)
    (public / "docs").mkdir()
    (public / "index.html").write_text("<h1>home</h1>")
    (public / "404.html").write_text("<h1>lost</h1>")
    (public / "docs" / "index.html").write_text("<h1>docs</h1>")
    (public / "assets" / "app.3f2a9c.js").write_text("console.log(1)")
    (public / "assets" / "app.3f2a9c.js.gz").write_bytes(gzip.compress(b"console.log(1)"))
    monkeypatch.chdir(tmp_path)
    return public


def test_readme_example(site: Path) -> None:
    from asgi_testing import TestClient

    client = TestClient(run(blocks(README)[0])["app"], follow_redirects=False)
    response = client.get("/")
    assert (response.text, response.headers["cache-control"]) == ("<h1>home</h1>", "no-cache")
    assert client.get("/docs").headers["location"] == "http://testserver/docs/"
    assert client.get("/docs/").text == "<h1>docs</h1>"
    response = client.get("/nothing")
    assert (response.status_code, response.text) == (404, "<h1>lost</h1>")
    response = client.get("/assets/app.3f2a9c.js", headers={"accept-encoding": "gzip, br"})
    assert response.headers["content-encoding"] == "gzip"
    assert response.headers["vary"] == "Accept-Encoding"
    assert response.headers["cache-control"] == "public, max-age=31536000, immutable"
    assert response.text == "console.log(1)"


def test_readme_mounting_examples(site: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from asgi_testing import TestClient

    (site.parent / "static").mkdir()
    (site.parent / "static" / "app.css").write_text("body{}")
    (site.parent / "staticfiles").mkdir()
    (site.parent / "staticfiles" / "admin.css").write_text("admin{}")
    ours, fastapi, django_asgi = blocks(README)[1:4]
    assert "url_for('static'" in ours
    app = run(ours)["app"]
    assert TestClient(app).get("/static/app.css").text == "body{}"
    assert str(app.url_path_for("static", path="/app.css")) == "/static/app.css"
    api = run(fastapi)["api"]
    assert TestClient(api).get("/static/app.css").text == "body{}"
    assert TestClient(api).get("/static/nothing.css").json() == {"detail": "Not Found"}

    import django.core.asgi

    async def django_app(scope: Any, receive: Any, send: Any) -> None:
        body = f"django {scope['path']}".encode()
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": body})

    monkeypatch.setattr(django.core.asgi, "get_asgi_application", lambda: django_app)
    application = run(django_asgi)["application"]
    client = TestClient(application)
    assert client.get("/static/admin.css").text == "admin{}"
    assert client.get("/static/missing.css").status_code == 404
    assert client.get("/admin/").text == "django /admin/"


def test_docs_page_example(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from asgi_testing import TestClient

    (tmp_path / "static").mkdir()
    (tmp_path / "static" / "app.css").write_text("body{}")
    (tmp_path / "spa").mkdir()
    (tmp_path / "spa" / "index.html").write_text("<div id=app></div>")
    monkeypatch.chdir(tmp_path)
    (example,) = blocks(PAGE)
    client = TestClient(run(example)["app"])
    response = client.get("/static/app.css")
    assert (response.text, response.headers["cache-control"]) == ("body{}", "no-cache")
    assert response.headers["vary"] == "Accept-Encoding"
    assert client.get("/users/42", headers={"accept": BROWSER}).text == "<div id=app></div>"
    assert client.get("/users/42.json").status_code == 404
