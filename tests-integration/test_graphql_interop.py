"""A GraphQL ASGI app (Strawberry) mounted under our ``Mount`` and queried.

Strawberry's ``GraphQL`` app lives at ``/graphql`` of an ``asgi_framework.App`` beside routes
of our own, behind our CORS and compression middleware and our session middleware (a
resolver reads and writes the session our middleware put in the scope). Queries and
mutations over HTTP (POST and GET), errors as GraphQL reports them, and a subscription over
a WebSocket with the ``graphql-transport-ws`` protocol: with our TestClient (asyncio and
trio; subscriptions on asyncio, where Strawberry's WebSocket side runs) and on real
servers (uvicorn; hypercorn on trio).
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Callable
from typing import Any

import anyio
import httpx
import pytest
import strawberry
from strawberry.asgi import GraphQL
from strawberry.types import Info
from websockets.sync.client import connect

from asgi_framework import App
from asgi_framework.middleware import Middleware
from asgi_framework.middleware.compress import GZipMiddleware
from asgi_framework.middleware.cors import CORSMiddleware
from asgi_framework.middleware.sessions import SessionMiddleware
from asgi_framework.requests import Request
from asgi_framework.responses import PlainTextResponse
from asgi_framework.routing import Mount, Route
from asgi_testing import TestClient


@strawberry.type
class Book:
    title: str
    pages: int


def session_of(info: Info) -> dict[str, Any]:
    """The session our SessionMiddleware put in the scope, seen from a resolver."""
    session: dict[str, Any] = info.context["request"].scope["session"]
    return session


@strawberry.type
class Query:
    @strawberry.field
    def books(self, first: int = 2) -> list[Book]:
        return [Book(title=f"Book {number}", pages=100 + number) for number in range(first)]

    @strawberry.field
    def me(self, info: Info) -> str | None:
        return session_of(info).get("name")

    @strawberry.field
    def mount(self, info: Info) -> str:
        scope = info.context["request"].scope
        return f"{scope['root_path']} {scope['path']}"


@strawberry.type
class Mutation:
    @strawberry.mutation
    def sign_in(self, info: Info, name: str) -> str:
        session_of(info)["name"] = name
        return f"signed in as {name}"


@strawberry.type
class Subscription:
    @strawberry.subscription
    async def count(self, to: int) -> AsyncIterator[int]:
        for number in range(1, to + 1):
            yield number
            await anyio.sleep(0)


schema = strawberry.Schema(query=Query, mutation=Mutation, subscription=Subscription)


async def home(request: Request) -> PlainTextResponse:
    return PlainTextResponse("ours")


def make_app() -> App:
    return App(
        routes=[Route("/", home), Mount("/graphql", GraphQL(schema, graphql_ide=None))],
        middleware=[
            Middleware(CORSMiddleware, allow_origins=["https://ui.example"], allow_methods=["*"]),
            Middleware(GZipMiddleware, minimum_size=500),
            Middleware(SessionMiddleware, secret_key="graphql-interop-secret"),
        ],
    )


def check_queries(client: httpx.Client | TestClient) -> None:
    assert client.get("/").text == "ours"
    query = "{ books(first: 3) { title pages } mount }"
    answer = client.post("/graphql/", json={"query": query})
    assert answer.status_code == 200
    assert answer.json() == {
        "data": {
            "books": [{"title": f"Book {n}", "pages": 100 + n} for n in range(3)],
            "mount": "/graphql /graphql/",
        }
    }
    # GET queries, CORS and compression from our middleware around Strawberry's app
    big = client.get(
        "/graphql/",
        params={"query": "{ books(first: 200) { title } }"},
        headers={"Origin": "https://ui.example", "Accept-Encoding": "gzip"},
    )
    assert big.status_code == 200
    assert big.headers["access-control-allow-origin"] == "https://ui.example"
    assert big.headers["content-encoding"] == "gzip"
    assert len(big.json()["data"]["books"]) == 200
    # a mutation writes the session through our middleware; the next query reads it
    assert client.post("/graphql/", json={"query": "{ me }"}).json() == {"data": {"me": None}}
    signed = client.post("/graphql/", json={"query": 'mutation { signIn(name: "ada") }'})
    assert signed.json() == {"data": {"signIn": "signed in as ada"}}
    assert "session=" in signed.headers["set-cookie"]
    assert client.post("/graphql/", json={"query": "{ me }"}).json() == {"data": {"me": "ada"}}
    # errors are GraphQL's own answers
    wrong = client.post("/graphql/", json={"query": "{ nothing }"})
    assert wrong.status_code == 200
    (error,) = wrong.json()["errors"]
    assert error["message"] == "Cannot query field 'nothing' on type 'Query'."
    assert (
        client.post(
            "/graphql/", content=b"{", headers={"content-type": "application/json"}
        ).status_code
        == 400
    )


@pytest.mark.parametrize("backend", ["asyncio", "trio"])
def test_graphql_under_a_mount_with_the_test_client(backend: str) -> None:
    with TestClient(make_app(), backend=backend) as client:  # type: ignore[arg-type]
        check_queries(client)


def test_a_subscription_over_a_websocket_with_the_test_client() -> None:
    # asyncio only: Strawberry's WebSocket handlers start asyncio tasks (its HTTP side runs
    # on trio too, as the test above shows)
    with (
        TestClient(make_app(), backend="asyncio") as client,
        client.websocket_connect("/graphql/", subprotocols=["graphql-transport-ws"]) as websocket,
    ):
        assert websocket.accepted_subprotocol == "graphql-transport-ws"
        websocket.send_json({"type": "connection_init"})
        assert websocket.receive_json() == {"type": "connection_ack"}
        subscribe = {"query": "subscription { count(to: 3) }"}
        websocket.send_json({"id": "1", "type": "subscribe", "payload": subscribe})
        for number in (1, 2, 3):
            assert websocket.receive_json() == {
                "id": "1",
                "type": "next",
                "payload": {"data": {"count": number}},
            }
        assert websocket.receive_json() == {"id": "1", "type": "complete"}


def test_graphql_under_a_mount_on_real_servers(
    serve: Callable[..., Any], request: pytest.FixtureRequest
) -> None:
    with serve(make_app()) as base, httpx.Client(base_url=base, timeout=10) as client:
        check_queries(client)
        if request.node.callspec.params["serve"] != "uvicorn":
            return  # hypercorn runs on trio here, where Strawberry has no WebSocket side
        url = base.replace("http://", "ws://") + "/graphql/"
        with connect(url, subprotocols=["graphql-transport-ws"]) as websocket:  # type: ignore[list-item]
            assert websocket.subprotocol == "graphql-transport-ws"
            websocket.send(json.dumps({"type": "connection_init"}))
            assert json.loads(websocket.recv(timeout=10)) == {"type": "connection_ack"}
            subscribe = {"query": "subscription { count(to: 2) }"}
            websocket.send(json.dumps({"id": "s", "type": "subscribe", "payload": subscribe}))
            received = [json.loads(websocket.recv(timeout=10)) for _ in range(3)]
        assert received == [
            {"id": "s", "type": "next", "payload": {"data": {"count": 1}}},
            {"id": "s", "type": "next", "payload": {"data": {"count": 2}}},
            {"id": "s", "type": "complete"},
        ]
