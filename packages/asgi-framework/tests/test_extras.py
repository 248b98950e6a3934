"""A module whose extra is not installed says which extra to install."""

from __future__ import annotations

import importlib
import re
import sys
from typing import Any

import pytest

from asgi_framework._extras import missing_extra


def test_the_message_names_the_extra() -> None:
    error = missing_extra("asgi_framework.templating", "templates")
    assert str(error) == (
        "asgi_framework.templating needs the 'templates' extra: "
        "pip install 'asgi-framework[templates]'"
    )
    assert error.name == "asgi_framework.templating"


def test_testclient_without_the_testing_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "asgi_testing", None)  # as if not installed
    monkeypatch.delitem(sys.modules, "asgi_framework.testclient", raising=False)
    expected = (
        "asgi_framework.testclient needs the 'testing' extra: pip install 'asgi-framework[testing]'"
    )
    with pytest.raises(ImportError, match=re.escape(expected)) as info:
        importlib.import_module("asgi_framework.testclient")
    assert isinstance(info.value.__cause__, ImportError)  # the original error stays visible


def test_opentelemetry_without_the_otel_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "asgi_middleware_opentelemetry", None)
    monkeypatch.delitem(sys.modules, "asgi_framework.middleware.opentelemetry", raising=False)
    expected = (
        "asgi_framework.middleware.opentelemetry needs the 'otel' extra: "
        "pip install 'asgi-framework[otel]'"
    )
    with pytest.raises(ImportError, match=re.escape(expected)) as info:
        importlib.import_module("asgi_framework.middleware.opentelemetry")
    assert isinstance(info.value.__cause__, ImportError)


def test_templating_without_the_templates_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "asgi_templates", None)
    monkeypatch.delitem(sys.modules, "asgi_framework.templating", raising=False)
    expected = (
        "asgi_framework.templating needs the 'templates' extra: "
        "pip install 'asgi-framework[templates]'"
    )
    with pytest.raises(ImportError, match=re.escape(expected)) as info:
        importlib.import_module("asgi_framework.templating")
    assert isinstance(info.value.__cause__, ImportError)


def test_templating_without_jinja2(monkeypatch: pytest.MonkeyPatch) -> None:
    # asgi-templates installed without its Jinja2: the extra is what to install again
    monkeypatch.setitem(sys.modules, "jinja2", None)
    for name in [n for n in sys.modules if n.split(".")[0] == "asgi_templates"]:
        monkeypatch.delitem(sys.modules, name)
    monkeypatch.delitem(sys.modules, "asgi_framework.templating", raising=False)
    with pytest.raises(ImportError, match=r"needs the 'templates' extra") as info:
        importlib.import_module("asgi_framework.templating")
    assert "jinja2" in str(info.value.__cause__)


def test_compress_without_the_compress_extra_offers_gzip(monkeypatch: pytest.MonkeyPatch) -> None:
    for module in ("brotli", "compression.zstd", "backports.zstd"):
        monkeypatch.setitem(sys.modules, module, None)  # as if not installed
    from asgi_framework.middleware.compress import CompressMiddleware
    from asgi_testing import TestClient

    async def text(scope: Any, receive: Any, send: Any) -> None:
        headers = [(b"content-type", b"text/plain")]
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        await send({"type": "http.response.body", "body": b"x" * 1000})

    client = TestClient(CompressMiddleware(text))
    response = client.get("/", headers={"accept-encoding": "zstd, br, gzip;q=0.1"})
    assert response.headers["content-encoding"] == "gzip"
    assert response.text == "x" * 1000


def test_the_rest_works_without_the_testing_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "asgi_testing", None)
    for name in [
        n for n in sys.modules if n == "asgi_framework" or n.startswith("asgi_framework.")
    ]:
        monkeypatch.delitem(sys.modules, name)
    framework = importlib.import_module("asgi_framework")
    modules = ["applications", "routing", "responses", "requests", "websockets", "schemas"]
    modules += ["middleware.cors", "middleware.gzip", "middleware.trustedhost"]
    modules += ["middleware.sessions", "middleware.authentication", "authentication"]
    modules += ["staticfiles"]
    for module in modules:
        importlib.import_module(f"asgi_framework.{module}")
    assert framework.App is framework.Starlette
