"""The asgi-framework README's and docs page's sessions/auth/static/templates example works.

It runs in a folder with the template and the stylesheet it names, through the test client
on asyncio and trio, and on a real server.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any, Literal

import httpx
import pytest

from asgi_testing import TestClient

ROOT = Path(__file__).resolve().parent.parent
SECTION = "## Sessions, authentication, static files and templates"
DOCUMENTS = [
    ROOT / "packages" / "asgi-framework" / "README.md",
    ROOT / "docs" / "pages" / "packages" / "asgi-framework.md",
]


def example(document: Path) -> tuple[str, str]:
    """The section's Python code and its ``home.html``."""
    text = document.read_text()
    section = text[text.index(SECTION) :]
    section = section[: section.index("\n## ", len(SECTION))]
    (code,) = re.findall(r"```python\n(.*?)```", section, re.DOTALL)
    (template,) = re.findall(r"```html\n(.*?)```", section, re.DOTALL)
    return code, template


def test_the_readme_and_the_docs_page_show_the_same_example() -> None:
    readme, page = (example(document) for document in DOCUMENTS)
    assert readme == page


@pytest.fixture
def app(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Any:
    code, template = example(DOCUMENTS[0])
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "home.html").write_text(template)
    (tmp_path / "static").mkdir()
    (tmp_path / "static" / "site.css").write_text("h1 { color: teal }")
    monkeypatch.chdir(tmp_path)  # the example names its folders relative to the working dir
    namespace: dict[str, Any] = {}
    exec(compile(code, "example", "exec"), namespace)
    return namespace["app"]


@pytest.mark.parametrize("backend", ["asyncio", "trio"])
def test_log_in_and_see_the_page(app: Any, backend: Literal["asyncio", "trio"]) -> None:
    client = TestClient(app, backend=backend, follow_redirects=False)
    response = client.get("/")
    assert response.status_code == 303
    assert response.headers["location"] == "http://testserver/login?next=http%3A%2F%2Ftestserver%2F"

    response = client.get(response.headers["location"])
    assert (response.status_code, response.headers["location"]) == (303, "/")
    assert response.headers["set-cookie"].startswith("session=")

    page = client.get("/")
    assert page.status_code == 200
    assert page.text == (
        '<link rel="stylesheet" href="http://testserver/static/site.css">\n'
        "<h1>Hello, ada</h1>"  # Jinja2 drops the template's final newline
    )
    assert client.get("/static/site.css").text == "h1 { color: teal }"


def test_on_a_real_server(app: Any, serve: Callable[..., Any]) -> None:
    with serve(app) as base, httpx.Client(base_url=base, follow_redirects=True) as client:
        page = client.get("/")  # redirected to /login, which logs in and redirects back
        assert [r.status_code for r in page.history] == [303, 303]
        assert "<h1>Hello, ada</h1>" in page.text
        (link,) = re.findall(r'href="([^"]+)"', page.text)
        css = client.get(link)
        assert css.headers["content-type"] == "text/css; charset=utf-8"
        assert css.text == "h1 { color: teal }"
