"""The YAML/JSON reader: OpenAPI's reading of YAML, hostile input, exact positions."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from generator.diagnostics import Severity, has_errors
from generator.load import load

from .helpers import HEAD, problems, where, write


def test_malformed_yaml_is_located(tmp_path: Path) -> None:
    spec = write(tmp_path, "bad.yaml", "openapi: 3.0.0\ninfo:\n  title: t\n   version: '1'\n")
    found = problems(spec)
    assert where(found, "yaml-syntax") == [("bad.yaml", 4, 11)]
    assert "mapping values are not allowed" in found[0].message


def test_malformed_json_is_located(tmp_path: Path) -> None:
    spec = write(tmp_path, "bad.json", '{"openapi": "3.0.0",\n  "info": {"title": "t",}\n}\n')
    assert where(problems(spec), "json-syntax") == [("bad.json", 2, 25)]


def test_openapi_reading_of_yaml(tmp_path: Path) -> None:
    text = (
        HEAD.replace("paths: {}\n", "")
        + "paths:\n  /a:\n    get:\n      responses:\n        200: {description: ok}\n"
        + "x-date: 2024-01-01\nx-on: {on: yes, off: no}\nx-empty:\nx-octal: 0o17\n"
    )
    doc, found = load(write(tmp_path, "s.yaml", text))
    assert doc is not None and found == []
    assert list(doc.data["paths"]["/a"]["get"]["responses"]) == ["200"]
    assert doc.data["x-date"] == "2024-01-01"
    assert doc.data["x-on"] == {"on": "yes", "off": "no"}
    assert doc.data["x-empty"] is None
    assert doc.data["x-octal"] == 15


def test_yaml11_value_tag_loads_with_a_warning(tmp_path: Path) -> None:
    # jira's published spec has `- =` in an enum: PyYAML (so openapi-spec-validator)
    # fails on it, JavaScript loaders read the string. We read it, and say so.
    text = HEAD + "components:\n  schemas:\n    Op:\n      type: string\n      enum:\n      - =\n"
    doc, found = load(write(tmp_path, "s.yaml", text))
    assert doc is not None and doc.data["components"]["schemas"]["Op"]["enum"] == ["="]
    assert where(found, "yaml11-value") == [("s.yaml", 9, 9)]
    assert not has_errors(found)
    doc, found = load(write(tmp_path, "t.yaml", HEAD + "x-v: !!value =\n"))
    assert doc is not None and doc.data["x-v"] == "="
    assert where(found, "yaml11-value") == [("t.yaml", 4, 6)]


def test_unknown_tag_is_a_warning_at_the_tag(tmp_path: Path) -> None:
    doc, found = load(write(tmp_path, "s.yaml", HEAD + "x-a: !custom 5\n"))
    assert doc is not None and doc.data["x-a"] == "5"
    assert where(found, "yaml-unknown-tag") == [("s.yaml", 4, 6)]
    assert not has_errors(found)


def test_duplicate_key_is_a_warning_at_the_second_key(tmp_path: Path) -> None:
    text = "openapi: 3.0.0\ninfo:\n  title: t\n  title: u\n  version: '1'\npaths: {}\n"
    doc, found = load(write(tmp_path, "s.yaml", text))
    assert doc is not None and doc.data["info"]["title"] == "u"
    assert where(found, "yaml-duplicate-key") == [("s.yaml", 4, 3)]
    assert found[0].severity is Severity.WARNING


def test_byte_order_mark_is_ignored(tmp_path: Path) -> None:
    for name in ("s.yaml", "s.json"):
        body = HEAD if name.endswith("yaml") else '{"openapi": "3.0.3"}'
        doc, found = load(write(tmp_path, name, "\ufeff".encode() + body.encode()))
        assert doc is not None and doc.data["openapi"] == "3.0.3", name
        assert found == []


def test_json_and_yaml_give_the_same_document(tmp_path: Path) -> None:
    yaml_doc, _ = load(write(tmp_path, "s.yaml", HEAD))
    json_doc, _ = load(
        write(
            tmp_path,
            "s.json",
            '{"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": {}}',
        )
    )
    assert yaml_doc is not None and json_doc is not None
    assert yaml_doc.data == json_doc.data


def test_not_utf8(tmp_path: Path) -> None:
    found = problems(write(tmp_path, "s.yaml", b"openapi: 3.0.0\ninfo: \xff\xfe\n"))
    assert [d.code for d in found] == ["not-utf8"]


@pytest.mark.parametrize(
    ("depth", "suffix", "position"),
    [(10_000, ".yaml", (2, 260)), (100_000, ".yaml", (2, 260)), (10_000, ".json", (1, 282))],
    ids=["yaml-10k", "yaml-100k", "json-10k"],
)
def test_absurd_nesting_ends_in_a_located_diagnostic(
    tmp_path: Path, depth: int, suffix: str, position: tuple[int, int]
) -> None:
    if suffix == ".json":
        text = '{"openapi": "3.0.0", "x": ' + "[" * depth + "]" * depth + "}\n"
    else:
        text = "openapi: 3.0.0\nx: " + "[" * depth + "]" * depth + "\n"
    spec = write(tmp_path, "deep" + suffix, text)
    started = time.monotonic()
    found = problems(spec)
    assert time.monotonic() - started < 30  # a hang would be caught, not timed
    assert where(found, "too-deep") == [(spec.name, *position)]


def test_nesting_just_over_the_limit_names_the_spot(tmp_path: Path) -> None:
    spec = write(tmp_path, "d.yaml", "openapi: 3.0.0\nx: " + "[" * 300 + "]" * 300 + "\n")
    found = problems(spec)
    assert where(found, "too-deep") == [("d.yaml", 2, 259)]
    assert found[0].pointer.startswith("/x/0/0")


def test_block_nesting(tmp_path: Path) -> None:
    text = "openapi: 3.0.0\nx:\n" + "".join("  " * i + "- \n" for i in range(1, 3000))
    found = problems(write(tmp_path, "b.yaml", text))
    assert where(found, "too-deep") == [("b.yaml", 258, 513)]


def test_alias_bomb(tmp_path: Path) -> None:
    lines = ["openapi: 3.0.0", "a: &a [x, x, x, x, x, x, x, x, x, x]"]
    for i in range(8):
        prev, name = chr(97 + i), chr(98 + i)
        lines.append(f"{name}: &{name} [" + ", ".join([f"*{prev}"] * 10) + "]")
    spec = write(tmp_path, "bomb.yaml", "\n".join(lines) + "\n")
    found = problems(spec)
    assert where(found, "too-large") == [("bomb.yaml", 8, 1)]
    assert "alias bomb" in found[0].message


def test_recursive_alias(tmp_path: Path) -> None:
    found = problems(write(tmp_path, "r.yaml", "openapi: 3.0.0\nx: &x\n  y: *x\n"))
    assert where(found, "recursive-alias") == [("r.yaml", 3, 3)]


def test_ten_megabyte_string_is_fine(tmp_path: Path) -> None:
    spec = write(tmp_path, "big.yaml", HEAD + "x-big: " + "a" * 10_000_000 + "\n")
    doc, found = load(spec)
    assert doc is not None and found == []
    assert len(doc.data["x-big"]) == 10_000_000
