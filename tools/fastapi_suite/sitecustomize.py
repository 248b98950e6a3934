"""Imported at the start of every Python process of the suite run (this folder is on PYTHONPATH).

With ``ASGI_FASTAPI_SUITE_OURS=1`` it calls :func:`asgi_framework.install_as_starlette`
before anything else runs, so that FastAPI's tests and the subprocesses some of them start
all load asgi-framework where they import Starlette.
"""

import os

if os.environ.get("ASGI_FASTAPI_SUITE_OURS") == "1":
    import asgi_framework

    asgi_framework.install_as_starlette()
