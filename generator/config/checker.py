"""Reading raw config data: every problem a located Diagnostic, and "did you mean" for typos."""

from __future__ import annotations

import difflib
import os
from collections.abc import Mapping, Sequence
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any

from generator.diagnostics import Diagnostic, join_pointer
from generator.errors import UsageError
from generator.load import RefMap

if TYPE_CHECKING:
    from generator.config import Config

__all__ = ["Checker", "did_you_mean", "ref_map_option"]


class Checker:
    """Collects located Diagnostics while reading the raw config data."""

    def __init__(self, config: Config) -> None:
        self.config = config
        self.problems: list[Diagnostic] = []

    def error(self, parts: list[str | int], code: str, message: str) -> None:
        self.problems.append(self.config.diagnostic(join_pointer(parts), code, message))

    def text(self, raw: Mapping[str, Any], key: str, at: list[str | int]) -> str | None:
        value = raw.get(key)
        if value is None:
            return None
        if not isinstance(value, str) or not value.strip():
            self.error([*at, key], "config-type", f"'{key}' must be a non-empty string")
            return None
        return value

    def inside_root(self, value: str, at: list[str | int], what: str) -> Path | None:
        posix = PurePosixPath(value.replace("\\", "/"))
        if posix.is_absolute() or ".." in posix.parts or "\0" in value or ":" in value:
            self.error(
                at,
                "config-path",
                f"{what} {value!r} must be a relative path inside the config's folder",
            )
            return None
        path = self.config.root / Path(*posix.parts) if posix.parts else self.config.root
        return path if self.real_inside(path, at, what, value) else None

    def real_inside(self, path: Path, at: list[str | int], what: str, value: str) -> bool:
        """False (with an error) when ``path`` leads out of the config's folder through a symlink.

        The real paths decide, resolved as far as the path exists: a lexical
        check alone would let ``output: out`` write wherever ``out`` links to.
        """
        real = Path(os.path.realpath(path))
        root = Path(os.path.realpath(self.config.root))
        if real == root or root in real.parents:
            return True
        self.error(
            at,
            "config-symlink",
            f"{what} {value!r} goes through a symlink to {real}, outside the config's folder; "
            "twinspec reads and writes only inside it",
        )
        return False

    def ref_map(self, raw: object, at: list[str | int]) -> RefMap:
        """A ``ref_map`` mapping: ``http(s)://`` URL prefixes to existing folders inside the root."""
        if raw is None:
            return RefMap()
        if not isinstance(raw, dict):
            self.error(at, "config-type", "'ref_map' must map URL prefixes to local folders")
            return RefMap()
        pairs: list[tuple[str, Path]] = []
        for prefix, folder_text in raw.items():
            where = [*at, str(prefix)]
            if problem := _prefix_problem(str(prefix)):
                self.error(where, "config-ref-map", f"ref_map key {problem}")
                continue
            if not isinstance(folder_text, str) or not folder_text.strip():
                self.error(where, "config-type", "a ref_map folder must be a non-empty string")
                continue
            folder = self.inside_root(folder_text, where, "ref_map folder")
            if folder is None:
                continue
            if problem := _folder_problem(folder_text, folder):
                self.error(where, "config-ref-map", f"ref_map {problem}")
                continue
            pairs.append((str(prefix), folder))
        return RefMap.of(pairs)


def ref_map_option(values: Sequence[str]) -> RefMap:
    """``--ref-map URL_PREFIX=FOLDER`` values as a ``RefMap``; ``UsageError`` for a malformed one.

    The same checks as a config's ``ref_map``, but a folder may be anywhere.
    """
    pairs: list[tuple[str, Path]] = []
    for value in values:
        prefix, eq, folder = value.rpartition("=")
        if not eq or not prefix or not folder:
            raise UsageError(f"--ref-map {value}: expected URL_PREFIX=FOLDER")
        if problem := _prefix_problem(prefix) or _folder_problem(folder, Path(folder)):
            raise UsageError(f"--ref-map {value}: {problem}")
        pairs.append((prefix, Path(folder).absolute()))
    return RefMap.of(pairs)


def _prefix_problem(prefix: str) -> str:
    """Why ``prefix`` cannot start network ``$ref``s (``""`` when it can)."""
    if prefix.lower().startswith(("http://", "https://")):
        return ""
    return f"{prefix!r} is not an http(s):// URL prefix"


def _folder_problem(shown: str, folder: Path) -> str:
    """Why ``folder`` cannot hold the copies (``""`` when it can)."""
    return "" if folder.is_dir() else f"folder {shown} does not exist"


def did_you_mean(key: str, known: Sequence[str]) -> str:
    """``did you mean 'targets'? `` when a known key is close to ``key``."""
    close = difflib.get_close_matches(key, known, n=1, cutoff=0.6)
    return f"did you mean {close[0]!r}? " if close else ""
