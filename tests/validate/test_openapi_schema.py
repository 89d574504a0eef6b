"""OpenAPI structure and openapi-spec-validator's checks, as located, plain Diagnostics."""

from __future__ import annotations

from pathlib import Path
from textwrap import dedent

from generator.diagnostics import Diagnostic, Severity
from generator.drive.spec import load_and_validate


def check(tmp_path: Path, text: str, name: str = "api.yaml") -> list[Diagnostic]:
    path = tmp_path / name
    path.write_text(dedent(text).lstrip("\n"), encoding="utf-8")
    _, found = load_and_validate(path, display=name)
    return found


def summary(found: list[Diagnostic]) -> list[tuple[str, int, int, str, str]]:
    return [(Path(d.file).name, d.line, d.column, d.code, d.message) for d in found]


def test_missing_response_description(tmp_path: Path) -> None:
    found = check(
        tmp_path,
        """
        openapi: 3.0.3
        info: {title: t, version: '1'}
        paths:
          /pets:
            get:
              responses:
                '200':
                  content: {application/json: {schema: {type: string}}}
        """,
    )
    assert summary(found) == [
        (
            "api.yaml",
            7,
            9,
            "schema-missing-field",
            "response '200' is missing required field 'description'",
        )
    ]


def test_missing_paths_and_info(tmp_path: Path) -> None:
    found = check(tmp_path, "openapi: 3.0.3\n")
    assert [(d.line, d.column, d.message) for d in found] == [
        (1, 1, "the document is missing required field 'info'"),
        (1, 1, "the document is missing required field 'paths'"),
    ]


def test_wrong_type_deep_in_a_schema(tmp_path: Path) -> None:
    found = check(
        tmp_path,
        """
        openapi: 3.0.3
        info: {title: t, version: '1'}
        paths: {}
        components:
          schemas:
            Pet:
              type: object
              properties:
                tags:
                  type: array
                  items:
                    type: string
                    maxLength: long
        """,
    )
    assert summary(found) == [
        (
            "api.yaml",
            13,
            13,
            "schema-wrong-type",
            "expected integer, got string (3 other alternatives not shown)",
        )
    ]


def test_unknown_field_points_at_the_field(tmp_path: Path) -> None:
    found = check(
        tmp_path, "openapi: 3.0.3\ninfo: {title: t, version: '1', colour: red}\npaths: {}\n"
    )
    assert summary(found) == [
        ("api.yaml", 2, 32, "schema-unknown-field", "info: unknown field 'colour'")
    ]


def test_invalid_default_is_reported_in_the_file_that_holds_it(tmp_path: Path) -> None:
    (tmp_path / "schemas.yaml").write_text(
        "Age:\n  type: integer\n  default: old\n", encoding="utf-8"
    )
    found = check(
        tmp_path,
        """
        openapi: 3.0.3
        info: {title: t, version: '1'}
        paths:
          /a:
            get:
              parameters:
                - {name: age, in: query, schema: {$ref: 'schemas.yaml#/Age'}}
              responses: {'200': {description: ok}}
        """,
    )
    assert summary(found) == [
        (
            "schemas.yaml",
            3,
            3,
            "invalid-default",
            "default value does not match its schema: 'old' is not of type 'integer'",
        )
    ]


def test_duplicate_tag_names(tmp_path: Path) -> None:
    found = check(
        tmp_path,
        "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\ntags: [{name: a}, {name: a, description: again}]\n",
    )
    assert [(d.line, d.code) for d in found] == [(4, "duplicate-tag")]


def test_schema_that_breaks_its_meta_schema(tmp_path: Path) -> None:
    found = check(
        tmp_path,
        """
        openapi: 3.1.0
        info: {title: t, version: '1'}
        components:
          schemas:
            Pet:
              type: object
              required: [id, id]
        """,
    )
    assert [(d.line, d.column, d.code) for d in found] == [(7, 7, "invalid-schema")]
    assert "non-unique" in found[0].message


def test_swagger_2(tmp_path: Path) -> None:
    text = """
        swagger: '2.0'
        info: {title: t, version: '1'}
        paths:
          /pets/{id}:
            get:
              parameters: [{name: id, in: path, required: true, type: string}]
              responses: {'200': {description: ok}}
        """
    assert check(tmp_path, text) == []
    found = check(tmp_path, text.replace("required: true", "required: false"))
    assert [(d.line, d.code) for d in found] == [(6, "schema-invalid-value")]


def test_openapi_3_2(tmp_path: Path) -> None:
    text = """
        openapi: 3.2.0
        info: {title: t, version: '1'}
        tags: [{name: a, summary: A, kind: nav}]
        paths:
          /search:
            query:
              operationId: search
              responses: {'200': {description: ok}}
        """
    assert check(tmp_path, text) == []


def test_only_warnings_leave_a_document_valid(tmp_path: Path) -> None:
    found = check(
        tmp_path,
        """
        openapi: 3.0.3
        info: {title: t, version: '1'}
        paths: {}
        components:
          schemas:
            P: {type: object, required: [b], properties: {a: {type: string}}}
        """,
    )
    assert [d.severity for d in found] == [Severity.WARNING]


def test_a_ref_where_openapi_wants_the_object_inline(tmp_path: Path) -> None:
    (tmp_path / "op.yaml").write_text("responses: {'200': {description: ok}}\n")
    found = check(
        tmp_path,
        """
        openapi: 3.0.3
        info: {title: t, version: '1'}
        tags:
          - name: a
            description: {$ref: 'intro.md'}
        paths:
          /a:
            get: {$ref: 'op.yaml'}
        """,
    )
    assert [(d.line, d.column, d.code) for d in found if d.code != "unresolved-ref"] == [
        (5, 5, "schema-ref-not-allowed"),
        (8, 11, "schema-ref-not-allowed"),
    ]
    assert "must be written inline" in found[-1].message
