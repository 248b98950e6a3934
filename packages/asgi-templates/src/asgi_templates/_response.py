"""``_TemplateResponse``: an HTML response rendered from a Jinja2 template."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping, Sequence
from inspect import isawaitable
from typing import Any, Protocol

from asgi_core import BackgroundTask
from asgi_core.types import Receive, Scope, Send
from asgi_responses import HTMLResponse
from asgi_templates._jinja import jinja2

__all__ = ["Awaiting", "ContextProcessor", "RequestLike", "_TemplateResponse", "merge_context"]


class RequestLike(Protocol):
    """What a template response needs of a request: ``url_for``, for the template global.

    ``asgi_core.Request`` and Starlette's (FastAPI's) ``Request`` both are one, and so is
    any ``HTTPConnection``.
    """

    def url_for(self, name: str, /, **path_params: Any) -> Any:
        """The absolute URL of the route called ``name``."""


#: A context processor: called with the request, returns a dict merged into the context of
#: every template the ``Jinja2Templates`` renders. ``async def`` ones are awaited.
ContextProcessor = Callable[[Any], Mapping[str, Any] | Awaitable[Mapping[str, Any]]]

#: What a response still has to merge into its context before it renders: the request, the
#: awaitable a context processor returned (``None`` when none has run yet), and the context
#: processors after it.
Awaiting = tuple[RequestLike, Awaitable[Mapping[str, Any]] | None, Sequence[ContextProcessor]]

_DEBUG = "http.response.debug"


def merge_context(context: dict[str, Any], result: Any, processor: ContextProcessor) -> None:
    """Merge what a context processor returned into ``context`` (its keys win)."""
    try:
        context.update(result)
    except (TypeError, ValueError) as error:
        raise TypeError(
            f"The context processor {processor!r} returned {result!r}, which cannot be merged "
            "into the template context: a context processor must return a dict "
            "(for example {'user': request.user}); an async one must be 'async def'."
        ) from error


class _TemplateResponse(HTMLResponse):
    """The response of ``Jinja2Templates.TemplateResponse``: a rendered template.

    ``template`` (the ``jinja2.Template``) and ``context`` (the dict it was rendered with,
    ``request`` included) stay on the response for tests. When the server offers the
    ``http.response.debug`` ASGI extension (the test client does), both are sent in an
    ``http.response.debug`` message before the response, so that the test client's
    ``response.template`` and ``response.context`` show them.

    The template is rendered here, when the response is made, so that template errors are
    raised in the endpoint; except for an environment made with ``enable_async=True``
    (rendered with ``render_async``, so templates can await) or async context processors:
    then the response renders when it is sent, and ``body`` and ``content-length`` are set
    then.
    """

    _deferred = False  # rendering waits for the response to be sent (see above)
    _awaiting: Awaiting | None = None
    _sets_length = False  # a deferred response fills in the content-length it added

    def __init__(
        self,
        template: jinja2.Template,
        context: dict[str, Any],
        status_code: int = 200,
        headers: Mapping[str, str] | None = None,
        media_type: str | None = None,
        background: BackgroundTask | None = None,
        *,
        _awaiting: Awaiting | None = None,
    ) -> None:
        self.template = template
        self.context = context
        if _awaiting is None and not template.environment.is_async:
            super().__init__(template.render(context), status_code, headers, media_type, background)
            return
        self._deferred = True
        self._awaiting = _awaiting
        self._sets_length = headers is None or all(
            name.lower() != "content-length" for name in headers
        )
        super().__init__(b"", status_code, headers, media_type, background)

    async def _render(self) -> None:
        """Run the async context processors, render the template, and fix the length."""
        self._deferred = False
        context = self.context
        if self._awaiting is not None:
            request, started, processors = self._awaiting
            self._awaiting = None
            if started is not None:
                merge_context(context, await started, processors[0])
                processors = processors[1:]
            for processor in processors:
                result = processor(request)
                if isawaitable(result):
                    result = await result
                merge_context(context, result, processor)
        template = self.template
        if template.environment.is_async:
            text = await template.render_async(context)
        else:
            text = template.render(context)
        body = text.encode(self.charset)
        self.body = body
        if self._sets_length:
            raw = self.raw_headers
            for index, (name, _) in enumerate(raw):
                if name == b"content-length":
                    raw[index] = (name, b"%d" % len(body))
                    break

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if self._deferred:
            await self._render()
        extensions = scope.get("extensions")
        if extensions is not None and _DEBUG in extensions:
            await send(
                {"type": _DEBUG, "info": {"template": self.template, "context": self.context}}
            )
        await super().__call__(scope, receive, send)
