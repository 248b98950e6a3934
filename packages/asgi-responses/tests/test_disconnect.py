from __future__ import annotations

import anyio
import pytest

from asgi_core.types import Message, Scope, Send
from asgi_responses._disconnect import until_disconnect, watches_receive

pytestmark = pytest.mark.anyio

SPECS = ["2.3", "2.4"]


def scope_of(spec: str) -> Scope:
    return {"type": "http", "asgi": {"version": "3.0", "spec_version": spec}}


@pytest.mark.parametrize(
    ("asgi", "watch"),
    [
        (None, True),
        ({"version": "3.0"}, True),
        ({"version": "3.0", "spec_version": "2.1"}, True),
        ({"version": "3.0", "spec_version": "2.3"}, True),
        ({"version": "3.0", "spec_version": "2.4"}, False),
        ({"version": "3.0", "spec_version": "2.10"}, False),
        ({"version": "3.0", "spec_version": "3.0"}, False),
        ({"version": "3.0", "spec_version": "3"}, True),
        ({"version": "3.0", "spec_version": "two"}, True),
    ],
)
def test_watches_receive_below_asgi_2_4(asgi: dict[str, str] | None, watch: bool) -> None:
    scope: Scope = {"type": "http"} if asgi is None else {"type": "http", "asgi": asgi}
    assert watches_receive(scope) is watch


def test_watches_receive_answers_alike_when_asked_again() -> None:
    # the answers are remembered by version: the second time gives the same, for every kind
    for version, watch in [("2.3", True), ("2.4", False), ("3", True), ("two", True)]:
        for _ in range(2):
            assert watches_receive(scope_of(version)) is watch


def test_watches_receive_remembers_a_bounded_number_of_versions() -> None:
    from asgi_responses import _disconnect

    for minor in range(3 * _disconnect._WATCHES_BY_VERSION_MAX):
        assert watches_receive(scope_of(f"2.{minor}")) is (minor < 4)
    assert len(_disconnect._WATCHES_BY_VERSION) == _disconnect._WATCHES_BY_VERSION_MAX


@pytest.mark.parametrize("version", [24, ["2", "4"], b"2.4"])
def test_watches_receive_of_a_version_that_is_no_text_is_an_error(version: object) -> None:
    # a server bug: raised as it was before the answers were remembered, not remembered
    with pytest.raises((AttributeError, TypeError)):
        watches_receive({"type": "http", "asgi": {"spec_version": version}})


async def never_disconnects() -> Message:
    await anyio.sleep_forever()
    raise AssertionError  # pragma: no cover - never reached


async def ignore(message: Message) -> None:
    pass


@pytest.mark.parametrize("spec", SPECS)
async def test_an_oserror_of_the_body_producer_is_raised(spec: str) -> None:
    # a FileNotFoundError in the app's generator is a bug to report, not a disconnect
    async def body(send: Send) -> None:
        await send({"type": "http.response.start", "status": 200, "headers": []})
        raise FileNotFoundError("missing.csv")

    with anyio.fail_after(5), pytest.raises(FileNotFoundError, match="missing.csv"):
        await until_disconnect(body, scope_of(spec), never_disconnects, ignore)


@pytest.mark.parametrize("spec", SPECS)
async def test_an_oserror_of_send_is_raised_as_itself(spec: str) -> None:
    # the caller decides what it means (StreamingResponse: ClientDisconnect from ASGI 2.4)
    sent: list[Message] = []

    async def send(message: Message) -> None:
        if message["type"] == "http.response.body":
            raise ConnectionResetError("client gone")
        sent.append(message)

    async def body(send: Send) -> None:
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"x", "more_body": True})
        raise AssertionError  # pragma: no cover - never reached

    with anyio.fail_after(5), pytest.raises(ConnectionResetError, match="client gone"):
        await until_disconnect(body, scope_of(spec), never_disconnects, send)
    assert len(sent) == 1


@pytest.mark.parametrize("spec", SPECS)
async def test_a_complete_body(spec: str) -> None:
    async def body(send: Send) -> None:
        await send({"type": "http.response.start", "status": 200, "headers": []})

    with anyio.fail_after(5):
        assert await until_disconnect(body, scope_of(spec), never_disconnects, ignore) is True


async def test_http_disconnect_is_only_watched_below_2_4() -> None:
    async def disconnects() -> Message:
        return {"type": "http.disconnect"}

    async def slow_body(send: Send) -> None:
        await anyio.sleep(0.05)

    with anyio.fail_after(5):
        assert await until_disconnect(slow_body, scope_of("2.3"), disconnects, ignore) is False
        assert await until_disconnect(slow_body, scope_of("2.4"), disconnects, ignore) is True
