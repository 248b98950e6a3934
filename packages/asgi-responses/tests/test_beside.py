from __future__ import annotations

import anyio
import pytest

from asgi_responses._beside import run_beside

pytestmark = pytest.mark.anyio


async def test_main_completing_cancels_the_helper() -> None:
    events: list[str] = []

    async def main() -> None:
        events.append("main")

    async def helper() -> None:
        try:
            await anyio.sleep_forever()
        finally:
            events.append("helper cancelled")

    with anyio.fail_after(5):
        assert await run_beside(main, helper) is True
    assert events == ["main", "helper cancelled"]


async def test_helper_ending_first_cancels_main() -> None:
    events: list[str] = []

    async def main() -> None:
        try:
            await anyio.sleep_forever()
        finally:
            events.append("main cancelled")

    async def helper() -> None:
        events.append("helper")

    with anyio.fail_after(5):
        assert await run_beside(main, helper) is False
    assert events == ["helper", "main cancelled"]


async def test_errors_are_raised_as_themselves() -> None:
    async def failing() -> None:
        raise FileNotFoundError("main failed")

    async def forever() -> None:
        await anyio.sleep_forever()

    with anyio.fail_after(5), pytest.raises(FileNotFoundError, match="main failed"):
        await run_beside(failing, forever)
    with anyio.fail_after(5), pytest.raises(FileNotFoundError, match="main failed"):
        await run_beside(forever, failing)


async def test_the_first_error_wins() -> None:
    async def main() -> None:
        try:
            await anyio.sleep_forever()
        finally:
            raise KeyError("second")

    async def helper() -> None:
        raise ValueError("first")

    with anyio.fail_after(5), pytest.raises(ValueError, match="first"):
        await run_beside(main, helper)
