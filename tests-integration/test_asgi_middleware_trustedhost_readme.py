"""The ten-line example of asgi-middleware-trustedhost's README runs and answers as it claims."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

README = (
    Path(__file__).resolve().parent.parent
    / "packages"
    / "asgi-middleware-trustedhost"
    / "README.md"
)


def test_readme_example() -> None:
    from asgi_testing import TestClient

    (example, *_) = re.findall(r"```python\n(.*?)```", README.read_text(), re.DOTALL)
    namespace: dict[str, Any] = {}
    exec(example, namespace)
    client = TestClient(namespace["app"], follow_redirects=False)

    assert client.get("/", headers={"Host": "www.example.org"}).text == "Hello"
    assert client.get("/", headers={"Host": "api.example.org:8443"}).text == "Hello"
    response = client.get("/path", headers={"Host": "example.org"})
    assert (response.status_code, response.headers["location"]) == (
        307,
        "http://www.example.org/path",
    )
    response = client.get("/", headers={"Host": "evil.com"})
    assert (response.status_code, response.text) == (400, "Invalid host header")
