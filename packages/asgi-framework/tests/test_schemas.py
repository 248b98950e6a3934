from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Any

import pytest
import yaml

from asgi_core import Request
from asgi_framework import App
from asgi_framework.schemas import EndpointInfo, OpenAPIResponse, SchemaGenerator
from asgi_responses import JSONResponse, Response
from asgi_routing import Host, HTTPEndpoint, Mount, Route, Router, WebSocketRoute
from asgi_testing import TestClient

schemas = SchemaGenerator({"openapi": "3.0.0", "info": {"title": "Example API", "version": "1.0"}})


async def list_users(request: Request) -> Response:
    """
    List the users.
    ---
    responses:
      200:
        description: A list of users.
    """
    return JSONResponse([])  # pragma: no cover - only documented


async def create_user(request: Request) -> Response:
    """
    responses:
      201:
        description: Created.
    """
    return JSONResponse({})  # pragma: no cover - only documented


async def undocumented(request: Request) -> Response:
    return JSONResponse({})  # pragma: no cover - only documented


async def plain_docstring(request: Request) -> Response:
    """Just a sentence, no YAML mapping."""
    return JSONResponse({})  # pragma: no cover - only documented


class Organisations(HTTPEndpoint):
    async def get(self, request: Request) -> Response:
        """
        responses:
          200:
            description: Organisations.
        """
        return JSONResponse([])  # pragma: no cover - only documented

    async def post(self, request: Request) -> Response:
        return JSONResponse({})  # pragma: no cover - only documented


async def openapi(request: Request) -> Response:
    return schemas.OpenAPIResponse(request)


ROUTES = [
    Route("/users", list_users, methods=["GET"]),
    Route("/users", create_user, methods=["POST"]),
    Route("/users/{id:int}", undocumented),
    Route("/sentence", plain_docstring),
    Route("/orgs", Organisations),
    Route("/hidden", list_users, include_in_schema=False),
    WebSocketRoute("/ws", list_users),
    Mount("/v2", routes=[Route("/users/{id:int}", list_users)]),
    Host("api.example.org", app=Router([Route("/status", list_users)])),
    Route("/schema", openapi, include_in_schema=False),
]


def test_schema() -> None:
    assert schemas.get_schema(ROUTES) == {
        "openapi": "3.0.0",
        "info": {"title": "Example API", "version": "1.0"},
        "paths": {
            "/users": {
                "get": {"responses": {200: {"description": "A list of users."}}},
                "post": {"responses": {201: {"description": "Created."}}},
            },
            "/orgs": {"get": {"responses": {200: {"description": "Organisations."}}}},
            "/v2/users/{id}": {"get": {"responses": {200: {"description": "A list of users."}}}},
            "/status": {"get": {"responses": {200: {"description": "A list of users."}}}},
        },
    }


def test_endpoints() -> None:
    endpoints = schemas.get_endpoints(ROUTES)
    assert EndpointInfo("/users/{id}", "get", undocumented) in endpoints
    assert all(endpoint.http_method != "head" for endpoint in endpoints)


def test_base_schema_is_not_changed() -> None:
    base: dict[str, Any] = {
        "openapi": "3.0.0",
        "paths": {"/kept": {}, "/users": {"put": {}}, "/odd": None},
    }
    generator = SchemaGenerator(base)
    schema = generator.get_schema(ROUTES)
    assert schema["paths"]["/users"] == {
        "put": {},
        "get": {"responses": {200: {"description": "A list of users."}}},
        "post": {"responses": {201: {"description": "Created."}}},
    }
    assert schema["paths"]["/odd"] is None
    assert base == {"openapi": "3.0.0", "paths": {"/kept": {}, "/users": {"put": {}}, "/odd": None}}
    # each call starts from the base schema: nothing of an earlier route table remains
    assert generator.get_schema([])["paths"] == base["paths"]


@pytest.mark.parametrize("backend", ["asyncio", "trio"])
def test_openapi_response(backend: Any) -> None:
    client = TestClient(App(routes=ROUTES), backend=backend)
    response = client.get("/schema")
    assert response.headers["content-type"] == "application/vnd.oai.openapi"
    assert (
        yaml.safe_load(response.text)["paths"]["/orgs"]["get"]["responses"][200]["description"]
        == "Organisations."
    )


def test_openapi_response_needs_a_dict() -> None:
    with pytest.raises(
        TypeError, match="The schema passed to OpenAPIResponse should be a dictionary, got list."
    ):
        OpenAPIResponse([])


def test_yaml_missing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "yaml", None)
    with pytest.raises(ImportError, match=r"pip install 'asgi-framework\[yaml\]'"):
        schemas.get_schema(ROUTES)


def documented(func: Callable[..., Any]) -> Callable[..., Any]:
    return func


async def search(request: Request) -> Response:
    """
    summary: Search with a body.
    """
    return JSONResponse([])  # pragma: no cover - only documented


class Searchable(HTTPEndpoint):
    async def query(self, request: Request) -> Response:
        """summary: Query the items."""
        return JSONResponse([])  # pragma: no cover - only documented

    async def head(self, request: Request) -> Response:
        """summary: Not an operation of its own."""
        return JSONResponse([])  # pragma: no cover - only documented


QUERY_ROUTES = [
    Route("/search", search, methods=["GET", "QUERY"]),
    Route("/items", Searchable),
]


def test_query_operations_are_listed() -> None:
    endpoints = SchemaGenerator({}).get_endpoints(QUERY_ROUTES)
    assert endpoints == [
        EndpointInfo("/search", "get", search),
        EndpointInfo("/search", "query", search),
        EndpointInfo("/items", "query", Searchable.query),
    ]


@pytest.mark.parametrize(
    "version", ["3.2.0", "3.2", 3.2, "3.10.0", "4.0.0", "3.2.0-rc1", "3.02", "10.0"]
)
def test_query_operations_from_openapi_3_2(version: object) -> None:
    schema = SchemaGenerator({"openapi": version}).get_schema(QUERY_ROUTES)
    assert schema["paths"] == {
        "/search": {
            "get": {"summary": "Search with a body."},
            "query": {"summary": "Search with a body."},
        },
        "/items": {"query": {"summary": "Query the items."}},
    }


@pytest.mark.parametrize(
    "version", ["3.1.0", "3.0.3", "3", 3, 4, "2.0", "v3.2", " 3.2", "abc", None, ["3.2"]]
)
def test_no_query_operations_before_openapi_3_2(version: object) -> None:
    # OpenAPI 3.2 added the query operation; a version that does not start with
    # major.minor counts as older, as in Starlette
    schema = SchemaGenerator({"openapi": version}).get_schema(QUERY_ROUTES)
    assert schema["paths"] == {"/search": {"get": {"summary": "Search with a body."}}}


def test_no_query_operations_without_a_version() -> None:
    assert SchemaGenerator({}).get_schema(QUERY_ROUTES)["paths"] == {
        "/search": {"get": {"summary": "Search with a body."}}
    }
