"""SessionMiddleware with a server-side store: the cookie holds only a signed random id."""

from __future__ import annotations

import base64
import json
import re
import time
from collections.abc import Callable
from typing import Any

import pytest
from itsdangerous import TimestampSigner

from asgi_core.types import ASGIApp, Receive, Scope, Send
from asgi_middleware_sessions import MemorySessionStore, SessionMiddleware, SessionStoreError
from asgi_testing import TestClient

Client = Callable[..., TestClient]
ID_SALT = "asgi_middleware_sessions.session_id"


class RecordingStore(MemorySessionStore):
    """A MemorySessionStore that records every call and can be made to fail."""

    def __init__(self) -> None:
        super().__init__()
        self.calls: list[tuple[Any, ...]] = []
        self.failure: Exception | None = None
        self.failing = {"load", "save", "delete"}

    def _check(self, operation: str) -> None:
        if self.failure is not None and operation in self.failing:
            raise self.failure

    async def load(self, session_id: str) -> dict[str, Any] | None:
        self.calls.append(("load", session_id))
        self._check("load")
        return await super().load(session_id)

    async def save(self, session_id: str, data: dict[str, Any], ttl: int | None) -> None:
        self.calls.append(("save", session_id, data, ttl))
        self._check("save")
        await super().save(session_id, data, ttl)

    async def delete(self, session_id: str) -> None:
        self.calls.append(("delete", session_id))
        self._check("delete")
        await super().delete(session_id)


def set_cookies(response: Any) -> list[str]:
    return [v for k, v in response.headers.multi_items() if k == "set-cookie"]


def session_id_of(response: Any, key: str = "secret") -> str:
    (header,) = set_cookies(response)
    value = header.split(";")[0].removeprefix("session=")
    session_id = TimestampSigner(key, salt=ID_SALT).unsign(value).decode()
    assert re.fullmatch(r"[A-Za-z0-9_-]{43}", session_id)
    return session_id


@pytest.fixture
def store() -> RecordingStore:
    return RecordingStore()


def test_only_a_signed_id_travels_in_the_cookie(
    client: Client, app: ASGIApp, store: RecordingStore
) -> None:
    test = client(SessionMiddleware(app, "secret", store=store))
    response = test.get("/set?user=ada")
    assert response.json() == {"user": "ada"}
    assert response.headers["vary"] == "Cookie"
    (header,) = set_cookies(response)
    assert "ada" not in header
    assert header.endswith("; path=/; Max-Age=1209600; httponly; samesite=lax")
    session_id = session_id_of(response)
    assert store.calls == [("save", session_id, {"user": "ada"}, 1209600)]

    store.calls.clear()
    response = test.get("/read")
    assert response.json() == {"user": "ada"}
    assert set_cookies(response) == []
    assert store.calls == [("load", session_id)]

    store.calls.clear()
    response = test.get("/set?n=1")
    assert session_id_of(response) == session_id  # same id, TTL and cookie renewed
    assert store.calls == [
        ("load", session_id),
        ("save", session_id, {"user": "ada", "n": "1"}, 1209600),
    ]


def test_requests_without_a_cookie_never_reach_the_store(
    client: Client, app: ASGIApp, store: RecordingStore
) -> None:
    test = client(SessionMiddleware(app, "secret", store=store))
    for path in ("/health", "/read", "/clear"):
        assert set_cookies(test.get(path)) == []
    assert store.calls == []


def test_clearing_deletes_the_entry_and_the_cookie(
    client: Client, app: ASGIApp, store: RecordingStore
) -> None:
    test = client(SessionMiddleware(app, "secret", store=store))
    session_id = session_id_of(test.get("/set?user=ada"))
    response = test.get("/clear")
    assert set_cookies(response) == [
        "session=null; path=/; expires=Thu, 01 Jan 1970 00:00:00 GMT; httponly; samesite=lax"
    ]
    assert store.calls[-1] == ("delete", session_id)
    assert len(store) == 0


def test_regenerate_moves_the_session_to_a_new_id(
    client: Client, app: ASGIApp, store: RecordingStore
) -> None:
    test = client(SessionMiddleware(app, "secret", store=store))
    old = session_id_of(test.get("/set?cart=3"))
    old_cookie = test.cookies["session"]
    store.calls.clear()
    response = test.get("/login?user=ada")
    new = session_id_of(response)
    assert new != old
    assert store.calls == [
        ("load", old),
        ("delete", old),
        ("save", new, {"cart": "3", "user": "ada"}, 1209600),
    ]
    assert test.get("/read").json() == {"cart": "3", "user": "ada"}
    # the id an attacker may have planted before the login is worthless now
    attacker = client(SessionMiddleware(app, "secret", store=store))
    attacker.cookies.set("session", old_cookie)
    assert attacker.get("/read").json() == {}


def test_regenerate_then_clear_deletes_everything(client: Client, store: RecordingStore) -> None:
    async def logout(scope: Scope, receive: Receive, send: Send) -> None:
        session = scope["session"]
        if scope["path"] == "/logout":
            session.regenerate()
            session.clear()
        else:
            session["user"] = "ada"
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b""})

    test = client(SessionMiddleware(logout, "secret", store=store))
    session_id = session_id_of(test.get("/login"))
    response = test.get("/logout")
    assert set_cookies(response)[0].startswith("session=null;")
    assert store.calls[-1] == ("delete", session_id)
    assert len(store) == 0


def test_a_session_emptied_again_without_an_id_writes_nothing(
    client: Client, store: RecordingStore
) -> None:
    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        scope["session"]["a"] = 1
        del scope["session"]["a"]
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b""})

    response = client(SessionMiddleware(app, "secret", store=store)).get("/")
    assert response.headers["vary"] == "Cookie"
    assert set_cookies(response) == []
    assert store.calls == []


def _forged_cookies() -> dict[str, str]:
    data = base64.b64encode(json.dumps({"user": "admin"}).encode())
    return {
        "an id signed with another key": TimestampSigner("other", salt=ID_SALT).sign("x").decode(),
        "an unsigned id": "A" * 43,
        "a signed data cookie": TimestampSigner("secret").sign(data).decode(),
        "a valid signature on an unknown id": TimestampSigner("secret", salt=ID_SALT)
        .sign("made-up-id")
        .decode(),
    }


@pytest.mark.parametrize("value", _forged_cookies().values(), ids=_forged_cookies().keys())
def test_forged_ids_give_an_empty_session_and_a_new_id(
    client: Client, app: ASGIApp, store: RecordingStore, value: str
) -> None:
    test = client(SessionMiddleware(app, "secret", store=store))
    test.cookies.set("session", value)
    assert test.get("/read").json() == {}
    response = test.get("/clear")
    assert set_cookies(response) == []
    response = test.get("/set?user=eve")
    assert session_id_of(response) != "made-up-id"  # never adopt an id the client chose
    assert all(call[0] != "delete" for call in store.calls)


def test_an_expired_id_is_refused_even_if_the_store_still_has_it(
    client: Client, app: ASGIApp, store: RecordingStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    test = client(SessionMiddleware(app, "secret", store=store, max_age=60))
    monkeypatch.setattr(time, "time", lambda: 1_800_000_000)
    session_id = session_id_of(test.get("/set?user=ada"))
    monkeypatch.setattr(time, "time", lambda: 1_800_000_061)
    assert test.get("/read").json() == {}
    assert ("load", session_id) not in store.calls


def test_max_age_none_passes_no_ttl(client: Client, app: ASGIApp, store: RecordingStore) -> None:
    test = client(SessionMiddleware(app, "secret", store=store, max_age=None))
    response = test.get("/set?user=ada")
    assert set_cookies(response)[0].endswith("; path=/; httponly; samesite=lax")
    assert store.calls[-1][-1] is None
    assert test.get("/read").json() == {"user": "ada"}


def test_a_load_failure_fails_only_the_routes_that_use_the_session(
    client: Client, app: ASGIApp, store: RecordingStore
) -> None:
    test = client(SessionMiddleware(app, "secret", store=store))
    test.get("/set?user=ada")
    store.failure = ConnectionError("store down")
    response = test.get("/health")
    assert (response.status_code, response.text) == (200, '"ok"')
    with pytest.raises(SessionStoreError, match=r"^RecordingStore could not load the session"):
        test.get("/read")
    with pytest.raises(SessionStoreError) as caught:
        test.get("/set?user=eve")
    assert isinstance(caught.value.__cause__, ConnectionError)
    quiet = client(SessionMiddleware(app, "secret", store=store), raise_server_exceptions=False)
    quiet.cookies = test.cookies
    assert quiet.get("/read").status_code == 500
    store.failure = None
    assert test.get("/read").json() == {"user": "ada"}  # not logged out


def test_a_store_error_is_passed_on_as_it_is(
    client: Client, app: ASGIApp, store: RecordingStore
) -> None:
    test = client(SessionMiddleware(app, "secret", store=store))
    test.get("/set?user=ada")
    error = SessionStoreError("MyStore", "load", OSError("gone"))
    store.failure = error
    with pytest.raises(SessionStoreError) as caught:
        test.get("/read")
    assert caught.value is error


@pytest.mark.parametrize("path", ["/set?user=eve", "/clear"])
def test_a_save_or_delete_failure_fails_the_request(
    client: Client, app: ASGIApp, store: RecordingStore, path: str
) -> None:
    test = client(SessionMiddleware(app, "secret", store=store), raise_server_exceptions=False)
    test.get("/set?user=ada")
    store.failure = SessionStoreError("RecordingStore", "save", OSError("disk full"))
    store.failing = {"save", "delete"}
    assert test.get(path).status_code == 500
    assert test.get("/health").status_code == 200


def test_websockets_read_the_stored_session(
    client: Client, app: ASGIApp, store: RecordingStore
) -> None:
    test = client(SessionMiddleware(app, "secret", store=store))
    session_id = session_id_of(test.get("/set?user=ada"))
    with test.websocket_connect("/ws") as websocket:
        assert websocket.receive_json() == {"user": "ada"}
    assert store.calls[-1] == ("load", session_id)  # read only, as with cookies


def test_a_session_too_large_for_memory_is_still_fine(
    client: Client, app: ASGIApp, store: RecordingStore
) -> None:
    test = client(SessionMiddleware(app, "secret", store=store))
    assert test.get("/big?size=100000").status_code == 200
    assert len(test.get("/read").json()["x"]) == 100000
