"""The ``check`` result cache: replay an unchanged answer without importing anything.

A pre-commit run that changed no spec should cost about one bare Python
start-up, so this module uses the standard library only. An entry is stored
per (config, twinspec version, interpreter, working directory, options) in
the user cache folder (``cachefiles``), signed, and holds a fingerprint of
everything the answer depended on: the BLAKE2 hash of the config, of every
file each spec's Document loaded, of the template packs and overrides, of
each output folder's manifest and files; the sizes and mtimes of the
generator's own code and of the ruff binary. It is replayed only when every
fingerprint still matches and every output folder's generated files still
match their manifest.
"""

from __future__ import annotations

import os
from collections.abc import Iterable

from generator.write.cachefiles import (
    CODE,
    FILE,
    STAT,
    TREE,
    blake2b,
    digest,
    generated_files_match,
    identity,
    project_folder,
    read_entry,
    write_entry,
)

__all__ = [
    "CODE",
    "CONFIG_NAMES",
    "FILE",
    "STAT",
    "TREE",
    "CheckArgs",
    "blake2b",
    "digest",
    "find_config_fast",
    "lookup",
    "parse_check_args",
    "store",
]

CONFIG_NAMES = ("twinspec.yaml", "twinspec.yml")


class CheckArgs:
    """The ``check`` options that change its output, as the cache key sees them.

    A plain class: ``dataclasses`` alone would cost this path a third of a Python start-up.
    """

    __slots__ = ("config", "diff", "fmt", "quiet")

    def __init__(
        self, fmt: str = "text", diff: bool = False, config: str | None = None, quiet: bool = False
    ) -> None:
        """Keep the options."""
        self.fmt = fmt
        self.diff = diff
        self.config = config
        self.quiet = quiet


def parse_check_args(args: Iterable[str]) -> CheckArgs | None:
    """Parse ``check``'s own options; ``None`` for anything else (then click decides)."""
    fmt, diff, config, quiet = "text", False, None, False
    items = iter(args)
    for arg in items:
        name, eq, value = arg.partition("=")
        if arg == "--diff":
            diff = True
        elif arg in ("-q", "--quiet"):
            quiet = True
        elif name in ("--format", "--config"):
            value = value if eq else next(items, "")
            if not value:
                return None
            if name == "--format":
                fmt = value
            else:
                config = value
        else:
            return None
    if fmt not in ("text", "json", "github"):
        return None
    return CheckArgs(fmt, diff, config, quiet)


def find_config_fast(start: str) -> str | None:
    """The nearest ``twinspec.yaml`` (or pyproject naming ``tool.twinspec``) upward of ``start``."""
    current = os.path.abspath(start)
    while True:
        for name in CONFIG_NAMES:
            candidate = os.path.join(current, name)
            if os.path.isfile(candidate):
                return candidate
        pyproject = os.path.join(current, "pyproject.toml")
        try:
            with open(pyproject, encoding="utf-8") as handle:
                if "tool.twinspec" in handle.read():
                    return pyproject
        except (OSError, UnicodeDecodeError):
            pass
        parent = os.path.dirname(current)
        if parent == current:
            return None
        current = parent


def _entry(config: str, cwd: str, args: CheckArgs) -> tuple[str, str]:
    """The entry's id and file: per working directory (paths are shown relative to it) and options."""
    ident = identity("check", cwd, args.fmt, args.diff, args.quiet)
    return ident, os.path.join(project_folder(config), f"check-{ident}.json")


def lookup(
    config: str, cwd: str, args: CheckArgs
) -> tuple[tuple[str, str, int] | None, str | None]:
    """``(stdout, stderr, exit code)`` of an earlier identical run if nothing changed since.

    The second item is a note when an entry was found but cannot be trusted.
    Before "in step" is replayed, every output folder's generated files are
    checked against its manifest: hashing them is cheap, and a tampered file
    must never be in step, whatever a cache says.
    """
    ident, path = _entry(config, cwd, args)
    entry, note = read_entry(path, "check", ident, config)
    if entry is None:
        return None, note
    try:
        outputs = [str(folder) for folder in entry["outputs"]]  # type: ignore[attr-defined]
        result = str(entry["stdout"]), str(entry["stderr"]), int(entry["exit"])  # type: ignore[call-overload]
    except (KeyError, TypeError, ValueError):
        return None, f"ignored the cache entry {path}: it is damaged"
    if result[2] == 0 and not all(generated_files_match(folder) for folder in outputs):
        return None, None  # "in step" is only ever replayed for untampered output
    return result, None


def store(
    config: str,
    cwd: str,
    args: CheckArgs,
    deps: Iterable[tuple[str, str]],
    outputs: Iterable[str],
    result: tuple[str, str, int],
) -> None:
    """Remember a ``check`` answer with the hashes of its ``(kind, path)`` dependencies.

    ``outputs`` are the output folders whose generated files a replay checks
    against their manifests. Best effort: an unwritable cache just means no cache.
    """
    stdout, stderr, code = result
    ident, path = _entry(config, cwd, args)
    payload: dict[str, object] = {
        "outputs": sorted(set(outputs)),
        "stdout": stdout,
        "stderr": stderr,
        "exit": code,
    }
    write_entry(path, "check", ident, config, deps, payload)
