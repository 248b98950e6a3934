"""Write the precompressed copies of the demo's stylesheet: ``demo.css.gz`` and ``demo.css.br``.

Run ``hatch run python -m examples.demo.precompress`` after changing ``static/demo.css``;
StaticFiles(precompressed=True) serves them to browsers that accept gzip or brotli.
tests-integration/test_demo_pages.py checks that they are up to date.
"""

from __future__ import annotations

import gzip
from pathlib import Path

import brotli  # type: ignore[import-untyped,unused-ignore]

STATIC = Path(__file__).resolve().parent / "static"
SOURCES = ["demo.css"]


def compressed(data: bytes) -> dict[str, bytes]:
    """The sibling suffixes and their contents (gzip without a timestamp: reproducible)."""
    return {".gz": gzip.compress(data, compresslevel=9, mtime=0), ".br": brotli.compress(data)}


def main() -> None:
    for name in SOURCES:
        source = STATIC / name
        for suffix, content in compressed(source.read_bytes()).items():
            target = source.with_name(name + suffix)
            target.write_bytes(content)
            print(f"{target.relative_to(STATIC.parent)}: {len(content)} bytes")


if __name__ == "__main__":
    main()
