"""pytest plugin for FastAPI's test suite (``-p fastapi_suite_plugin``).

It registers the marker FastAPI's tests use for pytest-xdist and, with
``ASGI_FASTAPI_SUITE_RESULTS=<file>``, writes every test's outcome there as JSON.
``sitecustomize.py`` beside it installs asgi-framework as Starlette (``ours`` runs).
"""

from __future__ import annotations

import json
import os
from typing import Any

import pytest

_outcomes: dict[str, dict[str, str]] = {}


def pytest_configure(config: pytest.Config) -> None:
    # FastAPI's tests group some tests for pytest-xdist, which is not used here
    config.addinivalue_line("markers", "xdist_group(name): pytest-xdist grouping (unused)")
    if os.environ.get("ASGI_FASTAPI_SUITE_OURS") == "1":
        import starlette

        if starlette.__name__ != "asgi_framework._starlette_compat":
            raise pytest.UsageError("asgi-framework is not installed as Starlette")


def _crash(report: Any) -> str:
    crash = getattr(report.longrepr, "reprcrash", None)
    if crash is not None:
        return str(crash.message).splitlines()[0] if crash.message else ""
    return str(report.longrepr).strip().splitlines()[-1] if report.longrepr else ""


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    entry = _outcomes.setdefault(report.nodeid, {"outcome": "passed", "message": ""})
    if report.failed:
        if entry["outcome"] != "failed":
            entry.update(outcome="failed", message=f"[{report.when}] {_crash(report)}")
    elif report.skipped and report.when != "teardown":
        entry.update(outcome="skipped")


def pytest_collectreport(report: pytest.CollectReport) -> None:
    if report.failed:
        _outcomes[report.nodeid] = {"outcome": "error", "message": _crash(report)}


def pytest_sessionfinish(session: pytest.Session) -> None:
    path = os.environ.get("ASGI_FASTAPI_SUITE_RESULTS")
    if path:
        with open(path, "w", encoding="utf-8") as file:
            json.dump(_outcomes, file, indent=1, sort_keys=True)
