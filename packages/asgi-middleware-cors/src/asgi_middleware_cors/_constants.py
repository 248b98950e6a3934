"""The method and header lists of the CORS protocol that Starlette makes public."""

from __future__ import annotations

__all__ = ["ALL_METHODS", "SAFELISTED_HEADERS"]

#: What ``allow_methods=["*"]`` stands for, in this order in ``Access-Control-Allow-Methods``.
ALL_METHODS = ("DELETE", "GET", "HEAD", "OPTIONS", "PATCH", "POST", "PUT", "QUERY")

#: Request headers every preflight allows, whatever ``allow_headers`` says.
SAFELISTED_HEADERS = {"Accept", "Accept-Language", "Content-Language", "Content-Type"}
