"""The click group imports a command's module only when it runs, and still lists and suggests all."""

from __future__ import annotations

import importlib
import pkgutil
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

from generator.cli import commands
from generator.cli.app import cli

REPO = Path(__file__).resolve().parents[1]
MODULES = sorted(m.name for m in pkgutil.iter_modules(commands.__path__))


def test_every_command_is_named_as_its_module() -> None:
    for name in MODULES:
        assert importlib.import_module(f"{commands.__name__}.{name}").command.name == name


def test_help_lists_every_command() -> None:
    result = CliRunner().invoke(cli, ["--help"])
    assert result.exit_code == 0
    listed = result.stdout.split("Commands:\n", 1)[1].split()
    assert [word for word in listed if word in MODULES] == MODULES


def test_a_misspelt_command_gets_a_suggestion() -> None:
    result = CliRunner().invoke(cli, ["genrate"])
    assert result.exit_code == 2
    assert "No such command 'genrate'. Did you mean 'generate'?" in result.stderr


def test_running_one_command_imports_only_its_module() -> None:
    code = (
        f"import sys; sys.path.insert(0, {str(REPO)!r}); sys.argv[0] = 'twinspec'\n"
        "from generator.cli.app import cli\n"
        "try:\n"
        "    cli.main(['targets'])\n"
        "except SystemExit:\n"
        "    pass\n"
        "print(sorted(m for m in sys.modules if m.startswith('generator.cli.commands.')))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert done.stdout.splitlines()[-1] == "['generator.cli.commands.targets']"
