"""The dependency bounds are the tested ones: every locked version satisfies pyproject.toml,
and every lower bound is the locked version (so CI, which installs the lock, tests it)."""

from __future__ import annotations

import tomllib
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

ROOT = Path(__file__).resolve().parent.parent


def locked() -> dict[str, Version]:
    out = {}
    for line in (ROOT / "requirements.lock").read_text().splitlines():
        if line and not line.startswith("#"):
            name, _, version = line.partition("==")
            out[canonicalize_name(name)] = Version(version)
    return out


def test_bounds_match_the_lock():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    reqs = [Requirement(r) for r in project["dependencies"] + project["optional-dependencies"]["test"]]
    lock = locked()
    for req in reqs:
        name = canonicalize_name(req.name)
        assert name in lock, f"{name} is not in requirements.lock"
        assert req.specifier.contains(lock[name]), f"{name} {lock[name]} outside {req.specifier}"
        lower = [Version(s.version) for s in req.specifier if s.operator == ">="]
        upper = [s for s in req.specifier if s.operator == "<"]
        assert lower and upper, f"{name} needs a lower and an upper bound"
        n = len(lower[0].release)
        assert lock[name].release[:n] == lower[0].release, f"{name}: lower bound {lower[0]} is not the tested {lock[name]}"
