"""The ``check`` result cache: replay an unchanged answer without importing anything.

A pre-commit run that changed no spec should cost about one bare Python
start-up, so this module uses the standard library only. An entry is stored
per (twinspec version, interpreter, working directory, config file, options)
and holds a fingerprint of everything the answer depended on: the BLAKE2 hash
of the config, of every file each spec's Document loaded, of the template
packs and overrides, of each output folder's manifest and files; the sizes and
mtimes of the generator's own code and of the ruff binary. It is replayed
only when every fingerprint still matches.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Iterable

try:  # BLAKE2 straight from its C module: importing hashlib loads OpenSSL (~2 ms)
    from _blake2 import blake2b
except ImportError:  # pragma: no cover - a Python built without it
    from hashlib import blake2b

from generator import __version__

__all__ = [
    "CACHE_DIR",
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
    "prepare_folder",
    "store",
]

CACHE_DIR = ".twinspec-cache"
CONFIG_NAMES = ("twinspec.yaml", "twinspec.yml")
FILE, TREE, CODE, STAT = "file", "tree", "code", "stat"
"""Dependency kinds: a file's bytes, a folder's files' bytes, a code folder's file stats,
a (large, binary) file's size and mtime."""


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


def _file_digest(path: str) -> str | None:
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return None
    try:
        total = blake2b()
        while chunk := os.read(fd, 1 << 20):
            total.update(chunk)
        return total.hexdigest()
    except OSError:
        return None
    finally:
        os.close(fd)


def _tree_digest(path: str) -> str | None:
    if not os.path.isdir(path):
        return None
    total = blake2b()
    for folder, dirs, files in os.walk(path):
        dirs[:] = sorted(d for d in dirs if d != "__pycache__" and not d.startswith("."))
        for name in sorted(files):
            if name.endswith((".pyc", ".pyo")):
                continue
            full = f"{folder}/{name}"
            total.update(full[len(path) :].encode("utf-8", "surrogateescape"))
            total.update(b"\0" + (_file_digest(full) or "-").encode() + b"\n")
    return total.hexdigest()


def _code_digest(path: str) -> str | None:
    """Names, sizes and mtimes of a code folder's ``.py`` files: twinspec's own version."""
    if not os.path.isdir(path):
        return None
    total = blake2b()
    for folder, dirs, files in os.walk(path):
        dirs[:] = sorted(d for d in dirs if d != "__pycache__" and not d.startswith("."))
        for name in sorted(files):
            if name.endswith(".py"):
                info = os.stat(os.path.join(folder, name))
                total.update(f"{folder}/{name}\0{info.st_size}\0{info.st_mtime_ns}\n".encode())
    return total.hexdigest()


def digest(kind: str, path: str) -> str | None:
    """Hash of a file, a folder's files (``TREE``) or a code folder (``CODE``); None if absent."""
    if kind == TREE:
        return _tree_digest(path)
    if kind == CODE:
        return _code_digest(path)
    if kind == STAT:
        try:
            info = os.stat(path)
        except OSError:
            return None
        return f"{info.st_size}:{info.st_mtime_ns}"
    return _file_digest(path)


def _entry_path(config: str, cwd: str, args: CheckArgs) -> str:
    key = json.dumps(
        [__version__, sys.version, sys.executable, cwd, config, args.fmt, args.diff, args.quiet],
        separators=(",", ":"),
    )
    name = "check-" + blake2b(key.encode("utf-8", "surrogateescape")).hexdigest()[:32]
    return os.path.join(os.path.dirname(config), CACHE_DIR, name + ".json")


def lookup(config: str, cwd: str, args: CheckArgs) -> tuple[str, str, int] | None:
    """``(stdout, stderr, exit code)`` of an earlier identical run, if nothing changed since."""
    try:
        with open(_entry_path(config, cwd, args), encoding="utf-8") as handle:
            entry = json.load(handle)
        for kind, path, expected in entry["deps"]:
            if digest(kind, path) != expected:
                return None
        return str(entry["stdout"]), str(entry["stderr"]), int(entry["exit"])
    except (OSError, ValueError, KeyError, TypeError):
        return None


def prepare_folder(folder: str) -> None:
    """Create the cache folder with a ``.gitignore`` that keeps it out of version control."""
    os.makedirs(folder, exist_ok=True)
    ignore = os.path.join(folder, ".gitignore")
    if not os.path.exists(ignore):
        with open(ignore, "w", encoding="utf-8") as handle:
            handle.write("# created by twinspec: this folder is a local cache\n*\n")


def store(
    config: str,
    cwd: str,
    args: CheckArgs,
    deps: Iterable[tuple[str, str]],
    result: tuple[str, str, int],
) -> None:
    """Remember a ``check`` answer with the hashes of its ``(kind, path)`` dependencies.

    Best effort: a read-only tree just means no cache.
    """
    stdout, stderr, code = result
    entry = {
        "deps": [[kind, path, digest(kind, path)] for kind, path in sorted(set(deps))],
        "stdout": stdout,
        "stderr": stderr,
        "exit": code,
    }
    target = _entry_path(config, cwd, args)
    folder = os.path.dirname(target)
    try:
        prepare_folder(folder)
        temp = f"{target}.{os.getpid()}.tmp"
        with open(temp, "w", encoding="utf-8") as handle:
            json.dump(entry, handle)
        os.replace(temp, target)
    except OSError:
        return
