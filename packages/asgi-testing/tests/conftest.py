"""Every async test runs on asyncio and trio; every sync client runs on both backends too."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from asgi_testing import TestClient


@pytest.fixture(params=["asyncio", "trio"])
def anyio_backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture(params=["asyncio", "trio"])
def make_client(request: pytest.FixtureRequest) -> Callable[..., TestClient]:
    """``make_client(app, **options)``: a TestClient on the asyncio, then the trio backend."""

    def factory(app: Any, **options: Any) -> TestClient:
        return TestClient(app, backend=request.param, **options)

    return factory
