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

__all__ = ["CHUNK", "SEPARATOR", "cut", "join"]

CHUNK = 384 * 1024
"""Rough size of a part: big enough that ruff's per-file cost is small, small enough to spread
a big module over both threads."""
SEPARATOR = "\n\n"
"""What joins two formatted parts: after the part's own final newline, two blank lines."""

_CUT = re.compile(
    r"(?<=\n)[ \t]*[^# \t\n][^\n]*\n(?:[ \t]*\n)+(?=(?:class |def |async def |@)[^\n]*\n)"
)
"""A line that is no comment, blank lines, then a top-level definition: the cut is at the end."""
_DIRECTIVES = re.compile(r"#\s*(?:fmt|yapf)\s*:")


def cut(text: str) -> list[str]:
    """``text`` in parts, cut before top-level definitions; ``[text]`` keeps it whole."""
    if len(text) < 2 * CHUNK or _DIRECTIVES.search(text):
        return [text]
    starts = [0]
    position = CHUNK
    while position < len(text) - CHUNK // 2:
        found = _CUT.search(text, position)
        if found is None or len(text) - found.end() < CHUNK // 2:
            break
        starts.append(found.end())
        position = found.end() + CHUNK
    return [text[start:end] for start, end in zip(starts, [*starts[1:], None], strict=True)]


def join(parts: list[str]) -> str:
    """The formatted whole of ``parts``, each formatted alone."""
    return SEPARATOR.join(parts)
