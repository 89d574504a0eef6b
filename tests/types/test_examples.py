"""example_value: data that the generated model accepts, from the spec or synthesised."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from model_support import build
from pydantic import TypeAdapter

from generator.ir.schema import TypeKind
from generator.translate.examples import example_conforms, example_value

SPEC = """\
openapi: 3.1.0
info: {title: Examples, version: "1"}
paths: {}
components:
  schemas:
    UsesExample:
      type: object
      required: [id]
      properties: {id: {type: integer}}
      example: {id: 42}
    BadExample:
      type: object
      required: [id]
      properties: {id: {type: integer}}
      example: {id: "not a number"}
    ExamplesList:
      type: string
      examples: [first, second]
    Bounded:
      type: object
      required: [a, b, c, d, e, f, g]
      properties:
        a: {type: integer, minimum: 10, maximum: 20, multipleOf: 7}
        b: {type: number, exclusiveMinimum: 5, exclusiveMaximum: 6}
        c: {type: string, minLength: 12, maxLength: 12}
        d: {type: string, pattern: '^[a-f0-9]{8}-[A-Z]{3}(x|y)$'}
        e: {type: array, minItems: 3, items: {type: boolean}}
        f: {type: string, format: date-time}
        g: {type: string, format: uuid}
    Lookahead:
      type: string
      pattern: '^(?=.*\\d)(?=.*[A-Z]).{8,}$'
    Tree:
      type: object
      required: [children]
      properties:
        children: {type: array, items: {$ref: '#/components/schemas/Tree'}}
    Chain:
      type: object
      properties:
        next: {$ref: '#/components/schemas/Chain'}
    Choice:
      oneOf:
        - $ref: '#/components/schemas/A'
        - $ref: '#/components/schemas/B'
      discriminator:
        propertyName: kind
        mapping: {b-kind: '#/components/schemas/B'}
    A:
      type: object
      required: [kind, a]
      properties: {kind: {type: string}, a: {type: integer}}
    B:
      type: object
      required: [kind]
      properties: {kind: {type: string, enum: [b-kind]}}
    Default:
      type: integer
      default: 7
    Enum:
      enum: [x, y]
    Const:
      const: fixed
    Nullable:
      type: [string, "null"]
      minLength: 3
    Map:
      type: object
      additionalProperties: {type: integer, minimum: 1}
      minProperties: 1
    Pair:
      type: array
      prefixItems: [{type: string}, {type: integer}]
      items: false
"""


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Any:
    return build(tmp_path_factory.mktemp("examples"), SPEC)


def test_every_example_validates(built: Any) -> None:
    for name, ref in built.refs.items():
        if ref.kind is TypeKind.ANY:
            continue
        TypeAdapter(eval(ref.annotation, vars(built.module))).validate_python(built.examples[name])


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("UsesExample", {"id": 42}),
        ("BadExample", {"id": 0}),
        ("ExamplesList", "first"),
        ("Default", 7),
        ("Enum", "x"),
        ("Const", "fixed"),
        ("Tree", {"children": []}),
        ("Chain", {}),
        ("Pair", ["string", 0]),
    ],
)
def test_chosen_examples(built: Any, name: str, expected: object) -> None:
    assert built.examples[name] == expected


def test_synthesised_values_meet_constraints(built: Any) -> None:
    bounded = built.examples["Bounded"]
    assert bounded["a"] == 14
    assert 5 < bounded["b"] < 6
    assert len(bounded["c"]) == 12
    assert len(bounded["e"]) == 3
    lookahead = built.examples["Lookahead"]
    TypeAdapter(eval(built.refs["Lookahead"].annotation, vars(built.module))).validate_python(
        lookahead
    )


def test_discriminated_example_carries_its_tag(built: Any) -> None:
    assert built.examples["Choice"]["kind"] in {"A", "b-kind"}


def test_conformance_check(tmp_path: Path) -> None:
    spec = tmp_path / "s.yaml"
    spec.write_text(SPEC, encoding="utf-8")
    from generator.load import load

    doc, _ = load(spec)
    assert doc is not None
    schema = {"type": "integer", "minimum": 1}
    assert example_conforms(doc, 1, schema) and not example_conforms(doc, 0, schema)
    assert not example_conforms(doc, True, schema)
    assert not example_conforms(doc, "1", schema)
    assert example_conforms(doc, None, {"type": "string", "nullable": True})
    assert example_value(doc, {"$ref": "#/components/schemas/Missing"}) is None
