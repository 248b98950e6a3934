"""The ten-line example of asgi-middleware-httpsredirect's README runs and answers as it claims."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

README = (
    Path(__file__).resolve().parent.parent
    / "packages"
    / "asgi-middleware-httpsredirect"
    / "README.md"
)


def test_readme_example() -> None:
    from asgi_testing import TestClient

    (example, *_) = re.findall(r"```python\n(.*?)```", README.read_text(), re.DOTALL)
    namespace: dict[str, Any] = {}
    exec(example, namespace)
    client = TestClient(namespace["app"], follow_redirects=False)

    response = client.get("/docs?page=2", headers={"Host": "example.org"})
    assert (response.status_code, response.headers["location"]) == (
        307,
        "https://example.org/docs?page=2",
    )
    secure = TestClient(namespace["app"], base_url="https://example.org")
    assert secure.get("/docs").text == "Hello over TLS"
    response = client.get("/", headers={"Host": "evil.com/path"})
    assert (response.status_code, response.text) == (400, "Invalid host header")
