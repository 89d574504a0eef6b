"""``twinspec check``: validate every spec of the config and fail when generated code is stale."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from generator.cli.common import CONFIG, FORMAT, REF_MAP, Exit, convert, ref_map_of

__all__ = ["command"]

_DRIFT_CODES = frozenset({"stale", "missing", "orphaned", "stale-manifest"})


@click.command("check")
@click.option(
    "--diff", is_flag=True, help="Show a unified diff of every out-of-date file (text, github)."
)
@FORMAT
@CONFIG
@click.option("--no-cache", is_flag=True, help="Neither use nor store the result cache.")
@click.option(
    "-q", "--quiet", is_flag=True, help="Hide information lines (operations on their defaults)."
)
@REF_MAP
def check_cmd(
    diff: bool,
    fmt: str,
    config_file: Path | None,
    no_cache: bool,
    quiet: bool,
    ref_maps: tuple[str, ...],
) -> None:
    """Validate every spec of the config and fail if the generated code is out of date.

    Builds each job's output in memory and compares it with the disk, writing
    nothing: exit 1 lists stale, missing and orphaned generated files (user-owned
    files are never compared), exit 0 when all is in step. A result cache in
    the user cache folder ($TWINSPEC_CACHE_DIR to move it) makes an unchanged
    run almost free; it is never trusted over the files themselves.
    """
    from generator.diagnostics import format_diagnostics
    from generator.drive.drift import FIX_COMMAND, drift_diffs
    from generator.drive.jobs import check_config
    from generator.errors import TwinspecError
    from generator.write.cache import CheckArgs, store

    ref_map = ref_map_of(ref_maps)
    no_cache = no_cache or bool(ref_map)  # the result cache is keyed without --ref-map
    try:
        checked = check_config(config_file, cache=not no_cache, ref_map=ref_map)
    except TwinspecError as exc:
        raise convert(exc) from None
    config_path, diagnostics, folders = checked.config, checked.diagnostics, checked.folders
    for note in checked.notes:
        click.echo(f"twinspec: note: {note}", err=True)
    failed = checked.failed
    lines: list[str] = []
    shown = [d for d in diagnostics if not quiet or d.severity.value != "info"]
    if shown:
        lines.append(format_diagnostics(shown, fmt))
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
        args = CheckArgs(fmt, diff, str(config_file) if config_file else None, quiet)
        outputs = [str(folder.unit.out_dir) for folder in folders]
        result = (stdout, "", int(code))
        store(str(config_path), os.getcwd(), args, checked.inputs, outputs, result)
    sys.exit(code)


command = check_cmd
