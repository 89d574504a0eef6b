"""What a run plans: the config's jobs (all, or those picked by spec) or one spec's targets.

``generate`` and ``check`` start here. Problems a user can fix on the
command line are ``UsageError``; everything else is a Diagnostic.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from generator.diagnostics import Diagnostic, has_errors, sort_unique
from generator.drive.project import PlannedFolder, ProjectPlan, Unit, plan_project, plan_units
from generator.errors import UsageError
from generator.load import RefMap
from generator.write.cache import FILE

if TYPE_CHECKING:  # imported where used: ``generate SPEC`` needs neither the config nor drift
    from generator.config import Config, Job

__all__ = [
    "Checked",
    "check_config",
    "config_path",
    "plan_config",
    "plan_spec",
    "select_jobs",
    "spec_label",
]


def spec_label(spec: Path) -> str:
    """The spec as typed when it is a plain relative path, else its file name."""
    posix = spec.as_posix()
    if spec.is_absolute() or ".." in spec.parts:
        return spec.name
    return posix.removeprefix("./")


def config_path(config_file: Path | None) -> Path:
    """The config file given, else the one found upward from here; ``UsageError`` if none."""
    if config_file is not None:
        if not config_file.is_file():
            raise UsageError(f"{config_file}: no such config file")
        return Path(os.path.abspath(config_file))
    from generator.config import find_config

    found = find_config(Path.cwd())
    if found is None:
        raise UsageError(
            "no twinspec.yaml or [tool.twinspec] in this folder or its parents; "
            "`twinspec init` writes a starter"
        )
    return found


def select_jobs(config: Config, wanted: Sequence[str]) -> list[Job]:
    """The jobs whose spec is one of ``wanted`` (as in the config, or a path from here)."""
    chosen: list[Job] = []
    for value in wanted:
        path = Path(value).absolute()
        match = [j for j in config.jobs if value in (j.spec_label, str(j.spec)) or j.spec == path]
        if not match:
            labels = ", ".join(j.spec_label for j in config.jobs)
            raise UsageError(f"--job {value}: no job has that spec (jobs: {labels})")
        chosen += [j for j in match if j not in chosen]
    return chosen


def with_ref_map(config: Config, ref_map: RefMap | None) -> Config:
    """``config`` with ``ref_map`` (``--ref-map``) added to every job's, winning for the same prefix."""
    if not ref_map:
        return config
    jobs = tuple(dataclasses.replace(j, ref_map=j.ref_map.merged(ref_map)) for j in config.jobs)
    return dataclasses.replace(config, jobs=jobs)


def plan_config(
    config_file: Path | None,
    only: Sequence[str] = (),
    *,
    cache: bool = True,
    ref_map: RefMap | None = None,
) -> tuple[ProjectPlan, list[Diagnostic]]:
    """Plan the config's jobs (or only those for the specs ``only`` names): plan and all problems.

    ``ref_map`` (``--ref-map``) adds to every job's; a run with one does not use the plan
    cache. Without ``cache``, neither stored plans nor stored formatted Python are used.
    """
    from generator.config import load_config

    config, problems = load_config(config_path(config_file))
    if config is None:
        return ProjectPlan((), (), ()), list(problems)
    config = with_ref_map(config, ref_map)
    formatted = cache  # keyed by content: a ref map changes nothing there
    cache = cache and not ref_map
    jobs = select_jobs(config, only) if only else None
    if jobs is not None:  # problems of the other jobs are not this run's
        kept = {f"/jobs/{job.index}" for job in jobs}
        problems = [
            p
            for p in problems
            if not p.pointer.startswith("/jobs/") or "/".join(p.pointer.split("/")[:3]) in kept
        ]
    project = plan_project(config, cache=cache, jobs=jobs, formatted=formatted)
    return project, [*problems, *project.diagnostics]


def plan_spec(
    spec: Path,
    targets: Sequence[str],
    output: Path,
    *,
    package: str | None = None,
    templates: Path | None = None,
    allow_invalid: bool = False,
    companion: Path | None = None,
    ref_map: RefMap | None = None,
    cache: bool = True,
) -> ProjectPlan:
    """Plan ``spec`` for each of ``targets``: into ``output``, or ``output/<target>`` for several.

    ``companion`` is the second spec of a pair (``service``, ``service-client``): one
    OpenAPI and one AsyncAPI document, in either order. Without ``cache``, Python
    that ruff formatted before is formatted again (there are no stored plans here).
    """
    from generator.render.targets import TARGETS

    for path in (spec, companion):
        if path is not None and not path.is_file():
            raise UsageError(f"{path}: no such file")
    for target in targets:
        info = TARGETS.get(target)
        pair = info is not None and info.family == "pair"
        if pair and companion is None:
            raise UsageError(
                f"target {target} needs two specs, one OpenAPI and one AsyncAPI document: "
                f"twinspec generate api.yaml events.yaml -t {target} -o DIR"
            )
        if not pair and companion is not None:
            raise UsageError(
                f"two specs were given but target {target} takes one "
                "(only service and service-client take an OpenAPI + AsyncAPI pair)"
            )
    units = [
        Unit(
            spec=spec,
            spec_label=spec_label(spec),
            target=target,
            out_dir=output if len(targets) == 1 else output / target,
            package=package,
            templates=templates,
            allow_invalid=allow_invalid,
            companion=companion,
            companion_label=spec_label(companion) if companion is not None else "",
            ref_map=ref_map or RefMap(),
        )
        for target in dict.fromkeys(targets)
    ]
    return plan_units(units, formatted=cache)


@dataclass(frozen=True, slots=True)
class Checked:
    """``check``'s findings: every Diagnostic (drift included), the folders, the inputs read."""

    config: Path
    diagnostics: tuple[Diagnostic, ...]
    folders: tuple[PlannedFolder, ...]
    inputs: tuple[tuple[str, str], ...]
    notes: tuple[str, ...] = ()
    """Why cache entries were ignored (printed to stderr, never part of the verdict)."""

    @property
    def failed(self) -> bool:
        """True when the config or a spec has errors, or some generated file is out of date."""
        return has_errors(self.diagnostics)


def check_config(
    config_file: Path | None, *, cache: bool = True, ref_map: RefMap | None = None
) -> Checked:
    """Validate the config's specs and compare its jobs' plans with the disk; writes nothing.

    ``ref_map`` (``--ref-map``) adds to every job's; a run with one does not use the cache.
    """
    from generator.config import load_config
    from generator.drive.drift import drift_diagnostics

    found = config_path(config_file)
    config, problems = load_config(found)
    cache = cache and not ref_map
    diagnostics = list(problems)
    inputs: tuple[tuple[str, str], ...] = ((FILE, str(found)),)
    folders: tuple[PlannedFolder, ...] = ()
    notes: tuple[str, ...] = ()
    if config is not None:
        project = plan_project(with_ref_map(config, ref_map), cache=cache)
        folders, notes = project.folders, project.notes
        diagnostics += [*project.diagnostics, *drift_diagnostics(folders)]
        inputs = project.inputs
    return Checked(found, tuple(sort_unique(diagnostics)), folders, inputs, notes)
