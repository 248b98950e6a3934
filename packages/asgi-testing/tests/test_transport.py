"""Responses left open when the client closes, chunks the app reuses, a client used again."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import anyio
import pytest

from asgi_core.types import Receive, Scope, Send
from asgi_testing import AsyncTestClient, TestClient

MakeClient = Callable[..., TestClient]
App = Callable[[Scope, Receive, Send], Any]


async def lifespan(receive: Receive, send: Send, log: list[str]) -> None:
    await receive()
    await send({"type": "lifespan.startup.complete"})
    await receive()
    log.append("shutdown")
    await send({"type": "lifespan.shutdown.complete"})


def endless_app(log: list[str]) -> App:
    """Streams numbers until cancelled; logs how it ended."""

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            await lifespan(receive, send, log)
            return
        await send({"type": "http.response.start", "status": 200, "headers": []})
        try:
            for number in range(1000):
                await send(
                    {"type": "http.response.body", "body": b"%d" % number, "more_body": True}
                )
        except anyio.get_cancelled_exc_class():
            log.append("cancelled")
            raise

    return app


def background_app(log: list[str], error: Exception | None = None) -> App:
    """Sends a complete response, then works on (and fails with ``error``, if given)."""

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            await lifespan(receive, send, log)
            return
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"done"})
        await anyio.sleep(0.05)
        log.append("background done")
        if error is not None:
            raise error

    return app


def open_stream(client: TestClient, kept: list[Any]) -> bytes:
    """Read the first chunk of a response, neither reading it to its end nor closing it.

    The response and its iterator are kept in ``kept``: a dropped iterator may close the
    response when it is garbage collected.
    """
    response = client.send(client.build_request("GET", "/"), stream=True)
    chunks = response.iter_raw()
    kept += [response, chunks]
    chunk: bytes = next(chunks)
    return chunk


def test_closing_the_client_cancels_unfinished_responses(make_client: MakeClient) -> None:
    log: list[str] = []
    client = make_client(endless_app(log))
    kept: list[Any] = []
    assert open_stream(client, kept) == b"0"
    client.close()
    assert log == ["cancelled"]
    response, chunks = kept
    assert list(chunks) == []  # reading on finds the end
    assert response.is_closed
    response.close()  # nothing left to do


def test_leaving_the_block_cancels_unfinished_responses_before_shutdown(
    make_client: MakeClient,
) -> None:
    log: list[str] = []
    kept: list[Any] = []
    with make_client(endless_app(log)) as client:
        assert open_stream(client, kept) == b"0"
    assert log == ["cancelled", "shutdown"]
    kept[0].close()


def test_closing_the_client_waits_for_background_work_of_complete_responses(
    make_client: MakeClient,
) -> None:
    log: list[str] = []
    client = make_client(background_app(log))
    kept: list[Any] = []
    assert open_stream(client, kept) == b"done"  # the whole body, not read to its end
    client.close()
    assert log == ["background done"]


def test_an_exception_after_the_response_reaches_the_test_when_the_client_closes(
    make_client: MakeClient,
) -> None:
    log: list[str] = []
    client = make_client(background_app(log, LookupError("failed after the response")))
    kept: list[Any] = []
    assert open_stream(client, kept) == b"done"
    with pytest.raises(LookupError, match="failed after the response"):
        client.close()

    with pytest.raises(LookupError, match="failed after the response"):
        with make_client(background_app(log, LookupError("failed after the response"))) as c:
            assert open_stream(c, kept) == b"done"
    assert log[-2:] == ["background done", "shutdown"]  # the shutdown ran all the same

    client = make_client(background_app(log, LookupError("x")), raise_server_exceptions=False)
    assert open_stream(client, kept) == b"done"
    client.close()


def test_the_first_of_several_exceptions_is_raised(make_client: MakeClient) -> None:
    log: list[str] = []
    client = make_client(background_app(log, LookupError("failed")))
    kept: list[Any] = []
    for _ in range(2):
        assert open_stream(client, kept) == b"done"
    with pytest.raises(LookupError, match="failed"):
        client.close()
    assert log == ["background done", "background done"]


def test_middleware_exception_after_the_response_is_raised(make_client: MakeClient) -> None:
    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"ok"})

    async def middleware(scope: Scope, receive: Receive, send: Send) -> None:
        await app(scope, receive, send)
        if scope["type"] == "http":
            raise RuntimeError("middleware failed after the response")

    with pytest.raises(RuntimeError, match="middleware failed after the response"):
        make_client(middleware).get("/")
    with (
        pytest.raises(RuntimeError, match="middleware failed after the response"),
        make_client(middleware).stream("GET", "/") as response,
    ):
        response.read()
    assert make_client(middleware, raise_server_exceptions=False).get("/").text == "ok"


def test_mutable_chunks_are_copied_when_sent(make_client: MakeClient) -> None:
    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        await send({"type": "http.response.start", "status": 200, "headers": []})
        buffer = bytearray(b"aaaa")
        await send({"type": "http.response.body", "body": buffer, "more_body": True})
        buffer[:] = b"bbbb"
        await send(
            {"type": "http.response.body", "body": memoryview(buffer)[:2], "more_body": True}
        )
        buffer[:] = b"cccc"
        await send({"type": "http.response.body", "body": b""})

    client = make_client(app)
    assert client.get("/").content == b"aaaabb"
    with client.stream("GET", "/") as response:
        assert list(response.iter_raw()) == [b"aaaa", b"bb"]


def is_closed(client: TestClient) -> bool:
    return client.is_closed  # a call, so that type checkers do not narrow the property


def test_the_client_can_be_used_again_after_its_block(make_client: MakeClient) -> None:
    log: list[str] = []
    client = make_client(background_app(log))
    with client:
        assert client.get("/").text == "done"
    assert not is_closed(client)
    assert client.get("/").text == "done"
    with client:
        assert client.get("/").text == "done"
    assert log.count("shutdown") == 2
    client.close()
    assert is_closed(client)
    with pytest.raises(RuntimeError, match="client has been closed"):
        client.get("/")


# --- AsyncTestClient -------------------------------------------------------------------


@pytest.mark.anyio
async def test_async_leaving_the_block_cancels_unfinished_responses() -> None:
    log: list[str] = []
    async with AsyncTestClient(endless_app(log)) as client:
        response = await client.send(client.build_request("GET", "/"), stream=True)
        chunks = response.aiter_raw()
        assert await chunks.__anext__() == b"0"
    assert log == ["cancelled", "shutdown"]
    assert [chunk async for chunk in chunks] == []  # reading on finds the end
    assert response.is_closed


@pytest.mark.anyio
async def test_async_leaving_the_block_waits_for_complete_responses() -> None:
    log: list[str] = []
    with pytest.raises(LookupError, match="late failure"):
        async with AsyncTestClient(background_app(log, LookupError("late failure"))) as client:
            response = await client.send(client.build_request("GET", "/"), stream=True)
            chunks = response.aiter_raw()
            assert await chunks.__anext__() == b"done"
    assert log == ["background done", "shutdown"]
    assert [chunk async for chunk in chunks] == []


@pytest.mark.anyio
async def test_async_aclose_finishes_open_responses() -> None:
    log: list[str] = []
    client = AsyncTestClient(endless_app(log))
    async with client:
        response = await client.send(client.build_request("GET", "/"), stream=True)
        chunks = response.aiter_raw()
        assert await chunks.__anext__() == b"0"
        await client.aclose()
        assert log == ["cancelled"]
        assert [chunk async for chunk in chunks] == []
    assert log == ["cancelled", "shutdown"]


@pytest.mark.anyio
async def test_async_client_can_be_used_again_after_its_block() -> None:
    log: list[str] = []
    client = AsyncTestClient(background_app(log))
    async with client:
        assert (await client.get("/")).text == "done"
    assert (await client.get("/")).text == "done"
    async with client:
        assert (await client.get("/")).text == "done"
    assert log.count("shutdown") == 2
    await client.aclose()
    with pytest.raises(RuntimeError, match="client has been closed"):
        await client.get("/")
