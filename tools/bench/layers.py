"""Where a plain-text request's time goes, layer by layer (the profile behind the targets).

Usage: hatch run bench:python tools/bench/layers.py [--rounds 31] [--calls 5000]

Times the plaintext scenario's request (CPU microseconds per request, min and median of
interleaved rounds) through ever more of this framework: the hand-written app, the response
object alone, the endpoint wrapper a route adds (``Request`` + endpoint + response), a
``Router`` with the one route, and the whole ``App`` (error and exception middleware
around the router); then BlackSheep's and Starlette's applications for comparison. The
differences between consecutive lines are what each layer costs.
"""

from __future__ import annotations

import argparse
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
from scenarios import SCENARIOS, Scenario

from asgi_core.types import ASGIApp, Receive, Scope, Send
from asgi_framework.responses import PlainTextResponse
from asgi_framework.routing import Route, Router
from asgi_routing import request_response


async def response_only(scope: Scope, receive: Receive, send: Send) -> None:
    await PlainTextResponse(c.TEXT)(scope, receive, send)


LAYERS: dict[str, ASGIApp] = {
    "hand-written ASGI app": peers_raw.APPS["plaintext"],
    "+ PlainTextResponse object": response_only,
    "+ endpoint wrapper (Request, endpoint)": request_response(peers_ours.plaintext),
    "+ Router (one route)": Router([Route("/", peers_ours.plaintext)]),
    "+ App (error, exception middleware)": peers_ours.APPS["plaintext"],
    "BlackSheep Application": peers_blacksheep.APPS["plaintext"],
    "Starlette application": peers_starlette.STARLETTE_APPS["plaintext"],
}


async def layer_samples(
    layers: dict[str, ASGIApp], scenario: Scenario, rounds: int, calls: int
) -> dict[str, list[float]]:
    """CPU microseconds per request of each layer, one sample a round (rounds interleaved,
    the order reversed every other round)."""
    samples: dict[str, list[float]] = {name: [] for name in layers}
    async with inprocess.lifespans(scenario):
        for round_ in range(rounds):
            order = list(layers.items())
            for name, app in order if round_ % 2 else order[::-1]:
                seconds = await inprocess.time_calls(app, scenario, calls, "ours")
                samples[name].append(seconds / calls * 1e6)
    return samples


async def measure(rounds: int, calls: int) -> None:
    samples = await layer_samples(LAYERS, SCENARIOS["plaintext"], rounds, calls)
    print(f"{'layer':<42} {'min us':>8} {'median us':>10}")
    for name, values in samples.items():
        print(f"{name:<42} {min(values):>8.2f} {statistics.median(values):>10.2f}")


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=31)
    parser.add_argument("--calls", type=int, default=5000)
    args = parser.parse_args(argv)
    anyio.run(measure, args.rounds, args.calls)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
