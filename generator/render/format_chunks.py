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

__all__ = ["CHUNK", "SEPARATOR", "big", "cut", "join"]

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


def join(parts: list[bytes]) -> str:
    """The formatted whole of ``parts`` (UTF-8), each formatted alone, read as a text file is."""
    text = SEPARATOR.encode().join(parts).decode("utf-8")
    return text.replace("\r\n", "\n").replace("\r", "\n") if "\r" in text else text
