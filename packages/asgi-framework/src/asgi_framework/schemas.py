"""Laid out like ``starlette.schemas``."""

from asgi_framework._schemas import (
    BaseSchemaGenerator,
    EndpointInfo,
    OpenAPIResponse,
    SchemaGenerator,
)

__all__ = ["BaseSchemaGenerator", "EndpointInfo", "OpenAPIResponse", "SchemaGenerator"]
