"""asgi-templates: Jinja2 templates for ASGI applications, following ``starlette.templating``.

``Jinja2Templates`` (a folder of templates or a ``jinja2.Environment`` of your own, with a
``url_for`` global and context processors, sync or async) and ``_TemplateResponse``, the
HTML response it makes, which keeps ``template`` and ``context`` for tests and reports them
through the ``http.response.debug`` ASGI extension. Environments made with
``enable_async=True`` render with ``render_async``, so templates can await.
"""

from asgi_templates._jinja import url_for
from asgi_templates._response import ContextProcessor, RequestLike, _TemplateResponse
from asgi_templates._templates import Jinja2Templates

__version__ = "0.1.0"

__all__ = [
    "ContextProcessor",
    "Jinja2Templates",
    "RequestLike",
    "_TemplateResponse",
    "__version__",
    "url_for",
]
