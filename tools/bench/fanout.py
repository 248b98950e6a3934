"""Broadcast fan-out: messages per second delivered to 1,000 subscribers in one process.

Each variant publishes ``--messages`` messages on one channel with ``--subscribers``
subscribers, each a task of its own counting what it receives; the time runs from the
first publish until every subscriber has every message. Variants, interleaved over rounds:

- ``raw``: the floor, a hand-written fan-out: one anyio memory stream per subscriber, the
  publisher puts each message into every stream (no channels, no overflow policy);
- ``memory://``: asgi-broadcast's in-process backend;
- ``redis://``: Redis Pub/Sub (one subscribed connection per process, the fan-out to the
  subscribers happens in the process);
- ``redis-stream://``: Redis Streams (every event stored, with an id).

Redis variants need a redis-server: ``--redis host:port``, or one is started on a free port
when ``redis-server`` is on the PATH. Every subscriber's queue holds all messages, so none is
dropped; the run fails if one was. Prints messages/s (each message delivered to every
subscriber) and deliveries/s, medians of the rounds, and the ratio to ``raw``::

    hatch run bench:fanout [--subscribers 1000] [--messages 1000] [--rounds 3] [--trio]
"""

from __future__ import annotations

import argparse
import contextlib
import statistics
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable, Iterator
from pathlib import Path

import anyio
import anyio.lowlevel

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # tools/, for _ports

from _redis import redis_executable, running_redis

from asgi_broadcast import Broadcast

WARM_UP = "warm-up"
#: burst: the publisher publishes as fast as it can (subscribers take several events per
#: wake-up); paced: it waits until every subscriber has each message (one wake-up each)
MODES = (False, True)


class Pace:
    """In paced mode, the publisher waits until every subscriber has a message before the next."""

    def __init__(self, subscribers: int, paced: bool) -> None:
        self.subscribers = subscribers
        self.paced = paced
        self.left = subscribers
        self.all_received = anyio.Event()

    def received(self) -> None:
        if self.paced:
            self.left -= 1
            if self.left == 0:
                self.all_received.set()

    async def wait(self) -> None:
        if self.paced:
            await self.all_received.wait()
            self.left = self.subscribers
            self.all_received = anyio.Event()


async def raw(subscribers: int, messages: int, paced: bool) -> float:
    """The floor: a list of memory streams, each message put into every one."""
    streams = [anyio.create_memory_object_stream[str](messages) for _ in range(subscribers)]
    pace = Pace(subscribers, paced)
    async with anyio.create_task_group() as tasks:

        async def receive(stream: anyio.abc.ObjectReceiveStream[str]) -> None:
            for _ in range(messages):
                await stream.receive()
                pace.received()

        for _, receiving in streams:
            tasks.start_soon(receive, receiving)
        await anyio.lowlevel.checkpoint()
        started = time.perf_counter()
        for number in range(messages):
            message = str(number)
            for sending, _ in streams:
                sending.send_nowait(message)
            await pace.wait()
    return time.perf_counter() - started  # every receiver has every message


async def broadcast(url: str, subscribers: int, messages: int, paced: bool) -> float:
    """asgi-broadcast: ``subscribers`` subscribers of one channel, ``messages`` published."""
    pace = Pace(subscribers, paced)
    async with Broadcast(url, max_queue=messages + 1) as hub, contextlib.AsyncExitStack() as stack:
        subs = [await stack.enter_async_context(hub.subscribe("fan")) for _ in range(subscribers)]
        ready = [anyio.Event() for _ in subs]
        async with anyio.create_task_group() as tasks:

            async def receive(index: int) -> None:
                received = 0
                async for event in subs[index]:
                    if event.message == WARM_UP:
                        ready[index].set()
                        continue
                    received += 1
                    pace.received()
                    if received == messages:
                        return

            for index in range(subscribers):
                tasks.start_soon(receive, index)
            # Redis confirms a subscription asynchronously: publish a warm-up message until
            # every subscriber has one, so that no measured message can be missed
            while not all(event.is_set() for event in ready):
                await hub.publish("fan", WARM_UP)
                with anyio.move_on_after(0.5):
                    for event in ready:
                        await event.wait()
            started = time.perf_counter()
            for number in range(messages):
                await hub.publish("fan", str(number))
                await pace.wait()
        elapsed = time.perf_counter() - started
        dropped = sum(subscriber.dropped for subscriber in subs)
        if dropped:
            raise SystemExit(f"{url}: {dropped} events dropped; the measurement is void")
        return elapsed


@contextlib.contextmanager
def redis_server(address: str | None) -> Iterator[str | None]:
    """``host:port`` of the given server, of one started here, or None without redis-server."""
    executable = redis_executable()
    if address or executable is None:
        yield address
        return
    with (
        tempfile.TemporaryDirectory() as folder,
        running_redis(executable, Path(folder)) as started,
    ):
        yield started


Variant = Callable[[int, int, bool], Awaitable[float]]


def variants(redis: str | None, backend: str) -> dict[str, Variant]:
    found: dict[str, Variant] = {
        "raw": raw,
        "memory://": lambda s, m, p: broadcast("memory://", s, m, p),
    }
    if redis is not None and backend == "asyncio":  # redis-py's client needs asyncio
        found["redis://"] = lambda s, m, p: broadcast(f"redis://{redis}/0", s, m, p)
        found["redis-stream://"] = lambda s, m, p: broadcast(f"redis-stream://{redis}/0", s, m, p)
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--subscribers", type=int, default=1000)
    parser.add_argument("--messages", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--redis", help="host:port of a redis-server (default: start one)")
    parser.add_argument("--trio", action="store_true", help="also run the trio variants")
    args = parser.parse_args(argv)
    backends = ["asyncio", "trio"] if args.trio else ["asyncio"]
    with redis_server(args.redis) as redis:
        if redis is None:
            print("redis-server not found (apt-get install redis-server): Redis variants left out")
        for backend, paced in [(backend, paced) for backend in backends for paced in MODES]:
            found = variants(redis, backend)
            messages = args.messages // 5 if paced else args.messages
            times: dict[str, list[float]] = {name: [] for name in found}
            mode = "paced" if paced else "burst"
            for round_number in range(1, args.rounds + 1):
                for name, run in found.items():
                    print(
                        f"\r{backend} {mode} round {round_number}/{args.rounds}: {name:<16}", end=""
                    )
                    seconds = anyio.run(run, args.subscribers, messages, paced, backend=backend)
                    times[name].append(seconds)
            print(
                f"\r{backend}, {mode}: {args.subscribers} subscribers, {messages} messages, "
                f"medians of {args.rounds} rounds"
            )
            floor = statistics.median(times["raw"])
            print(f"{'variant':<18}{'messages/s':>12}{'deliveries/s':>15}{'vs raw':>9}")
            for name, measured in times.items():
                median = statistics.median(measured)
                per_second = messages / median
                print(
                    f"{name:<18}{per_second:>12,.0f}{per_second * args.subscribers:>15,.0f}"
                    f"{floor / median:>8.2f}x"
                )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
