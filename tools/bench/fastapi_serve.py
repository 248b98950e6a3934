"""The app a FastAPI benchmark server runs.

``BENCH_FASTAPI_VARIANT=starlette|ours uvicorn --app-dir tools/bench fastapi_serve:app``
"""

from __future__ import annotations

import os

from fastapi_scenarios import build_app, select_variant

select_variant(os.environ["BENCH_FASTAPI_VARIANT"])
app = build_app()
