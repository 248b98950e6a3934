"""The app a benchmark server runs.

``BENCH_APP=<scenario>:<variant> uvicorn --app-dir tools/bench serve_app:app``
"""

from __future__ import annotations

import os

from scenarios import APPS

app = APPS[os.environ["BENCH_APP"]]
