"""Draw the benchmark ratios as an SVG bar chart for the documentation.

Usage: python tools/bench/chart.py results.json docs/pages/assets/bench-peers.svg

A report of the peers suite gives ours / each peer per scenario (and, when it has an
end-to-end part, a second chart beside the first, named ``<name>-e2e.svg``), and prints the
same ratios as Markdown tables for the documentation; a classic report gives ours / Starlette.
"""

from __future__ import annotations

import json
import math
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


PEERS = ["starlette", "fastapi", "litestar", "blacksheep", "raw"]
PEER_COLOURS = {
    "starlette": "#3f51b5",
    "fastapi": "#009688",
    "litestar": "#e91e63",
    "blacksheep": "#212121",
    "raw": "#bdbdbd",
}
PEER_LABELS = {"raw": "hand-written ASGI"}


def render_peers(report: dict[str, Any], mode: str = "in_process") -> str:
    """Ours / each peer, per scenario, on a logarithmic axis (1.0 = as fast as the peer)."""
    results = report[mode]
    scenarios = list(results)
    values = {
        name: {
            peer: row["ours"]["median"] / row[peer]["median"]
            for peer in PEERS
            if peer in row and "ours" in row
        }
        for name, row in results.items()
    }
    low, high = 0.1, 40.0
    span = math.log10(high) - math.log10(low)
    scale = (WIDTH - LEFT - 60) / span

    def x(value: float) -> float:
        clamped = min(max(value, low), high)
        return round(LEFT + (math.log10(clamped) - math.log10(low)) * scale, 1)

    bar = 9
    height = 50 + sum(len(v) * (bar + 1) + GAP for v in values.values()) + 40
    where = "in process" if mode == "in_process" else "end to end (uvicorn + wrk)"
    title = f"ours / each peer, {where}, median of rounds (log scale; right of 1 = we are faster)"
    parts = [
        (
            f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{height}" '
            'font-family="sans-serif" font-size="11">'
        ),
        tag("text", title, x=8, y=16, font_weight="bold"),
    ]
    for tick in (0.1, 0.25, 0.5, 1, 2, 5, 10, 20, 40):
        dash = "none" if tick == 1 else "3"
        parts.append(
            tag(
                "line",
                x1=x(tick),
                y1=26,
                x2=x(tick),
                y2=height - 34,
                stroke="#999",
                stroke_dasharray=dash,
            )
        )
        parts.append(tag("text", f"{tick:g}", x=x(tick), y=height - 22, text_anchor="middle"))
    y = 32
    for name in scenarios:
        rows = values[name]
        middle = y + len(rows) * (bar + 1) / 2 + 4
        parts.append(tag("text", name, x=LEFT - 8, y=round(middle, 1), text_anchor="end"))
        for peer, value in rows.items():
            start, end = sorted((x(1), x(value)))
            parts.append(
                tag(
                    "rect",
                    x=start,
                    y=y,
                    width=round(max(end - start, 1), 1),
                    height=bar,
                    fill=PEER_COLOURS[peer],
                )
            )
            label_x = end + 3 if value >= 1 else start - 3
            anchor = "start" if value >= 1 else "end"
            parts.append(
                tag(
                    "text",
                    f"{value:.2f}x",
                    x=label_x,
                    y=y + bar - 1,
                    text_anchor=anchor,
                    font_size=9,
                )
            )
            y += bar + 1
        y += GAP
    legend_x = 8
    for peer in PEERS:
        parts.append(
            tag("rect", x=legend_x, y=height - 12, width=10, height=10, fill=PEER_COLOURS[peer])
        )
        label = PEER_LABELS.get(peer, peer)
        parts.append(tag("text", label, x=legend_x + 14, y=height - 3))
        legend_x += 24 + 7 * len(label)
    parts.append("</svg>")
    return "\n".join(parts) + "\n"


def markdown(report: dict[str, Any], mode: str) -> str:
    """The ratios ours / each peer as a Markdown table (medians of the rounds)."""
    results = report[mode]
    lines = [
        "| scenario | " + " | ".join(f"ours / {PEER_LABELS.get(p, p)}" for p in PEERS) + " |",
        "|---" * (len(PEERS) + 1) + "|",
    ]
    for name, row in results.items():
        cells = [
            f"{row['ours']['median'] / row[peer]['median']:.2f}x" if peer in row else "-"
            for peer in PEERS
        ]
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print(__doc__)
        return 2
    report = json.loads(Path(argv[0]).read_text())
    peers = any("blacksheep" in row for row in report.get("in_process", {}).values())
    if not peers:
        Path(argv[1]).write_text(render(report))
        return 0
    target = Path(argv[1])
    target.write_text(render_peers(report))
    print(markdown(report, "in_process"))
    if report.get("end_to_end"):
        e2e = target.with_name(target.stem + "-e2e" + target.suffix)
        e2e.write_text(render_peers(report, "end_to_end"))
        print(markdown(report, "end_to_end"))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
