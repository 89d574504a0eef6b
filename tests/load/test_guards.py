"""The cheap guards decide exactly as the whole-text regular expressions they replace."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.load.guards import needs_full_loader, shallow

REFERENCE = re.compile(
    # The fast path's guard before it was split up, less its plain-``=`` branch
    # (``(?m:[-:?][ \t]+=[ \t]*$)``): ``fastyaml`` now reads those and warns itself.
    r"(?:^|[\s\[{,])![\w!<\-.%&$#~*+/;?@ \t]"
    r"|(?:^|[\s\[{,])&[^\s]"
    r"|(?m:(?:^|[:\-,\[{?][ \t]+|[,\[{])[-+]?[0-9][0-9_]*_[0-9_.]*[ \t]*(?:[,\]}:#]|$))"
    r"|(?m:^[ \t\-?]*(?:[-+]?0[0-9xXoObB]\w*|\+[0-9]+)[ \t]*:(?:[ \t]|$))"
    r"|(?:^|[\s\[{,])(?:[-+]?0(?:[bB][01]+|O[0-7]+|X[0-9a-fA-F]+)|[-+]0(?:x[0-9a-fA-F]+|o[0-7]+))"
    r"[ \t]*(?:[,\]}:#\r\n]|$)"
)
REFERENCE_DEEP = re.compile(r"(?m:^[ \t]{500,})|(?:[-?][ \t]+){500,}")


def reference_shallow(text: str) -> bool:
    return text.count("[") + text.count("{") <= 7000 and REFERENCE_DEEP.search(text) is None


CRAFTED = [
    "a: !custom 5\n",
    "!tag a\n",
    "a: ![img](x)\n",
    "a: x!y\n",
    "a: [!!str 1]\n",
    "a: {b: !<tag:x> c}\n",
    "a:\u00a0!x\n",
    "a: !\n",
    "a: &x 1\n",
    "&x a: 1\n",
    "a: b&c\n",
    "a: & b\n",
    "a: [&x 1]\n",
    "a: 1_000\n",
    "a: -1_0.5 # c\n",
    "a: [1_0, 2]\n",
    "a: {b: 2_0}\n",
    "v1_users: x\n",
    "a: v1_2\n",
    "1_0: x\n",
    "- 1_0\n",
    "a: 1_0 b\n",
    "a: 'x'\n1_000\n",
    "007: x\n",
    "  - ? +1: x\n",
    "a: 0x1F\n",
    "0x1F: x\n",
    "-0o7: x\n",
    "0: x\n",
    "+1:x\n",
    "b: 1\n  0b1: x\n",
    "a: b\n+12 : c\n",
    "a: b\n? 0o17: c\n",
    "a: b\n- -0x1: c\n",
    "a: x\r\n007: y\r\n",
    "a: ! 1\n",
    "a: [! 1]\n",
    "a: !-x 1\n",
    "a: !%41 1\n",
    "a: 0b11\n",
    "a: [0B1, 2]\n",
    "a: 0O7\n",
    "a: 0X1\n",
    "a: +0x1\n",
    "a: -0o7\n",
    "a: 0x1F\n",
    "a: x0b1\n",
    "id: 0b989ba\n",
    "a: 0b12\n",
    "a: x != y\n",
    "a: 0X1F # c\n",
    "a: 10b\n",
    "",
    "\n",
]


@pytest.mark.parametrize("text", CRAFTED)
def test_guard_decides_as_the_reference_on_crafted_texts(text: str) -> None:
    assert needs_full_loader(text) == bool(REFERENCE.search(text))


YAMLISH = st.text(alphabet=" \t\n\r-?:,[]{}!&<_0+19xbo#.'\"aé\u00a0", max_size=60)


@settings(derandomize=True, max_examples=3000, database=None, deadline=None)
@given(YAMLISH)
def test_guard_decides_as_the_reference_on_generated_texts(text: str) -> None:
    assert needs_full_loader(text) == bool(REFERENCE.search(text))


@pytest.mark.parametrize("char", ["\x85", "\u2028", "\u2029"])
def test_yaml11_line_breaks_stay_on_the_fast_path(char: str) -> None:
    # the full loader masks them for libyaml, so both read YAML 1.2's ordinary character
    assert not needs_full_loader(f"a: x{char}  y\n")


def runs(unit: str, count: int, before: str = "", after: str = "x\n") -> str:
    return before + unit * count + after


DEEP_CRAFTED = [
    " " * 499 + "a\n",
    " " * 500 + "a\n",
    "a:\n" + " " * 500 + "b\n",
    "a:\n" + "\t" * 499 + "b\n",
    "a:\n" + " " * 250 + "\t" + " " * 249 + "b\n",
    "a:\n" + " " * 250 + "\t" + " " * 250 + "b\n",
    "a:\n" + " " * 600 + "b\n",
    "a: " + " " * 600 + "b\n",
    "a:\n  b: " + " " * 600 + "c\n",
    runs("- ", 499),
    runs("- ", 500),
    runs("? ", 500),
    runs("-\t ", 500, before="a: "),
    runs("- ? ", 250),
    runs("- ? ", 249, after="-x\n"),
    runs("- ", 300) + runs("- ", 300, before="b"),
    runs("- ", 300, after=" - ") + runs("- ", 200),
    runs("-- ", 500),
    "[" * 7000 + "\n",
    "{" * 7001 + "\n",
]


@pytest.mark.parametrize("text", DEEP_CRAFTED)
def test_depth_guard_decides_as_the_reference(text: str) -> None:
    assert shallow(text) == reference_shallow(text)


@settings(
    derandomize=True,
    max_examples=300,
    database=None,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["- ", "? ", "-\t", "-  ", " ", "x", "\n", "- -"]), st.integers(0, 520)
        ),
        max_size=4,
    )
)
def test_depth_guard_decides_as_the_reference_on_generated_runs(
    parts: list[tuple[str, int]],
) -> None:
    text = "".join(piece * count for piece, count in parts)
    assert shallow(text) == reference_shallow(text)


def test_guards_decide_as_the_reference_over_the_corpus(corpus: Path) -> None:
    checked = 0
    for path in sorted(corpus.rglob("*")):
        if path.suffix not in (".yaml", ".yml", ".json") or not path.is_file():
            continue
        text = path.read_bytes().decode("utf-8-sig")
        assert needs_full_loader(text) == bool(REFERENCE.search(text)), path
        assert shallow(text) == reference_shallow(text), path
        checked += 1
    assert checked > 3000
