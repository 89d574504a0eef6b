"""The ``twinspec`` click group: every module of ``generator.cli.commands`` is one command.

A new command is one new module there exposing a click ``command``; nothing
else changes. Heavy imports happen inside the commands, so the start-up cost
of a pre-commit run stays close to bare Python.
"""

from __future__ import annotations

import importlib
import pkgutil
import sys

import click

from generator import __version__
from generator.cli import commands

__all__ = ["cli", "main"]


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="twinspec")
def cli() -> None:
    """Design-first OpenAPI and AsyncAPI: validate, generate, keep in sync."""


for _module in sorted(pkgutil.iter_modules(commands.__path__), key=lambda m: m.name):
    _command = importlib.import_module(f"{commands.__name__}.{_module.name}").command
    assert isinstance(_command, click.Command)
    cli.add_command(_command)


def main() -> None:
    """Console-script entry point (after ``entry`` found no cached answer)."""
    from generator.errors import TwinspecError

    try:
        cli.main(standalone_mode=True)
    except TwinspecError as exc:
        click.echo(f"twinspec: {exc}", err=True)
        sys.exit(exc.exit_code)
