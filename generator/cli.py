"""The ``twinspec`` command line: parse options, call the stages, print, exit.

Only this module prints or exits. Heavy imports happen inside commands so the
start-up cost of a pre-commit run stays close to bare Python.
"""

from __future__ import annotations

import enum
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from generator import __version__

if TYPE_CHECKING:
    from generator.config import Config, Job

__all__ = ["Exit", "main"]


class Exit(enum.IntEnum):
    """Exit codes users and CI rely on."""

    OK = 0
    INVALID_OR_DRIFT = 1
    USAGE = 2


FORMAT = click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json", "github"]),
    default="text",
    show_default=True,
    help="Diagnostics as file:line:col text, JSON, or GitHub Actions annotations.",
)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="twinspec")
def cli() -> None:
    """Design-first OpenAPI and AsyncAPI: validate, generate, keep in sync."""


@cli.command("validate")
@click.argument("specs", nargs=-1, required=True, type=click.Path(path_type=Path))
@FORMAT
@click.option("--strict", is_flag=True, help="Warnings fail the run too.")
@click.option(
    "--allow-remote-refs",
    is_flag=True,
    help="Allow $refs that leave the spec's folder (never fetched from the network).",
)
@click.option("-q", "--quiet", is_flag=True, help="Print only problems, no OK lines.")
def validate_cmd(
    specs: tuple[Path, ...], fmt: str, strict: bool, allow_remote_refs: bool, quiet: bool
) -> None:
    """Validate OpenAPI 2.0/3.x and AsyncAPI 2.x/3.x documents (auto-detected).

    Prints every problem as FILE:LINE:COL, then one OK line per valid file.
    Exit 0 valid (warnings allowed unless --strict), 1 invalid, 2 usage error
    (a missing file, an unsupported version, a file that is no API document).
    """
    from generator.diagnostics import Diagnostic, Severity, format_diagnostics, has_errors
    from generator.load import detect_kind
    from generator.pipeline import load_and_validate

    usage_problems: list[str] = []
    failed = False
    collected: list[Diagnostic] = []
    for spec in specs:
        if not spec.exists():
            usage_problems.append(f"{spec}: no such file")
            continue
        if not spec.is_file():
            usage_problems.append(f"{spec}: not a file")
            continue
        try:
            doc, diagnostics = load_and_validate(
                spec, allow_remote_refs=allow_remote_refs, display=str(spec)
            )
        except Exception as exc:  # a bug of ours must still not print a traceback
            reason = f"{type(exc).__name__}: {exc}".splitlines()[0][:300]
            message = f"twinspec failed on this file ({reason}); please report it"
            crash = Diagnostic(str(spec), 0, 0, "", Severity.ERROR, "internal-error", message)
            doc, diagnostics = None, [crash]
        if doc is not None and doc.kind is None and not has_errors(diagnostics):
            usage_problems.append(f"{spec}: {detect_kind(doc.data)}")
            continue
        collected.extend(diagnostics)
        bad = has_errors(diagnostics, strict=strict)
        failed = failed or bad
        if fmt == "text":
            if diagnostics:
                click.echo(format_diagnostics(diagnostics, "text"))
            if not bad and not quiet:
                kind = f" ({doc.kind})" if doc is not None and doc.kind is not None else ""
                click.echo(f"{spec}: OK{kind}")
        elif fmt == "github" and diagnostics:
            click.echo(format_diagnostics(diagnostics, "github"))
    if fmt == "json":
        click.echo(format_diagnostics(collected, "json"))
    for problem in usage_problems:
        click.echo(f"twinspec: {problem}", err=True)
    if usage_problems:
        sys.exit(Exit.USAGE)
    sys.exit(Exit.INVALID_OR_DRIFT if failed else Exit.OK)


def main() -> None:
    """Console-script entry point."""
    from generator.errors import TwinspecError

    try:
        cli.main(standalone_mode=True)
    except TwinspecError as exc:
        click.echo(f"twinspec: {exc}", err=True)
        sys.exit(exc.exit_code)


# --- design-first workflow: generate, check, init, targets -------------------------------


class _Failure(click.ClickException):
    """A TwinspecError or OSError shown as ``twinspec: ...`` (like validate's); exit 1."""

    def show(self, file: object = None) -> None:
        """One line on stderr, no usage banner."""
        click.echo(f"twinspec: {self.format_message()}", err=True)


class _UsageFailure(_Failure):
    """A usage problem shown as ``twinspec: ...``; exit 2."""

    exit_code = Exit.USAGE


def _convert(exc: BaseException) -> click.ClickException:
    exit_code = getattr(exc, "exit_code", 1)
    cls = _UsageFailure if exit_code == Exit.USAGE else _Failure
    return cls(str(exc))


def _spec_label(spec: Path) -> str:
    """The spec as typed when it is a plain relative path, else its file name."""
    posix = spec.as_posix()
    if spec.is_absolute() or ".." in spec.parts:
        return spec.name
    return posix.removeprefix("./")


def _find_config(config_file: Path | None) -> Path:
    from generator.config import find_config

    if config_file is not None:
        if not config_file.is_file():
            raise _UsageFailure(f"{config_file}: no such config file")
        return Path(os.path.abspath(config_file))
    found = find_config(Path.cwd())
    if found is None:
        raise _UsageFailure(
            "no twinspec.yaml or [tool.twinspec] in this folder or its parents; "
            "`twinspec init` writes a starter"
        )
    return found


def _select_jobs(config: Config, wanted: tuple[str, ...]) -> list[Job]:
    """The jobs whose spec is one of ``wanted`` (as in the config, or a path from here)."""
    chosen: list[Job] = []
    for value in wanted:
        path = Path(value).absolute()
        match = [j for j in config.jobs if value in (j.spec_label, str(j.spec)) or j.spec == path]
        if not match:
            labels = ", ".join(j.spec_label for j in config.jobs)
            raise _UsageFailure(f"--job {value}: no job has that spec (jobs: {labels})")
        chosen += [j for j in match if j not in chosen]
    return chosen


CONFIG = click.option(
    "--config",
    "config_file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Config file (default: twinspec.yaml or pyproject.toml found upward from here).",
)


@cli.command("generate")
@click.argument("spec", required=False, type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "-t",
    "--target",
    "targets",
    multiple=True,
    help="Target to render (repeatable; with several, each goes to DIR/<target>).",
)
@click.option("-o", "--output", type=click.Path(file_okay=False, path_type=Path), help="DIR.")
@click.option("--package", help="Import name of the generated package.")
@click.option(
    "--templates",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    help="Override folder: a file here replaces the pack's file at the same relative path.",
)
@click.option("--allow-invalid", is_flag=True, help="Generate even when the spec has errors.")
@click.option("--force", is_flag=True, help="Overwrite or remove generated files edited by hand.")
@click.option("--dry-run", is_flag=True, help="Print what would change; write nothing.")
@click.option("-q", "--quiet", is_flag=True, help="List only files that change.")
@click.option("--no-cache", is_flag=True, help="Render every job again; ignore stored plans.")
@click.option(
    "-j",
    "--job",
    "only",
    multiple=True,
    help="Only the config's job for this spec path (repeatable); default: every job.",
)
@CONFIG
@FORMAT
def generate_cmd(
    spec: Path | None,
    targets: tuple[str, ...],
    output: Path | None,
    package: str | None,
    templates: Path | None,
    allow_invalid: bool,
    force: bool,
    dry_run: bool,
    quiet: bool,
    no_cache: bool,
    only: tuple[str, ...],
    config_file: Path | None,
    fmt: str,
) -> None:
    """Render SPEC into -t TARGET -o DIR, or, with no SPEC, every job of the config.

    Generated files are rewritten, user-owned files are written once and then
    left alone, files the spec no longer produces are removed. Everything is
    written at once or not at all; a generated file edited by hand stops the
    run unless --force.
    """
    from generator.diagnostics import format_diagnostics
    from generator.errors import TwinspecError
    from generator.load import display_path
    from generator.write.atomic import apply_all
    from generator.write.changes import Action
    from generator.write.paths import MANIFEST_NAME
    from generator.write.project import ProjectPlan, Unit, plan_project, plan_units

    try:
        if spec is None:
            if targets or output or package or templates or allow_invalid:
                raise _UsageFailure("-t/-o/--package/--templates/--allow-invalid need a SPEC")
            from generator.config import load_config

            config, problems = load_config(_find_config(config_file))
            if config is None:
                project = ProjectPlan((), (), ())
            else:
                jobs = _select_jobs(config, only) if only else None
                if jobs is not None:  # problems of the other jobs are not this run's
                    kept = {f"/jobs/{job.index}" for job in jobs}
                    problems = [
                        p
                        for p in problems
                        if not p.pointer.startswith("/jobs/")
                        or "/".join(p.pointer.split("/")[:3]) in kept
                    ]
                project = plan_project(config, cache=not no_cache, jobs=jobs)
            diagnostics = [*problems, *project.diagnostics]
        else:
            if not targets or output is None:
                raise _UsageFailure("generate SPEC needs -t TARGET and -o DIR")
            if not spec.is_file():
                raise _UsageFailure(f"{spec}: no such file")
            units = [
                Unit(
                    spec=spec,
                    spec_label=_spec_label(spec),
                    target=target,
                    out_dir=output if len(targets) == 1 else output / target,
                    package=package,
                    templates=templates,
                    allow_invalid=allow_invalid,
                )
                for target in dict.fromkeys(targets)
            ]
            project = plan_units(units)
            diagnostics = list(project.diagnostics)
        if diagnostics:
            click.echo(format_diagnostics(diagnostics, fmt))
        if any(d.severity.value == "error" for d in diagnostics):
            raise _Failure("nothing written: fix the errors above")
        conflicts: list[str] = []
        for folder in project.folders:
            for change in folder.changes.changes:
                shown = display_path(folder.unit.out_dir / change.path)
                if change.action is Action.CONFLICT:
                    conflicts.append(f"{shown} ({change.reason})")
                if not quiet or change.writes:
                    click.echo(f"{change.action.value:>9}  {shown}")
            if folder.changes.manifest_stale:
                verb = "create" if folder.changes.old_manifest_text is None else "update"
                click.echo(f"{verb:>9}  {display_path(folder.unit.out_dir / MANIFEST_NAME)}")
        if conflicts and not force:
            raise _Failure(
                "refusing to overwrite generated files changed since twinspec wrote them:\n  "
                + "\n  ".join(conflicts)
                + "\nmove your changes into the user-owned files, or re-run with --force to "
                "discard them; nothing was written"
            )
        if not dry_run:
            apply_all([f.changes for f in project.folders], force=force)
    except TwinspecError as exc:
        raise _convert(exc) from None
    except OSError as exc:
        raise _Failure(f"cannot write output, nothing changed: {exc}") from None


@cli.command("check")
@click.option(
    "--diff", is_flag=True, help="Show a unified diff of every out-of-date file (text, github)."
)
@FORMAT
@CONFIG
@click.option("--no-cache", is_flag=True, help="Neither use nor store the result cache.")
def check_cmd(diff: bool, fmt: str, config_file: Path | None, no_cache: bool) -> None:
    """Validate every spec of the config and fail if the generated code is out of date.

    Builds each job's output in memory and compares it with the disk, writing
    nothing: exit 1 lists stale, missing and orphaned generated files (user-owned
    files are never compared), exit 0 when all is in step. A result cache in
    .twinspec-cache/ makes an unchanged run almost free.
    """
    from generator.config import load_config
    from generator.diagnostics import format_diagnostics, has_errors, sort_unique
    from generator.errors import TwinspecError
    from generator.write.cache import FILE, CheckArgs, store
    from generator.write.drift import FIX_COMMAND, drift_diagnostics, drift_diffs
    from generator.write.project import PlannedFolder, plan_project

    try:
        config_path = _find_config(config_file)
        config, problems = load_config(config_path)
    except TwinspecError as exc:
        raise _convert(exc) from None
    diagnostics = list(problems)
    inputs: tuple[tuple[str, str], ...] = ((FILE, str(config_path)),)
    folders: tuple[PlannedFolder, ...] = ()
    if config is not None:
        project = plan_project(config, cache=not no_cache)
        folders = project.folders
        diagnostics += [*project.diagnostics, *drift_diagnostics(folders)]
        inputs = project.inputs
    diagnostics = sort_unique(diagnostics)
    failed = has_errors(diagnostics)
    lines: list[str] = []
    if diagnostics:
        lines.append(format_diagnostics(diagnostics, fmt))
    if fmt == "text":
        drift = sum(
            1 for d in diagnostics if d.code in _DRIFT_CODES and d.severity.value == "error"
        )
        if drift:
            lines.append(
                f"twinspec check: {drift} generated file(s) out of date; run `{FIX_COMMAND}`"
                + ("" if diff else " (--diff shows how)")
            )
        elif failed:
            lines.append("twinspec check: the config or a spec has errors")
        else:
            files = sum(len(folder.changes.changes) for folder in folders)
            lines.append(f"twinspec check: {files} file(s) in {len(folders)} folder(s) in step")
    if diff and fmt != "json":  # JSON output stays one parseable document
        patch = drift_diffs(folders)
        if patch:
            lines.append(patch.rstrip("\n"))
    stdout = "\n".join(lines) + "\n" if lines else ""
    code = Exit.INVALID_OR_DRIFT if failed else Exit.OK
    click.echo(stdout, nl=False)
    if not no_cache:
        args = CheckArgs(fmt, diff, str(config_file) if config_file else None)
        store(str(config_path), os.getcwd(), args, inputs, (stdout, "", int(code)))
    sys.exit(code)


_DRIFT_CODES = frozenset({"stale", "missing", "orphaned", "stale-manifest"})

_STARTER = """\
# twinspec.yaml: which specs twinspec renders, into what, and where.
#   twinspec generate   writes every job below
#   twinspec check      fails when a spec is invalid or the committed output is stale
# Paths are relative to this file. Each target T of a job is written to <output>/T/.
jobs:
  - spec: specs/example.yaml              # OpenAPI 2.0/3.x or AsyncAPI 2.x/3.x, YAML or JSON
    targets: [rest-server, rest-client]   # `twinspec targets` lists every target
    output: generated/example
    # package: example                    # import name of the generated package
    # options:                            # per-target options, see `twinspec targets`
    #   rest-server: {}
    # templates: twinspec-templates       # overrides: a file at the same relative path as in
    #                                     # the pack replaces it (<folder>/<target>/ per target)
    # allow_invalid: false                # generate even when the spec has errors
"""

_EXAMPLE_SPEC = """\
openapi: 3.1.0
info:
  title: Example
  version: 1.0.0
paths:
  /items/{item_id}:
    get:
      operationId: getItem
      parameters:
        - name: item_id
          in: path
          required: true
          schema: {type: integer}
      responses:
        "200":
          description: The item.
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Item"}
components:
  schemas:
    Item:
      type: object
      required: [id, name]
      properties:
        id: {type: integer, example: 1}
        name: {type: string, example: hammer}
"""


@cli.command("init")
@click.option("--example", is_flag=True, help="Also write specs/example.yaml for the starter job.")
@click.option("--force", is_flag=True, help="Overwrite an existing twinspec.yaml.")
def init_cmd(example: bool, force: bool) -> None:
    """Write a commented starter twinspec.yaml in the current folder."""
    from generator.config import find_config

    target = Path("twinspec.yaml")
    if target.exists() and not force:
        raise _UsageFailure("twinspec.yaml already exists (--force overwrites it)")
    existing = find_config(Path.cwd())
    if existing is not None and existing.name == "pyproject.toml" and not force:
        raise _UsageFailure(
            f"{existing} already configures twinspec ([tool.twinspec]); a twinspec.yaml here "
            "would silently take its place (--force writes it anyway)"
        )
    writes = [(target, _STARTER)]
    if example:
        spec = Path("specs", "example.yaml")
        if spec.exists():
            raise _UsageFailure(f"{spec.as_posix()} already exists; not overwritten")
        writes.append((spec, _EXAMPLE_SPEC))
    for path, text in writes:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8", newline="\n")
        click.echo(f"{'create':>9}  {path.as_posix()}")
    click.echo("next: edit the jobs, then run `twinspec generate`")


@cli.command("targets")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text")
def targets_cmd(fmt: str) -> None:
    """List the template packs: what each reads and makes, its options and template files."""
    import json

    from generator.render.packs import templates_root
    from generator.render.targets import TARGETS

    root = templates_root()

    def files(pack: str) -> list[str]:
        folder = root / pack
        if not folder.is_dir():
            return []
        return sorted(
            p.relative_to(folder).as_posix()
            for p in folder.rglob("*")
            if p.is_file() and "__pycache__" not in p.parts
        )

    infos = sorted(TARGETS.values(), key=lambda t: t.name)
    if fmt == "json":
        listing = [
            {
                "name": info.name,
                "family": info.family,
                "summary": info.summary,
                "options": [
                    {"name": o.name, "default": o.default, "help": o.help} for o in info.options
                ],
                "templates": files(info.name),
            }
            for info in infos
        ]
        click.echo(json.dumps({"targets": listing, "common": files("_common")}, indent=2))
        return
    for info in infos:
        click.echo(f"{info.name}  ({info.family})  {info.summary}")
        for o in info.options:
            click.echo(f"    option {o.name} (default {o.default!r}): {o.help}")
        click.echo(f"    templates/{info.name}/: {', '.join(files(info.name)) or '(none yet)'}")
    click.echo(f"shared macros, templates/_common/: {', '.join(files('_common'))}")
    click.echo("a job's templates folder overrides any of these by the same relative path")


from generator.cli_diff import command as _diff_command  # noqa: E402 (one wiring line)

cli.add_command(_diff_command)
