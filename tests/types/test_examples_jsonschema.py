"""synthesize(): values that ``jsonschema`` accepts (the document's draft, formats asserted), warnings where not.

Each schema below is one constraint plain structural synthesis used to miss; the
value made for it must validate with ``jsonschema`` (checked here independently,
through ``openapi_schema_validator`` for 3.0 and draft 2020-12 for 3.1), and a spec
example that does not validate must give a located ``example-invalid`` warning.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import jsonschema
import openapi_schema_validator as oas
import pytest
import referencing
import referencing.jsonschema
import yaml

from generator.load import Document, load
from generator.translate.example_jsonschema import check_for
from generator.translate.examples import Candidate, synthesize, vet
from tests.wire.examples_support import FORMATS

SPEC_30 = """\
openapi: 3.0.3
info: {title: Synth, version: "1"}
paths: {}
components:
  schemas:
    Formats:
      type: object
      required: [at, day, time, id, mail, ip, v6, n32]
      properties:
        at: {type: string, format: date-time}
        day: {type: string, format: date}
        time: {type: string, format: time}
        id: {type: string, format: uuid}
        mail: {type: string, format: email}
        ip: {type: string, format: ipv4}
        v6: {type: string, format: ipv6}
        n32: {type: integer, format: int32, minimum: 2147483000}
    NaiveExample:
      type: string
      format: date-time
      example: '2024-05-01T10:00:00'
    GoodExample:
      type: string
      format: date-time
      example: '2024-05-01T10:00:00+02:00'
    Ambiguous:
      oneOf:
        - {$ref: '#/components/schemas/WithKey'}
        - {$ref: '#/components/schemas/WithOtherKey'}
    WithKey:
      type: object
      properties: {key: {type: string}}
    WithOtherKey:
      type: object
      properties: {other: {type: string}}
    Overlapping:
      oneOf:
        - {$ref: '#/components/schemas/Simple'}
        - {$ref: '#/components/schemas/Detailed'}
    Simple:
      type: object
      required: [message]
      properties:
        message: {type: string}
        errors: {type: array, items: {type: string}}
    Detailed:
      type: object
      required: [message]
      properties:
        message: {type: string}
        errors: {type: array, items: {type: object, required: [code], properties: {code: {type: string}}}}
    Merged:
      allOf:
        - type: object
          properties: {data: {type: object}}
        - type: object
          required: [data]
          properties: {data: {$ref: '#/components/schemas/Data'}}
    Data:
      type: object
      required: [ref]
      properties: {ref: {type: string, pattern: '^R-[0-9]{3}$'}}
    EitherRequired:
      type: object
      additionalProperties: false
      properties:
        ids: {type: array, minItems: 1, items: {type: string}}
        files: {type: array, minItems: 1, items: {type: string}}
      anyOf:
        - required: [ids]
        - required: [files]
    Unique:
      type: array
      minItems: 3
      uniqueItems: true
      items: {type: string, pattern: '^(0|[1-9][0-9]*)$'}
    UniqueEnum:
      type: array
      minItems: 2
      uniqueItems: true
      items: {type: string, enum: [red, green, blue]}
    Nullable:
      type: object
      required: [note]
      properties: {note: {type: string, nullable: true, minLength: 2}}
    Undefined:
      type: object
      required: [known, mystery]
      properties: {known: {type: integer}}
"""

SPEC_31 = """\
openapi: 3.1.0
info: {title: Synth31, version: "1"}
paths: {}
components:
  schemas:
    Typed:
      type: object
      required: [kind, maybe, at]
      properties:
        kind: {const: fixed}
        maybe: {type: [string, "null"], format: email}
        at: {type: string, format: date-time, examples: ['2024-01-01 00:00']}
"""


def _doc(tmp_path: Path, text: str, name: str = "spec.yaml") -> Document:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    doc, _ = load(path)
    assert doc is not None
    return doc


def _validator(doc: Document, version: str) -> Any:
    spec = referencing.jsonschema.DRAFT4 if version == "3.0" else referencing.jsonschema.DRAFT202012
    registry: referencing.Registry[Any] = referencing.Registry().with_resource(
        "urn:doc", spec.create_resource(yaml.safe_load(doc.root.text))
    )
    cls = oas.OAS30ReadValidator if version == "3.0" else jsonschema.Draft202012Validator
    return cls({}, registry=registry, format_checker=FORMATS)


def _made(doc: Document, name: str) -> Any:
    pointer = f"/components/schemas/{name}"
    return synthesize(doc, doc.data["components"]["schemas"][name], doc.root, pointer)


NAMES_30 = [
    "Formats",
    "GoodExample",
    "NaiveExample",
    "Ambiguous",
    "Overlapping",
    "Merged",
    "EitherRequired",
    "Unique",
    "UniqueEnum",
    "Nullable",
    "Undefined",
]


@pytest.mark.parametrize("name", NAMES_30)
def test_synthesised_values_validate_with_jsonschema(tmp_path: Path, name: str) -> None:
    doc = _doc(tmp_path, SPEC_30)
    made = _made(doc, name)
    checker = _validator(doc, "3.0").evolve(schema={"$ref": f"urn:doc#/components/schemas/{name}"})
    assert [e.message for e in checker.iter_errors(made.value)] == [], made.value
    assert not [d for d in made.diagnostics if d.code == "example-unsatisfiable"]


def test_values(tmp_path: Path) -> None:
    doc = _doc(tmp_path, SPEC_30)
    assert _made(doc, "GoodExample").value == "2024-05-01T10:00:00+02:00"
    assert _made(doc, "Formats").value["at"].endswith("Z")
    assert _made(doc, "Formats").value["time"].endswith("Z")
    assert _made(doc, "Merged").value == {"data": {"ref": "R-000"}}
    assert len(set(_made(doc, "Unique").value)) == 3
    assert sorted(_made(doc, "UniqueEnum").value) == ["green", "red"]
    # required but never defined: present (the model types it Any)
    assert _made(doc, "Undefined").value == {"known": 0, "mystery": None}


def test_invalid_schema_example_is_a_located_warning(tmp_path: Path) -> None:
    doc = _doc(tmp_path, SPEC_30)
    made = _made(doc, "NaiveExample")
    assert made.value != "2024-05-01T10:00:00"
    [warning] = made.diagnostics
    assert warning.code == "example-invalid" and warning.severity.value == "warning"
    assert warning.pointer == "/components/schemas/NaiveExample/example"
    line = SPEC_30.splitlines().index("      example: '2024-05-01T10:00:00'") + 1
    assert (warning.line, warning.column) == (line, 7)
    assert "'2024-05-01T10:00:00' is not a 'date-time'" in warning.message


def test_oas31_examples_and_null(tmp_path: Path) -> None:
    doc = _doc(tmp_path, SPEC_31)
    made = _made(doc, "Typed")
    checker = _validator(doc, "3.1").evolve(schema={"$ref": "urn:doc#/components/schemas/Typed"})
    assert [e.message for e in checker.iter_errors(made.value)] == []
    assert made.value["kind"] == "fixed"
    codes = [(d.code, d.pointer) for d in made.diagnostics]
    assert codes == [("example-invalid", "/components/schemas/Typed/properties/at/examples/0")]


def test_vet_keeps_valid_candidates_and_warns_about_the_rest(tmp_path: Path) -> None:
    doc = _doc(tmp_path, SPEC_30)
    schema = doc.data["components"]["schemas"]["Nullable"]
    pointer = "/components/schemas/Nullable"
    candidates = [
        Candidate({"note": None}, doc.root, "/x/0"),
        Candidate({"note": "a"}, doc.root, "/x/1"),  # minLength 2
        Candidate({}, doc.root, "/x/2"),  # note is required
    ]
    kept, warnings = vet(doc, candidates, schema, doc.root, pointer)
    assert kept == [{"note": None}]
    assert [w.pointer for w in warnings] == ["/x/1", "/x/2"]


def test_swagger2_x_nullable(tmp_path: Path) -> None:
    doc = _doc(
        tmp_path,
        "swagger: '2.0'\ninfo: {title: S, version: '1'}\npaths: {}\ndefinitions:\n"
        "  N: {type: string, x-nullable: true, format: date-time}\n",
    )
    check = check_for(doc)
    schema = doc.data["definitions"]["N"]
    assert check.problem(None, schema, doc.root, "/definitions/N") is None
    assert check.problem("2024-01-01T00:00:00", schema, doc.root, "/definitions/N") is not None


def test_deterministic(tmp_path: Path) -> None:
    first = [_made(_doc(tmp_path, SPEC_30, "a.yaml"), n).value for n in NAMES_30]
    second = [_made(_doc(tmp_path, SPEC_30, "b.yaml"), n).value for n in NAMES_30]
    assert first == second


SWAGGER = """\
swagger: '2.0'
info: {title: S, version: '1'}
paths:
  /x:
    get:
      produces: [application/json]
      responses:
        '200':
          description: ok
          schema: {$ref: '#/definitions/T'}
          examples:
            application/json: {at: '2024-01-01T00:00:00'}
definitions:
  T:
    type: object
    required: [at]
    properties:
      at: {type: string, format: date-time}
"""


def test_swagger2_response_example_located_where_written(tmp_path: Path) -> None:
    from generator.translate.rest_ir import translate_rest

    ir, found = translate_rest(_doc(tmp_path, SWAGGER))
    [warning] = [d for d in found if d.code == "example-invalid"]
    assert warning.pointer == "/paths/~1x/get/responses/200/examples/application~1json"
    assert (warning.line, warning.column) == (12, 13)
    assert ir.api.operations[0].success is not None
    assert ir.api.operations[0].success.example == {"at": "2024-01-01T00:00:00Z"}


def test_example_written_as_json_text_is_served_parsed(tmp_path: Path) -> None:
    doc = _doc(tmp_path, SPEC_30)
    schema = doc.data["components"]["schemas"]["Nullable"]
    candidates = [Candidate('{"note": "fine"}', doc.root, "/x/0")]
    kept, [warning] = vet(doc, candidates, schema, doc.root, "/components/schemas/Nullable")
    assert kept == [{"note": "fine"}]
    assert warning.code == "example-invalid" and "JSON text" in warning.message


REDOS = """\
openapi: 3.0.3
info: {title: R, version: '1'}
paths:
  /r:
    get:
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {type: string, pattern: '^(a+)+$'}
              example: "%s!"
""" % ("a" * 5000)


@pytest.mark.timeout(30)
def test_a_redos_pattern_and_example_cannot_stall_generation(tmp_path: Path) -> None:
    # Python's backtracking re would take ~2**5000 steps on this example; bounded engines refuse it
    from generator.translate.rest_ir import translate_rest

    ir, found = translate_rest(_doc(tmp_path, REDOS))
    assert [d.code for d in found] == ["example-invalid"]
    assert ir.api.operations[0].success is not None
    assert ir.api.operations[0].success.example == "a"
