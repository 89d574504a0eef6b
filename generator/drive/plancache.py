"""Per-target plan cache: skip validating and rendering a job whose inputs are unchanged.

``check`` after editing one spec should re-render that spec only. A unit's
plan (its files and Diagnostics) is stored in the config's folder of the
user cache (``cachefiles``: signed, outside the project), keyed by everything
that shapes it (target, spec, label, package, options, override,
allow_invalid, working directory, twinspec version, interpreter) and reused
only while every input it read still has the same hash: the spec and every
file it ``$ref``s, the template packs, the override folder, the config, the
generator's code and the ruff binary that formats Python. It is also never
reused while a generated file in the unit's output folder differs from the
manifest: a stored plan must not be what keeps a tampered file in place.
Comparing the plan with the disk is never cached.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from generator.diagnostics import Diagnostic, Severity
from generator.render.plan import Owner, PlannedFile, WritePlan
from generator.write.cachefiles import (
    generated_files_match,
    identity,
    project_folder,
    read_entry,
    same_file,
    write_entry,
)

if TYPE_CHECKING:
    from contextlib import AbstractContextManager

    from generator.drive.project import Unit

__all__ = ["PlanCache", "Rendered", "formatting_cache"]


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
    """Plans stored in the user cache folder of ``config``; a no-op when ``config`` is None."""

    def __init__(self, config: Path | None) -> None:
        """Use ``config``'s cache folder, or cache nothing."""
        self.config = str(config) if config is not None else None
        self.notes: list[str] = []
        """Why stored plans were ignored, when that was not an ordinary miss."""

    def _entry(self, unit: Unit) -> tuple[str, str] | None:
        if self.config is None:
            return None
        ident = identity(
            "plan",
            os.getcwd(),
            unit.target,
            str(unit.spec.absolute()),
            unit.spec_label,
            unit.package,
            sorted((unit.options or {}).items()),
            str(unit.templates),
            unit.allow_invalid,
            str(unit.companion),
        )
        return ident, os.path.join(project_folder(self.config), f"plan-{ident}.json")

    def get(self, unit: Unit) -> Rendered | None:
        """The stored plan of ``unit`` if none of its inputs changed since."""
        found = self._entry(unit)
        if found is None or self.config is None:
            return None
        ident, path = found
        entry, note = read_entry(path, "plan", ident, self.config)
        if note:
            self.notes.append(note)
        if entry is None:
            return None
        try:
            deps = tuple((str(kind), str(dep)) for kind, dep, _ in entry["deps"])  # type: ignore[attr-defined]
            if not any(kind == "file" and same_file(dep, str(unit.spec)) for kind, dep in deps):
                self.notes.append(f"ignored the cache entry {path}: it does not depend on the spec")
                return None
            rendered = Rendered(
                _plan_from_json(entry["plan"]),
                tuple(_diagnostic_from_json(d) for d in entry["diagnostics"]),  # type: ignore[attr-defined]
                deps,
            )
        except (ValueError, KeyError, TypeError, AssertionError):
            self.notes.append(f"ignored the cache entry {path}: it is damaged")
            return None
        if unit.out_dir.exists() and not generated_files_match(str(unit.out_dir)):
            return None  # a hand-edited (or tampered) output: plan it afresh
        return rendered

    def put(self, unit: Unit, rendered: Rendered, deps: Iterable[tuple[str, str]]) -> None:
        """Store ``rendered`` with the hashes of the ``(kind, path)`` inputs it read."""
        found = self._entry(unit)
        if found is None or self.config is None:
            return
        ident, path = found
        payload: dict[str, object] = {
            "plan": _plan_to_json(rendered.plan),
            "diagnostics": [d.to_json() for d in rendered.diagnostics],
        }
        write_entry(path, "plan", ident, self.config, deps, payload)


def formatting_cache(
    config: Path | None = None, *, enabled: bool = True
) -> AbstractContextManager[None]:
    """Rendering inside takes Python that ruff formatted before from the user's format cache.

    Keyed by content (``generator.render.format.format_keys``), so it needs no
    config and is used by every run unless ``enabled`` is false (``generate --no-cache``)
    or ``TWINSPEC_NO_CACHE`` is set (a cache
    root inside the project, ``config``'s folder or the working directory, that a
    symlink leads out of is not used, as for the plan cache);
    ``generator.write.cacheformat`` says how an entry is trusted.
    """
    from generator.render.format import format_store  # subprocess, tempfile: rendering only
    from generator.write.cacheformat import FormatCache

    if not enabled or os.environ.get("TWINSPEC_NO_CACHE"):
        return format_store(None)
    project = str(config.parent) if config is not None else os.getcwd()
    return format_store(FormatCache(project=project))
