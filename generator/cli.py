"""The ``twinspec`` command line: parse options, call the stages, print, exit.

Only this module prints or exits. Heavy imports happen inside commands so the
start-up cost of a pre-commit run stays close to bare Python.
"""

from __future__ import annotations

import enum
import sys
from pathlib import Path

import click

from generator import __version__

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
    """Validate OpenAPI 2.0/3.x and AsyncAPI 2.x/3.x documents (auto-detected)."""
    from generator.diagnostics import format_diagnostics, has_errors
    from generator.pipeline import load_and_validate

    usage_problems: list[str] = []
    failed = False
    collected = []
    for spec in specs:
        if not spec.is_file():
            usage_problems.append(f"{spec}: no such file")
            continue
        doc, diagnostics = load_and_validate(spec, allow_remote_refs=allow_remote_refs)
        if doc is not None and doc.kind is None and not has_errors(diagnostics):
            from generator.load import detect_kind

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
