"""Jinja2 itself: the import (with a clear error when it is missing) and its set-up.

Every other module of the package imports ``jinja2`` from here, so a missing Jinja2 is
reported once, with the command that installs it.
"""

from __future__ import annotations

from collections.abc import Sequence
from os import PathLike
from typing import Any

from asgi_core import URL

try:
    import jinja2
except ImportError as error:  # tested by re-importing with sys.modules["jinja2"] = None
    raise ImportError(
        "asgi-templates needs jinja2: pip install jinja2 (with asgi-framework: "
        "pip install 'asgi-framework[templates]'). Importing it failed with: "
        f"{error}",
        name="jinja2",
    ) from error

__all__ = ["Directory", "environment_for", "install_globals", "jinja2", "url_for"]

#: What ``Jinja2Templates(directory=...)`` accepts: one folder or a search path of folders.
Directory = str | PathLike[str] | Sequence[str | PathLike[str]]


@jinja2.pass_context
def url_for(context: dict[str, Any], name: str, /, **path_params: Any) -> URL:
    """``{{ url_for("user", id=5) }}``: the absolute URL of a named route.

    Calls ``request.url_for(name, **path_params)`` on the ``request`` of the template's
    context, so mounted routes are named ``"mount:route"`` and the host, scheme and
    ``root_path`` come from the request, as in Starlette.
    """
    request = context.get("request")
    if request is None:
        raise KeyError(
            f"url_for({name!r}) in a template needs the request in the template's context, "
            "and there is no 'request' there. Render it with "
            "templates.TemplateResponse(request, name, context), which adds it, or pass "
            "request=request to render()."
        )
    result: URL = request.url_for(name, **path_params)
    return result


def environment_for(directory: Directory) -> jinja2.Environment:
    """The environment ``Jinja2Templates(directory)`` builds, as Starlette builds it.

    Templates are loaded from ``directory`` (a search path when it is a list) and
    autoescaped by file name: ``.html``, ``.htm`` and ``.xml`` (any case), and templates
    made from strings; other extensions (``.txt``, ``.jinja``) are not.
    """
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(directory),
        autoescape=jinja2.select_autoescape(),
    )


def install_globals(env: jinja2.Environment) -> None:
    """Make ``url_for`` a global of ``env``, unless the environment already has one."""
    env.globals.setdefault("url_for", url_for)
