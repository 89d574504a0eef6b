"""JsonSchemaCheck's shortcut past ``referencing``'s pointer walk answers as the lookup does.

``_problem`` validates against the schema found at a pointer with the file's own
resolver when the pointer starts outside any schema keyword (``/paths``,
``/components``), instead of validating ``{"$ref": "file#pointer"}``. Every answer
here (verdict and message) must be the one the ``$ref`` lookup gives, also where a
schema on the way has an ``$id`` / ``id`` and for pointers the walk enters
(``/definitions``, ``/$defs``), which still take the lookup.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

import generator.translate.example_jsonschema as ej
from generator.load import load

SPEC_31 = """\
openapi: 3.1.0
info: {title: Ids, version: "1"}
paths:
  /a:
    get:
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema:
                $id: https://example.com/inline
                type: object
                required: [n, pet]
                properties:
                  n: {type: integer, maximum: 3}
                  pet: {$ref: '#/components/schemas/Pet'}
                  either:
                    oneOf: [{type: string}, {type: integer, minimum: 10}]
components:
  schemas:
    Pet:
      $id: https://example.com/pet
      type: object
      required: [name]
      properties:
        name: {type: string, minLength: 2}
        tag: {$ref: '#/$defs/Tag'}
      $defs:
        Tag: {type: string, enum: [a, b]}
$defs:
  Other: {type: integer}
"""

SPEC_20 = """\
swagger: "2.0"
info: {title: Defs, version: "1"}
paths:
  /a:
    get:
      responses:
        "200":
          description: ok
          schema: {$ref: '#/definitions/Pet'}
definitions:
  Pet:
    type: object
    required: [name]
    properties:
      name: {type: string, x-nullable: true}
      age: {type: integer, minimum: 0}
      kids: {type: array, items: {$ref: '#/definitions/Pet'}}
"""

CASES: list[tuple[str, str, str, list[Any]]] = [
    (
        SPEC_31,
        "oas31",
        "/paths/~1a/get/responses/200/content/application~1json/schema",
        [{"n": 1, "pet": {"name": "ab"}}, {"n": 9, "pet": {"name": "a"}}, {"either": 3}, [], 1],
    ),
    ("3.1", "oas31", "/components/schemas/Pet", [{"name": "ab", "tag": "c"}, {"name": 1}]),
    ("3.1", "oas31", "/components/schemas/Pet/properties/name", ["a", "abc", None]),
    ("3.1", "oas31", "/$defs/Other", [1, "x"]),
    (
        SPEC_20,
        "swagger2",
        "/paths/~1a/get/responses/200/schema",
        [{"name": None}, {"name": "x", "kids": [{"age": -1, "name": "y"}]}, {"age": 1}],
    ),
    ("2.0", "swagger2", "/definitions/Pet", [{"name": "x", "age": "old"}, {}, {"name": "x"}]),
    ("2.0", "swagger2", "/definitions/Pet/properties/age", [-1, 2]),
]


def _at(data: Any, pointer: str) -> Any:
    for token in pointer.split("/")[1:]:
        data = data[token.replace("~1", "/").replace("~0", "~")]
    return data


@pytest.mark.parametrize(("text", "dialect", "pointer", "values"), CASES)
def test_shortcut_answers_as_the_lookup(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    text: str,
    dialect: str,
    pointer: str,
    values: list[Any],
) -> None:
    text = {"3.1": SPEC_31, "2.0": SPEC_20}.get(text, text)
    path = tmp_path / "spec.yaml"
    path.write_text(text, encoding="utf-8")
    doc, _ = load(path)
    assert doc is not None
    schema = _at(doc.data, pointer)
    fast = [ej.JsonSchemaCheck(doc).problem(v, schema, doc.root, pointer, dialect) for v in values]
    with monkeypatch.context() as patched:
        patched.setattr(ej, "_transparent", lambda dialect, token: False)
        looked_up = [
            ej.JsonSchemaCheck(doc).problem(v, schema, doc.root, pointer, dialect) for v in values
        ]
    assert fast == looked_up
    assert any(p is None for p in fast) and any(p is not None for p in fast)


def test_keywords_take_the_lookup() -> None:
    assert ej._transparent("oas30", "paths") and ej._transparent("oas31", "components")
    for dialect in ("swagger2", "oas30", "oas31", "draft7"):
        assert not ej._transparent(dialect, "definitions")
        assert not ej._transparent(dialect, "properties")
        assert not ej._transparent(dialect, "items")
    assert not ej._transparent("oas31", "$defs")
