"""Every way loading a file can fail gives a Diagnostic with a line and a column.

Each YAML case runs on both paths: as written (yaml-rs's fast path reads what it
may, then the full loader) and with an anchor first, which keeps it from the fast
path. A document only YAML 1.2 reads (libyaml refuses its tabs) still gets located
validation diagnostics.
"""

from __future__ import annotations

from pathlib import Path

import pytest

import generator.load as load_module
from generator.drive.spec import load_and_validate
from generator.load import read_source

from .helpers import HEAD, write

ANCHORED = "x-anchor: &shared {a: 1}\nx-alias: *shared\n"

YAML_FAILURES: dict[str, tuple[str, str]] = {
    "malformed": ("a: [1,\n", "yaml-syntax"),
    "c0-control": ('a: "x\x01y"\n', "yaml-syntax"),
    "tab-as-indentation-with-a-tag": ("a: !t 1\nb:\n\t- 1\n", "yaml-syntax"),
    "too-deep": ("a: " + "[" * 300 + "]" * 300 + "\n", "too-deep"),
    "recursive-alias": ("a: &a [*a]\n", "recursive-alias"),
    "unpaired-surrogate": ('a: "\\ud800"\n', "yaml-syntax"),
    "not-a-number": ("a: .nan\n", "not-a-json-number"),
    "beyond-a-double": ("a: 1e400\n", "not-a-json-number"),
    "too-many-digits": ("a: " + "9" * 5000 + "\n", "number-out-of-range"),
}


@pytest.mark.parametrize("name", sorted(YAML_FAILURES))
@pytest.mark.parametrize("anchored", [False, True], ids=["as-written", "full-loader"])
def test_every_yaml_failure_is_located(tmp_path: Path, name: str, anchored: bool) -> None:
    text, code = YAML_FAILURES[name]
    with pytest.raises(load_module.LoadFailure) as failure:
        read_source(write(tmp_path, "bad.yaml", (ANCHORED + text) if anchored else text))
    found = failure.value.diagnostic
    assert found.code == code
    assert found.line >= 1 and found.column >= 1, found.to_text()
    assert found.to_text().startswith(f"{found.file}:{found.line}:{found.column}: error [")


@pytest.mark.parametrize(
    ("name", "content", "code"),
    [
        ("bad.json", '{"a": 1,\n "b": }\n', "json-syntax"),
        ("bad.yaml", b"a: 1\nb: caf\xe9\n", "not-utf8"),
        ("bad.json", '{"a": NaN}\n', "not-a-json-number"),
        ("bad.json", '{"a": "\\ud800"}\n', "unpaired-surrogate"),
    ],
)
def test_every_file_failure_is_located(
    tmp_path: Path, name: str, content: str | bytes, code: str
) -> None:
    with pytest.raises(load_module.LoadFailure) as failure:
        read_source(write(tmp_path, name, content))
    found = failure.value.diagnostic
    assert found.code == code and found.line >= 1 and found.column >= 1, found.to_text()


def test_an_unreadable_path_points_at_the_start(tmp_path: Path) -> None:
    with pytest.raises(load_module.LoadFailure) as failure:
        read_source(tmp_path)
    found = failure.value.diagnostic
    assert (found.code, found.line, found.column) == ("unreadable", 1, 1)


@pytest.mark.parametrize(
    "layout",
    [
        "      description: |\n        \ttabbed\n",  # a tab as block-scalar content
        "      description: x\n\t\n",  # a tab-only line
        "      tags:\n      -\ta\n",  # a tab after a dash
    ],
    ids=["block-scalar", "tab-only-line", "dash-tab"],
)
@pytest.mark.parametrize("tagged", [False, True], ids=["untagged", "tagged"])
def test_validation_in_a_document_only_yaml12_reads_is_located(
    tmp_path: Path, layout: str, tagged: bool
) -> None:
    text = HEAD.replace("paths: {}\n", "")
    text += "x-t: !custom 1\n" if tagged else "x-t: 1\n"
    text += "paths:\n  /a:\n    get:\n" + layout
    doc, found = load_and_validate(write(tmp_path, "tabs.yaml", text), display="t.yaml")
    assert doc is not None
    errors = [d.to_text() for d in found if d.severity.value == "error"]
    assert errors == [
        "t.yaml:6:5: error [schema-missing-field] operation GET /a is missing required"
        " field 'responses' (at /paths/~1a/get)"
    ]
