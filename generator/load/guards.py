"""Cheap text scans deciding whether yaml-rs may read a text (see ``fastyaml``).

Each guard was a regular expression over the whole text. Python's ``re``
scans fast only for a pattern that starts with a literal, and these started
with a character class or a ``^`` alternation: about 0.1 s per MB of spec,
more than yaml-rs takes to parse it. Here each guard first finds its rare
literal (``!``, ``&``, a digit before ``_``, a line starting with ``0``/``+``)
and runs the original pattern only on the few lines or positions found, so the
decisions are the original patterns' (``tests/load/test_guards.py`` keeps them
as the reference).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

__all__ = ["anchor_starts", "needs_full_loader", "shallow"]

_TAG = re.compile(r"!(?=[\w!<\-.%&$#~*+/;?@ \t])")
"""A tag (``!!value``, ``!foo``, ``!<...>``, ``!-x``, the non-specific ``! 1``), not a
Markdown image ``![`` nor code's ``!=``/``!(`` in an example."""
_ANCHOR = re.compile(r"&(?=\S)")
"""An anchor: yaml-rs reads a recursive alias as null, and the full loader shares
aliased values, which ``limits.measure`` relies on against alias bombs."""
_NODE_START = re.compile(r"[\s\[{,]")
"""What precedes a tag or anchor (or the start of the text)."""
_ANCHOR_START = re.compile(r"[\s\[{,:]")

_DIGIT_UNDERSCORE = re.compile(r"_(?<=[0-9]_)")
"""Every number with digit separators holds a digit followed by ``_``."""
_SEPARATED_NUMBER = re.compile(
    r"(?m:(?:^|[:\-,\[{?][ \t]+|[,\[{])[-+]?[0-9][0-9_]*_[0-9_.]*[ \t]*(?:[,\]}:#]|$))"
)
"""A plain number with digit separators: a string in YAML 1.2, a number in yaml-rs."""

_NUMBER_KEY_LINE = re.compile(r"\n[ \t\-?]*+[0+]")
"""A line whose first character past indentation and indicators is ``0`` or ``+``."""
_NUMBER_KEY = re.compile(r"(?m:^[ \t\-?]*(?:[-+]?0[0-9xXoObB]\w*|\+[0-9]+)[ \t]*:(?:[ \t]|$))")
"""A key whose integer text does not survive ``str(int(...))``: ``007:``, ``0x1F:``, ``+1:``."""

_RADIX = re.compile(r"0[bBOXxo]")
"""Where an integer in a radix YAML 1.2 does not read may start: ``0b11``, ``0X1``,
``0O7`` or a signed ``-0x1``/``+0o7`` are strings to the full loader, numbers to yaml-rs."""
_RADIX_INT = re.compile(r"0(?:[bB][01]+|[oO][0-7]+|[xX][0-9a-fA-F]+)[ \t]*(?:[,\]}:#\r\n]|$)")
"""The whole plain scalar such an integer is (``0b989ba`` is text to both loaders)."""

_MAX_OPENERS = 7000
"""Most ``[``/``{`` in a text yaml-rs may read: it recurses per level and overflows the
stack (a crash, not an error) somewhere past 10,000 levels on an 8 MB stack."""
_DEEP_INDENT = re.compile(r"\n[ \t]{500,}")
_SPACES = " " * 500
_INDENT = re.compile(r"[ \t]{500,}")
_COMPACT_PAIR = (re.compile(r"-(?=[ \t]+[-?])"), re.compile(r"\?(?=[ \t]+[-?])"))
"""Where a run of compact indicators (``- - -``, ``? - ?``) can start."""
_COMPACT_RUN = re.compile(r"(?:[-?][ \t]+)+")
_MAX_COMPACT = 500


def needs_full_loader(text: str, *, anchors: bool = True) -> bool:
    """Could yaml-rs read ``text`` differently from ``Yaml12Loader``, or miss its warnings?

    With ``anchors=False`` anchors and aliases do not count: yaml-rs expands them
    within its replay limits, and ``limits.measure`` bounds the result.
    """
    return (
        _after_node_start(_TAG, text)
        or (anchors and _after_node_start(_ANCHOR, text))
        or _on_lines(_SEPARATED_NUMBER, text, (m.start() for m in _DIGIT_UNDERSCORE.finditer(text)))
        or _on_lines(_NUMBER_KEY, text, _line_starts(text))
        or _odd_radix(text)
    )


def _odd_radix(text: str) -> bool:
    """Does a plain scalar start like an integer only yaml-rs reads (``0b11``, ``-0x1``)?"""
    for found in _RADIX.finditer(text):
        start = found.start()
        if not _RADIX_INT.match(text, start):
            continue
        if text[start + 1] in "xo":  # canonical 0x/0o unless signed
            if start == 0 or text[start - 1] not in "-+":
                continue
            start -= 1
        elif start and text[start - 1] in "-+":
            start -= 1
        if start == 0 or _NODE_START.match(text, start - 1):
            return True
    return False


def anchor_starts(text: str) -> list[int]:
    """Offsets of every ``&`` that may start an anchor: where a node may start, or
    right after a ``:`` (a JSON-like key's value may follow it: ``{"a":&x 1}``)."""
    return [
        found.start()
        for found in _ANCHOR.finditer(text)
        if found.start() == 0 or _ANCHOR_START.match(text, found.start() - 1)
    ]


def shallow(text: str) -> bool:
    """Is nesting provably under 8,000 levels (so yaml-rs cannot overflow the stack)?

    Flow nesting is at most the number of ``[``/``{`` (closers are not counted:
    they may sit in quotes); block nesting at most the indentation plus a run
    of compact ``- - -`` indicators, both kept under 500 here.
    """
    if text.count("[") + text.count("{") > _MAX_OPENERS:
        return False
    if _INDENT.match(text) or _deep_indent(text):
        return False
    for pair in _COMPACT_PAIR:
        checked = 0
        for found in pair.finditer(text):
            start = found.start()
            if start < checked:  # inside a run already measured from its start
                continue
            run = _COMPACT_RUN.match(text, start)
            assert run is not None  # the pair is a run's first two indicators
            checked = run.end()
            if text.count("-", start, checked) + text.count("?", start, checked) >= _MAX_COMPACT:
                return False
    return True


def _deep_indent(text: str) -> bool:
    """Does a line after the first start with 500 spaces or tabs (``_DEEP_INDENT``)?

    Without a tab such a line holds 500 spaces in a row, which a substring search
    rules out at C speed in almost every text (the pattern tries every line: 9 ms of stripe).
    """
    if "\t" not in text and _SPACES not in text:
        return False
    return _DEEP_INDENT.search(text) is not None


def _after_node_start(pattern: re.Pattern[str], text: str) -> bool:
    """Does ``pattern`` match at the start of ``text`` or right after a node start?"""
    for found in pattern.finditer(text):
        start = found.start()
        if start == 0 or _NODE_START.match(text, start - 1):
            return True
    return False


def _line_starts(text: str) -> Iterable[int]:
    """The first line, then each line ``_NUMBER_KEY_LINE`` finds."""
    yield 0
    for found in _NUMBER_KEY_LINE.finditer(text):
        yield found.start() + 1


def _on_lines(pattern: re.Pattern[str], text: str, positions: Iterable[int]) -> bool:
    """Does the line-bound ``pattern`` match on a line holding one of ``positions`` (ascending)?"""
    line_end = -1
    for position in positions:
        if position <= line_end:  # that line was searched already
            continue
        line_start = text.rfind("\n", 0, position) + 1
        line_end = text.find("\n", position)
        if line_end < 0:
            line_end = len(text)
        if pattern.search(text, line_start, line_end):
            return True
    return False
