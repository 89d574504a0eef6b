"""The ``twinspec`` command line: parse options, call the driver, print, exit.

Only this package prints or exits. Its layout makes a new command a one-module job::

    entry.py      the console script: replays an unchanged ``check`` before click loads
    fastexit.py   ends the console script's process without tearing down its heap
    app.py        the click group and ``main``; registers every module of ``commands/``
    common.py     exit codes, shared options, failures shown as ``twinspec: ...``
    commands/     one module per command, each exposing a click ``command``

Importing this package stays cheap (no click): ``cli`` and ``main`` load on first use.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from generator.cli.app import cli, main
    from generator.cli.common import Exit

__all__ = ["Exit", "cli", "main"]


def __getattr__(name: str) -> object:
    """``cli``, ``main`` and ``Exit``, imported (with click) when first asked for."""
    if name in ("cli", "main"):
        from generator.cli import app

        return getattr(app, name)
    if name == "Exit":
        from generator.cli import common

        return common.Exit
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
