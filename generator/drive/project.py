"""Plan a whole project in memory: every job's targets, compared with the disk.

``generate`` applies the result, ``check`` reports it; both start here, so
they can never disagree. No output is written (only the plan cache, on
request). The result also lists every input the answer depended on, for
``check``'s cache.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import generator
from generator.diagnostics import Diagnostic, Severity, as_warnings, has_errors, sort_unique
from generator.drive.plancache import PlanCache, Rendered, formatting_cache
from generator.drive.specs import SpecRuns
from generator.drive.target import plan_document
from generator.errors import OutputPathError, PackError, UsageError
from generator.load import Document, RefMap, display_path
from generator.render.json_text import written_ahead
from generator.render.packs import templates_root
from generator.render.targets import get_target
from generator.write.cache import CODE, FILE, STAT, TREE
from generator.write.changes import FolderChanges, plan_changes
from generator.write.paths import MANIFEST_NAME

if TYPE_CHECKING:  # a run of one spec needs no config: ``generate SPEC`` never imports it
    from generator.config import Config, Job

__all__ = ["PlannedFolder", "ProjectPlan", "Unit", "plan_project", "plan_unit", "plan_units"]


@dataclass(frozen=True, slots=True, kw_only=True)
class Unit:
    """One spec rendered by one target into one folder: a job's target, or a CLI run."""

    spec: Path
    spec_label: str
    target: str
    out_dir: Path
    package: str | None = None
    options: Mapping[str, object] | None = None
    templates: Path | None = None
    allow_invalid: bool = False
    job: Job | None = None
    companion: Path | None = None  # the second spec of a pair target (service)
    companion_label: str = ""
    ref_map: RefMap = field(default_factory=RefMap)  # network $ref prefixes read from local folders


@dataclass(frozen=True, slots=True)
class PlannedFolder:
    """A unit and what writing its plan would change."""

    unit: Unit
    changes: FolderChanges


@dataclass(frozen=True, slots=True)
class ProjectPlan:
    """Every folder's changes, every Diagnostic, and the ``(kind, path)`` inputs they depended on."""

    folders: tuple[PlannedFolder, ...]
    diagnostics: tuple[Diagnostic, ...]
    inputs: tuple[tuple[str, str], ...]
    notes: tuple[str, ...] = ()
    """Why cache entries were ignored (not a verdict: the CLI prints them to stderr)."""

    @property
    def failed(self) -> bool:
        """True when some spec, config or plan has errors."""
        return has_errors(self.diagnostics)


def units_of(config: Config) -> list[Unit]:
    """The units of every job whose spec exists, in config order."""
    return [
        Unit(
            spec=job.spec,
            spec_label=job.spec_label,
            target=target,
            out_dir=job.out_dir(target),
            package=job.package,
            options=job.options.get(target),
            templates=job.templates_for(target),
            allow_invalid=job.allow_invalid,
            job=job,
            companion=job.companion,
            companion_label=job.companion_label,
            ref_map=job.ref_map,
        )
        for job in config.jobs
        if job.spec.is_file()
        for target in job.targets
    ]


def _located(config: Config | None, unit: Unit, code: str, message: str) -> Diagnostic:
    if config is not None and unit.job is not None:
        index = unit.job.targets.index(unit.target)
        return config.diagnostic(f"{unit.job.pointer}/targets/{index}", code, message)
    return Diagnostic(unit.spec_label, 0, 0, "", Severity.ERROR, code, message)


def _template_file(unit: Unit, name: str) -> str:
    """Where a template named by the loader lives: the override first, then the pack."""
    root = templates_root()
    candidates = [root / unit.target / name, root / name]
    if unit.templates is not None:
        candidates.insert(0, unit.templates / name)
    for candidate in candidates:
        if candidate.is_file():
            return display_path(candidate)
    return name


def _render(
    unit: Unit, config: Config | None, doc: Document, companion: Document | None = None
) -> Rendered:
    """Plan one unit from its loaded spec: Diagnostics for every problem a user can cause."""
    try:
        plan, diagnostics = plan_document(
            doc,
            unit.target,
            spec=unit.spec,
            spec_label=unit.spec_label,
            package=unit.package,
            options=unit.options,
            templates=unit.templates,
            companion=companion,
            companion_label=unit.companion_label,
        )
    except UsageError as exc:
        return Rendered(None, (_located(config, unit, "target-mismatch", str(exc)),))
    except OutputPathError as exc:  # the target itself refused a path the spec produced
        return Rendered(None, (_located(config, unit, "unsafe-output-path", str(exc)),))
    except ImportError as exc:  # a registered target whose pack is not installed
        message = f"target {unit.target} is not available in this installation ({exc})"
        return Rendered(None, (_located(config, unit, "target-unavailable", message),))
    except PackError as exc:
        where = _template_file(unit, exc.template) if exc.template else unit.target
        message = str(exc).removeprefix(f"{exc.template}:{exc.line}: ")
        column = 1 if exc.line else 0
        found = Diagnostic(where, exc.line, column, "", Severity.ERROR, "template", message)
        return Rendered(None, (found,))
    return Rendered(plan, tuple(diagnostics))


def _plan_unit(unit: Unit, config: Config | None, specs: SpecRuns) -> tuple[Rendered, list[str]]:
    """Validate and plan one unit; with its spec's validation beside, plan in the meantime."""

    def mislabelled(reason: str) -> Diagnostic:
        return _located(config, unit, "not-an-api-document", reason)

    if unit.companion is not None:
        return _plan_pair(unit, config)
    early: Callable[[], Rendered] | None = None
    info = get_target(unit.target)
    try:
        if specs.begin(
            unit.spec,
            allow_invalid=unit.allow_invalid,
            mislabelled=mislabelled,
            ref_map=unit.ref_map,
            write_spec=info is not None and info.writes_spec,
            # the translator only: Jinja and the render modules imported before the
            # document raised stripe's peak by ~1 MiB, the translator by none
            warm=None if info is None else info.load_translator,
        ):
            doc = specs.document(unit.spec)
            assert doc is not None  # validation runs beside only for a loaded API document
            with written_ahead(doc.data, lambda: specs.written_spec(unit.spec)):
                early = _ahead(unit, config, doc)
        found, files = specs.diagnostics(unit.spec)
    except BaseException:
        specs.cancel()
        raise
    doc = specs.document(unit.spec)
    if doc is None:  # nothing to plan from, allow_invalid or not: its errors stay errors
        return Rendered(None, tuple(found)), files
    if unit.allow_invalid:
        found = as_warnings(found)
    elif has_errors(found):
        return Rendered(None, tuple(found)), files  # a plan made ahead is dropped unseen
    more = early() if early is not None else _render(unit, config, doc)
    return Rendered(more.plan, (*found, *more.diagnostics)), files


def _plan_pair(unit: Unit, config: Config | None) -> tuple[Rendered, list[str]]:
    """Validate both specs of a pair unit, then plan it from the two documents."""
    from generator.load import load
    from generator.validate import validate

    assert unit.companion is not None
    docs: list[Document] = []
    found: list[Diagnostic] = []
    files = [str(unit.spec), str(unit.companion)]
    for path in (unit.spec, unit.companion):
        doc, loaded = load(path, ref_map=unit.ref_map)
        found += loaded
        if doc is None or doc.kind is None:
            if doc is not None:
                found.append(
                    _located(config, unit, "not-an-api-document", f"{path} is not an API document")
                )
            return Rendered(None, tuple(sort_unique(found))), files
        found += validate(doc)
        docs.append(doc)
    found = sort_unique(found)
    if unit.allow_invalid:
        found = as_warnings(found)
    elif has_errors(found):
        return Rendered(None, tuple(found)), files
    more = _render(unit, config, docs[0], docs[1])
    return Rendered(more.plan, (*found, *more.diagnostics)), files


def plan_unit(unit: Unit) -> Rendered:
    """One unit's plan and Diagnostics as ``plan_units`` makes them, without the disk or a cache."""
    specs = SpecRuns()
    try:
        with formatting_cache():
            rendered, _ = _plan_unit(unit, None, specs)
    finally:
        specs.cancel()
    return rendered


def _ahead(unit: Unit, config: Config | None, doc: Document) -> Callable[[], Rendered]:
    """Plan ``unit`` before its spec's verdict; what it raises is raised only if the plan is used."""
    try:
        done = _render(unit, config, doc)
    except Exception as exc:  # e.g. a builder bug that an invalid spec trips: moot if refused
        failure = exc

        def again() -> Rendered:
            raise failure

        return again
    return lambda: done


def _code_inputs() -> set[tuple[str, str]]:
    """twinspec's own code and packs, and the ruff binary that formats generated Python."""
    from generator.render.format import ruff_binary

    inputs = {
        (CODE, str(Path(generator.__file__).resolve().parent)),
        (TREE, str(templates_root())),
    }
    with contextlib.suppress(ImportError, OSError):  # no ruff: rendering reports it
        inputs.add((STAT, ruff_binary()))
    return inputs


def plan_units(
    units: list[Unit], config: Config | None = None, *, cache: bool = False, formatted: bool = True
) -> ProjectPlan:
    """Plan every unit and compare it with the disk; never writes.

    With ``cache`` (and a config), unchanged units reuse their stored plan;
    with ``formatted``, Python that ruff formatted before comes from the user's
    format cache (one for the whole run).
    """
    with formatting_cache(config.path if config is not None else None, enabled=formatted):
        return _plan_units(units, config, cache)


def _plan_units(units: list[Unit], config: Config | None, cache: bool) -> ProjectPlan:
    config_path = config.path if config is not None else None
    plans = PlanCache(config_path if cache else None)
    code = _code_inputs()
    diagnostics: list[Diagnostic] = []
    folders: list[PlannedFolder] = []
    inputs = set(code)
    if config is not None:
        inputs.add((FILE, str(config.path)))
        inputs.update((FILE, str(job.spec)) for job in config.jobs)
        inputs.update((FILE, str(job.companion)) for job in config.jobs if job.companion)
    specs = SpecRuns()
    for unit in units:
        deps = set(code)
        if config_path is not None:
            deps.add((FILE, str(config_path)))
        if unit.templates is not None:
            deps.add((TREE, str(unit.templates.resolve())))
        rendered = plans.get(unit)
        if rendered is None:
            rendered, files = _plan_unit(unit, config, specs)
            deps.update((FILE, path) for path in files)
            plans.put(unit, rendered, deps)
        diagnostics.extend(rendered.diagnostics)
        inputs.update(deps, rendered.inputs)
        inputs.add((FILE, str(unit.out_dir / MANIFEST_NAME)))
        if rendered.plan is None:
            continue
        try:
            changes = plan_changes(rendered.plan, unit.out_dir)
        except OutputPathError as exc:
            diagnostics.append(_located(config, unit, "unsafe-output-path", str(exc)))
            continue
        folders.append(PlannedFolder(unit, changes))
        inputs.update((FILE, str(unit.out_dir / c.path)) for c in changes.changes)
    return ProjectPlan(
        tuple(folders),
        tuple(sort_unique(diagnostics)),
        tuple(sorted(inputs)),
        tuple(dict.fromkeys(plans.notes)),
    )


def plan_project(
    config: Config,
    *,
    cache: bool = False,
    jobs: Collection[Job] | None = None,
    formatted: bool = True,
) -> ProjectPlan:
    """Plan every job of ``config``, or only ``jobs`` (reusing unchanged plans with ``cache``)."""
    units = [u for u in units_of(config) if jobs is None or u.job in jobs]
    return plan_units(units, config, cache=cache, formatted=formatted)
