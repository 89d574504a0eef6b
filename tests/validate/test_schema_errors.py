"""jsonschema errors -> located, plain Diagnostics (shared by AsyncAPI and OpenAPI)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft7Validator

from generator.diagnostics import Diagnostic
from generator.load import Document, load
from generator.validate.schema_errors import (
    ReferencedErrors,
    diagnostics_from_errors,
    json_type,
)

REFERENCE: dict[str, Any] = {
    "type": "object",
    "required": ["$ref"],
    "properties": {"$ref": {"type": "string"}},
}
MESSAGE: dict[str, Any] = {
    "type": "object",
    "additionalProperties": False,
    "properties": {"name": {"type": "string"}, "payload": {}},
    "patternProperties": {"^x-": {}},
}
ONE_OF_WRAPPER: dict[str, Any] = {
    "type": "object",
    "required": ["oneOf"],
    "additionalProperties": False,
    "properties": {"oneOf": {"type": "array"}},
}
SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["info"],
    "properties": {
        "info": {
            "type": "object",
            "required": ["title", "version"],
            "properties": {"title": {"type": "string"}, "version": {"type": "string"}},
        },
        "kind": {"enum": ["a", "b"]},
        "message": {"oneOf": [REFERENCE, {"oneOf": [ONE_OF_WRAPPER, MESSAGE]}]},
        "either": {"oneOf": [{"type": "object"}, {"type": "string"}]},
        "both": {"oneOf": [{"type": "object"}, {"required": ["x"]}]},
        "example": {"anyOf": [{"required": ["payload"]}, {"required": ["headers"]}]},
    },
}


def diagnose(tmp_path: Path, text: str) -> list[Diagnostic]:
    path = tmp_path / "doc.yaml"
    path.write_text(text, encoding="utf-8")
    doc, _ = load(path)
    assert doc is not None
    return sorted(
        diagnostics_from_errors(doc, Draft7Validator(SCHEMA).iter_errors(doc.data)),
        key=Diagnostic.sort_key,
    )


def shown(diagnostics: list[Diagnostic]) -> list[tuple[int, int, str, str, str]]:
    return [(d.line, d.column, d.pointer, d.code, d.message) for d in diagnostics]


CASES = [
    pytest.param(
        "info:\n  version: '1'\n",
        [(1, 1, "/info", "schema-missing-field", "missing required field 'title'")],
        id="missing-field-at-its-object",
    ),
    pytest.param(
        "info: {}\n",
        [
            (1, 1, "/info", "schema-missing-field", "missing required field 'title'"),
            (1, 1, "/info", "schema-missing-field", "missing required field 'version'"),
        ],
        id="each-missing-field-named",
    ),
    pytest.param(
        "info:\n  title: 3\n  version: '1'\n",
        [(2, 3, "/info/title", "schema-wrong-type", "expected string, got integer")],
        id="wrong-type",
    ),
    pytest.param(
        "info: {title: t, version: '1'}\nkind: c\n",
        [(2, 1, "/kind", "schema-invalid-value", "expected one of 'a', 'b', got 'c'")],
        id="enum",
    ),
    pytest.param(
        "info: {title: t, version: '1'}\nmessage:\n  name: n\n  test: 1\n",
        [
            (
                4,
                3,
                "/message/test",
                "schema-unknown-field",
                "unknown field 'test' (2 other alternatives not shown)",
            )
        ],
        id="oneOf-picks-the-message-branch-and-locates-the-unknown-field",
    ),
    pytest.param(
        "info: {title: t, version: '1'}\nmessage:\n  $ref: 5\n",
        [
            (
                3,
                3,
                "/message/$ref",
                "schema-wrong-type",
                "expected string, got integer (1 other alternative not shown)",
            )
        ],
        id="oneOf-picks-the-reference-branch-when-$ref-is-present",
    ),
    pytest.param(
        "info: {title: t, version: '1'}\nmessage:\n  oneOf: {}\n",
        [
            (
                3,
                3,
                "/message/oneOf",
                "schema-wrong-type",
                "expected array, got object (2 other alternatives not shown)",
            )
        ],
        id="oneOf-picks-the-branch-whose-required-key-is-present",
    ),
    pytest.param(
        "info: {title: t, version: '1'}\neither: 5\n",
        [(2, 1, "/either", "schema-wrong-type", "expected object or string, got integer")],
        id="no-branch-of-the-right-kind",
    ),
    pytest.param(
        "info: {title: t, version: '1'}\nboth: {x: 1}\n",
        [
            (
                2,
                1,
                "/both",
                "schema-ambiguous",
                "matches more than one of the allowed alternatives; it must match exactly one",
            )
        ],
        id="oneOf-matching-two",
    ),
    pytest.param(
        "info: {title: t, version: '1'}\nexample: {name: n}\n",
        [
            (
                2,
                1,
                "/example",
                "schema-missing-field",
                "needs at least one of the fields 'payload', 'headers'",
            )
        ],
        id="anyOf-of-required-fields",
    ),
]


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_mapping(tmp_path: Path, text: str, expected: list[tuple[int, int, str, str, str]]) -> None:
    assert shown(diagnose(tmp_path, text)) == expected


def test_referenced_errors_are_located_in_their_own_file(tmp_path: Path) -> None:
    (tmp_path / "doc.yaml").write_text(
        "asyncapi: 2.6.0\ninfo: {$ref: 'info.yaml'}\n", encoding="utf-8"
    )
    (tmp_path / "info.yaml").write_text("title: t\nversion: 1\n", encoding="utf-8")
    doc, _ = load(tmp_path / "doc.yaml")
    assert doc is not None
    other = next(src for path, src in doc.files.items() if path.name == "info.yaml")
    inner = list(Draft7Validator(SCHEMA["properties"]["info"]).iter_errors(other.data))
    diagnostics = diagnostics_from_errors(doc, [ReferencedErrors(other, "", inner)])
    assert [(Path(d.file).name, d.line, d.column, d.pointer, d.message) for d in diagnostics] == [
        ("info.yaml", 2, 1, "/version", "expected string, got integer")
    ]


def test_openapi_spec_validator_errors_map_too(tmp_path: Path) -> None:
    """Its errors carry only a message (jsonschema-rs); names and kinds are read from it."""
    from openapi_spec_validator import OpenAPIV30SpecValidator

    path = tmp_path / "api.yaml"
    path.write_text("openapi: 3.0.3\ninfo:\n  version: 1\n  test: x\npaths: {}\n", encoding="utf-8")
    doc, _ = load(path)
    assert isinstance(doc, Document)
    errors = OpenAPIV30SpecValidator(doc.data).iter_errors()
    found = sorted(diagnostics_from_errors(doc, errors), key=Diagnostic.sort_key)
    assert [(d.line, d.column, d.pointer, d.message) for d in found] == [
        (2, 1, "/info", "missing required field 'title'"),
        (3, 3, "/info/version", "expected string, got integer"),
        (4, 3, "/info/test", "unknown field 'test'"),
    ]


@pytest.mark.parametrize(
    ("value", "name"),
    [
        (None, "null"),
        (True, "boolean"),
        (1, "integer"),
        (1.5, "number"),
        ("s", "string"),
        ([], "array"),
        ({}, "object"),
    ],
)
def test_json_type(value: object, name: str) -> None:
    assert json_type(value) == name
