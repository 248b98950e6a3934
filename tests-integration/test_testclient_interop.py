"""asgi-testing drives other frameworks' apps: a real FastAPI app and a real Django app."""

from __future__ import annotations

import sys
import types
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import anyio
import pytest
from fastapi import BackgroundTasks, FastAPI, HTTPException, Request, WebSocket
from fastapi.responses import StreamingResponse
from pydantic import BaseModel

from asgi_core import WebSocketDisconnect
from asgi_testing import AsyncTestClient, TestClient

# --- FastAPI -----------------------------------------------------------------------------


class Item(BaseModel):
    name: str
    price: float


def make_fastapi_app(log: list[str]) -> FastAPI:
    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[dict[str, Any]]:
        log.append("startup")
        yield {"greeting": "hello"}
        log.append("shutdown")

    app = FastAPI(lifespan=lifespan)

    @app.get("/items/{item_id}")
    async def read_item(item_id: int, q: str | None = None) -> dict[str, Any]:
        if item_id == 404:
            raise HTTPException(status_code=404, detail="Item not found")
        return {"item_id": item_id, "q": q}

    @app.post("/items")
    async def create_item(item: Item, background: BackgroundTasks) -> dict[str, Any]:
        background.add_task(log.append, f"created {item.name}")
        return {"name": item.name, "price": item.price}

    @app.get("/greeting")
    async def greeting(request: Request) -> dict[str, Any]:
        return {"greeting": request.state.greeting, "cookie": request.cookies.get("seen")}

    @app.get("/stream")
    async def stream() -> StreamingResponse:
        async def numbers() -> AsyncIterator[bytes]:
            for number in range(3):
                yield f"{number}\n".encode()

        return StreamingResponse(numbers(), media_type="text/plain")

    @app.websocket("/ws")
    async def websocket(ws: WebSocket) -> None:
        await ws.accept()
        data = await ws.receive_json()
        await ws.send_json({"echo": data})
        await ws.close(code=1000)

    return app


def test_fastapi_with_the_sync_client() -> None:
    log: list[str] = []
    with TestClient(make_fastapi_app(log)) as client:
        assert log == ["startup"]
        assert client.get("/items/3?q=x").json() == {"item_id": 3, "q": "x"}
        response = client.get("/items/404")
        assert response.status_code == 404
        assert response.json() == {"detail": "Item not found"}
        assert client.get("/items/abc").status_code == 422
        assert client.post("/items", json={"name": "pen", "price": 1.5}).json() == {
            "name": "pen",
            "price": 1.5,
        }
        assert log[-1] == "created pen"  # background task ran before the call returned
        assert client.post("/items", json={"name": "pen"}).status_code == 422
        client.cookies.set("seen", "yes")
        assert client.get("/greeting").json() == {"greeting": "hello", "cookie": "yes"}
        assert client.get("/stream").text == "0\n1\n2\n"
        with client.websocket_connect("/ws") as ws:
            ws.send_json({"a": 1})
            assert ws.receive_json() == {"echo": {"a": 1}}
            with pytest.raises(WebSocketDisconnect) as info:
                ws.receive_text()
            assert info.value.code == 1000
    assert log[-1] == "shutdown"


@pytest.mark.anyio
async def test_fastapi_with_the_async_client() -> None:
    log: list[str] = []
    async with AsyncTestClient(make_fastapi_app(log)) as client:
        assert (await client.get("/items/7")).json() == {"item_id": 7, "q": None}
        assert (await client.get("/greeting")).json()["greeting"] == "hello"
        async with client.stream("GET", "/stream") as response:
            assert [line async for line in response.aiter_lines()] == ["0", "1", "2"]
        async with client.websocket_connect("/ws") as ws:
            await ws.send_json([1, 2])
            assert await ws.receive_json() == {"echo": [1, 2]}
    assert log == ["startup", "shutdown"]


# --- Django ------------------------------------------------------------------------------


def django_app() -> Any:
    import django
    from django.conf import settings

    # Django's settings belong to the process: another test module may have configured them
    # (with the same settings); the URL patterns are registered here in any case.
    if not settings.configured:
        settings.configure(
            DEBUG=False,
            SECRET_KEY="test-only-secret-key-of-sufficient-length-1234567890",
            ROOT_URLCONF="interop_django_urls",
            ALLOWED_HOSTS=["testserver"],
            MIDDLEWARE=[],
            INSTALLED_APPS=[],
            USE_TZ=True,
        )
        django.setup()
    if "interop_django_urls" not in sys.modules:
        urls = types.ModuleType("interop_django_urls")
        sys.modules["interop_django_urls"] = urls
        from django.http import HttpRequest, HttpResponse, JsonResponse
        from django.urls import path

        def hello(request: HttpRequest) -> HttpResponse:
            response = JsonResponse(
                {
                    "method": request.method,
                    "q": request.GET.get("q"),
                    "cookie": request.COOKIES.get("visit"),
                }
            )
            response.set_cookie("visit", "1")
            return response

        def submit(request: HttpRequest) -> HttpResponse:
            return JsonResponse({"name": request.POST.get("name"), "size": len(request.body)})

        async def async_view(request: HttpRequest) -> HttpResponse:
            await anyio.sleep(0)
            return HttpResponse("async django", content_type="text/plain")

        urls.urlpatterns = [  # type: ignore[attr-defined]
            path("hello", hello),
            path("submit", submit),
            path("async", async_view),
        ]
    from django.core.asgi import get_asgi_application

    return get_asgi_application()


def test_django_with_the_sync_client() -> None:
    app = django_app()
    with TestClient(app) as client:  # Django does not speak lifespan: the client copes
        response = client.get("/hello?q=1")
        assert response.status_code == 200
        assert response.json() == {"method": "GET", "q": "1", "cookie": None}
        assert client.get("/hello").json()["cookie"] == "1"  # cookie persisted
        assert client.post("/submit", data={"name": "Ada"}).json() == {"name": "Ada", "size": 8}
        assert client.get("/async").text == "async django"
        assert client.get("/missing").status_code == 404


# Django's ASGI handler (asgiref) needs an asyncio event loop; it cannot run under trio.
@pytest.mark.parametrize("anyio_backend", ["asyncio"])
@pytest.mark.anyio
async def test_django_with_the_async_client() -> None:
    app = django_app()
    async with AsyncTestClient(app) as client:
        assert (await client.get("/async")).text == "async django"
        assert (await client.post("/submit", data={"name": "Bo"})).json()["name"] == "Bo"
