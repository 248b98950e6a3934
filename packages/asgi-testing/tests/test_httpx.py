"""httpx2 when installed, else httpx: the clients work on both, and the suite proves it."""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from pathlib import Path

import pytest

from asgi_testing import AsyncTestClient, TestClient, WebSocketDenialResponse
from asgi_testing._httpx import CANDIDATES, httpx, load_httpx

TESTS = Path(__file__).resolve().parent


def installed(name: str) -> bool:
    return importlib.util.find_spec(name) is not None


def test_httpx2_is_preferred_when_installed() -> None:
    expected = "httpx2" if installed("httpx2") else "httpx"
    assert httpx.__name__ == expected
    assert load_httpx() is httpx
    assert issubclass(TestClient, httpx.Client)
    assert issubclass(AsyncTestClient, httpx.AsyncClient)
    assert issubclass(WebSocketDenialResponse, httpx.Response)


def test_the_next_candidate_is_used_when_one_is_missing() -> None:
    assert load_httpx(("surely_not_an_installed_module", "json")) is json


def test_no_client_library_at_all() -> None:
    with pytest.raises(ImportError, match=r"found none of \['surely_not_an_installed_module'\]"):
        load_httpx(("surely_not_an_installed_module",))


def test_the_suite_passes_on_every_other_installed_library() -> None:
    """Run this package's tests again on each installed library the clients did not pick.

    With httpx2 and httpx both installed, this process runs on httpx2; a fresh interpreter
    in which httpx2 cannot be imported runs the suite on httpx.
    """
    for name in [c for c in CANDIDATES if c != httpx.__name__ and installed(c)]:
        blocked = [c for c in CANDIDATES if c != name]
        args = ["-q", "-p", "no:cacheprovider", "-W", "error", "-x"]
        args += ["--ignore", str(TESTS / "test_httpx.py"), str(TESTS)]
        code = (
            "import sys\n"
            f"for blocked in {blocked!r}:\n"
            "    sys.modules[blocked] = None  # makes importing it fail\n"
            "import pytest\n"
            f"status = pytest.main({args!r})\n"
            "from asgi_testing._httpx import httpx\n"
            f"assert httpx.__name__ == {name!r}, httpx\n"
            "sys.exit(status)\n"
        )
        result = subprocess.run(
            [sys.executable, "-c", code],
            cwd=TESTS,
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
        )
        assert result.returncode == 0, f"on {name}:\n{result.stdout[-4000:]}{result.stderr[-4000:]}"
        assert " passed" in result.stdout
