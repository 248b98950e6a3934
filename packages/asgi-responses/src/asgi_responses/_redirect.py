"""``RedirectResponse``."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import quote

from asgi_core import BackgroundTask
from asgi_responses._base import Response

__all__ = ["RedirectResponse"]

# Characters left as they are in the Location header: everything that may appear in a URL.
_SAFE = ":/%#?=@[]!$&'()*+,;"


class RedirectResponse(Response):
    """A redirect to ``url`` (``307 Temporary Redirect`` by default), with an empty body.

    The URL is percent-encoded where it holds characters a ``Location`` header cannot carry
    (spaces, non-ASCII), keeping its structure.
    """

    def __init__(
        self,
        url: Any,
        status_code: int = 307,
        headers: Mapping[str, str] | None = None,
        background: BackgroundTask | None = None,
    ) -> None:
        super().__init__(
            content=b"", status_code=status_code, headers=headers, background=background
        )
        self.headers["location"] = quote(str(url), safe=_SAFE)
