"""OpenAPI semantic rules: one inline document per rule, exact line:column asserted."""

from __future__ import annotations

from pathlib import Path
from textwrap import dedent

import pytest
import yaml

from generator.diagnostics import Diagnostic, Severity
from generator.drive.spec import load_and_validate


def check(tmp_path: Path, text: str, name: str = "api.yaml") -> list[Diagnostic]:
    path = tmp_path / name
    path.write_text(dedent(text).lstrip("\n"), encoding="utf-8")
    _, found = load_and_validate(path, display=name)
    return found


def at(found: list[Diagnostic], code: str) -> list[tuple[int, int, Severity]]:
    return [(d.line, d.column, d.severity) for d in found if d.code == code]


E, W = Severity.ERROR, Severity.WARNING


def test_duplicate_operation_id(tmp_path: Path) -> None:
    found = check(
        tmp_path,
        """
        openapi: 3.0.3
        info: {title: t, version: '1'}
        paths:
          /a:
            get:
              operationId: list
              responses: {'200': {description: ok}}
          /b:
            get:
              operationId: list
              responses: {'200': {description: ok}}
        """,
    )
    assert at(found, "duplicate-operation-id") == [(10, 7, E)]
    message = next(d.message for d in found if d.code == "duplicate-operation-id")
    assert "already used by GET /a (api.yaml:6)" in message


PATH_PARAMS = """
openapi: 3.0.3
info: {title: t, version: '1'}
paths:
  /pets/{petId}/toys/{toyId}:
    parameters:
      - {$ref: '#/components/parameters/PetId'}
    get:
      parameters:
        - {name: color, in: path, required: true, schema: {type: string}}
      responses: {'200': {description: ok}}
components:
  parameters:
    PetId: {name: petId, in: path, required: true, schema: {type: string}}
"""


def test_path_template_parameter_not_declared(tmp_path: Path) -> None:
    found = check(tmp_path, PATH_PARAMS)
    assert at(found, "path-param-undeclared") == [(7, 5, E)]
    assert "path parameter 'toyId' is not declared" in found[0].message


def test_path_parameter_missing_from_the_template(tmp_path: Path) -> None:
    found = check(tmp_path, PATH_PARAMS)
    assert at(found, "path-param-not-in-template") == [(9, 11, E)]


def test_path_item_and_referenced_parameters_count(tmp_path: Path) -> None:
    fixed = PATH_PARAMS.replace("name: color", "name: toyId")
    assert check(tmp_path, fixed) == []


def test_duplicate_parameter(tmp_path: Path) -> None:
    found = check(
        tmp_path,
        """
        openapi: 3.0.3
        info: {title: t, version: '1'}
        paths:
          /a:
            get:
              parameters:
                - {name: q, in: query, schema: {type: string}}
                - {name: q, in: query, schema: {type: integer}}
                - {name: q, in: header, schema: {type: string}}
              responses: {'200': {description: ok}}
        """,
    )
    assert at(found, "duplicate-parameter") == [(8, 11, E)]


def test_security_requirement_naming_an_undefined_scheme(tmp_path: Path) -> None:
    found = check(
        tmp_path,
        """
        openapi: 3.0.3
        info: {title: t, version: '1'}
        security:
          - apiKey: []
        paths:
          /a:
            get:
              security: [{oauth: [read]}]
              responses: {'200': {description: ok}}
        components:
          securitySchemes:
            apiKey: {type: apiKey, name: X-Key, in: header}
        """,
    )
    assert at(found, "security-undefined-scheme") == [(8, 19, E)]


def test_names_that_collide_in_python(tmp_path: Path) -> None:
    found = check(
        tmp_path,
        """
        openapi: 3.0.3
        info: {title: t, version: '1'}
        paths:
          /a:
            get:
              operationId: getPet
              responses: {'200': {description: ok}}
            post:
              operationId: get_pet
              responses: {'200': {description: ok}}
        components:
          schemas:
            pet-info: {type: string}
            PetInfo: {type: string}
        """,
    )
    assert at(found, "name-collision") == [(9, 7, W), (14, 5, W)]
    messages = sorted(d.message for d in found if d.code == "name-collision")
    assert "'getPet' and 'get_pet' both become the Python name 'get_pet'" in messages[0]
    assert "'pet-info' and 'PetInfo' both become the Python class 'PetInfo'" in messages[1]


def test_required_property_not_in_properties(tmp_path: Path) -> None:
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
              required: [name, nmae]
              properties:
                name: {type: string}
        """,
    )
    assert at(found, "required-not-in-properties") == [(8, 24, W)]


def test_default_not_in_enum(tmp_path: Path) -> None:
    found = check(
        tmp_path,
        """
        openapi: 3.1.0
        info: {title: t, version: '1'}
        servers:
          - url: 'https://{region}.example.com'
            variables:
              region: {default: mars, enum: [eu, us]}
        paths: {}
        components:
          schemas:
            Size: {type: string, enum: [s, m], default: xl}
        """,
    )
    # A server variable's default MUST be in its enum (3.1); a schema's is a warning.
    assert at(found, "default-not-in-enum") == [(6, 16, E), (10, 40, W)]


def test_example_and_examples_are_exclusive(tmp_path: Path) -> None:
    found = check(
        tmp_path,
        """
        openapi: 3.0.3
        info: {title: t, version: '1'}
        paths: {}
        components:
          parameters:
            Q:
              name: q
              in: query
              schema: {type: string}
              example: a
              examples: {b: {value: b}}
        """,
    )
    assert at(found, "example-and-examples") == [(11, 7, E)]


def test_unknown_field_in_a_link(tmp_path: Path) -> None:
    found = check(
        tmp_path,
        """
        openapi: 3.0.3
        info: {title: t, version: '1'}
        paths: {}
        components:
          links:
            Next:
              operationId: getPet
              body: $response.body#/id
        """,
    )
    assert at(found, "link-unknown-field") == [(8, 7, E)]
    assert "did you mean 'server'" in found[0].message


def test_allof_inheritance_cycle(tmp_path: Path) -> None:
    found = check(
        tmp_path,
        """
        openapi: 3.0.3
        info: {title: t, version: '1'}
        paths: {}
        components:
          schemas:
            A: {allOf: [{$ref: '#/components/schemas/B'}]}
            B: {allOf: [{$ref: '#/components/schemas/C'}, {type: object}]}
            C: {allOf: [{$ref: '#/components/schemas/A'}]}
            D: {allOf: [{$ref: '#/components/schemas/A'}]}
        """,
    )
    # One report for the loop (at the ref that closes it), none for D, which only joins it.
    assert [(d.line, d.column, d.code) for d in found] == [(8, 17, "allof-cycle")]


def test_rules_follow_refs_into_other_files(tmp_path: Path) -> None:
    (tmp_path / "params.yaml").write_text(
        "Color: {name: color, in: path, required: true, schema: {type: string}}\n"
    )
    found = check(
        tmp_path,
        """
        openapi: 3.0.3
        info: {title: t, version: '1'}
        paths:
          /pets:
            get:
              parameters: [{$ref: 'params.yaml#/Color'}]
              responses: {'200': {description: ok}}
        """,
    )
    assert [(Path(d.file).name, d.line, d.column) for d in found] == [("params.yaml", 1, 1)]
    assert found[0].code == "path-param-not-in-template"


@pytest.mark.parametrize(
    "text",
    [
        "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: []\n",
        "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {/a: 5}\n",
        "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {/a: {get: {parameters: 3}}}\n",
        "openapi: 3.0.3\ninfo: t\npaths: {/a: {get: {parameters: [{$ref: 5}]}}}\nsecurity: 4\n",
        "swagger: '2.0'\ninfo: {title: t, version: '1'}\npaths: {/a/{b}: {get: {}}}\n",
    ],
)
def test_rules_never_crash_on_malformed_documents(tmp_path: Path, text: str) -> None:
    found = check(tmp_path, text)
    assert any(d.severity is Severity.ERROR for d in found)


# Errors twinspec reports where openapi-spec-validator (the corpus oracle) passes
# the document or crashes: each rule, why the specification backs it, a minimal case.
STRICTER_THAN_ORACLE = {
    "security-undefined-scheme": (
        "OAS: each name in a Security Requirement MUST correspond to a declared scheme",
        "security: [{nokey: []}]\n",
    ),
    "example-and-examples": (
        "OAS 3: 'example' and 'examples' are mutually exclusive",
        "components:\n  parameters:\n    Q: {name: q, in: query, schema: {type: string},"
        " example: a, examples: {b: {value: b}}}\n",
    ),
    "link-unknown-field": (
        "OAS 3: a Link Object has fixed fields only (plus x- extensions)",
        "components:\n  links:\n    L: {operationId: op, body: {url: 'https://x.example'}}\n",
    ),
    "default-not-in-enum": (
        "OAS 3.1: a server variable's default MUST be one of its enum values",
        "servers:\n  - url: 'https://{v}.example.com'\n    variables: {v: {default: c, enum: [a, b]}}\n",
    ),
    "allof-cycle": (
        "a schema that extends itself has no meaning (the oracle recurses until it crashes)",
        "components:\n  schemas:\n    A: {allOf: [{$ref: '#/components/schemas/B'}]}\n"
        "    B: {allOf: [{$ref: '#/components/schemas/A'}]}\n",
    ),
    "ref-cycle": (
        "a $ref loop never reaches a value (the oracle recurses until it crashes)",
        "components:\n  schemas:\n    A: {$ref: '#/components/schemas/A'}\n",
    ),
    "remote-ref": (
        "twinspec never fetches the network (the oracle does, when it follows the ref)",
        "components:\n  securitySchemes:\n    S: {$ref: 'https://example.com/s.yaml'}\n",
    ),
}


@pytest.mark.parametrize("code", sorted(STRICTER_THAN_ORACLE))
def test_twinspec_stricter_than_the_oracle(tmp_path: Path, code: str) -> None:
    from openapi_spec_validator import OpenAPIV31SpecValidator

    _, extra = STRICTER_THAN_ORACLE[code]
    text = "openapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths: {}\n" + extra
    found = check(tmp_path, text)
    assert code in {d.code for d in found if d.severity is Severity.ERROR}
    path = tmp_path / "api.yaml"
    try:
        oracle_errors = list(
            OpenAPIV31SpecValidator(yaml.safe_load(text), base_uri=path.as_uri()).iter_errors()
        )
    except RecursionError:
        return  # the oracle cannot answer at all
    assert oracle_errors == []
