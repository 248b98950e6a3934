"""The README's install commands work in a fresh virtual environment, from this checkout.

Nothing is on the package index yet, so the README says how to install from a checkout. This
runs those very commands (``pip install`` done by ``uv pip install``) into a new venv, then
serves the README's examples there with nothing from the development environment around.
"""

from __future__ import annotations

import json
import re
import shlex
import shutil
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"

#: Runs in the fresh venv: exec the README's example number argv[1], send it one request
#: (argv[2], JSON: method, path, query, headers, body) as an ASGI server would, print the answer.
SERVE_ONE_REQUEST = r"""
import asyncio, json, re, sys

blocks = re.findall(r"```python\n(.*?)```", open(sys.argv[1]).read(), re.DOTALL)
namespace = {}
exec(blocks[int(sys.argv[2])], namespace)
request = json.loads(sys.argv[3])


async def main():
    scope = {
        "type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1",
        "method": request["method"], "scheme": "http", "path": request["path"],
        "raw_path": request["path"].encode(), "query_string": request["query"].encode(),
        "root_path": "", "client": ("127.0.0.1", 50000), "server": ("127.0.0.1", 8000),
        "headers": [(k.encode(), v.encode()) for k, v in request["headers"]],
    }
    incoming = [{"type": "http.request", "body": request["body"].encode(), "more_body": False}]
    sent = []

    async def receive():
        return incoming.pop(0) if incoming else {"type": "http.disconnect"}

    async def send(message):
        sent.append(message)

    await namespace["app"](scope, receive, send)
    body = b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")
    print(json.dumps({"status": sent[0]["status"], "body": body.decode()}))


asyncio.run(main())
for module in ["testclient", "templating", "middleware.sessions", "authentication", "staticfiles"]:
    try:
        __import__(f"asgi_framework.{module}")
    except ImportError as exc:
        print(json.dumps({module: str(exc)}))
"""


GETTING_STARTED = ROOT / "docs" / "pages" / "getting-started.md"

#: The middleware packages asgi-framework requires (those Starlette always ships).
RUNTIME_MIDDLEWARE = [
    "cors",
    "trustedhost",
    "httpsredirect",
    "compress",
    "base",
    "bodylimit",
    "sessions",
]
#: The other packages it requires, after the middleware in the install command.
RUNTIME_OTHERS = ["asgi-auth", "asgi-staticfiles", "asgi-broadcast"]


def documented_install_commands(path: Path = README) -> list[str]:
    return re.findall(r"^pip install (\./packages/.*)$", path.read_text(), re.MULTILINE)


def uv() -> list[str]:
    found = shutil.which("uv")
    if found:
        return [found]
    try:
        import uv as uv_module  # type: ignore[import-not-found,unused-ignore]
    except ImportError:
        pytest.skip("uv not found (it creates the fresh venv): pip install uv")
    return [uv_module.find_uv_bin()]


def serve_one(python: Path, example: int, request: Mapping[str, object]) -> list[dict[str, Any]]:
    run = subprocess.run(
        [str(python), "-c", SERVE_ONE_REQUEST, str(README), str(example), json.dumps(request)],
        capture_output=True,
        text=True,
        check=False,
        cwd=python.parent,  # not the checkout: nothing importable by accident
        timeout=60,
    )
    assert run.returncode == 0, run.stderr
    return [json.loads(line) for line in run.stdout.splitlines()]


def test_the_readme_names_one_command_and_a_forms_variant() -> None:
    commands = documented_install_commands()
    assert len(commands) == 2
    plain, forms = (shlex.split(command) for command in commands)
    runtime = ["asgi-core", "asgi-responses", "asgi-websockets", "asgi-routing"]
    runtime += [f"asgi-middleware-{name}" for name in RUNTIME_MIDDLEWARE]
    runtime += RUNTIME_OTHERS
    assert plain == [f"./packages/{name}" for name in [*runtime, "asgi-framework"]]
    assert forms == [*plain[:-1], "./packages/asgi-framework[forms]"]
    # the getting-started page shows the same commands, and one for the testing extra
    docs = documented_install_commands(GETTING_STARTED)
    assert docs == [commands[0], the_testing_command(), commands[1]]


def the_testing_command() -> str:
    (command,) = [c for c in documented_install_commands(GETTING_STARTED) if "[testing]" in c]
    plain = shlex.split(documented_install_commands()[0])
    expected = [*plain[:-1], "./packages/asgi-testing", "./packages/asgi-framework[testing]"]
    assert shlex.split(command) == expected
    return command


def test_the_install_command_in_a_fresh_venv(tmp_path: Path) -> None:
    command = uv()
    venv = tmp_path / "venv"
    subprocess.run([*command, "venv", "--quiet", "--python", sys.executable, str(venv)], check=True)
    python = venv / "bin" / "python"
    plain, forms = documented_install_commands()

    def install(arguments: str) -> None:
        subprocess.run(
            [
                *command,
                "pip",
                "install",
                "--quiet",
                "--python",
                str(python),
                *shlex.split(arguments),
            ],
            cwd=ROOT,
            check=True,
            timeout=300,
        )

    install(plain)
    get = {"method": "GET", "path": "/users/5", "query": "q=x", "headers": [], "body": ""}
    answer, *missing = serve_one(python, 0, get)
    assert answer == {"status": 200, "body": '{"id":5,"q":"x"}'}
    # asgi-testing (and httpx) and asgi-templates (and Jinja2) are not part of the default
    # install; sessions, authentication and static files are
    assert missing == [
        {
            "testclient": "asgi_framework.testclient needs the 'testing' extra: "
            "pip install 'asgi-framework[testing]'"
        },
        {
            "templating": "asgi_framework.templating needs the 'templates' extra: "
            "pip install 'asgi-framework[templates]'"
        },
    ]

    install(forms)
    body = (
        "--b\r\ncontent-disposition: form-data; name=a\r\n\r\n1\r\n"
        '--b\r\ncontent-disposition: form-data; name=f; filename="f.txt"\r\n\r\nx\r\n--b--\r\n'
    )
    headers = [["content-type", "multipart/form-data; boundary=b"]]
    post = {"method": "POST", "path": "/upload", "query": "name=Ada", "headers": headers}
    answer, *_ = serve_one(python, 1, {**post, "body": body})
    assert answer == {"status": 200, "body": '{"hello":"Ada","fields":2}'}

    install(the_testing_command())
    answer, *missing = serve_one(python, 0, get)  # the test client imports now
    assert answer["status"] == 200
    assert [list(module) for module in missing] == [["templating"]]
