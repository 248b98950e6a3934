"""Repository-wide pytest hooks (the packages' own conftests hold their fixtures).

With ``ASGI_STRICT=1`` (set by ``.ci/run``) any skipped test fails the run: a test that
needs something the machine lacks (redis-server, Chromium) may skip on a developer's
machine, with a reason saying how to get it, but never in CI.
"""

from __future__ import annotations

import os

import pytest


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    if os.environ.get("ASGI_STRICT") != "1":
        return
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    skipped = reporter.stats.get("skipped", []) if reporter is not None else []
    if skipped and exitstatus == 0:
        for report in skipped:
            reason = f"{report.nodeid}: {report.longrepr}"
            reporter.write_line(f"ASGI_STRICT=1: skipped test counts as a failure: {reason}")
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
