"""The FastAPI examples of the asgi-framework README and of docs/pages/fastapi.md, as written.

Each runs in a fresh interpreter: ``install_as_starlette()`` lasts for the rest of the
process, and the test process may already have imported the real Starlette.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

CHECK = """
import asgi_framework
from fastapi.testclient import TestClient

assert isinstance(app, asgi_framework.App), type(app).__mro__

@app.get("/ping/{n}")
async def ping(n: int) -> dict[str, int]:
    return {"pong": n}

client = TestClient(app)
print(client.get("/ping/3").json(), client.get("/ping/x").status_code)
"""


def fastapi_example(path: Path) -> str:
    blocks = re.findall(r"```python\n(.*?)```", path.read_text(), re.DOTALL)
    (example,) = [block for block in blocks if "install_as_starlette()" in block]
    return str(example)


@pytest.mark.parametrize(
    "path",
    [ROOT / "packages" / "asgi-framework" / "README.md", ROOT / "docs" / "pages" / "fastapi.md"],
    ids=["readme", "docs"],
)
def test_the_example_runs_fastapi_on_asgi_framework(path: Path) -> None:
    run = subprocess.run(
        [sys.executable, "-c", fastapi_example(path) + CHECK],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert run.returncode == 0, run.stderr
    assert run.stdout.split("\n")[0] == "{'pong': 3} 422"


def test_the_docs_example_route() -> None:
    code = fastapi_example(ROOT / "docs" / "pages" / "fastapi.md")
    run = subprocess.run(
        [
            sys.executable,
            "-c",
            code
            + "\nfrom fastapi.testclient import TestClient\n"
            + "print(TestClient(app).get('/items/5').json())",
        ],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip() == "{'item_id': 5}"
