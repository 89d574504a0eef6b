"""``twinspec validate``: every problem of each spec, located, and an exit code."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from generator.cli.common import FORMAT, REF_MAP, Exit, ref_map_of

__all__ = ["command"]


@click.command("validate")
@click.argument("specs", nargs=-1, required=True, type=click.Path(path_type=Path))
@FORMAT
@click.option("--strict", is_flag=True, help="Warnings fail the run too.")
@click.option(
    "--allow-remote-refs",
    is_flag=True,
    help="Allow $refs that leave the spec's folder (never fetched from the network).",
)
@REF_MAP
@click.option("-q", "--quiet", is_flag=True, help="Print only problems, no OK lines.")
def validate_cmd(
    specs: tuple[Path, ...],
    fmt: str,
    strict: bool,
    allow_remote_refs: bool,
    ref_maps: tuple[str, ...],
    quiet: bool,
) -> None:
    """Validate OpenAPI 2.0/3.x and AsyncAPI 2.x/3.x documents (auto-detected).

    Prints every problem as FILE:LINE:COL, then one OK line per valid file.
    Exit 0 valid (warnings allowed unless --strict), 1 invalid, 2 usage error
    (a missing file, an unsupported version, a file that is no API document).
    """
    from generator.diagnostics import Diagnostic, Severity, format_diagnostics, has_errors
    from generator.drive.spec import load_and_validate
    from generator.load import detect_kind

    ref_map = ref_map_of(ref_maps)
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
                spec, allow_remote_refs=allow_remote_refs, display=str(spec), ref_map=ref_map
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


command = validate_cmd
