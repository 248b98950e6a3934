"""ASGI_STRICT=1 turns every skip into a failed run; without it a skip is only reported."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def run_pytest(tmp_path: Path, strict: bool) -> subprocess.CompletedProcess[str]:
    shutil.copy(ROOT / "conftest.py", tmp_path / "conftest.py")
    (tmp_path / "test_needs_service.py").write_text(
        "import pytest\n\n"
        "def test_needs_redis():\n"
        "    pytest.skip('redis-server not found: apt-get install redis-server')\n\n"
        "def test_fine():\n"
        "    assert True\n"
    )
    env = {k: v for k, v in os.environ.items() if k != "ASGI_STRICT"}
    if strict:
        env["ASGI_STRICT"] = "1"
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-q", str(tmp_path)],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


def test_skip_is_reported_without_strict(tmp_path: Path) -> None:
    result = run_pytest(tmp_path, strict=False)
    assert result.returncode == 0, result.stdout
    assert "1 passed, 1 skipped" in result.stdout


def test_skip_fails_the_run_with_strict(tmp_path: Path) -> None:
    result = run_pytest(tmp_path, strict=True)
    assert result.returncode == 1, result.stdout
    assert "skipped test counts as a failure" in result.stdout
    assert "apt-get install redis-server" in result.stdout
