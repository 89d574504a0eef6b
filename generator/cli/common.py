"""What the commands share: exit codes, common options, failures shown as ``twinspec: ...``."""

from __future__ import annotations

import enum
from pathlib import Path
from typing import TYPE_CHECKING

import click

if TYPE_CHECKING:
    from generator.load import RefMap

__all__ = [
    "CONFIG",
    "FORMAT",
    "REF_MAP",
    "Exit",
    "Failure",
    "UsageFailure",
    "convert",
    "ref_map_of",
]


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

CONFIG = click.option(
    "--config",
    "config_file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Config file (default: twinspec.yaml or pyproject.toml found upward from here).",
)


REF_MAP = click.option(
    "--ref-map",
    "ref_maps",
    multiple=True,
    metavar="URL_PREFIX=FOLDER",
    help="Resolve network $refs starting with URL_PREFIX from FOLDER (repeatable; nothing is"
    " fetched). Adds to ref_map in twinspec.yaml.",
)


def ref_map_of(values: tuple[str, ...]) -> RefMap:
    """``--ref-map`` values as a ``RefMap``; ``UsageFailure`` (exit 2) for a malformed one.

    Without any, the config package (unused by ``generate SPEC``) is not imported.
    """
    if not values:
        from generator.load import RefMap

        return RefMap()
    from generator.config.checker import ref_map_option
    from generator.errors import UsageError

    try:
        return ref_map_option(values)
    except UsageError as exc:
        raise UsageFailure(str(exc)) from None


class Failure(click.ClickException):
    """A TwinspecError or OSError shown as ``twinspec: ...`` (like validate's); exit 1."""

    def show(self, file: object = None) -> None:
        """One line on stderr, no usage banner."""
        click.echo(f"twinspec: {self.format_message()}", err=True)


class UsageFailure(Failure):
    """A usage problem shown as ``twinspec: ...``; exit 2."""

    exit_code = Exit.USAGE


def convert(exc: BaseException) -> click.ClickException:
    """``exc`` (a TwinspecError) as the click failure with its exit code."""
    exit_code = getattr(exc, "exit_code", 1)
    cls = UsageFailure if exit_code == Exit.USAGE else Failure
    return cls(str(exc))
