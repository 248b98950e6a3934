"""RedisSessionStore against a real redis-server (see conftest.py's ``redis_server``).

redis-py's asyncio client runs only on asyncio, so these tests run on asyncio; on trio the
store raises a SessionStoreError that says so (``test_on_trio_the_error_says_asyncio``).
"""

from __future__ import annotations

import json
import sys
import uuid
from collections.abc import AsyncIterator
from typing import Any

import pytest
import redis
import redis.asyncio

from asgi_core.types import ASGIApp
from asgi_middleware_sessions import RedisSessionStore, SessionMiddleware, SessionStoreError
from asgi_testing import AsyncTestClient

RedisServer = Any  # conftest.RedisServer: url, port, kill(), start()


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"  # redis-py's asyncio client; trio is covered by the error test below


@pytest.fixture
async def store(redis_server: RedisServer) -> AsyncIterator[RedisSessionStore]:
    store = RedisSessionStore(redis_server.url, prefix=f"test:{uuid.uuid4().hex}:")
    yield store
    await store.aclose()


def nowhere() -> str:
    """A Redis URL where nothing listens."""
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"redis://127.0.0.1:{port}/0"


@pytest.mark.anyio
async def test_save_load_delete(store: RedisSessionStore) -> None:
    assert await store.load("id") is None
    await store.save("id", {"user": "ada", "n": [1, None]}, 60)
    assert await store.load("id") == {"user": "ada", "n": [1, None]}
    raw = await store.client.get(store.prefix + "id")
    assert raw is not None
    assert json.loads(raw) == {"user": "ada", "n": [1, None]}  # JSON, one key per session
    assert 55 <= await store.client.ttl(store.prefix + "id") <= 60
    await store.delete("id")
    await store.delete("id")  # a missing id is not an error
    assert await store.load("id") is None


@pytest.mark.anyio
async def test_every_save_renews_the_ttl(store: RedisSessionStore) -> None:
    await store.save("id", {"a": 1}, 30)
    await store.client.expire(store.prefix + "id", 5)
    await store.save("id", {"a": 2}, 30)
    assert await store.client.ttl(store.prefix + "id") > 5
    await store.save("other", {"a": 1}, None)
    assert await store.client.ttl(store.prefix + "other") > 24 * 60 * 60 - 10


@pytest.mark.anyio
async def test_unreadable_data_is_no_session(store: RedisSessionStore) -> None:
    for raw in (b"not json", b"[1, 2]", b"\xff"):
        await store.client.set(store.prefix + "id", raw)
        assert await store.load("id") is None


@pytest.mark.anyio
async def test_only_json_is_accepted(store: RedisSessionStore) -> None:
    with pytest.raises(TypeError, match=r"Keep only JSON values"):
        await store.save("id", {"a": object()}, 60)


@pytest.mark.anyio
async def test_a_client_of_your_own(redis_server: RedisServer) -> None:
    client = redis.asyncio.Redis(host="127.0.0.1", port=redis_server.port, decode_responses=True)
    store = RedisSessionStore(client, prefix="own:", default_ttl=100)
    assert (store.client, store.prefix, store.default_ttl) is not None
    assert (
        repr(store)
        == f"RedisSessionStore('redis://127.0.0.1:{redis_server.port}/0', prefix='own:')"
    )
    await store.save("id", {"a": "é"}, None)
    assert await store.load("id") == {"a": "é"}
    assert 90 <= await client.ttl("own:id") <= 100
    await store.aclose()  # not ours to close
    assert await client.ping()
    await client.aclose()


@pytest.mark.anyio
async def test_errors_name_the_store_and_the_cause() -> None:
    url = nowhere()
    store = RedisSessionStore(url)
    for operation, call in (
        ("load", store.load("id")),
        ("save", store.save("id", {}, 60)),
        ("delete", store.delete("id")),
    ):
        with pytest.raises(SessionStoreError) as caught:
            await call
        error = caught.value
        assert error.operation == operation
        assert error.store == f"RedisSessionStore('{url}', prefix='session:')"
        assert str(error).startswith(
            f"RedisSessionStore('{url}', prefix='session:') could not {operation} the "
            "session: ConnectionError: "
        )
        assert isinstance(error.__cause__, redis.ConnectionError)
    await store.aclose()


@pytest.mark.parametrize("anyio_backend", ["trio"])
@pytest.mark.anyio
async def test_on_trio_the_error_says_asyncio() -> None:
    store = RedisSessionStore(nowhere())
    with pytest.raises(SessionStoreError, match=r"runs only on asyncio \(not on trio\)"):
        await store.load("id")


def test_passwords_are_not_shown() -> None:
    store = RedisSessionStore("redis://user:s3cret@127.0.0.1:1/2")
    assert repr(store) == "RedisSessionStore('redis://user:***@127.0.0.1:1/2', prefix='session:')"
    assert "s3cret" not in repr(RedisSessionStore("redis://:s3cret@127.0.0.1:1"))


def test_a_client_without_a_connection_pool_is_named_by_its_class() -> None:
    class Fake:
        async def get(self, key: str) -> None: ...

    assert repr(RedisSessionStore(Fake())) == "RedisSessionStore('Fake', prefix='session:')"  # type: ignore[arg-type]


def test_configuration_errors() -> None:
    with pytest.raises(
        TypeError, match=r"that is redis-py's blocking client; pass a redis\.asyncio"
    ):
        RedisSessionStore(redis.Redis())  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=r"RedisSessionStore\(prefix=1\): pass a string\."):
        RedisSessionStore("redis://127.0.0.1", prefix=1)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match=r"RedisSessionStore\(default_ttl=0\): pass a whole"):
        RedisSessionStore("redis://127.0.0.1", default_ttl=0)


def test_without_redis_py_the_error_names_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "redis.asyncio", None)
    with pytest.raises(ImportError, match=r"pip install 'asgi-middleware-sessions\[redis\]'"):
        RedisSessionStore("redis://127.0.0.1")


@pytest.mark.anyio
async def test_sessions_in_redis_through_the_middleware(
    app: ASGIApp, store: RedisSessionStore
) -> None:
    async with AsyncTestClient(SessionMiddleware(app, "secret", store=store)) as client:
        response = await client.get("/set?user=ada")
        assert "ada" not in response.headers["set-cookie"]
        assert (await client.get("/read")).json() == {"user": "ada"}
        keys = [key async for key in store.client.scan_iter(match=store.prefix + "*")]
        assert len(keys) == 1
        await client.get("/login?user=grace")  # a new id, the old key deleted
        new_keys = [key async for key in store.client.scan_iter(match=store.prefix + "*")]
        assert len(new_keys) == 1
        assert new_keys != keys
        assert (await client.get("/read")).json() == {"user": "grace"}
        await client.get("/clear")
        assert [key async for key in store.client.scan_iter(match=store.prefix + "*")] == []


@pytest.mark.anyio
@pytest.mark.slow
async def test_redis_going_away_and_coming_back(
    app: ASGIApp, store: RedisSessionStore, redis_server: RedisServer
) -> None:
    middleware = SessionMiddleware(app, "secret", store=store)
    async with AsyncTestClient(middleware, raise_server_exceptions=False) as client:
        await client.get("/set?user=ada")
        assert (await client.get("/read")).json() == {"user": "ada"}
        redis_server.kill()
        try:
            response = await client.get("/read")
            assert response.status_code == 500  # the app's error handling: a clear error
            assert (await client.get("/health")).status_code == 200  # other routes work
            fresh = AsyncTestClient(middleware, raise_server_exceptions=False)
            assert (await fresh.get("/set?user=eve")).status_code == 500  # cannot save
            await fresh.aclose()
            strict = AsyncTestClient(middleware, cookies=client.cookies)
            with pytest.raises(SessionStoreError, match=r"could not load the session"):
                await strict.get("/read")
            await strict.aclose()
        finally:
            redis_server.start()
        assert (await client.get("/read")).json() == {"user": "ada"}  # still logged in
        assert (await client.get("/set?n=1")).json() == {"user": "ada", "n": "1"}
