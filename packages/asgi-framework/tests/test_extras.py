"""A module whose extra is not installed says which extra to install."""

from __future__ import annotations

import importlib
import re
import sys

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


def test_the_rest_works_without_the_testing_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "asgi_testing", None)
    for name in [
        n for n in sys.modules if n == "asgi_framework" or n.startswith("asgi_framework.")
    ]:
        monkeypatch.delitem(sys.modules, name)
    framework = importlib.import_module("asgi_framework")
    for module in ("applications", "routing", "responses", "requests", "websockets", "schemas"):
        importlib.import_module(f"asgi_framework.{module}")
    assert framework.App is framework.Starlette
