"""OpenAPI schemas generated from the YAML in endpoint docstrings."""

from __future__ import annotations

import inspect
import re
from collections.abc import Callable, Sequence
from typing import Any, NamedTuple

from asgi_core import Request
from asgi_responses import Response
from asgi_routing import BaseRoute, Host, Mount, Route

__all__ = ["BaseSchemaGenerator", "EndpointInfo", "OpenAPIResponse", "SchemaGenerator"]

_CONVERTOR = re.compile(r":\w+}")
#: The ``HTTPEndpoint`` methods that are operations (``head`` answers like ``get``).
_HTTP_METHODS = ("get", "post", "put", "patch", "delete", "options", "query")
#: ``major.minor`` at the start of the ``openapi`` version.
_OPENAPI_VERSION = re.compile(r"(\d+)\.(\d+)")


def _yaml() -> Any:
    try:
        import yaml
    except ImportError:
        raise ImportError(
            "OpenAPI schemas in docstrings need PyYAML: pip install 'asgi-framework[yaml]'"
        ) from None
    return yaml


class OpenAPIResponse(Response):
    """A schema (a dict) rendered as YAML, ``application/vnd.oai.openapi``."""

    media_type = "application/vnd.oai.openapi"

    def render(self, content: Any) -> bytes:
        """``content`` as YAML; it must be a dict."""
        if not isinstance(content, dict):
            raise TypeError(
                "The schema passed to OpenAPIResponse should be a dictionary, "
                f"got {type(content).__name__}."
            )
        dumped: str = _yaml().dump(content, default_flow_style=False)
        return dumped.encode("utf-8")


class EndpointInfo(NamedTuple):
    """One operation: its path (without convertors), lower-case method and function."""

    path: str
    http_method: str
    func: Callable[..., Any]


class BaseSchemaGenerator:
    """Collects the operations of a route table; subclasses build the schema."""

    def get_schema(self, routes: Sequence[BaseRoute]) -> dict[str, Any]:
        """The schema for ``routes``."""
        raise NotImplementedError()  # pragma: no cover - abstract

    def get_endpoints(self, routes: Sequence[BaseRoute]) -> list[EndpointInfo]:
        """Every operation of ``routes``, mounts and hosts included, ``HEAD`` excluded."""
        endpoints: list[EndpointInfo] = []
        for route in routes:
            if isinstance(route, (Mount, Host)):
                prefix = self._remove_converter(route.path) if isinstance(route, Mount) else ""
                endpoints.extend(
                    EndpointInfo(prefix + inner.path, inner.http_method, inner.func)
                    for inner in self.get_endpoints(route.routes or [])
                )
            elif not isinstance(route, Route) or not route.include_in_schema:
                continue
            elif inspect.isfunction(route.endpoint) or inspect.ismethod(route.endpoint):
                path = self._remove_converter(route.path)
                endpoints.extend(
                    EndpointInfo(path, method.lower(), route.endpoint)
                    for method in sorted(route.methods or ["GET"])
                    if method != "HEAD"
                )
            else:
                path = self._remove_converter(route.path)
                endpoints.extend(
                    EndpointInfo(path, method, getattr(route.endpoint, method))
                    for method in _HTTP_METHODS
                    if hasattr(route.endpoint, method)
                )
        return endpoints

    def _remove_converter(self, path: str) -> str:
        """``/users/{id:int}`` → ``/users/{id}``."""
        return _CONVERTOR.sub("}", path)

    def parse_docstring(self, func_or_method: Callable[..., Any]) -> dict[str, Any]:
        """The YAML after the last ``---`` of the docstring, as a dict (empty when none)."""
        docstring = func_or_method.__doc__
        if not docstring:
            return {}
        parsed = _yaml().safe_load(docstring.split("---")[-1])
        return parsed if isinstance(parsed, dict) else {}

    def OpenAPIResponse(self, request: Request) -> Response:
        """The schema of the application serving ``request``, as a response."""
        return OpenAPIResponse(self.get_schema(routes=request.app.routes))


class SchemaGenerator(BaseSchemaGenerator):
    """An OpenAPI document: ``base_schema`` plus a ``paths`` entry per documented operation.

    An operation is documented by YAML in its endpoint's docstring, after ``---``.
    """

    def __init__(self, base_schema: dict[str, Any]) -> None:
        self.base_schema = base_schema

    def get_schema(self, routes: Sequence[BaseRoute]) -> dict[str, Any]:
        """The OpenAPI document for ``routes``.

        ``query`` operations (the HTTP ``QUERY`` method) are listed only when the
        ``openapi`` version of ``base_schema`` is 3.2 or later: earlier versions have no
        such operation.
        """
        schema = dict(self.base_schema)
        # never change base_schema: each call starts from it afresh
        paths: dict[str, Any] = {
            path: dict(item) if isinstance(item, dict) else item
            for path, item in schema.get("paths", {}).items()
        }
        schema["paths"] = paths
        with_query = _has_query_operations(schema.get("openapi"))
        for endpoint in self.get_endpoints(routes):
            if endpoint.http_method == "query" and not with_query:
                continue
            parsed = self.parse_docstring(endpoint.func)
            if parsed:
                paths.setdefault(endpoint.path, {})[endpoint.http_method] = parsed
        return schema


def _has_query_operations(version: object) -> bool:
    """Whether OpenAPI ``version`` (``"3.2.0"``, ``3.2``, ...) is 3.2 or later."""
    found = _OPENAPI_VERSION.match(str(version))
    return found is not None and (int(found[1]), int(found[2])) >= (3, 2)
