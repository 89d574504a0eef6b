"""``twinspec generate``: render a spec's targets, or every job of the config, and write them at once."""

from __future__ import annotations

import time
from pathlib import Path

import click

from generator.cli.common import (
    CONFIG,
    FORMAT,
    REF_MAP,
    Failure,
    UsageFailure,
    convert,
    ref_map_of,
)

__all__ = ["command"]


@click.command("generate")
@click.argument("specs", nargs=-1, type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "-t",
    "--target",
    "targets",
    multiple=True,
    help="Target to render (repeatable; with several, each goes to DIR/<target>).",
)
@click.option("-o", "--output", type=click.Path(file_okay=False, path_type=Path), help="DIR.")
@click.option(
    "--package",
    help="Import name of the generated package (a client target adds _client unless it ends so).",
)
@click.option(
    "--templates",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    help="Override folder: a file here replaces the pack's file at the same relative path.",
)
@click.option("--allow-invalid", is_flag=True, help="Generate even when the spec has errors.")
@click.option("--force", is_flag=True, help="Overwrite or remove generated files edited by hand.")
@click.option("--dry-run", is_flag=True, help="Print what would change; write nothing.")
@click.option("-q", "--quiet", is_flag=True, help="List only files that change; no summary.")
@click.option("-v", "--verbose", is_flag=True, help="List unchanged and user-owned files too.")
@click.option(
    "--no-cache",
    is_flag=True,
    help="Render every job again; use no stored plans or formatted files.",
)
@click.option(
    "-j",
    "--job",
    "only",
    multiple=True,
    help="Only the config's job for this spec path (repeatable); default: every job.",
)
@REF_MAP
@CONFIG
@FORMAT
def generate_cmd(
    specs: tuple[Path, ...],
    targets: tuple[str, ...],
    output: Path | None,
    package: str | None,
    templates: Path | None,
    allow_invalid: bool,
    force: bool,
    dry_run: bool,
    quiet: bool,
    verbose: bool,
    no_cache: bool,
    only: tuple[str, ...],
    ref_maps: tuple[str, ...],
    config_file: Path | None,
    fmt: str,
) -> None:
    """Render SPEC into -t TARGET -o DIR, or, with no SPEC, every job of the config.

    Without -t, SPEC gets every target of its family (rest-server and
    rest-client for OpenAPI, stream-server and stream-client for AsyncAPI);
    without -o, it is written to generated/<spec name>/.

    Generated files are rewritten, user-owned files are written once and then
    left alone, files the spec no longer produces are removed. Everything is
    written at once or not at all; a generated file edited by hand stops the
    run unless --force.
    """
    from generator.diagnostics import format_diagnostics
    from generator.drive.jobs import plan_config, plan_spec
    from generator.errors import TwinspecError
    from generator.load import display_path
    from generator.write.atomic import apply_all
    from generator.write.changes import Action, summarize
    from generator.write.paths import MANIFEST_NAME

    started = time.perf_counter()
    ref_map = ref_map_of(ref_maps)
    try:
        if len(specs) > 2:
            raise UsageFailure("generate takes one SPEC, or an OpenAPI + AsyncAPI pair for service")
        spec = specs[0] if specs else None
        if spec is None:
            if targets or output or package or templates or allow_invalid:
                raise UsageFailure("-t/-o/--package/--templates/--allow-invalid need a SPEC")
            project, diagnostics = plan_config(
                config_file, only, cache=not no_cache, ref_map=ref_map
            )
            for note in project.notes:
                click.echo(f"twinspec: note: {note}", err=True)
        else:
            _known_targets(targets)
            if not targets:
                pair = ("service", "service-client")
                targets = pair if len(specs) == 2 else _default_targets(spec, fmt)
                click.echo(f"targets: {', '.join(targets)} (for its family; -t picks others)")
            if output is None:
                output = Path("generated", spec.stem)
                click.echo(f"output:  {output.as_posix()}/ (-o picks another folder)")
            project = plan_spec(
                spec,
                targets,
                output,
                package=package,
                templates=templates,
                allow_invalid=allow_invalid,
                companion=specs[1] if len(specs) == 2 else None,
                ref_map=ref_map,
                cache=not no_cache,
            )
            diagnostics = list(project.diagnostics)
        if diagnostics:
            click.echo(format_diagnostics(diagnostics, fmt))
        if any(d.severity.value == "error" for d in diagnostics):
            raise Failure("nothing written: fix the errors above")
        conflicts: list[str] = []
        actions: list[Action] = []
        for folder in project.folders:
            for change in folder.changes.changes:
                shown = display_path(folder.unit.out_dir / change.path)
                actions.append(change.action)
                if change.action is Action.CONFLICT:
                    conflicts.append(f"{shown} ({change.reason})")
                if change.writes or (verbose and not quiet) or (change.reason and not quiet):
                    click.echo(f"{change.action.value:>9}  {shown}")
            if folder.changes.manifest_stale:
                verb = Action.CREATE if folder.changes.old_manifest_text is None else Action.UPDATE
                actions.append(verb)
                shown = display_path(folder.unit.out_dir / MANIFEST_NAME)
                click.echo(f"{verb.value:>9}  {shown}")
        if conflicts and not force:
            raise Failure(
                "refusing to overwrite generated files changed since twinspec wrote them:\n  "
                + "\n  ".join(conflicts)
                + "\nmove your changes into the user-owned files, or re-run with --force to "
                "discard them; nothing was written"
            )
        if not dry_run:
            apply_all([f.changes for f in project.folders], force=force)
        if not quiet:
            done = summarize(actions)
            took = time.perf_counter() - started
            click.echo(
                f"dry run, nothing written: {done}" if dry_run else f"{done} in {took:.1f} s"
            )
    except TwinspecError as exc:
        raise convert(exc) from None
    except OSError as exc:
        raise Failure(f"cannot write output, nothing changed: {exc}") from None


command = generate_cmd


def _default_targets(spec: Path, fmt: str) -> tuple[str, ...]:
    """The server and client targets of ``spec``'s family (OpenAPI or AsyncAPI), read from it."""
    from generator.diagnostics import format_diagnostics
    from generator.load import LoadFailure, detect_kind, read_source

    if not spec.is_file():
        raise UsageFailure(f"{spec}: no such file")
    try:
        source, _ = read_source(spec)
    except LoadFailure as exc:
        click.echo(format_diagnostics([exc.diagnostic], fmt))
        raise Failure("nothing written: fix the errors above") from None
    kind = detect_kind(source.data)
    if isinstance(kind, str):
        raise UsageFailure(f"{spec}: {kind}; -t TARGET names what to render")
    return _DEFAULT_TARGETS[kind.family]


def _known_targets(targets: tuple[str, ...]) -> None:
    """Refuse a misspelt -t before anything is read, saying which target was meant."""
    from generator.render.targets import TARGETS

    for name in targets:
        if name not in TARGETS:
            from generator.config.checker import did_you_mean  # only for a misspelt one

            hint = did_you_mean(name, sorted(TARGETS))
            known = ", ".join(sorted(TARGETS))
            raise UsageFailure(f"unknown target {name!r} ({hint}choose from {known})")


_DEFAULT_TARGETS = {
    "openapi": ("rest-server", "rest-client"),
    "asyncapi": ("stream-server", "stream-client"),
}
