from __future__ import annotations

import pytest

from asgi_middleware_sessions import MemorySessionStore


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.mark.anyio
async def test_save_load_delete() -> None:
    store = MemorySessionStore()
    assert await store.load("id") is None
    await store.save("id", {"a": [1]}, 60)
    assert await store.load("id") == {"a": [1]}
    await store.save("id", {"b": 2}, 60)
    assert await store.load("id") == {"b": 2}
    assert len(store) == 1
    await store.delete("id")
    await store.delete("id")  # a missing id is not an error
    assert await store.load("id") is None
    assert len(store) == 0


@pytest.mark.anyio
async def test_the_data_is_a_copy() -> None:
    store = MemorySessionStore()
    data = {"a": [1]}
    await store.save("id", data, 60)
    data["a"].append(2)
    loaded = await store.load("id")
    assert loaded == {"a": [1]}
    assert loaded is not None
    loaded["b"] = 1
    assert await store.load("id") == {"a": [1]}


@pytest.mark.anyio
async def test_only_json_is_accepted() -> None:
    store = MemorySessionStore()
    with pytest.raises(TypeError, match=r"Keep only JSON values"):
        await store.save("id", {"a": object()}, 60)
    assert len(store) == 0


@pytest.mark.anyio
async def test_entries_expire_ttl_seconds_after_the_last_save() -> None:
    clock = Clock()
    store = MemorySessionStore(clock=clock)
    await store.save("id", {"a": 1}, 60)
    clock.now += 59
    assert await store.load("id") == {"a": 1}
    await store.save("id", {"a": 2}, 60)  # renewed
    clock.now += 59
    assert await store.load("id") == {"a": 2}
    clock.now += 1
    assert await store.load("id") is None
    assert len(store) == 0  # the expired entry is gone


@pytest.mark.anyio
async def test_default_ttl_applies_without_max_age() -> None:
    clock = Clock()
    store = MemorySessionStore(default_ttl=10, clock=clock)
    assert store.default_ttl == 10
    await store.save("id", {"a": 1}, None)
    clock.now += 9.9
    assert await store.load("id") == {"a": 1}
    clock.now += 0.1
    assert await store.load("id") is None
    assert MemorySessionStore().default_ttl == 24 * 60 * 60


@pytest.mark.anyio
async def test_the_oldest_save_is_forgotten_beyond_max_entries() -> None:
    store = MemorySessionStore(max_entries=2)
    assert store.max_entries == 2
    await store.save("a", {"n": 1}, 60)
    await store.save("b", {"n": 2}, 60)
    await store.save("a", {"n": 3}, 60)  # "a" is now the newest
    await store.save("c", {"n": 4}, 60)
    assert len(store) == 2
    assert await store.load("b") is None
    assert await store.load("a") == {"n": 3}
    assert await store.load("c") == {"n": 4}
    assert MemorySessionStore().max_entries == 10_000


@pytest.mark.parametrize("option", ["max_entries", "default_ttl"])
@pytest.mark.parametrize("value", [0, -1, 1.5, True, None])
def test_bad_options(option: str, value: object) -> None:
    with pytest.raises(ValueError, match=rf"MemorySessionStore\({option}=.*\): pass a whole"):
        MemorySessionStore(**{option: value})  # type: ignore[arg-type]
