"""The ten-line example of asgi-middleware-cors's README runs and answers as it claims."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

README = Path(__file__).resolve().parent.parent / "packages" / "asgi-middleware-cors" / "README.md"


def test_readme_example() -> None:
    from asgi_testing import TestClient

    (example, *_) = re.findall(r"```python\n(.*?)```", README.read_text(), re.DOTALL)
    namespace: dict[str, Any] = {}
    exec(example, namespace)
    client = TestClient(namespace["app"])

    response = client.get("/", headers={"Origin": "https://example.org"})
    assert response.json() == {"hello": "world"}
    assert response.headers["access-control-allow-origin"] == "https://example.org"
    assert response.headers["vary"] == "Origin"

    preflight = {"Origin": "https://example.org", "Access-Control-Request-Method": "POST"}
    response = client.options("/", headers=preflight)
    assert (response.status_code, response.text) == (200, "OK")
    assert response.headers["access-control-allow-methods"] == "GET, POST"

    response = client.options("/", headers={**preflight, "Origin": "https://evil.example"})
    assert (response.status_code, response.text) == (400, "Disallowed CORS origin")
