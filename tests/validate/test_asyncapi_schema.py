"""twinspec's AsyncAPI schemas: per-version differences, refs across files, readable errors."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from jsonschema import Draft7Validator

from generator.diagnostics import Diagnostic
from generator.drive.spec import load_and_validate
from generator.validate.asyncapi_schema import SUPPORTED, schema_for


def run(tmp_path: Path, text: str, name: str = "spec.yaml") -> list[Diagnostic]:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    _, diagnostics = load_and_validate(path)
    return diagnostics


def brief(diagnostics: list[Diagnostic]) -> list[tuple[int, int, str, str]]:
    return [(d.line, d.column, d.code, d.message) for d in diagnostics]


def v2(minor: int, body: str) -> str:
    return f"asyncapi: 2.{minor}.0\ninfo:\n  title: t\n  version: '1'\n" + body


def v3(body: str) -> str:
    return "asyncapi: 3.0.0\ninfo:\n  title: t\n  version: '1'\n" + body


MESSAGE_ID = """channels:
  c:
    publish:
      message:
        messageId: m1
        payload: {type: string}
"""


def test_message_id_arrives_in_2_4(tmp_path: Path) -> None:
    assert brief(run(tmp_path, v2(3, MESSAGE_ID))) == [
        (9, 9, "schema-unknown-field", "unknown field 'messageId'")
    ]
    assert run(tmp_path, v2(4, MESSAGE_ID)) == []


def test_version_field_must_name_a_release(tmp_path: Path) -> None:
    text = v2(0, "channels: {}\n").replace("2.0.0", "'2.0'")
    assert brief(run(tmp_path, text)) == [
        (1, 1, "schema-invalid-value", "expected '2.0.0', got '2.0'")
    ]


CASES = [
    pytest.param(
        v3("operations:\n  op:\n    action: send\n    channel:\n      address: inline\n"),
        [(8, 5, "schema-missing-field", "missing required field '$ref'")],
        id="v3-operation-channel-must-be-a-reference",
    ),
    pytest.param(
        v3(
            "operations:\n  op:\n    action: publish\n    channel: {$ref: '#/channels/c'}\nchannels:\n  c: {}\n"
        ),
        [(7, 5, "schema-invalid-value", "expected one of 'send', 'receive', got 'publish'")],
        id="v3-operation-action",
    ),
    pytest.param(
        v3("components:\n  securitySchemes:\n    s:\n      type: http\n"),
        [(7, 5, "schema-missing-field", "missing required field 'scheme'")],
        id="security-scheme-chosen-by-type",
    ),
    pytest.param(
        v3(
            "components:\n  securitySchemes:\n    s:\n      type: http\n      scheme: basic\n      bearerFormat: JWT\n"
        ),
        [
            (
                7,
                5,
                "schema-not-allowed",
                "this value is not allowed here (it matches a forbidden form)",
            )
        ],
        id="bearer-format-only-with-bearer",
    ),
    pytest.param(
        v3("components:\n  securitySchemes:\n    s:\n      type: magic\n"),
        [
            (
                8,
                7,
                "schema-invalid-value",
                "expected one of 'userPassword', 'apiKey', 'X509', 'symmetricEncryption', "
                "'asymmetricEncryption', 'http', 'httpApiKey', 'oauth2', ... (5 more), got 'magic'",
            )
        ],
        id="unknown-security-scheme-type",
    ),
    pytest.param(
        v3(
            "channels:\n  c:\n    address: c\n    bindings:\n      kafka:\n        partitions: many\n      carrier-pigeon: {}\n"
        ),
        [
            (10, 9, "schema-wrong-type", "expected integer, got string"),
            (11, 7, "schema-unknown-field", "unknown field 'carrier-pigeon'"),
        ],
        id="v3-bindings-checked-for-known-protocols",
    ),
    pytest.param(
        v3("components:\n  schemas:\n    s:\n      type: strin\n"),
        [
            (
                8,
                7,
                "schema-invalid-value",
                "expected one of 'array', 'boolean', 'integer', 'null', 'number', 'object', "
                "'string', got 'strin' (1 other alternative not shown)",
            )
        ],
        id="schema-object-type-typo",
    ),
    pytest.param(
        v2(
            6,
            "channels:\n  c:\n    publish:\n      message:\n        schemaFormat: application/vnd.oai.openapi;version=3.0.0\n        payload:\n          type: object\n          nullable: 3\n",
        ),
        [(12, 11, "schema-wrong-type", "expected boolean, got integer")],
        id="openapi-format-payload",
    ),
    pytest.param(
        v2(
            6,
            "channels:\n  c:\n    $ref: '#/components/channels/c'\n    surprise: 1\ncomponents:\n  channels:\n    c: {}\n",
        ),
        [(8, 5, "schema-unknown-field", "unknown field 'surprise'")],
        id="v2-channel-ref-keeps-its-sibling-fields-checked",
    ),
]


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_schema(tmp_path: Path, text: str, expected: list[tuple[int, int, str, str]]) -> None:
    assert brief(run(tmp_path, text)) == expected


def test_error_in_a_referenced_file_is_located_in_that_file(tmp_path: Path) -> None:
    (tmp_path / "schemas").mkdir()
    (tmp_path / "schemas" / "user.yaml").write_text(
        "type: object\nproperties:\n  name:\n    type: string\n  age:\n    type: 5\n",
        encoding="utf-8",
    )
    (tmp_path / "messages.yaml").write_text(
        "signedUp:\n  payload:\n    $ref: 'schemas/user.yaml'\n", encoding="utf-8"
    )
    text = v2(
        6,
        "channels:\n  users:\n    subscribe:\n      message:\n        $ref: 'messages.yaml#/signedUp'\n",
    )
    found = [(Path(d.file).name, d.line, d.column, d.pointer) for d in run(tmp_path, text)]
    assert found == [("user.yaml", 6, 5, "/properties/age/type")]


def test_recursive_schemas_validate_without_looping(tmp_path: Path) -> None:
    text = v3(
        "components:\n  schemas:\n    Node:\n      type: object\n      properties:\n"
        "        children:\n          type: array\n          items:\n"
        "            $ref: '#/components/schemas/Node'\n"
        "    A: {$ref: '#/components/schemas/B'}\n    B:\n      properties:\n"
        "        a: {$ref: '#/components/schemas/A'}\n"
    )
    assert run(tmp_path, text) == []


def test_deeply_nested_schemas_stay_fast(tmp_path: Path) -> None:
    """Each nested schema is validated once (not once per enclosing level)."""
    nested = "type: string\n"
    for _ in range(40):
        nested = "type: object\nproperties:\n  p:\n" + "".join(
            "    " + line + "\n" for line in nested.splitlines()
        )
    body = "components:\n  schemas:\n    Deep:\n" + "".join(
        "      " + line + "\n" for line in nested.splitlines()
    )
    started = time.perf_counter()
    assert run(tmp_path, v3(body)) == []
    assert time.perf_counter() - started < 5


@pytest.mark.parametrize("version", SUPPORTED)
def test_every_version_has_a_schema(version: str) -> None:
    schema = schema_for(version)
    Draft7Validator.check_schema(schema)  # well-formed JSON Schema (refOr/refTarget aside)
    assert schema["required"][:2] == ["asyncapi", "info"]
    assert ("channels" in schema["required"]) == version.startswith("2.")


def test_non_string_ref_is_a_located_type_error(tmp_path: Path) -> None:
    text = v3("channels:\n  c:\n    $ref: 5\n")
    found = [(d.line, d.column, d.code, d.message) for d in run(tmp_path, text)]
    assert (7, 5, "schema-wrong-type", "expected string, got integer") in found


def test_nesting_deeper_than_the_interpreter_allows_is_a_diagnostic(tmp_path: Path) -> None:
    import sys

    nested = "type: string\n"
    for _ in range(60):
        nested = "type: object\nproperties:\n  p:\n" + "".join(
            "    " + line + "\n" for line in nested.splitlines()
        )
    body = "components:\n  schemas:\n    Deep:\n" + "".join(
        "      " + line + "\n" for line in nested.splitlines()
    )
    path = tmp_path / "deep.yaml"
    path.write_text(v3(body), encoding="utf-8")
    from generator.load import load
    from generator.validate.asyncapi import validate_asyncapi

    doc, _ = load(path)
    assert doc is not None
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(300)
    try:
        found = validate_asyncapi(doc)
    finally:
        sys.setrecursionlimit(limit)
    assert [(d.line, d.code) for d in found if d.code == "too-deep"] == [(1, "too-deep")]


def test_keywords_beside_a_schema_ref_are_still_checked(tmp_path: Path) -> None:
    text = v3(
        "components:\n  schemas:\n    A: {type: object}\n    B:\n      properties:\n"
        "        a:\n          $ref: '#/components/schemas/A'\n          description: 5\n"
    )
    assert brief(run(tmp_path, text)) == [
        (12, 11, "schema-wrong-type", "expected string, got integer")
    ]
