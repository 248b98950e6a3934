"""Draw the benchmark ratios as an SVG bar chart for the documentation.

Usage: python tools/bench/chart.py results.json docs/pages/assets/bench.svg
"""

from __future__ import annotations

import json
import sys
from html import escape
from pathlib import Path
from typing import Any

BAR_HEIGHT = 16
GAP = 10
LEFT = 170
WIDTH = 640
COLOURS = {"in_process": "#3f51b5", "end_to_end": "#ff9800"}
LABELS = {"in_process": "in process", "end_to_end": "end to end (uvicorn + wrk)"}


def tag(name: str, text: str = "", **attributes: object) -> str:
    """One SVG element; ``stroke_dasharray=`` becomes ``stroke-dasharray=``."""
    attrs = " ".join(f'{key.replace("_", "-")}="{value}"' for key, value in attributes.items())
    return f"<{name} {attrs}>{escape(text)}</{name}>" if text else f"<{name} {attrs}/>"


def ratios(report: dict[str, Any], mode: str) -> dict[str, float]:
    results = report.get(mode, {})
    return {
        name: variants["ours"]["best"] / variants["starlette"]["best"]
        for name, variants in results.items()
    }


def render(report: dict[str, Any]) -> str:
    modes = [mode for mode in ("in_process", "end_to_end") if report.get(mode)]
    scenarios = list(report["in_process"])
    values = {mode: ratios(report, mode) for mode in modes}
    top = max([2.0, *(v for per_mode in values.values() for v in per_mode.values())]) * 1.1
    scale = (WIDTH - LEFT - 60) / top
    height = 40 + len(scenarios) * (len(modes) * (BAR_HEIGHT + 2) + GAP) + 40
    title = f"throughput relative to Starlette {report.get('starlette', '')} (1.0 = as fast)"
    one = round(LEFT + scale, 1)
    parts = [
        (
            f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{height}" '
            'font-family="sans-serif" font-size="12">'
        ),
        tag("text", title, x=LEFT, y=16, font_weight="bold"),
        tag("line", x1=one, y1=24, x2=one, y2=height - 30, stroke="#999", stroke_dasharray=4),
        tag("text", "1.0", x=one, y=height - 16, text_anchor="middle"),
    ]
    y = 32
    for name in scenarios:
        parts.append(tag("text", name, x=LEFT - 8, y=y + BAR_HEIGHT, text_anchor="end"))
        for mode in modes:
            value = values[mode].get(name)
            if value is not None:
                width = round(value * scale, 1)
                parts.append(
                    tag("rect", x=LEFT, y=y, width=width, height=BAR_HEIGHT, fill=COLOURS[mode])
                )
                parts.append(tag("text", f"{value:.2f}x", x=LEFT + width + 4, y=y + 12))
            y += BAR_HEIGHT + 2
        y += GAP
    legend_x = LEFT
    for mode in modes:
        parts.append(
            tag("rect", x=legend_x, y=height - 12, width=10, height=10, fill=COLOURS[mode])
        )
        parts.append(tag("text", LABELS[mode], x=legend_x + 14, y=height - 3))
        legend_x += 200
    parts.append("</svg>")
    return "\n".join(parts) + "\n"


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print(__doc__)
        return 2
    report = json.loads(Path(argv[0]).read_text())
    Path(argv[1]).write_text(render(report))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
