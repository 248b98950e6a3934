from __future__ import annotations

from asgi_middleware_sessions import MAX_COOKIE_SIZE, SessionStoreError, SessionTooLargeError


def test_store_error_names_the_store_the_operation_and_the_cause() -> None:
    cause = ConnectionError("Connection refused")
    error = SessionStoreError("RedisSessionStore('redis://h:6379/0')", "save", cause)
    assert isinstance(error, RuntimeError)
    assert (error.store, error.operation) == ("RedisSessionStore('redis://h:6379/0')", "save")
    assert str(error) == (
        "RedisSessionStore('redis://h:6379/0') could not save the session: ConnectionError: "
        "Connection refused. The request was not given an empty session (that would log the "
        "user out); check that the store is reachable, sessions work again as soon as it is."
    )
    with_hint = SessionStoreError("Store", "load", cause, "A hint.")
    assert str(with_hint).endswith("as soon as it is. A hint.")


def test_too_large_names_the_size_and_the_server_side_stores() -> None:
    error = SessionTooLargeError("session", 5000)
    assert isinstance(error, ValueError)
    assert error.size == 5000
    message = str(error)
    assert "'session' would be 5000 bytes" in message
    assert f"over the {MAX_COOKIE_SIZE} bytes browsers keep" in message
    assert "MemorySessionStore()" in message
    assert "RedisSessionStore(url)" in message
    assert MAX_COOKIE_SIZE == 4096
