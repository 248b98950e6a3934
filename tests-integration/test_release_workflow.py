"""The release workflow builds every package and publishes with trusted publishing."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
WORKFLOW = ROOT / ".github" / "workflows" / "release.yml"


def load() -> dict[Any, Any]:
    data: dict[Any, Any] = yaml.safe_load(WORKFLOW.read_text())
    return data


def test_it_runs_on_version_tags_only() -> None:
    workflow = load()
    # YAML reads the key "on" as True
    assert workflow[True] == {"push": {"tags": ["v*"]}}
    assert workflow["permissions"] == {"contents": "read"}


def test_the_build_checks_every_wheel_and_keeps_every_package() -> None:
    steps = load()["jobs"]["build"]["steps"]
    commands = "\n".join(step.get("run", "") for step in steps)
    assert "hatch run dists" in commands  # builds sdist+wheel, tests each wheel alone
    assert "for package in packages/*/" in commands
    assert 'dist/"$name"/*.whl dist/"$name"/*.tar.gz' in commands


def test_publishing_uses_trusted_publishing() -> None:
    publish = load()["jobs"]["publish"]
    assert publish["needs"] == "build"
    assert publish["permissions"] == {"id-token": "write"}
    assert publish["environment"] == {"name": "pypi"}
    (action,) = [step for step in publish["steps"] if "gh-action-pypi-publish" in step["uses"]]
    assert action["uses"] == "pypa/gh-action-pypi-publish@release/v1"
    assert "password" not in action.get("with", {})  # no token: OIDC
