"""The project configuration: ``twinspec.yaml`` or ``[tool.twinspec]`` in ``pyproject.toml``.

A config is a list of jobs; each renders one spec into one or more targets,
target ``T`` going to ``<output>/T/``::

    jobs:
      - spec: specs/petstore.yaml
        targets: [rest-server, rest-client]
        output: generated/petstore
        package: petstore            # optional: import name of the generated package
        options: {rest-server: {}}   # optional: per-target options
        templates: overrides         # optional: override folder (or overrides/<target>/)
        allow_invalid: false         # optional: generate despite spec errors
        ref_map: {}                  # optional: this job's own URL prefix -> local folder
    ref_map:                         # optional: network $refs resolved from local copies
      "https://example.com/schemas/": schemas/

It is validated like a spec: every problem is a located Diagnostic. Paths are
relative to the config's folder (the *root*); outputs must stay inside it.
"""

from __future__ import annotations

import difflib
import keyword
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from generator.config.checker import Checker, did_you_mean
from generator.config.files import TomlProblem, display, find_config, pyproject_section
from generator.diagnostics import Diagnostic, Severity, sort_unique
from generator.errors import ConfigError
from generator.load import LoadFailure, RefMap, Source, read_source
from generator.render.targets import TARGETS

__all__ = ["Config", "Job", "find_config", "load_config"]

_JOB_KEYS = (
    "spec",
    "targets",
    "output",
    "package",
    "options",
    "templates",
    "allow_invalid",
    "ref_map",
)
_TOP_KEYS = ("jobs", "ref_map")
_PACKAGE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


@dataclass(frozen=True, slots=True, kw_only=True)
class Job:
    """One spec rendered into some targets. Paths are absolute; labels are root-relative POSIX."""

    index: int
    spec: Path
    spec_label: str
    targets: tuple[str, ...]
    output: Path
    package: str | None = None
    options: Mapping[str, Mapping[str, object]] = field(default_factory=dict)
    templates: Path | None = None
    allow_invalid: bool = False
    companion: Path | None = None  # ``spec: [a, b]``: the pair's second spec (service targets)
    companion_label: str = ""
    ref_map: RefMap = field(default_factory=RefMap)
    """The config's and the job's own ``ref_map``: network ``$ref`` prefixes read from local folders."""

    @property
    def pointer(self) -> str:
        """JSON pointer of this job in the config."""
        return f"/jobs/{self.index}"

    def out_dir(self, target: str) -> Path:
        """Where ``target`` is written."""
        return self.output / target

    def templates_for(self, target: str) -> Path | None:
        """The override folder for ``target``: ``<templates>/<target>/`` if present, else ``<templates>``."""
        if self.templates is None:
            return None
        specific = self.templates / target
        return specific if specific.is_dir() else self.templates


@dataclass(frozen=True, slots=True)
class Config:
    """A loaded config: its file, its root folder and its jobs."""

    path: Path
    root: Path
    jobs: tuple[Job, ...]
    source: Source | None = None
    header_line: int = 0

    def diagnostic(
        self, pointer: str, code: str, message: str, severity: Severity = Severity.ERROR
    ) -> Diagnostic:
        """A Diagnostic located at ``pointer`` in the config file."""
        if self.source is not None:
            line, col = self.source.locate(pointer)
            return Diagnostic(self.source.display, line, col, pointer, severity, code, message)
        return Diagnostic(
            display(self.path),
            self.header_line,
            1 if self.header_line else 0,
            pointer,
            severity,
            code,
            message,
        )


def _read_job(check: Checker, index: int, raw: object, shared: RefMap | None = None) -> Job | None:
    at: list[str | int] = ["jobs", index]
    if not isinstance(raw, dict):
        check.error(at, "config-type", "a job must be a mapping with spec, targets and output")
        return None
    meant: set[str] = set()  # keys a misspelt one was probably meant as: not reported missing
    for key in sorted(set(raw) - set(_JOB_KEYS)):
        close = difflib.get_close_matches(key, _JOB_KEYS, n=1, cutoff=0.6)
        meant.update(close)
        hint = f"did you mean {close[0]!r}? " if close else ""
        check.error(
            [*at, key],
            "config-unknown-key",
            f"unknown job key {key!r} ({hint}known: {', '.join(_JOB_KEYS)})",
        )
    ok = True
    for key in ("spec", "targets", "output"):
        if key not in raw:
            if key not in meant:
                check.error(at, "config-missing", f"a job needs '{key}'")
            ok = False
    pair = raw.get("spec")
    companion: Path | None = None
    companion_text: str | None = None
    if isinstance(pair, list):  # an OpenAPI + AsyncAPI pair, for the service targets
        if len(pair) != 2 or not all(isinstance(x, str) and x.strip() for x in pair):
            check.error(
                [*at, "spec"], "config-type", "'spec' must be a path or a list of two paths"
            )
            raw = {**raw, "spec": None}
        else:
            raw = {**raw, "spec": pair[0]}
            companion_text = pair[1]
            companion = check.inside_root(companion_text, [*at, "spec", 1], "spec")
            if companion is not None and not companion.is_file():
                check.error(
                    [*at, "spec", 1], "spec-not-found", f"spec file {companion_text} does not exist"
                )
    spec_text = check.text(raw, "spec", at)
    spec = check.inside_root(spec_text, [*at, "spec"], "spec") if spec_text else None
    if spec is not None and not spec.is_file():
        check.error([*at, "spec"], "spec-not-found", f"spec file {spec_text} does not exist")
    output_text = check.text(raw, "output", at)
    output = check.inside_root(output_text, [*at, "output"], "output") if output_text else None
    targets = _read_targets(check, raw.get("targets"), [*at, "targets"])
    package = check.text(raw, "package", at)
    if package is not None and (not _PACKAGE.match(package) or keyword.iskeyword(package)):
        check.error(
            [*at, "package"], "config-package", f"package {package!r} is not a Python identifier"
        )
        package = None
    templates: Path | None = None
    templates_text = check.text(raw, "templates", at)
    if templates_text is not None:
        templates = check.inside_root(templates_text, [*at, "templates"], "templates")
        if templates is not None and not templates.is_dir():
            check.error(
                [*at, "templates"],
                "templates-not-found",
                f"template folder {templates_text} does not exist",
            )
            templates = None
    allow_invalid = raw.get("allow_invalid", False)
    if not isinstance(allow_invalid, bool):
        check.error([*at, "allow_invalid"], "config-type", "'allow_invalid' must be true or false")
        allow_invalid = False
    options = _read_options(check, raw.get("options"), targets or (), [*at, "options"])
    ref_map = (shared or RefMap()).merged(check.ref_map(raw.get("ref_map"), [*at, "ref_map"]))
    if output is not None and output_text is not None:  # <output>/<target> may be a link too
        for target in targets or ():
            shown = f"{output_text.rstrip('/')}/{target}"
            if not check.real_inside(output / target, [*at, "output"], "output", shown):
                output = None
                break
    if not ok or spec is None or output is None or not targets:
        return None
    label = spec.relative_to(check.config.root).as_posix()
    if isinstance(pair, list) and companion is None:
        return None
    return Job(
        index=index,
        spec=spec,
        spec_label=label,
        targets=targets,
        output=output,
        package=package,
        options=options,
        templates=templates,
        allow_invalid=allow_invalid,
        companion=companion,
        companion_label=companion.relative_to(check.config.root).as_posix() if companion else "",
        ref_map=ref_map,
    )


def _read_targets(check: Checker, raw: object, at: list[str | int]) -> tuple[str, ...] | None:
    if raw is None:
        return None
    if not isinstance(raw, list) or not raw:
        check.error(at, "config-type", "'targets' must be a non-empty list of target names")
        return None
    names: list[str] = []
    for i, name in enumerate(raw):
        if not isinstance(name, str) or name not in TARGETS:
            check.error(
                [*at, i],
                "unknown-target",
                f"unknown target {name!r} ({did_you_mean(str(name), sorted(TARGETS))}"
                f"choose from {', '.join(sorted(TARGETS))})",
            )
        elif name in names:
            check.error([*at, i], "config-duplicate", f"target {name!r} is listed twice")
        else:
            names.append(name)
    return tuple(names) if len(names) == len(raw) else None


def _read_options(
    check: Checker, raw: object, targets: tuple[str, ...], at: list[str | int]
) -> dict[str, dict[str, object]]:
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        check.error(at, "config-type", "'options' must map target names to option mappings")
        return {}
    result: dict[str, dict[str, object]] = {}
    for target, values in sorted(raw.items()):
        if target not in targets:
            check.error(
                [*at, target],
                "config-options",
                f"options for {target!r}, which this job does not generate",
            )
            continue
        if not isinstance(values, dict):
            check.error([*at, target], "config-type", f"options of {target} must be a mapping")
            continue
        known = {o.name for o in TARGETS[target].options}
        for name in sorted(set(values) - known):
            choices = ", ".join(sorted(known)) or "none"
            check.error(
                [*at, target, name],
                "unknown-option",
                f"{target} has no option {name!r} (options: {choices})",
            )
        result[target] = {k: v for k, v in values.items() if k in known}
    return result


def _read_jobs(check: Checker, data: object) -> tuple[Job, ...]:
    if not isinstance(data, dict):
        check.error([], "config-type", "the config must be a mapping with a 'jobs' list")
        return ()
    for key in sorted(set(data) - set(_TOP_KEYS)):
        check.error(
            [key],
            "config-unknown-key",
            f"unknown key {key!r} ({did_you_mean(key, _TOP_KEYS)}known: {', '.join(_TOP_KEYS)})",
        )
    shared = check.ref_map(data.get("ref_map"), ["ref_map"])
    raw_jobs = data.get("jobs")
    if not isinstance(raw_jobs, list) or not raw_jobs:
        check.error(
            ["jobs"] if "jobs" in data else [], "config-missing", "'jobs' must be a non-empty list"
        )
        return ()
    jobs = [
        job
        for i, raw in enumerate(raw_jobs)
        if (job := _read_job(check, i, raw, shared)) is not None
    ]
    owners: dict[Path, Job] = {}
    for job in jobs:
        for target in job.targets:
            first = owners.setdefault(job.out_dir(target), job)
            if first is not job:
                check.error(
                    ["jobs", job.index, "output"],
                    "config-duplicate-output",
                    f"jobs {first.index} and {job.index} both write {target} into the same folder",
                )
    for folder, job in owners.items():
        outer = next((o for o in owners if o in folder.parents), None)
        if outer is not None:
            check.error(
                ["jobs", job.index, "output"],
                "config-nested-output",
                f"{folder.relative_to(check.config.root).as_posix()} is inside "
                f"{outer.relative_to(check.config.root).as_posix()}, another job's output",
            )
    return tuple(jobs)


def load_config(path: Path) -> tuple[Config | None, list[Diagnostic]]:
    """Read and validate a config, with every problem as a Diagnostic.

    ``None`` when the file cannot be parsed. Jobs with errors are left out,
    except a job whose spec file does not exist: it stays (callers skip it) so
    that the missing spec is reported, not silently dropped. Raises
    ``ConfigError`` when a pyproject.toml has no ``[tool.twinspec]``.
    """
    path = path.absolute()
    root = path.parent
    if path.name == "pyproject.toml":
        try:
            data = pyproject_section(path)
        except TomlProblem as problem:
            where = Diagnostic(
                display(path),
                problem.line,
                problem.column,
                "",
                Severity.ERROR,
                problem.code,
                problem.message,
            )
            return None, [where]
        if data is None:
            raise ConfigError(f"{display(path)} has no [tool.twinspec] table")
        text = path.read_text(encoding="utf-8")
        header = next(
            (i + 1 for i, line in enumerate(text.splitlines()) if "tool.twinspec" in line), 0
        )
        config = Config(path=path, root=root, jobs=(), header_line=header)
        warnings: list[Diagnostic] = []
    else:
        try:
            source, warnings = read_source(path)
        except LoadFailure as failure:
            return None, [failure.diagnostic]
        data = source.data
        config = Config(path=path, root=root, jobs=(), source=source)
    check = Checker(config)
    jobs = _read_jobs(check, data)
    loaded = Config(config.path, root, jobs, config.source, config.header_line)
    return loaded, sort_unique([*check.problems, *warnings])
