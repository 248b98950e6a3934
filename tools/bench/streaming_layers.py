"""Where an SSE request's time goes, layer by layer (the profile behind the sse-1000 ratio).

Usage: hatch run bench:python tools/bench/streaming_layers.py [--rounds 15] [--calls 100]
       hatch run bench:python tools/bench/streaming_layers.py --profile "+ App"

Times the sse-1000 scenario's request (1,000 events from an async generator; CPU
microseconds per request, min and median of interleaved rounds) through ever more of this
framework: the hand-written app, the hand-written app pulling the same async generator, the
``StreamingResponse`` alone, the endpoint wrapper a route adds, a ``Router`` with the one
route, and the whole ``App``; then BlackSheep's and Starlette's applications. The differences
between consecutive lines are what each layer costs (divide by 1,000 for a per-event cost).
``--profile NAME`` runs one layer under cProfile instead and prints the top functions.
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import statistics
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(1, str(Path(__file__).resolve().parent.parent))

import anyio
import inprocess
import peer_common as c
import peers_blacksheep
import peers_ours
import peers_raw
import peers_starlette
from layers import layer_samples
from scenarios import SCENARIOS

from asgi_core.types import ASGIApp, Receive, Scope, Send
from asgi_framework.responses import StreamingResponse
from asgi_framework.routing import Route, Router
from asgi_routing import request_response

events = peers_ours._OURS.events


async def raw_generator(scope: Scope, receive: Receive, send: Send) -> None:
    """The hand-written app, with the events from the same async generator as ours."""
    await send(
        {
            "type": "http.response.start",
            "status": 200,
            "headers": [(b"content-type", b"text/event-stream")],
        }
    )
    async for event in events():
        await send({"type": "http.response.body", "body": event.encode(), "more_body": True})
    await send({"type": "http.response.body", "body": b""})


async def response_only(scope: Scope, receive: Receive, send: Send) -> None:
    await StreamingResponse(events(), media_type="text/event-stream")(scope, receive, send)


async def sse(request: object) -> StreamingResponse:
    return StreamingResponse(events(), media_type="text/event-stream")


LAYERS: dict[str, ASGIApp] = {
    "hand-written ASGI app": peers_raw.APPS["sse-1000"],
    "+ async generator": raw_generator,
    "+ StreamingResponse object": response_only,
    "+ endpoint wrapper (Request, endpoint)": request_response(sse),
    "+ Router (one route)": Router([Route("/", sse)]),
    "+ App (error, exception middleware)": peers_ours.APPS["sse-1000"],
    "BlackSheep Application": peers_blacksheep.APPS["sse-1000"],
    "Starlette application": peers_starlette.STARLETTE_APPS["sse-1000"],
}


async def measure(rounds: int, calls: int) -> None:
    samples = await layer_samples(LAYERS, SCENARIOS["sse-1000"], rounds, calls)
    print(f"{'layer':<42} {'min us':>8} {'median us':>10} {'us/event':>9}")
    for name, values in samples.items():
        low = min(values)
        print(
            f"{name:<42} {low:>8.0f} {statistics.median(values):>10.0f} {low / c.SSE_EVENTS:>9.3f}"
        )


async def profile(name: str, calls: int) -> None:
    scenario = SCENARIOS["sse-1000"]
    app = LAYERS[name]
    await inprocess.time_calls(app, scenario, 10, "ours")
    profiler = cProfile.Profile()
    profiler.enable()
    await inprocess.time_calls(app, scenario, calls, "ours")
    profiler.disable()
    pstats.Stats(profiler).sort_stats("tottime").print_stats(25)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--calls", type=int, default=100)
    parser.add_argument("--profile", choices=list(LAYERS), help="profile this layer instead")
    args = parser.parse_args(argv)
    if args.profile:
        anyio.run(profile, args.profile, args.calls)
    else:
        anyio.run(measure, args.rounds, args.calls)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
