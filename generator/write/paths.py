"""Output path safety: every planned file lands inside its output folder.

A planned path comes from templates fed by spec text (package, tag and schema
names), so it is untrusted. It must be a relative POSIX path with no ``..``,
no NUL or control characters, no Windows-reserved names, and must not reach
outside the folder through a symlink already on disk.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

from generator.errors import OutputPathError

__all__ = ["MANIFEST_NAME", "check_inside", "check_plan_paths", "check_relative"]

MANIFEST_NAME = ".twinspec-manifest.json"
"""The manifest file twinspec keeps in every output folder; never a planned file."""

_RESERVED = frozenset(
    ["con", "prn", "aux", "nul"] + [f"com{i}" for i in range(10)] + [f"lpt{i}" for i in range(10)]
)


def check_relative(path: str) -> str:
    """Return ``path`` if it is a safe relative POSIX path, else raise ``OutputPathError``."""
    shown = repr(path)
    if not path:
        raise OutputPathError("a planned file has an empty path")
    if any(ord(ch) < 32 or ch == "\x7f" for ch in path):
        raise OutputPathError(f"planned path {shown} contains a NUL or control character")
    if "\\" in path:
        raise OutputPathError(f"planned path {shown} contains a backslash")
    if path.startswith("/") or (len(path) > 1 and path[1] == ":"):
        raise OutputPathError(f"planned path {shown} is absolute")
    for part in path.split("/"):
        if part in ("", ".", ".."):
            raise OutputPathError(
                f"planned path {shown} leaves or re-enters its folder ({part!r} component)"
            )
        if part.endswith((" ", ".")) or ":" in part:
            raise OutputPathError(f"planned path {shown} has a component no filesystem accepts")
        if part.split(".")[0].lower() in _RESERVED:
            raise OutputPathError(f"planned path {shown} uses the reserved name {part!r}")
    if path == MANIFEST_NAME:
        raise OutputPathError(f"planned path {shown} would overwrite twinspec's manifest")
    return path


def check_plan_paths(paths: Iterable[str]) -> None:
    """Check every path, and that no two differ only in case (they collide on macOS/Windows)."""
    seen: dict[str, str] = {}
    for path in paths:
        check_relative(path)
        folded = path.casefold()
        if folded in seen:
            raise OutputPathError(
                f"planned paths {seen[folded]!r} and {path!r} collide on case-insensitive filesystems"
            )
        seen[folded] = path
    for folded, path in seen.items():
        parts = folded.split("/")
        for i in range(1, len(parts)):
            prefix = "/".join(parts[:i])
            if prefix in seen:
                raise OutputPathError(
                    f"planned path {seen[prefix]!r} is a file, but {path!r} needs it as a folder"
                )


def check_inside(out_dir: Path, relative: str) -> Path:
    """``out_dir / relative``, refusing symlinks on the way that lead outside ``out_dir``."""
    root = Path(os.path.realpath(out_dir))
    current = out_dir
    for part in relative.split("/"):
        current = current / part
        if current.is_symlink():
            real = Path(os.path.realpath(current))
            if real != root and root not in real.parents:
                raise OutputPathError(
                    f"{current} is a symlink to {real}, outside the output folder {out_dir}"
                )
    return out_dir / relative
