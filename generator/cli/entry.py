"""The ``twinspec`` console-script entry: answer an unchanged ``check`` from the cache.

Runs before click, Jinja or pydantic are imported; anything it cannot answer
goes to the full CLI (``generator.cli.app.main``) untouched. Either way the
process ends through ``fastexit``: same output and status, no heap teardown. A cache entry that
cannot be trusted is ignored with a note on stderr, and the full check runs.
"""

from __future__ import annotations

import os
import sys

from generator.write.cache import find_config_fast, lookup, parse_check_args

__all__ = ["main"]


def _replay(args: list[str]) -> int | None:
    if args[:1] != ["check"] or os.environ.get("TWINSPEC_NO_CACHE"):
        return None
    parsed = parse_check_args(args[1:])
    if parsed is None:
        return None
    cwd = os.getcwd()
    config = os.path.abspath(parsed.config) if parsed.config else find_config_fast(cwd)
    if config is None:
        return None
    found, note = lookup(config, cwd, parsed)
    if note:
        sys.stderr.write(f"twinspec: note: {note}\n")
    if found is None:
        return None
    stdout, stderr, code = found
    sys.stdout.write(stdout)
    sys.stdout.flush()
    sys.stderr.write(stderr)
    sys.stderr.flush()
    return code


def main() -> None:
    """Console-script entry point; its exit skips the heap's teardown (``fastexit``)."""
    from generator.cli.fastexit import exit_like

    try:
        code = _replay(sys.argv[1:])
        if code is not None:
            sys.exit(code)
        from generator.cli.app import main as cli_main

        cli_main()
    except SystemExit as exc:
        exit_like(exc)
