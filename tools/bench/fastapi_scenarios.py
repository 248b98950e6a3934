"""FastAPI with 100 routes, on real Starlette and on asgi-framework (``install_as_starlette``).

The same FastAPI application serves both variants; only what ``import starlette`` loads
differs, so each variant runs in a process of its own (both cannot live in one process).
``hatch run bench:fastapi [--e2e]`` runs them (``fastapi_bench.py``).

Nothing here imports Starlette or FastAPI at module level: the variant's process decides
first, through :func:`select_variant`, what ``starlette`` means.
"""

# no ``from __future__ import annotations``: FastAPI reads the endpoints' annotations, and
# the model is local to build_app

import json
from dataclasses import dataclass
from typing import Any

ROUTES = 100
HEADERS = [
    (b"host", b"bench.local"),
    (b"user-agent", b"bench/1.0"),
    (b"accept", b"application/json"),
    (b"connection", b"keep-alive"),
]
ORDER = {"name": "bench", "quantity": 3, "price": 9.5, "tags": ["a", "b"], "note": None}


@dataclass(frozen=True)
class FastAPIScenario:
    """One request to the application and the status every variant answers it with."""

    name: str
    description: str
    method: str
    path: str
    body: bytes = b""
    status: int = 200

    @property
    def headers(self) -> list[tuple[bytes, bytes]]:
        if not self.body:
            return HEADERS
        return [*HEADERS, (b"content-type", b"application/json")]


SCENARIOS = {
    scenario.name: scenario
    for scenario in [
        FastAPIScenario(
            "fastapi-route-first",
            "GET the first of the 100 GET routes, an int path parameter",
            "GET",
            "/resource0/items/42",
        ),
        FastAPIScenario(
            "fastapi-route-last",
            "GET the last of the 100 GET routes, an int path parameter",
            "GET",
            f"/resource{ROUTES - 1}/items/42",
        ),
        FastAPIScenario(
            "fastapi-404",
            "a path none of the 100 routes matches (404)",
            "GET",
            "/nowhere/items/42",
            status=404,
        ),
        FastAPIScenario(
            "fastapi-json-body",
            "POST a JSON body validated into a pydantic model (the first route)",
            "POST",
            "/orders",
            json.dumps(ORDER).encode(),
        ),
    ]
}


def select_variant(variant: str) -> None:
    """Make ``import starlette`` load the variant's Starlette: call before importing FastAPI."""
    if variant == "ours":
        import asgi_framework

        asgi_framework.install_as_starlette()
    elif variant != "starlette":
        raise SystemExit(f"unknown variant {variant!r}: 'starlette' or 'ours'")


def build_app() -> Any:
    """The application: a POST with a model body, then 100 GET routes with an int parameter."""
    from fastapi import FastAPI
    from pydantic import BaseModel

    class Order(BaseModel):
        name: str
        quantity: int
        price: float
        tags: list[str] = []
        note: str | None = None

    app = FastAPI(openapi_url=None)

    @app.post("/orders")
    async def create_order(order: Order) -> dict[str, Any]:
        return {"name": order.name, "total": order.quantity * order.price}

    def add(index: int) -> None:
        async def get_item(item_id: int) -> dict[str, int]:
            return {"resource": index, "item_id": item_id}

        app.get(f"/resource{index}/items/{{item_id}}", name=f"item{index}")(get_item)

    for index in range(ROUTES):
        add(index)
    return app
