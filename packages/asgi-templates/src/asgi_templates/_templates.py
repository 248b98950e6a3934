"""``Jinja2Templates``: a Jinja2 environment that answers with template responses."""

from __future__ import annotations

from collections.abc import Mapping
from inspect import isawaitable
from typing import Any, overload

from asgi_core import BackgroundTask, UsageError, is_async_callable
from asgi_templates._jinja import Directory, environment_for, install_globals, jinja2
from asgi_templates._legacy import legacy_arguments
from asgi_templates._response import (
    Awaiting,
    ContextProcessor,
    RequestLike,
    _TemplateResponse,
    merge_context,
)

__all__ = ["Jinja2Templates"]

#: Starlette's text, when not exactly one of ``directory`` and ``env`` is given.
EITHER_DIRECTORY_OR_ENV = "either 'directory' or 'env' arguments must be passed"


class Jinja2Templates:
    """Jinja2 templates rendered into HTML responses.

    ``Jinja2Templates(directory="templates")`` loads templates from a folder (or a list of
    folders, searched in order) and autoescapes ``.html``, ``.htm`` and ``.xml`` templates;
    ``Jinja2Templates(env=environment)`` uses a ``jinja2.Environment`` of your own as it is
    (its loader, its autoescape, ``enable_async=True`` for templates that await). Exactly
    one of the two is required. Either way the environment gets a ``url_for`` global
    (unless it has one): ``{{ url_for("user", id=5) }}`` is ``request.url_for("user", id=5)``.

    ``context_processors`` are called with the request for every template response; the
    dicts they return are merged into the context (their keys win over the endpoint's).
    ``async def`` processors are awaited before the template renders.

    Example::

        templates = Jinja2Templates(directory="templates")

        async def homepage(request):
            return templates.TemplateResponse(request, "index.html", {"title": "Home"})
    """

    def __init__(
        self,
        directory: Directory | None = None,
        *,
        context_processors: list[ContextProcessor] | None = None,
        env: jinja2.Environment | None = None,
    ) -> None:
        if env is not None and directory is None:
            if not isinstance(env, jinja2.Environment):
                raise TypeError(
                    f"env must be a jinja2.Environment; received {env!r}. "
                    "For a folder of templates pass directory= instead."
                )
            self.env = env
        elif directory is not None and env is None:
            self.env = environment_for(directory)
        else:
            received = "neither" if env is None else f"directory={directory!r} and env={env!r}"
            raise UsageError(
                f"{EITHER_DIRECTORY_OR_ENV}, exactly one of them; received {received}. "
                'Pass Jinja2Templates(directory="templates") to load templates from a folder, '
                "or Jinja2Templates(env=jinja2.Environment(loader=...)) to use an "
                "environment of your own."
            )
        if callable(context_processors):
            raise TypeError(
                "context_processors must be a list of callables; received the callable "
                f"{context_processors!r}: pass [{getattr(context_processors, '__name__', '...')}]."
            )
        for processor in context_processors or ():
            if not callable(processor):
                raise TypeError(
                    f"context_processors must be callables taking the request and returning "
                    f"a dict; received {processor!r} in {context_processors!r}."
                )
        #: Called with the request for every response; a list you may append to.
        self.context_processors: list[ContextProcessor] = context_processors or []
        self._async_plan: tuple[list[ContextProcessor], int] = ([], 0)
        install_globals(self.env)

    def _first_async(self, processors: list[ContextProcessor]) -> int:
        """The index of the first ``async def`` processor (``len`` when there is none).

        Remembered for the list's contents, so that a request does not inspect every
        processor again; a processor appended or replaced later is noticed.
        """
        seen, index = self._async_plan
        if seen != processors:  # compares by identity first: cheap when unchanged
            index = next(
                (i for i, processor in enumerate(processors) if is_async_callable(processor)),
                len(processors),
            )
            self._async_plan = (list(processors), index)
        return index

    def get_template(self, name: str) -> jinja2.Template:
        """The template called ``name``; ``jinja2.TemplateNotFound`` if there is none."""
        return self.env.get_template(name)

    @overload
    def TemplateResponse(
        self,
        request: RequestLike,
        name: str,
        context: dict[str, Any] | None = None,
        status_code: int = 200,
        headers: Mapping[str, str] | None = None,
        media_type: str | None = None,
        background: BackgroundTask | None = None,
    ) -> _TemplateResponse: ...

    @overload
    def TemplateResponse(
        self,
        name: str,
        context: dict[str, Any],
        status_code: int = 200,
        headers: Mapping[str, str] | None = None,
        media_type: str | None = None,
        background: BackgroundTask | None = None,
    ) -> _TemplateResponse: ...  # deprecated: the request comes first

    def TemplateResponse(self, *args: Any, **kwargs: Any) -> _TemplateResponse:
        """An HTML response of the template ``name`` rendered with ``context``.

        ``TemplateResponse(request, name, context=None, status_code=200, headers=None,
        media_type=None, background=None)``. ``request`` is added to ``context`` (the dict
        given, changed in place) unless it has one, then the context processors' dicts
        are merged in. ``jinja2.TemplateNotFound`` if there is no such template.

        The form of Starlette before 1.0, ``TemplateResponse(name, {"request": request,
        ...})``, still works and warns (``AsgiDeprecationWarning``); its context must have
        a ``request`` (``ValueError`` otherwise).
        """
        if isinstance(args[0], str) if args else "name" in kwargs and "request" not in kwargs:
            return TemplateResponse(self, *legacy_arguments(args, kwargs))
        return TemplateResponse(self, *args, **kwargs)


def TemplateResponse(  # named so, TypeErrors about wrong arguments name TemplateResponse
    templates: Jinja2Templates,
    request: RequestLike,
    name: str,
    context: dict[str, Any] | None = None,
    status_code: int = 200,
    headers: Mapping[str, str] | None = None,
    media_type: str | None = None,
    background: BackgroundTask | None = None,
) -> _TemplateResponse:
    """Make the response of ``templates.TemplateResponse`` (the new form's arguments)."""
    if context is None:
        context = {}
    context.setdefault("request", request)
    awaiting: Awaiting | None = None
    processors = templates.context_processors
    if processors:
        first_async = templates._first_async(processors)
        for index, processor in enumerate(processors):
            if index == first_async:
                awaiting = (request, None, processors[index:])
                break
            result = processor(request)
            if type(result) is dict:
                context.update(result)
            elif isawaitable(result):  # a sync callable returning one (made by a decorator)
                awaiting = (request, result, processors[index:])
                break
            else:
                merge_context(context, result, processor)
    template = templates.get_template(name)
    if awaiting is None:
        return _TemplateResponse(template, context, status_code, headers, media_type, background)
    return _TemplateResponse(
        template, context, status_code, headers, media_type, background, _awaiting=awaiting
    )
