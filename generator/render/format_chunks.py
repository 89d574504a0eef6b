"""Cut a big module at top-level definitions, so ruff formats its parts in parallel.

ruff formats files in parallel but each file on one thread, so a 3.4 MB
models module alone is most of the format pass; in parts it spreads over
both cores. The check pass (fixes, syntax) still sees whole files: only the
fixed text is cut, formatted part by part, and joined.

A cut is made only before a line that starts a ``class``, ``def`` or a
decorator at column 0, after blank lines whose preceding line is no comment
(a comment there could lead the definition or trail the statement). ruff puts
exactly two blank lines before a top-level definition, so formatting the
parts alone and joining them with two blank lines is formatting the whole,
provided each cut is a statement boundary: a part that ends inside a string
or an open bracket does not parse, ruff refuses it, and the whole file is
then formatted as one. ``fmt:``/``yapf:`` directives, which can reach across
statements, keep a file whole.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path, PurePosixPath

__all__ = ["CHUNK", "SEPARATOR", "cut", "format_pass", "join"]

CHUNK = 384 * 1024
"""Rough size of a part: big enough that ruff's per-file cost is small, small enough to spread
a big module over both threads."""
SEPARATOR = "\n\n"
"""What joins two formatted parts: after the part's own final newline, two blank lines."""

_CUT = re.compile(
    rb"(?<=\n)[ \t]*[^# \t\n][^\n]*\n(?:[ \t]*\n)+(?=(?:class |def |async def |@)[^\n]*\n)"
)
"""A line that is no comment, blank lines, then a top-level definition: the cut is at the end."""
_DIRECTIVES = re.compile(rb"#\s*(?:fmt|yapf)\s*:")


def format_pass(
    root: Path,
    paths: Sequence[str],
    *,
    run: Callable[[list[str], Path], object],
    start: Callable[[list[str], Path], subprocess.Popen[bytes]],
) -> None:
    """Format ``paths`` (relative to ``root``) in place, big modules in parts.

    ``run(files, cwd)`` formats files and raises on ruff's refusal (the whole files, as before);
    ``start`` runs the parts beside it, from a folder of their own (``root``'s layout decides
    isort's first-party modules); if a part is refused, its module is formatted whole.
    """
    with tempfile.TemporaryDirectory(prefix="twinspec-fmt-parts-") as tmp:
        parts_root = Path(tmp)
        split = _split(root, paths, parts_root)
        whole = [path for path in paths if path not in split]
        parts = [name for names in split.values() for name in names]
        formatting = start(parts, parts_root) if parts else None
        try:
            if whole:
                run(whole, root)
        except BaseException:
            if formatting is not None:
                formatting.kill()
                formatting.wait()
            raise
        if formatting is not None and formatting.wait() != 0:
            run(sorted(split), root)  # a cut that was no statement boundary: the module whole
            return
        for path, names in split.items():
            join([parts_root / name for name in names], root.joinpath(*PurePosixPath(path).parts))


def _split(root: Path, paths: Sequence[str], parts_root: Path) -> dict[str, list[str]]:
    """The files of ``paths`` cut in parts, each part written to ``parts_root``."""
    split: dict[str, list[str]] = {}
    for path in paths:
        file = root.joinpath(*PurePosixPath(path).parts)
        if not big(file.stat().st_size):
            continue
        source = file.read_bytes()
        starts = cut(source)
        if len(starts) == 1:
            continue
        split[path] = [f"{len(split)}-{i}.py" for i in range(len(starts))]
        for name, start, end in zip(split[path], starts, [*starts[1:], None], strict=True):
            (parts_root / name).write_bytes(source[start:end])
    return split


def big(size: int) -> bool:
    """Whether a module of ``size`` bytes is worth reading to cut."""
    return size >= 2 * CHUNK


def cut(source: bytes) -> list[int]:
    """Where the parts of ``source`` (UTF-8) start, the first at 0; ``[0]`` keeps it whole.

    Bytes, not text: a module with one non-ASCII character is two or four
    bytes a character as ``str``, and these are the biggest texts of a run.
    """
    if not big(len(source)) or _DIRECTIVES.search(source):
        return [0]
    starts = [0]
    position = CHUNK
    while position < len(source) - CHUNK // 2:
        found = _CUT.search(source, position)
        if found is None or len(source) - found.end() < CHUNK // 2:
            break
        starts.append(found.end())
        position = found.end() + CHUNK
    return starts


def join(parts: list[Path], target: Path) -> None:
    """Write to ``target`` the formatted whole of ``parts``, each formatted alone.

    File to file, so the text is read once, whole, as an uncut module's is: reading the parts
    into Python and joining them there raised stripe's peak memory by 14 MiB (freed buffers
    raise glibc's mmap threshold, and later big strings stay in the heap).
    """
    with target.open("wb") as out:
        for n, part in enumerate(parts):
            if n:
                out.write(SEPARATOR.encode())
            with part.open("rb") as source:
                shutil.copyfileobj(source, out)
