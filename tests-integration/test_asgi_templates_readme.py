"""The ten-line example of asgi-templates' README runs and answers as it claims."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI, Request  # module level: FastAPI resolves the annotations here

README = Path(__file__).resolve().parent.parent / "packages" / "asgi-templates" / "README.md"


def test_readme_example(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from asgi_testing import TestClient

    text = README.read_text()
    (example, *_) = re.findall(r"```python\n(.*?)```", text, re.DOTALL)
    (template, *_) = re.findall(r"```html\n(.*?)```", text, re.DOTALL)
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "user.html").write_text(template)
    monkeypatch.chdir(tmp_path)
    namespace: dict[str, Any] = {}
    exec(example, namespace)
    client = TestClient(namespace["app"])

    response = client.get("/users/<b>")
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    # Jinja2 drops the template's final newline (keep_trailing_newline=False)
    assert (
        response.text == '<h1>Demo: &lt;b&gt;</h1>\n<a href="http://testserver/users/ada">Ada</a>'
    )
    assert "`<h1>Demo: &lt;b&gt;</h1>`" in text
    assert response.template.name == "user.html"  # type: ignore[attr-defined]
    assert response.context["name"] == "<b>"  # type: ignore[attr-defined]


def test_readme_tests_section(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from asgi_testing import TestClient

    text = README.read_text()
    example, check = re.findall(r"```python\n(.*?)```", text, re.DOTALL)[:2]
    (template,) = re.findall(r"```html\n(.*?)```", text, re.DOTALL)[:1]
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "user.html").write_text(template)
    monkeypatch.chdir(tmp_path)
    namespace: dict[str, Any] = {}
    exec(example, namespace)
    exec(check, {"client": TestClient(namespace["app"])})


def test_the_docs_page_example(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from asgi_testing import TestClient

    page = README.parent.parent.parent / "docs" / "pages" / "packages" / "asgi-templates.md"
    text = page.read_text()
    (example,) = re.findall(r"```python\n(.*?)```", text, re.DOTALL)
    (template,) = re.findall(r"```html\n(.*?)```", text, re.DOTALL)
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "article.html").write_text(template)
    monkeypatch.chdir(tmp_path)
    namespace: dict[str, Any] = {}
    exec(example, namespace)

    response = TestClient(namespace["app"]).get("/blog/intro?user=ada")
    assert response.text == (
        '<p>ada reads intro</p>\n<a href="http://testserver/blog/next">next</a>'
    )
    assert "`<p>ada reads intro</p>`" in text
    assert response.context["user"] == "ada"  # type: ignore[attr-defined]


def test_inside_fastapi_as_the_readme_says() -> None:
    import jinja2

    from asgi_responses import for_starlette
    from asgi_templates import Jinja2Templates
    from asgi_testing import TestClient

    assert "for_starlette(templates.TemplateResponse(request, " in README.read_text()
    loader = jinja2.DictLoader({"page.html": "{{ url_for('page', id=3) }} {{ request.method }}"})
    templates = Jinja2Templates(env=jinja2.Environment(loader=loader))
    app = FastAPI()

    @app.get("/pages/{id}", name="page")
    async def page(request: Request, id: int) -> Any:
        return for_starlette(templates.TemplateResponse(request, "page.html"))

    response = TestClient(app).get("/pages/1")
    assert (response.status_code, response.text) == (200, "http://testserver/pages/3 GET")
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    assert response.template.name == "page.html"  # type: ignore[attr-defined]
