"""``twinspec diff``: breaking changes between two versions of a spec, located.

Two files (``OLD NEW``), or ``--base REF``: every job's spec in the config
against its state at a git revision (read with git, no checkout). Exit 0 when
nothing fails ``--fail-on``, 1 when something does, 2 on a usage error.
"""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from generator.cli.common import REF_MAP, Exit, ref_map_of

if TYPE_CHECKING:
    from collections.abc import Callable

    from generator.diagnostics import Diagnostic
    from generator.diff import DiffResult
    from generator.load import RefMap

__all__ = ["command"]


def _usage(message: str) -> None:
    click.echo(f"twinspec: {message}", err=True)
    sys.exit(Exit.USAGE)


@click.command("diff")
@click.argument("specs", nargs=-1, type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--base",
    metavar="REF",
    help="Compare every job's spec in the config with its state at git revision REF "
    "('auto': the merge base with the default branch).",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json", "github", "markdown"]),
    default="text",
    show_default=True,
    help="file:line:col text, JSON, GitHub annotations, or a Markdown changelog section.",
)
@click.option(
    "--fail-on",
    type=click.Choice(["error", "warning"]),
    default="error",
    show_default=True,
    help="Fail on breaking changes (error) or on potentially breaking ones too (warning).",
)
@click.option(
    "--allow",
    "allowed",
    multiple=True,
    metavar="CODE",
    help="Accept this rule's changes (repeatable).",
)
@click.option(
    "--config",
    "config_file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Config file for --base (default: twinspec.yaml or pyproject.toml found upward).",
)
@REF_MAP
def command(
    specs: tuple[Path, ...],
    base: str | None,
    fmt: str,
    fail_on: str,
    allowed: tuple[str, ...],
    config_file: Path | None,
    ref_maps: tuple[str, ...],
) -> None:
    """Report what changed between OLD and NEW, and whether it breaks clients.

    Each change is FILE:LINE:COL (in NEW, in OLD for removals), a rule code, and
    a severity: error = breaking, warning = potentially breaking, info = compatible.
    """
    from generator.diff import RULES, diff_files
    from generator.diff.report import apply_allow, fails, render, summary

    ref_map = ref_map_of(ref_maps)
    unknown = [code for code in allowed if code not in RULES]
    if unknown:
        _usage(f"--allow {unknown[0]}: no such rule (see the README's rule table)")
    if base is None and len(specs) != 2:
        _usage("diff needs OLD and NEW, or --base REF")
    if base is not None and specs:
        _usage("diff takes either OLD NEW or --base REF, not both")
    changes: list[Diagnostic] = []
    problems: list[Diagnostic] = []
    notes: list[str] = []
    if base is None:
        old, new = specs
        for spec in specs:
            if not spec.is_file():
                _usage(f"{spec}: no such file")
        result = _guarded(
            str(new),
            diff_files,
            old,
            new,
            old_display=str(old),
            new_display=str(new),
            ref_map=ref_map,
        )
        if result.usage:
            _usage(result.usage)
        changes += result.changes
        problems += result.problems
    else:
        changes, problems, notes = _against_revision(base, config_file, ref_map)
    changes = apply_allow(changes, allowed)
    failed = bool(problems) or fails(changes, fail_on)
    shown = [*problems, *changes]
    if fmt == "json":
        click.echo(json.dumps([d.to_json() for d in shown], indent=2, ensure_ascii=False))
    elif shown or fmt == "markdown":
        click.echo(render(shown, fmt))
    if fmt == "text":
        for note in notes:
            click.echo(f"twinspec diff: {note}")
        verdict = "" if not problems else "; a version could not be read"
        click.echo(f"twinspec diff: {summary(changes)}{verdict}")
    sys.exit(Exit.INVALID_OR_DRIFT if failed else Exit.OK)


def _against_revision(
    base: str, config_file: Path | None, ref_map: RefMap
) -> tuple[list[Diagnostic], list[Diagnostic], list[str]]:
    from generator.config import find_config, load_config
    from generator.diff import diff_files, spec_ref_maps
    from generator.diff.gitbase import GitError, default_base, materialise
    from generator.load import display_path

    config_path = config_file or find_config(Path.cwd())
    if config_path is None or not Path(config_path).is_file():
        _usage("--base needs a twinspec.yaml (or [tool.twinspec]) listing the specs")
        raise AssertionError  # unreachable: _usage exits
    config, problems = load_config(Path(config_path).absolute())
    if config is None:
        return [], list(problems), []
    changes: list[Diagnostic] = []
    found: list[Diagnostic] = [d for d in problems if d.severity.value == "error"]
    notes: list[str] = []
    try:
        ref = default_base(config.root) if base == "auto" else base
        shown_ref = ref[:12] if base == "auto" else base
    except GitError as exc:
        _usage(str(exc))
        raise AssertionError from None
    maps = spec_ref_maps(((job.spec, job.ref_map) for job in config.jobs), ref_map)
    for spec in maps:
        with tempfile.TemporaryDirectory(prefix="twinspec-diff-") as tmp:
            try:
                old = materialise(ref, spec, Path(tmp))
            except GitError as exc:
                _usage(str(exc))
                raise AssertionError from None
            shown = display_path(spec)
            if old is None:
                notes.append(f"{shown}: new since {shown_ref}")
                continue
            folder = Path(tmp)

            def label(path: Path, folder: Path = folder) -> str:
                try:
                    return f"{shown_ref}:{path.resolve().relative_to(folder.resolve()).as_posix()}"
                except ValueError:
                    return str(path)

            result = _guarded(
                shown,
                diff_files,
                old,
                spec,
                new_display=shown,
                label_old=label,
                ref_map=maps[spec],
            )
            if result.usage:
                _usage(f"{shown}: {result.usage}")
            changes += result.changes
            found += result.problems
    return changes, found, notes


def _guarded(shown: str, run: Callable[..., DiffResult], *args: Any, **kwargs: Any) -> DiffResult:
    """``run``, with a bug of ours reported as a Diagnostic rather than a traceback."""
    from generator.diagnostics import Diagnostic, Severity
    from generator.diff import DiffResult

    try:
        return run(*args, **kwargs)
    except Exception as exc:  # a bug of ours must still not print a traceback
        reason = f"{type(exc).__name__}: {exc}".splitlines()[0][:300]
        message = f"twinspec diff failed on this spec ({reason}); please report it"
        return DiffResult(
            (), (Diagnostic(shown, 0, 0, "", Severity.ERROR, "internal-error", message),)
        )
