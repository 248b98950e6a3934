"""Differential tester: the same apps on Starlette 1.10 and on asgi-framework.

Usage (from the repository root):

    hatch run difftest:run                 # every case; fails on an unaccepted difference
    hatch run difftest:run -k 'files/*'    # only the cases whose id matches
    hatch run difftest:run --show-accepted # also print the accepted differences in full
    hatch run difftest:run --examples 200  # more Hypothesis examples per generated group

Starlette is used as a black box: its public behaviour is observed by running it, never by
reading its source. Each difference is compared field by field (status, headers, body, other
ASGI messages, exception); a difference is accepted only when ``accepted.toml`` lists it with
its reason and the migration guide names it.
"""

from __future__ import annotations

import argparse
import fnmatch
import re
import sys
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import tomllib

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import anyio  # noqa: E402
import cases_middleware  # noqa: E402, F401 - registers the middleware cases in CASES
import cases_sessions  # noqa: E402, F401 - sessions and authentication cases
import cases_static  # noqa: E402, F401 - static files and templates cases
from cases import CASES  # noqa: E402
from clients import CLIENT_CASES  # noqa: E402
from driver import HTTPRequest, WebSocketSession, normalise, run_http, run_websocket  # noqa: E402
from generated import GROUPS, examples  # noqa: E402
from lib import OURS, STARLETTE, Lib  # noqa: E402
from values import VALUES  # noqa: E402

ROOT = HERE.parent.parent
MIGRATION_GUIDE = ROOT / "docs" / "pages" / "migration.md"
FIELDS = ("status", "headers", "body", "messages", "exception", "value", "warnings")


@dataclass
class Difference:
    id: str
    field: str
    ours: Any
    starlette: Any

    def show(self, width: int = 400) -> str:
        def cut(value: Any) -> str:
            text = repr(value)
            return text if len(text) <= width else text[:width] + "..."

        lines = [f"  {self.id} [{self.field}]"]
        for where, theirs, ours in _narrow("", self.starlette, self.ours):
            lines.append(
                f"    {where or '.'}\n      starlette: {cut(theirs)}\n      ours:      {cut(ours)}"
            )
        return "\n".join(lines)


def _narrow(where: str, theirs: Any, ours: Any) -> list[tuple[str, Any, Any]]:
    """The innermost places where two nested values differ."""
    if isinstance(theirs, dict) and isinstance(ours, dict):
        out: list[tuple[str, Any, Any]] = []
        for key in [*theirs, *(k for k in ours if k not in theirs)]:
            if theirs.get(key) != ours.get(key):
                out += _narrow(f"{where}.{key}", theirs.get(key), ours.get(key))
        return out
    if isinstance(theirs, list) and isinstance(ours, list) and len(theirs) == len(ours):
        out = []
        for index, (a, b) in enumerate(zip(theirs, ours, strict=True)):
            if a != b:
                out += _narrow(f"{where}[{index}]", a, b)
        return out
    return [(where, theirs, ours)]


@dataclass
class Accepted:
    ids: list[str]
    fields: list[str]
    reason: str
    guide: str
    used: int = 0

    def matches(self, difference: Difference) -> bool:
        return any(fnmatch.fnmatchcase(difference.id, id) for id in self.ids) and (
            "*" in self.fields or difference.field in self.fields
        )


def load_accepted() -> list[Accepted]:
    with open(HERE / "accepted.toml", "rb") as f:
        data = tomllib.load(f)
    return [
        Accepted(
            [e["id"]] if isinstance(e["id"], str) else list(e["id"]),
            list(e["fields"]),
            e["reason"],
            e["guide"],
        )
        for e in data["accepted"]
    ]


BOUNDARY = re.compile(rb"boundary=([0-9A-Za-z'()+_,\-./:=?]+)")


def _normalise_summary(summary: dict[str, Any]) -> dict[str, Any]:
    """Neutralise what differs by chance: multipart boundaries, set order, file paths."""
    for name, value in summary.get("headers") or []:
        if name == "content-type":
            found = BOUNDARY.search(value.encode("latin-1"))
            if found:
                token = found.group(1)
                summary["headers"] = [
                    (n, v.replace(token.decode("latin-1"), "BOUNDARY"))
                    for n, v in summary["headers"]
                ]
                summary["body"] = summary["body"].replace(token, b"BOUNDARY")
        if name == "allow":
            # Starlette joins a set of methods: its order follows the interpreter's hash seed
            summary["headers"] = [
                (n, ", ".join(sorted(v.split(", "))) if n == "allow" else v)
                for n, v in summary["headers"]
            ]
    if summary.get("body", b"").startswith(b"Traceback (most recent call last):"):
        # a plain-text debug traceback names each framework's own files: compare the last line
        summary["body"] = summary["body"].rstrip().rsplit(b"\n", 1)[-1]
        summary["headers"] = [
            (n, "N" if n == "content-length" else v) for n, v in summary["headers"]
        ]
    return summary


async def _observe(lib: Lib, build: Any, exchange: Any) -> dict[str, Any]:
    try:
        app = build(lib)
    except Exception as exc:
        return {"exception": f"at build: {type(exc).__name__}: {exc}"}
    if isinstance(exchange, HTTPRequest):
        observed = await run_http(app, exchange)
    else:
        observed = await run_websocket(app, exchange)
    result: dict[str, Any] = normalise(_normalise_summary(observed.summary()))
    return result


def compare(id: str, starlette: dict[str, Any], ours: dict[str, Any]) -> list[Difference]:
    return [
        Difference(id, name, ours.get(name), starlette.get(name))
        for name in FIELDS
        if starlette.get(name) != ours.get(name)
    ]


async def run_cases(pattern: str) -> tuple[int, list[Difference]]:
    count = 0
    differences: list[Difference] = []
    for case in CASES:
        for name, exchange in case.exchanges.items():
            id = f"{case.id}/{name}"
            if not fnmatch.fnmatchcase(id, pattern):
                continue
            count += 1
            theirs = await _observe(STARLETTE, case.build, exchange)
            ours = await _observe(OURS, case.build, exchange)
            differences += compare(id, theirs, ours)
    return count, differences


def _value(lib: Lib, func: Any) -> dict[str, Any]:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            result: dict[str, Any] = {"value": normalise(func(lib))}
        except Exception as exc:
            result = {"exception": normalise(f"{type(exc).__name__}: {exc}")}
    # the deprecation warning class is each framework's own: compare the category's base
    result["warnings"] = [
        f"{_warning_kind(w.category)}: {normalise(str(w.message))}" for w in caught
    ]
    return result


def _warning_kind(category: type[Warning]) -> str:
    return (
        "DeprecationWarning"
        if issubclass(category, DeprecationWarning)
        else ("UserWarning" if issubclass(category, UserWarning) else category.__name__)
    )


def run_values(pattern: str) -> tuple[int, list[Difference]]:
    count = 0
    differences: list[Difference] = []
    named = [(f"values/{n}", f) for n, f in VALUES.items()]
    named += [(f"testclient/{n}", f) for n, f in CLIENT_CASES.items()]
    for id, func in named:
        if not fnmatch.fnmatchcase(id, pattern):
            continue
        count += 1
        differences += compare(id, _value(STARLETTE, func), _value(OURS, func))
    return count, differences


async def run_generated(pattern: str, count: int) -> tuple[int, list[Difference]]:
    total = 0
    differences: list[Difference] = []
    for group, (build, strategy) in GROUPS.items():
        if not fnmatch.fnmatchcase(group + "/x", pattern):
            continue
        seen_fields: set[str] = set()
        for example in examples(strategy, count):
            total += 1
            theirs = await _observe(STARLETTE, build, example)
            ours = await _observe(OURS, build, example)
            for difference in compare(group, theirs, ours):
                # one example per group and field: enough to reproduce and to judge
                if difference.field not in seen_fields:
                    seen_fields.add(difference.field)
                    difference.id = f"{group}/{_describe(example)}"
                    differences.append(difference)
    return total, differences


def _describe(request: HTTPRequest | WebSocketSession) -> str:
    if isinstance(request, WebSocketSession):
        return f"WS {request.path} {list(request.client)!r}"
    headers = ";".join(f"{k.decode()}:{v.decode('latin-1')}" for k, v in request.headers)
    body = b"".join(request.body)
    return f"{request.method} {request.path!r} q={request.query_string!r} h={headers!r} b={body!r}"


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="difftest", description=__doc__.split("\n\n")[0])
    parser.add_argument("-k", default="*", help="only case ids matching this pattern")
    parser.add_argument("--examples", type=int, default=60, help="Hypothesis examples per group")
    parser.add_argument("--show-accepted", action="store_true")
    args = parser.parse_args(argv)

    accepted = load_accepted()
    guide = MIGRATION_GUIDE.read_text(encoding="utf-8")
    problems = [
        f"accepted entry {a.ids!r}: its guide text {a.guide!r} is not in {MIGRATION_GUIDE.name}"
        for a in accepted
        if a.guide not in guide
    ]

    cases, differences = anyio.run(run_cases, args.k)
    values, value_differences = run_values(args.k)
    generated, generated_differences = anyio.run(run_generated, args.k, args.examples)
    differences += value_differences + generated_differences

    unaccepted: list[Difference] = []
    for difference in differences:
        entry = next((a for a in accepted if a.matches(difference)), None)
        if entry is None:
            unaccepted.append(difference)
        else:
            entry.used += 1
            if args.show_accepted:
                print(f"accepted ({entry.reason}):\n{difference.show()}")

    if args.k == "*":
        problems += [
            f"accepted entry {a.ids!r} {a.fields} matched no difference: remove it"
            for a in accepted
            if not a.used
        ]

    for difference in unaccepted:
        print(difference.show())
    for problem in problems:
        print(problem)
    print(
        f"\ndifftest: {cases} exchanges, {values} value cases, {generated} generated requests;"
        f" {len(differences)} differences, {len(differences) - len(unaccepted)} accepted"
        f" ({sum(1 for a in accepted if a.used)} documented entries), {len(unaccepted)} unaccepted"
    )
    return 1 if unaccepted or problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
