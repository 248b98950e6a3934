"""The call form ``TemplateResponse(name, {"request": request})`` of Starlette before 1.0.

Starlette 1.0 removed it (1.10 fails with ``TypeError: unhashable type: 'dict'``); it still
works here, with the family's deprecation warning, so that code written for older Starlette
migrates without a rewrite of every endpoint at once.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from asgi_core import BackgroundTask, warn_deprecated
from asgi_templates._response import RequestLike

__all__ = ["LEGACY_WARNING", "MISSING_REQUEST", "legacy_arguments"]

LEGACY_WARNING = (
    'TemplateResponse(name, {"request": request}) is deprecated (Starlette 1.0 removed it): '
    "the request is the first argument now. "
    'Replace `TemplateResponse(name, {"request": request})` by '
    "`TemplateResponse(request, name)`, and "
    '`TemplateResponse(name, {"request": request, **context})` by '
    "`TemplateResponse(request, name, context)`."
)

#: Starlette's text, when the old form's context has no request.
MISSING_REQUEST = 'context must include a "request" key'

Arguments = tuple[
    RequestLike,
    str,
    dict[str, Any],
    int,
    Mapping[str, str] | None,
    str | None,
    BackgroundTask | None,
]


def TemplateResponse(  # named so, TypeErrors about wrong arguments name TemplateResponse
    name: str,
    context: dict[str, Any] | None = None,
    status_code: int = 200,
    headers: Mapping[str, str] | None = None,
    media_type: str | None = None,
    background: BackgroundTask | None = None,
) -> Arguments:
    """Bind the old form's arguments; a ``TypeError`` for wrong ones names TemplateResponse."""
    if context is None or "request" not in context:
        raise ValueError(
            f"{MISSING_REQUEST}: TemplateResponse({name!r}, ...) was called the old way, "
            "without the request first, and its context has no request "
            f"(keys: {sorted(context or ())}). "
            f"Call TemplateResponse(request, {name!r}, context) instead."
        )
    return (context["request"], name, context, status_code, headers, media_type, background)


def legacy_arguments(args: tuple[Any, ...], kwargs: dict[str, Any]) -> Arguments:
    """The new-form arguments of an old-form call, after warning where it was made.

    Called by ``Jinja2Templates.TemplateResponse``; the warning points at its caller.
    """
    warn_deprecated(LEGACY_WARNING, stacklevel=3)
    return TemplateResponse(*args, **kwargs)
