"""Per-target plan cache: skip validating and rendering a job whose inputs are unchanged.

``check`` after editing one spec should re-render that spec only. A unit's
plan (its files and Diagnostics) is stored under ``.twinspec-cache/`` keyed by
everything that shapes it (target, spec, label, package, options, override,
allow_invalid, working directory, twinspec version, interpreter) and reused
only while every input it read still has the same hash: the spec and every
file it ``$ref``s, the template packs, the override folder, the config, the
generator's code and the ruff binary that formats Python. Comparing the plan
with the disk is never cached.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from generator import __version__
from generator.diagnostics import Diagnostic, Severity
from generator.render.plan import Owner, PlannedFile, WritePlan
from generator.write.cache import CACHE_DIR, blake2b, digest, prepare_folder

if TYPE_CHECKING:
    from generator.drive.project import Unit

__all__ = ["PlanCache", "Rendered"]


@dataclass(frozen=True, slots=True)
class Rendered:
    """What planning one unit produced: the plan (None when refused) and its Diagnostics."""

    plan: WritePlan | None
    diagnostics: tuple[Diagnostic, ...]
    inputs: tuple[tuple[str, str], ...] = ()
    """``(kind, path)`` of what was read to make it (filled in from the cache)."""


def _plan_to_json(plan: WritePlan | None) -> object:
    if plan is None:
        return None
    return {
        "target": plan.target,
        "files": [[f.path, f.content, f.owner.value] for f in plan.files],
    }


def _plan_from_json(data: object) -> WritePlan | None:
    if data is None:
        return None
    assert isinstance(data, dict)
    files = tuple(
        PlannedFile(path, content, Owner(owner)) for path, content, owner in data["files"]
    )
    return WritePlan(str(data["target"]), files)


def _diagnostic_from_json(data: dict[str, object]) -> Diagnostic:
    return Diagnostic(
        str(data["file"]),
        int(str(data["line"])),
        int(str(data["column"])),
        str(data["pointer"]),
        Severity(data["severity"]),
        str(data["code"]),
        str(data["message"]),
    )


class PlanCache:
    """Plans stored in ``<root>/.twinspec-cache/``; a no-op when ``root`` is None."""

    def __init__(self, root: Path | None) -> None:
        """Use ``root``'s cache folder, or cache nothing."""
        self.folder = root / CACHE_DIR if root is not None else None

    def _path(self, unit: Unit, config: Path | None) -> Path | None:
        if self.folder is None:
            return None
        key = json.dumps(
            [
                __version__,
                sys.version,
                sys.executable,
                os.getcwd(),
                str(config),
                unit.target,
                str(unit.spec.absolute()),
                unit.spec_label,
                unit.package,
                unit.options or {},
                str(unit.templates),
                unit.allow_invalid,
                str(unit.companion),
            ],
            sort_keys=True,
            default=repr,
        )
        return self.folder / f"plan-{blake2b(key.encode()).hexdigest()[:32]}.json"

    def get(self, unit: Unit, config: Path | None) -> Rendered | None:
        """The stored plan of ``unit`` if none of its inputs changed since."""
        path = self._path(unit, config)
        if path is None:
            return None
        try:
            entry = json.loads(path.read_text(encoding="utf-8"))
            for kind, dep, expected in entry["deps"]:
                if digest(kind, dep) != expected:
                    return None
            return Rendered(
                _plan_from_json(entry["plan"]),
                tuple(_diagnostic_from_json(d) for d in entry["diagnostics"]),
                tuple((str(kind), str(dep)) for kind, dep, _ in entry["deps"]),
            )
        except (OSError, ValueError, KeyError, TypeError, AssertionError):
            return None

    def put(
        self, unit: Unit, config: Path | None, rendered: Rendered, deps: Iterable[tuple[str, str]]
    ) -> None:
        """Store ``rendered`` with the hashes of the ``(kind, path)`` inputs it read."""
        path = self._path(unit, config)
        if path is None:
            return
        entry = {
            "deps": [[kind, dep, digest(kind, dep)] for kind, dep in sorted(set(deps))],
            "plan": _plan_to_json(rendered.plan),
            "diagnostics": [d.to_json() for d in rendered.diagnostics],
        }
        try:
            prepare_folder(str(path.parent))
            temp = path.with_suffix(f".{os.getpid()}.tmp")
            temp.write_text(json.dumps(entry), encoding="utf-8")
            os.replace(temp, path)
        except OSError:
            return
