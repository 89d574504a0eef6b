"""YAML 1.2 read for real: what YAML 1.2 accepts and libyaml's 1.1 rules refuse or misread.

Each case is loaded twice: as it is (yaml-rs's fast path reads it) and with an
anchor added, which sends it to the full loader (libyaml with masked characters,
then yaml-rs when libyaml's layout rules refuse). Both must read the same data.
Every error the loader gives is located.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

import generator.load as load_module
from generator.drive.spec import load_and_validate
from generator.load import read_source
from generator.load.fastyaml import fast_load
from generator.load.yaml12 import load_yaml

from .helpers import HEAD, write

ANCHORED = "x-anchor: &shared {a: 1}\nx-alias: *shared\n"
"""An anchor and its alias: the fast path leaves such a text to the full loader."""

CASES: dict[str, tuple[str, dict[str, Any]]] = {
    # DocuSign's eSignature description: C1 control characters in double-quoted strings.
    "c1-double-quoted": ('d: "Envelope \x80\x93sent\x9f"\n', {"d": "Envelope \x80\x93sent\x9f"}),
    "c1-single-quoted": ("d: 'a\x9cb'\n", {"d": "a\x9cb"}),
    "c1-in-a-key": ('"k\x80": 1\n', {"k\x80": 1}),
    "del-and-fffe-quoted": ('d: "a\x7fb\ufffec"\n', {"d": "a\x7fb\ufffec"}),
    # NEL, LS, PS are line breaks in YAML 1.1 only: libyaml folded "x\x85  y" into "x y".
    "nel-plain": ("d: x\x85  y\n", {"d": "x\x85  y"}),
    "nel-double-quoted": ('d: "x\x85y"\n', {"d": "x\x85y"}),
    "ls-plain": ("d: x\u2028y\n", {"d": "x\u2028y"}),
    "ps-in-a-block-scalar": ("d: |\n  x\u2029y\n", {"d": "x\u2029y\n"}),
    # Adyen's Checkout description: a block scalar whose line starts with spaces, then a tab.
    "block-scalar-spaces-then-tab": ("d: |\n  \tindented\n  next\n", {"d": "\tindented\nnext\n"}),
    "whitespace-line-with-a-tab-after-a-block-scalar": (
        "d: |\n    text\n  \t\ne: 1\n",
        {"d": "text\n", "e": 1},
    ),
    "tab-before-a-comment": ("d: 1\n\t# a comment\ne: 2\n", {"d": 1, "e": 2}),
    "tab-after-a-sequence-dash": ("d:\n-\t1\n-\t2\n", {"d": [1, 2]}),
    "tabs-in-flow": ("d: [1,\t2]\ne: {a: 1,\tb: 2}\n", {"d": [1, 2], "e": {"a": 1, "b": 2}}),
    "yaml-1.2-directive": ("%YAML 1.2\n---\nd: 1\n", {"d": 1}),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_fast_path_reads_yaml12(name: str) -> None:
    text, expected = CASES[name]
    assert fast_load(text) == (expected, [])
    assert load_yaml(text) == (expected, [])


@pytest.mark.parametrize("name", sorted(CASES))
def test_full_loader_reads_yaml12_alike(name: str) -> None:
    text, expected = CASES[name]
    text = text + ANCHORED if text.startswith("%") else ANCHORED + text
    assert fast_load(text) is None  # the anchor sends it to the full loader
    data, warnings = load_yaml(text)
    assert data == {"x-anchor": {"a": 1}, "x-alias": {"a": 1}, **expected}
    assert warnings == []


# Tags with a layout only YAML 1.2 allows: yaml-rs decides, libyaml (on the text with those
# tabs swapped, positions unchanged) gives the same data and locates the tag warnings.

TAGGED: dict[str, tuple[str, dict[str, Any], list[tuple[int, int, str]]]] = {
    "unknown-tag-on-a-block-scalar-with-a-tab": (
        "a: !tag |\n  \tx\n",
        {"a": "\tx\n"},
        [(1, 4, "yaml-unknown-tag")],
    ),
    "core-tags-beside-a-tab-after-a-dash": (
        "d:\n-\t!!str 2\n-\t!!int '7'\n-\t!!float 1\n",
        {"d": ["2", 7, 1.0]},
        [],
    ),
    "tags-on-mappings-after-a-tab-only-line": (
        "a: !foo {x: 1}\n\t\nb: !bar\n  c: 1\n",
        {"a": {"x": 1}, "b": {"c": 1}},
        [(1, 4, "yaml-unknown-tag"), (3, 4, "yaml-unknown-tag")],
    ),
    "a-tag-and-a-duplicate-key": (
        "a: !t |\n  \tx\na: 2\n",
        {"a": 2},
        [(3, 1, "yaml-duplicate-key"), (1, 4, "yaml-unknown-tag")],
    ),
}


@pytest.mark.parametrize("name", sorted(TAGGED))
@pytest.mark.parametrize("anchored", [False, True], ids=["plain", "with-an-anchor"])
def test_tagged_yaml12_layouts_are_read_with_located_warnings(name: str, anchored: bool) -> None:
    text, expected, warned = TAGGED[name]
    if anchored:
        expected = {"x-anchor": {"a": 1}, "x-alias": {"a": 1}, **expected}
        text = ANCHORED + text
        warned = [(line + 2, col, code) for line, col, code in warned]
    assert fast_load(text) is None  # tags are the full loader's to warn about
    data, warnings = load_yaml(text)
    assert data == expected
    assert sorted((line, col, code) for line, col, code, _ in warnings) == sorted(warned)


def test_a_tag_warning_in_a_tabbed_block_text_reaches_the_user(tmp_path: Path) -> None:
    text = HEAD + "x-note: !custom |\n  \tindented by a tab\n"
    doc, found = load_and_validate(write(tmp_path, "adyen.yaml", text), display="a.yaml")
    assert doc is not None and doc.data["x-note"] == "\tindented by a tab\n"
    line = HEAD.count("\n") + 1
    assert [d.to_text() for d in found] == [
        f"a.yaml:{line}:9: warning [yaml-unknown-tag] unknown YAML tag '!custom' ignored"
    ]


def test_what_json_cannot_hold_stays_refused_with_its_position(tmp_path: Path) -> None:
    with pytest.raises(load_module.LoadFailure) as failure:
        read_source(write(tmp_path, "bad.yaml", "a: !!set {x}\nb: |\n  \tx\n"))
    found = failure.value.diagnostic
    assert (found.code, found.line, found.column) == ("yaml-syntax", 3, 3)


def test_diagnostics_in_a_document_with_c1_characters_are_located(tmp_path: Path) -> None:
    text = HEAD.replace("paths: {}\n", "") + (
        'x-note: "caf\x82"\nx-a: &a 1\nx-b: *a\n'
        'paths:\n  /a:\n    get:\n      description: "\x93quoted\x94"\n'
    )
    doc, found = load_and_validate(write(tmp_path, "docusign.yaml", text), display="d.yaml")
    assert doc is not None and doc.data["x-note"] == "caf\x82"
    assert [d.to_text() for d in found] == [
        "d.yaml:8:5: error [schema-missing-field] operation GET /a is missing required"
        " field 'responses' (at /paths/~1a/get)"
    ]


# Every way reading one file can fail: each Diagnostic has a line and a column.


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('a: "x\x01y"\n', (1, 6)),  # C0 control characters: YAML 1.2 refuses them too
        ('a: &x 1\nb: *x\nc:\n  d: "x\x1by"\n', (4, 8)),  # ... on the full loader's path
        ("a: [1,\n", (2, 1)),  # malformed
        ("a: !tag |\n  x\n\tb: 1\n", (3, 1)),  # a tab as indentation, with a tag: 1.2 refuses too
        ("a: !t 1\nb:\n\t- 1\n", (3, 1)),
    ],
)
def test_yaml_errors_are_located(tmp_path: Path, text: str, expected: tuple[int, int]) -> None:
    with pytest.raises(load_module.LoadFailure) as failure:
        read_source(write(tmp_path, "bad.yaml", text))
    found = failure.value.diagnostic
    assert (found.code, (found.line, found.column)) == ("yaml-syntax", expected)


def test_control_character_error_says_what_to_write(tmp_path: Path) -> None:
    with pytest.raises(load_module.LoadFailure) as failure:
        read_source(write(tmp_path, "bad.yaml", 'a: "x\x01y"\n'), display="bad.yaml")
    assert failure.value.diagnostic.to_text() == (
        "bad.yaml:1:6: error [yaml-syntax] control character U+0001 is not allowed in YAML"
        " (write it as the escape \\x01 inside a double-quoted string)"
    )


def test_a_reader_error_is_located(tmp_path: Path) -> None:
    # A sentinel already in the text keeps masking off, and deep indentation keeps yaml-rs out:
    # libyaml's reader refuses the C1 character by index, which becomes a position.
    text = "a: '\U0010007f'\nb:\n" + " " * 600 + "c: 1\nd: 'x\x80'\n"
    with pytest.raises(load_module.LoadFailure) as failure:
        read_source(write(tmp_path, "bad.yaml", text))
    found = failure.value.diagnostic
    assert (found.code, found.line, found.column) == ("yaml-syntax", 4, 6)


def test_bytes_that_are_not_utf8_are_located(tmp_path: Path) -> None:
    with pytest.raises(load_module.LoadFailure) as failure:
        read_source(write(tmp_path, "bad.yaml", b"a: 1\nb: caf\xe9\n"))
    found = failure.value.diagnostic
    assert (found.code, found.line, found.column) == ("not-utf8", 2, 7)


def test_whole_file_problems_point_at_its_start(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    spec = write(tmp_path, "big.yaml", "a: 1\n" * 10)
    monkeypatch.setattr(load_module, "MAX_BYTES", 10)
    with pytest.raises(load_module.LoadFailure) as failure:
        read_source(spec)
    assert (failure.value.diagnostic.code, failure.value.diagnostic.line) == ("file-too-large", 1)
    monkeypatch.undo()
    with pytest.raises(load_module.LoadFailure) as failure:
        read_source(tmp_path)  # a folder: cannot be read as a file
    found = failure.value.diagnostic
    assert (found.code, found.line, found.column) == ("unreadable", 1, 1)


def test_malformed_json_is_located(tmp_path: Path) -> None:
    with pytest.raises(load_module.LoadFailure) as failure:
        read_source(write(tmp_path, "bad.json", '{"a": 1,\n "b": }\n'))
    found = failure.value.diagnostic
    assert (found.code, found.line, found.column) == ("json-syntax", 2, 7)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "a: b\n",
        "a: \tb\r\n",
        "a: x\x00",
        "\x1f",
        "a: é\x0bb\x01\n",
        "x\x7f\x85\u2028",
        "\x0e" * 3,
    ],
)
def test_first_control_agrees_with_the_character_class(text: str) -> None:
    from generator.load.masking import _C0, first_control

    found = _C0.search(text)
    expected = None
    if found is not None:
        at = found.start()
        expected = (
            text.count("\n", 0, at) + 1,
            at - (text.rfind("\n", 0, at) + 1) + 1,
            found.group(),
        )
    assert first_control(text) == expected
