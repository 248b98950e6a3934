"""asgi-framework: a complete, fast ASGI web framework of the Starlette kind.

``from asgi_framework import App`` is the application; the rest lives in modules laid out
like Starlette's (``asgi_framework.routing``, ``.requests``, ``.responses``, ...), each
re-exporting the asgi-* package that owns it, so migrating from Starlette is a rename of the
import root. ``Starlette`` is another name for ``App``. :func:`install_as_starlette` makes
``import starlette`` load these modules, so that FastAPI runs on asgi-framework.
"""

from asgi_framework._app import App
from asgi_framework._config import Config
from asgi_framework._starlette_compat._installer import install_as_starlette
from asgi_framework.applications import Starlette

__version__ = "0.1.0"

__all__ = ["App", "Config", "Starlette", "__version__", "install_as_starlette"]
