"""TypeSink.example is memoised by the schema a ``$ref`` chain ends at: the values must not change.

Every schema below is asked for through several routes (directly, through one
or two ``$ref`` hops, with sibling keywords, recursive, in any order); each
answer must equal a fresh ``example_value`` for the same route.
"""

from __future__ import annotations

import itertools
from pathlib import Path
from typing import Any

from generator.load import load
from generator.translate._openapi_types import TypeSink
from generator.translate.examples import example_value

SPEC = """\
openapi: 3.0.3
info: {title: Memo, version: "1"}
paths: {}
components:
  schemas:
    Pet:
      type: object
      required: [id, tags]
      properties:
        id: {type: integer, minimum: 3}
        tags: {type: array, minItems: 2, items: {$ref: '#/components/schemas/Tag'}}
    Tag: {type: string, enum: [a, b]}
    Alias: {$ref: '#/components/schemas/Pet'}
    Tree:
      type: object
      required: [children]
      properties:
        children: {type: array, minItems: 1, items: {$ref: '#/components/schemas/Tree'}}
    Choice:
      oneOf:
        - {$ref: '#/components/schemas/Pet'}
        - {$ref: '#/components/schemas/Tree'}
  x-routes:
    - {$ref: '#/components/schemas/Pet'}
    - {$ref: '#/components/schemas/Alias'}
    - {$ref: '#/components/schemas/Pet', nullable: true}
    - {allOf: [{$ref: '#/components/schemas/Pet'}], nullable: true}
    - {$ref: '#/components/schemas/Tree'}
    - {$ref: '#/components/schemas/Choice'}
    - {type: array, items: {$ref: '#/components/schemas/Tree'}}
    - {type: string, example: given}
"""


def test_memoised_examples_equal_fresh_ones(tmp_path: Path) -> None:
    spec = tmp_path / "memo.yaml"
    spec.write_text(SPEC, encoding="utf-8")
    doc, found = load(spec)
    assert doc is not None, found
    data: Any = doc.data
    routes: list[tuple[Any, str]] = [
        (route, f"/components/x-routes/{i}")
        for i, route in enumerate(data["components"]["x-routes"])
    ]
    routes += [
        (schema, f"/components/schemas/{name}")
        for name, schema in data["components"]["schemas"].items()
    ]
    fresh = [example_value(doc, schema, doc.root, pointer) for schema, pointer in routes]
    assert fresh[0] == {"id": 3, "tags": ["a", "a"]}
    for order in (routes, routes[::-1], list(itertools.chain(routes, routes))):
        sink = TypeSink(doc)
        for schema, pointer in order:
            assert sink.example(schema, doc.root, pointer) == fresh[routes.index((schema, pointer))]
