"""The ``twinspec`` click group: every module of ``generator.cli.commands`` is one command.

A new command is one new module there exposing a click ``command``; nothing
else changes. A command's module is imported when that command runs (``--help``
and a misspelt command import them all), and heavy imports happen inside the
commands, so the start-up cost of a pre-commit run stays close to bare Python.
"""

from __future__ import annotations

import importlib
import pkgutil
import sys

import click

from generator import __version__
from generator.cli import commands

__all__ = ["cli", "main"]


_NAMES = tuple(sorted(m.name for m in pkgutil.iter_modules(commands.__path__)))
"""One command per module, named as its module (``tests/test_cli_lazy.py`` checks it)."""


class _Commands(click.Group):
    """Imports a command's module only when that command is asked for (~10 ms a run)."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        """Every command, loaded or not (``--help`` then gets each)."""
        return sorted({*_NAMES, *self.commands})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        """The command, its module imported first; for an unknown name, all of them
        (click's "did you mean" suggestions read the loaded commands)."""
        if cmd_name not in self.commands:
            for name in (cmd_name,) if cmd_name in _NAMES else _NAMES:
                if name not in self.commands:
                    self.add_command(_load(name))
        return self.commands.get(cmd_name)


def _load(name: str) -> click.Command:
    command = importlib.import_module(f"{commands.__name__}.{name}").command
    assert isinstance(command, click.Command)
    return command


@click.group(cls=_Commands, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="twinspec")
def cli() -> None:
    """Design-first OpenAPI and AsyncAPI: validate, generate, keep in sync."""


def main() -> None:
    """Console-script entry point (after ``entry`` found no cached answer)."""
    from generator.errors import TwinspecError

    try:
        cli.main(standalone_mode=True)
    except TwinspecError as exc:
        click.echo(f"twinspec: {exc}", err=True)
        sys.exit(exc.exit_code)
