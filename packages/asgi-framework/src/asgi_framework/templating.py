"""Laid out like ``starlette.templating`` (names from asgi-templates, the ``templates`` extra).

``Jinja2Templates`` renders Jinja2 templates into ``_TemplateResponse`` objects (Starlette's
name for the response, kept for ``isinstance`` checks in tests), with ``url_for`` and the
request in every template. ``pip install 'asgi-framework[templates]'`` installs
asgi-templates and Jinja2; without it, importing this module raises an ``ImportError`` that
says so.
"""

from asgi_framework._extras import missing_extra

try:
    import asgi_templates
    from asgi_templates import ContextProcessor, Jinja2Templates, RequestLike, url_for
except ImportError as exc:
    raise missing_extra(__name__, "templates") from exc

# public in asgi_templates (its __all__); the leading underscore is Starlette's spelling
_TemplateResponse = asgi_templates._TemplateResponse

__all__ = ["ContextProcessor", "Jinja2Templates", "RequestLike", "_TemplateResponse", "url_for"]
