"""yaml-rs (the fast path) must read every document exactly as the full loader does."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest

from generator.load.fastyaml import fast_load
from generator.load.yaml12 import full_load

SMALL = 300_000
"""Files up to this size are compared (the full loader takes seconds on the big ones)."""


def test_fast_path_equals_full_loader_over_the_corpus(corpus: Path) -> None:
    compared = warned = 0
    mismatched: list[str] = []
    for path in sorted(corpus.rglob("*")):
        if path.suffix not in (".yaml", ".yml") or not path.is_file():
            continue
        text = path.read_bytes().decode("utf-8-sig")
        fast = fast_load(text) if path.stat().st_size <= SMALL or "=" in text else None
        if fast is None or (path.stat().st_size > SMALL and not fast[1]):
            continue  # big files are compared when the fast path warns (jira's ``- =``)
        compared += 1
        warned += bool(fast[1])
        if fast != full_load(text):  # data and warnings alike
            mismatched.append(str(path.relative_to(corpus)))
    assert mismatched == []
    assert compared > 2000  # the fast path is taken for nearly all real files
    assert warned >= 1  # jira's YAML 1.1 ``=`` values


@pytest.mark.parametrize(
    "text",
    [
        "a: 1\na: 2\n",  # duplicate key: the full loader warns
        "a: !custom 5\n",  # tag: the full loader warns
        "a: &x [1]\nb: *x\n",  # anchors: shared values, alias-bomb bounds
        "a: &x\n  b: *x\n",  # recursive alias: yaml-rs would say null
        "a: 1_000\n",  # a string in YAML 1.2
        "007: x\n",  # a key "007", not 7
        "+1: x\n",
        # integer keys spelled so str(int(...)) changes them, outside a block key's line
        "a: {007: x}\n",
        "a: {x: 1, 0x1F: y}\n",
        "a: [007: x]\n",
        "a:\n  ? 007\n  : x\n",
        "a: {? +1 : x}\n",
        "? +1\n: y\n",
        "a:\n  -0: x\n",
        "a: {-0: x}\n",
        "a:\n  - -0: x\n",
        "b: {c: d,\n 007}\n",  # ... a key on its own line in a flow mapping
        "b: {\n 0x1F}\n",
        "?\n  007\n: x\n",  # ... an explicit key on the line after its ``?``
        # integers in a radix YAML 1.2 does not read, and the non-specific tag
        "a: 0b11\n",
        "a: [0B1, 2]\n",
        "a: 0X1\n",
        "a: -0x1\n",
        "a: ! 1\n",
        "- =\n",  # not a mapping
        "a: 1\n---\nb: 2\n",  # two documents
        "- a\n",  # not a mapping
        "a: [x]\nb: |\n",  # an empty last block scalar: yaml-rs says "\n"
        'a: "x\x01y"\n',  # a C0 control character: YAML 1.2 refuses it, yaml-rs does not
        "a: [1,\n",  # malformed
        "true: 1\n",  # a non-string key
        "1: a\n'1': b\n",  # two keys "1" once integers are strings
        "a: [1, {2.5: x}]\n",  # a float key, nested
        "a: {=}\n",  # ``=`` as a key
        "# b: =\na: =\n",  # an ``=`` candidate in a comment
        "a: |\n  b: =\nc: d\n",  # ... in a block scalar
        "a: =\n  b\n",  # ... in a longer plain scalar
        'a: "\\U000F0000"\nb: =\n',  # an escape that makes a sentinel character
        "a: x\rb: =\n",  # a lone CR: libyaml counts it as a line break
    ],
)
def test_full_loader_decides_when_readings_could_differ(text: str) -> None:
    assert fast_load(text) is None


def test_fast_path_keeps_openapi_reading() -> None:
    text = "200: {description: ok}\nd: 2024-01-01\non: yes\ne:\nn: 0x1F\nm: '![img](x)'\n"
    assert fast_load(text) == (
        {
            "200": {"description": "ok"},
            "d": "2024-01-01",
            "on": "yes",
            "e": None,
            "n": 31,
            "m": "![img](x)",
        },
        [],
    )


@pytest.mark.parametrize(
    "text",
    [
        "a: =\n",
        "a:\n  - =\n  - 'x'\n",
        "a: = # YAML 1.1's value key\n",
        "a: [=, b]\nc: {d: =}\n",
        "a: [=, =]\nb: {c: =, d: [x, =]}\n",
        "a:\n  b: =\nc: =\n",  # breadth first, as PyYAML constructs
        "a: {x: [=]}\nb: [ = ]\nc:\t=\n",
        "ключ: [é, =]\n",  # columns count characters
        "a: =\r\nb:\r\n  - =\r\n",
        "a: x=\nb: -=\nc: '='\n=: d\n",  # none of these is a plain ``=`` value
        "a: =",
    ],
)
def test_fast_path_warns_about_plain_equals_as_the_full_loader_does(text: str) -> None:
    fast = fast_load(text)
    assert fast is not None
    assert fast == full_load(text)


def test_plain_equals_warning_is_located() -> None:
    fast = fast_load("a: b\nc:\n  - x\n  - =\n")
    assert fast is not None
    data, warnings = fast
    assert data == {"a": "b", "c": ["x", "="]}
    assert [(line, col, code) for line, col, code, _ in warnings] == [(4, 5, "yaml11-value")]


HEADS = ["a: ", "a:\n  - ", "a:\n  b: ", "? ", "x: 1\na: "]
INDICATORS = ["|", "|+", "|-", ">", ">+", ">-", "|2", '"q\\n"', "x"]
BODIES = [
    "",
    "\n",
    "\n\n",
    "\n  x",
    "\n  x\n",
    "\n  x\n\n",
    "\n  x\n  ",
    "\n  x\n  \n",
    "\n  x\n\n  y",
    "\n  x\n \n",
    "\n  x\n# c",
    "\n   x\n  y",
    "\n\n  x",
    "\n    x\n    \n    ",
]


def fast_reads_alike(*parts: list[str]) -> int:
    """How many texts made of ``parts`` the fast path reads; each must read as the full loader does."""
    taken = 0
    for pieces in itertools.product(*parts):
        text = "".join(pieces)
        fast = fast_load(text)
        if fast is None:
            continue
        taken += 1
        assert fast == full_load(text), text
    return taken


def test_last_scalar_reads_alike_with_or_without_final_line_break() -> None:
    assert fast_reads_alike(HEADS, INDICATORS, BODIES) > 200


@pytest.mark.parametrize(
    "text",
    [
        "a: |\n  opt := &godo.ListOptions{\n    Page: 1,\n  }\n",  # DigitalOcean's Go samples
        "a: |\n  f(ctx, &godo.Request{\n  })\nb: 1_0x\n",
        "a: 'x &y'\nb: \"&z\"\n",
        "a: b &c\n",  # inside a plain scalar
        "# &x 1_0\na: 1\n",  # in a comment
        "a: >\n  &x =\n  1_0\n",  # a folded scalar's lines
        "a: [x&y, 'a &b']\n",
    ],
)
def test_an_ampersand_that_is_text_stays_on_the_fast_path(text: str) -> None:
    fast = fast_load(text)
    assert fast is not None
    assert fast == full_load(text)


ANCHOR_HEADS = ["a: ", "- ", "a:\n  - ", "? ", "a: [", "a: {b: ", '{"k":', "a:\n  ", "- ? "]
ANCHORS = ["&x ", "&x\t", "&x-1 ", "&x\n  ", "&x.y ", "&x:", "&x,", "&x  # c\n  "]
ANCHORED = ["=", "1_0", "007", "+1", "x", "|\n  t\n", "", "007: v", "=}", "0x1F", "*x", "y\nb: *x"]
TAILS = ["\n", "]\n", "}\n", "\nz: 1\n", ": 1\n"]


def test_a_real_anchor_leaves_the_text_to_the_full_loader() -> None:
    # An anchor hides the node after it from the guards (``a: &x 1_0``), its
    # warnings are placed at the anchor (``a: &x =``) and libyaml ends its name
    # sooner (``&x:~``): no text with an anchor may be read by yaml-rs alone.
    checked = 0
    for parts in itertools.product(ANCHOR_HEADS, ANCHORS, ANCHORED, TAILS):
        text = "".join(parts)
        try:
            full_load(text)
        except Exception:  # not YAML to libyaml: nothing to compare
            continue
        checked += 1
        assert fast_load(text) is None, text
    assert checked > 1000


LAST_HEADS = [*HEADS, "a:\n  b:\n    c: ", "- ", "a: [", "a: {b: "]
LAST_INDICATORS = [
    *INDICATORS,
    "'q'",
    "|4-",
    ">1+",
    '"q\\n"',
    '"q\\n\n  x',
    "'x\n\n  x",
    "&a |",
    "|  # c",
]
LAST_BODIES = [
    *BODIES,
    "\n  x\n# x",  # a comment that reads like the scalar's last line
    "\n  x\n...",
    "\n  x\n---\nb: x",
    '\n  x"',
    '\n  \\n"',
    "\n x",
    "\nx",
    "\n  x #c",
    "\n  x\r",
    "\n      x y",
    "\n      x\n\n\n      y",
    "\n  x  ",
    "\n  x\t",
]


def test_a_last_block_scalar_without_a_final_line_break_is_read_alike() -> None:
    # yaml-rs keeps a line break there that libyaml does not: the fast path takes
    # it back only where the text's last line is plainly the scalar's own.
    assert fast_reads_alike(LAST_HEADS, LAST_INDICATORS, LAST_BODIES) > 550
    text = "a: 1\nb: |\n  IN NS ns3.example.com.\n  IN A 1.2.3.4"  # DigitalOcean's zone file
    assert (
        fast_load(text)
        == full_load(text)
        == ({"a": 1, "b": "IN NS ns3.example.com.\nIN A 1.2.3.4"}, [])
    )


@pytest.mark.parametrize(
    "text", ["a:\n  200: x\n  404: y\n", "a: {200: x, 1: 2}\n", "a:\n  ? 7\n  : x\n"]
)
def test_canonical_integer_keys_stay_on_the_fast_path(text: str) -> None:
    """Keys like ``200:`` (unquoted response codes) are read by yaml-rs, as strings."""
    fast = fast_load(text)
    assert fast is not None
    assert fast[0] == full_load(text)[0]
