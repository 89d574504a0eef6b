"""``_deep``'s bracket reading: the unrolled regex matches exactly what the plain one did.

``_NOT_BRACKETS`` was written as alternatives of ``(?:x|\\.)*`` loops (lazy for
triple-quoted strings) with the plain run last; it is now unrolled with the plain
run first, which halves its time on stripe's 3.4 MB models module. Equivalence
is shown on the matches themselves (every span, not only what ``sub`` leaves),
for every text over an alphabet of the characters the patterns name, and on
the cases where the two forms could part: escapes at the end, runs of four or
more quotes, unterminated literals, one kind of quote inside another.
"""

from __future__ import annotations

import re

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

import generator.render.format as fmt

PLAIN_FORM = re.compile(
    r'"""(?:[^\\]|\\.)*?"""|\'\'\'(?:[^\\]|\\.)*?\'\'\''
    r'|"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\'|#[^\n]*'
    r'|[^()\[\]{}"\'#]+',
    re.DOTALL,
)
"""The reading before the unrolling (session 5), kept as the reference."""

EDGES = [
    "",
    '"',
    '"a\\',  # an escape at the very end
    '"a\\"',
    '"a\\\\"',
    '"""a\\"""',
    '"""a\\""""',
    '""""',
    '"""""',
    '""""""',
    '"""""""',
    '""""""""""',
    '"""a""""',
    '"""a"""""',
    '""""a"""',
    "'''a''''",
    "''''''''",
    '"""a""b"""',
    '"""a"\n"b"""',
    '"""unterminated ( [',
    "'''unterminated\n(\n",
    '"unterminated (\n)"',
    "'a\\\nb' ( ",  # an escaped line break inside a one-line literal
    "\"it's\" ('x\"y') [\"'''\"] {'\"\"\"'}",
    "'''a \"\"\" b''' (\"\"\"c ''' d\"\"\")",
    "# a comment with ' and \" and (\n)",
    "x = '#' # ' (\n]",
    '\\\n(\\)\\\\ \'\\\\\' "\\\\\\""',
    'rb"\\"(" f\'{x!r}(\' u"\\\\"',
    "é(ü['ß'])\U0001f600{\"\U0001f600\"}",
]

ALPHABET = st.sampled_from([*"\"'#\\\n()[]{}a é", '"""', "'''", "\\\\"])


def _spans(pattern: re.Pattern[str], text: str) -> list[tuple[int, int]]:
    return [m.span() for m in pattern.finditer(text)]


@pytest.mark.parametrize("text", EDGES)
def test_the_unrolled_reading_matches_the_plain_one_at_the_edges(text: str) -> None:
    assert _spans(fmt._NOT_BRACKETS, text) == _spans(PLAIN_FORM, text)
    assert fmt._NOT_BRACKETS.sub("", text) == PLAIN_FORM.sub("", text)


@settings(max_examples=3000, deadline=None)
@given(st.lists(ALPHABET, max_size=40).map("".join))
@example('"""a\\"""""\'')
def test_the_unrolled_reading_matches_the_plain_one_everywhere(text: str) -> None:
    assert _spans(fmt._NOT_BRACKETS, text) == _spans(PLAIN_FORM, text)


def _deep_as_before(text: str) -> bool:
    """``_deep`` with the plain reading and no counting shortcut."""
    rest = PLAIN_FORM.sub("", text).replace("'", "").replace('"', "")
    for _ in range(fmt._NESTING):
        if not rest:
            return False
        shorter = fmt._PAIRS.sub("", rest)
        if len(shorter) == len(rest):
            return True
        rest = shorter
    return True


@pytest.mark.parametrize(
    "text",
    [
        "X = " + "(" * 160 + ")" * 160 + "\n",
        "X = " + "[" * 149 + "]" * 149 + "\n",
        "X = " + "[" * 151 + "]" * 151 + "\n",
        "X = " + "{" * 80 + "(" * 80 + ")" * 80 + "}" * 80 + "\n",
        "X = ['" + "[" * 300 + "', \"]]\", '''((''', {'a': (1, [2])}]  # ((((\n",
        "X = (" * 200 + "'" + ")" * 200,  # unbalanced, many opens: still counts as deep
        "X = '" + "(" * 200 + "\n" + "]" * 3,
    ],
)
def test_deep_agrees_with_its_former_self_past_the_count(text: str) -> None:
    assert fmt._deep(text) is _deep_as_before(text)


def test_fewer_opening_brackets_than_the_limit_cannot_nest_that_deep() -> None:
    """Each open bracket is an opening character of the text, so a text with fewer than
    ``_NESTING`` of them is not read at all (whatever its literals, or its balance)."""
    shallow = "X = " + "(" * 149 + "1" + ")" * 149 + "\n"
    assert fmt._deep(shallow) is False
    assert fmt._deep("X = )]}" * 1000) is False  # ruff's parser refuses this one
    assert fmt._deep("X = " + "(" * 150 + "1" + ")" * 150 + "\n") is True
