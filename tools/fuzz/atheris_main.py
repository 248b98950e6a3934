"""One fuzz target under atheris: ``python tools/fuzz/atheris_main.py TARGET [libFuzzer flags]``.

The workspace packages are instrumented for coverage as they are imported, so libFuzzer
steers the inputs towards new branches of our code. Run by ``tools/fuzz``.
"""

from __future__ import annotations

import sys
from pathlib import Path

import atheris  # type: ignore[import-untyped,import-not-found,unused-ignore] # no stubs

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # tools/

with atheris.instrument_imports(
    include=["asgi_core", "asgi_responses", "asgi_routing", "asgi_staticfiles"]
):
    from fuzz.targets import TARGETS


def main() -> None:
    check = TARGETS[sys.argv[1]]
    atheris.Setup([sys.argv[0], *sys.argv[2:]], check)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
