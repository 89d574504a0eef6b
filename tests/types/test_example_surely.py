"""``_example_surely``: a sure answer is always ``jsonschema``'s, and what it is not sure of
goes to ``jsonschema`` (so example warnings and values do not change)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from generator.load import Document, load
from generator.translate.example_jsonschema import (
    DIALECTS,
    OPEN_TOKENS,
    JsonSchemaCheck,
    _transparent,
    check_for,
)

SPEC = """\
openapi: {version}
info: {{title: Sure, version: "1"}}
paths: {{}}
components:
  schemas:
    Pet:
      type: object
      required: [name, age]
      additionalProperties: false
      properties:
        name: {{type: string, minLength: 2, maxLength: 4, pattern: '^[a-z]+$'}}
        age: {{type: integer, minimum: 0, maximum: 30, format: int32}}
        tag: {{type: string, enum: [a, b]}}
        born: {{type: string, format: date-time}}
        owner: {{$ref: '#/components/schemas/Owner', description: who}}
        toys: {{type: array, minItems: 1, maxItems: 2, items: {{type: string}}}}
        extra: {{type: object, additionalProperties: {{type: number}}, maxProperties: 1}}
        kind: {{allOf: [{{type: string}}, {{anyOf: [{{const: x}}, {{type: string, maxLength: 1}}]}}]}}
        stamp: {{type: integer, format: unix-time}}
        flag: {{type: boolean}}
    Owner:
      type: object
      required: [id]
      properties: {{id: {{type: string, format: uuid}}}}
    Either:
      oneOf: [{{type: string}}, {{type: integer}}]
    Tagged:
      oneOf: [{{$ref: '#/components/schemas/Owner'}}]
      discriminator: {{propertyName: id}}
    Above:
      type: number
      exclusiveMinimum: {exclusive}
    Secret:
      type: object
      properties: {{pin: {{type: string, writeOnly: true}}}}
    Maybe:
      type: string
      nullable: true
"""

GOOD: dict[str, Any] = {"name": "ab", "age": 3}
PETS = [
    GOOD,
    {
        **GOOD,
        "tag": "a",
        "born": "2024-01-01T00:00:00Z",
        "owner": {"id": "0" * 8 + "-0000-4000-8000-" + "0" * 12},
    },
    {**GOOD, "toys": ["x"], "extra": {"k": 1.5}, "kind": "y", "stamp": 5, "flag": True},
    {**GOOD, "name": "a"},  # too short
    {**GOOD, "name": "abcde"},  # too long
    {**GOOD, "name": "AB"},  # the pattern
    {**GOOD, "age": -1},
    {**GOOD, "age": 31},
    {**GOOD, "age": 2**40},  # int32
    {**GOOD, "age": True},
    {**GOOD, "age": 1.0},  # an integer to some drafts: not sure
    {**GOOD, "tag": "c"},
    {**GOOD, "born": "2024-01-01T00:00:00"},  # no offset
    {**GOOD, "owner": {"id": "nope"}},
    {**GOOD, "owner": {}},
    {**GOOD, "toys": []},
    {**GOOD, "toys": ["a", "b", "c"]},
    {**GOOD, "toys": [1]},
    {**GOOD, "extra": {"k": "v"}},
    {**GOOD, "extra": {"a": 1, "b": 2}},
    {**GOOD, "kind": "yy"},
    {**GOOD, "kind": "x"},
    {**GOOD, "other": 1},  # additionalProperties: false
    {**GOOD, "tag": None},  # null: never sure
    {"name": "ab"},
    ["ab"],
    "ab",
]


def _doc(tmp_path: Path, version: str) -> Document:
    exclusive = "true" if version.startswith("3.0") else "1"
    spec = tmp_path / "spec.yaml"
    spec.write_text(SPEC.format(version=version, exclusive=exclusive))
    doc, _ = load(spec)
    assert doc is not None
    return doc


def _jsonschema_says(check: JsonSchemaCheck, value: Any, name: str) -> str | None:
    """``jsonschema``'s own answer (the sure path turned off)."""
    schema = check.doc.data["components"]["schemas"][name]
    pointer = f"/components/schemas/{name}"
    return check._problem.__func__(
        _Unsure(check), value, schema, check.doc.root, pointer, check.dialect
    )  # type: ignore[attr-defined,no-any-return]


class _Unsure:
    """``check`` with its sure answers off."""

    def __init__(self, check: JsonSchemaCheck) -> None:
        self._check = check

    def __getattr__(self, name: str) -> Any:
        return getattr(self._check, name)

    def _sure(self, *args: Any) -> bool:
        return False


@pytest.mark.parametrize("version", ["3.0.3", "3.1.0"])
def test_a_sure_answer_is_jsonschemas(tmp_path: Path, version: str) -> None:
    doc = _doc(tmp_path, version)
    check = check_for(doc)
    schemas = doc.data["components"]["schemas"]
    sure = 0
    cases = [(pet, "Pet") for pet in PETS] + [
        (value, name)
        for name in ("Either", "Tagged", "Above", "Secret", "Maybe", "Owner")
        for value in ("x", 1, 2.5, {"id": "x"}, {"pin": "1"}, None)
    ]
    for value, name in cases:
        pointer = f"/components/schemas/{name}"
        told = check._sure(value, schemas[name], doc.root, pointer, check.dialect)
        truth = _jsonschema_says(check, value, name)
        if told:
            sure += 1
            assert truth is None, (value, name, truth)
        assert check.problem(value, schemas[name], doc.root, pointer) == truth, (value, name)
    assert sure >= 5  # the plain cases are answered here


@pytest.mark.parametrize(
    ("value", "name"),
    [
        (None, "Maybe"),  # null
        (1, "Either"),  # a oneOf of two branches
        ({"id": "x"}, "Tagged"),  # a discriminator
        (2, "Above"),  # exclusiveMinimum
        ({"pin": "1"}, "Secret"),  # writeOnly
        ({**GOOD, "age": 1.0}, "Pet"),  # 1.0 as an integer
    ],
)
def test_not_sure_of_what_it_does_not_read(tmp_path: Path, value: Any, name: str) -> None:
    doc = _doc(tmp_path, "3.0.3")
    check = check_for(doc)
    schema = doc.data["components"]["schemas"][name]
    assert not check._sure(value, schema, doc.root, f"/components/schemas/{name}", check.dialect)


def test_plain_examples_import_no_jsonschema(tmp_path: Path) -> None:
    """A spec whose examples are all surely valid is translated without ``jsonschema``."""
    spec = tmp_path / "spec.yaml"
    spec.write_text(
        "openapi: 3.0.3\ninfo: {title: T, version: '1'}\n"
        "paths:\n  /pets:\n    get:\n      responses:\n        '200':\n"
        "          description: ok\n          content:\n            application/json:\n"
        "              schema: {$ref: '#/components/schemas/Pet'}\n"
        "components:\n  schemas:\n    Pet:\n      type: object\n      required: [name, at]\n"
        "      properties:\n        name: {type: string, example: rex}\n"
        "        at: {type: integer, format: unix-time}\n"
    )
    code = (
        "import sys; from pathlib import Path; from generator.load import load; "
        "from generator.translate.rest_ir import translate_rest; "
        f"doc, _ = load(Path({str(spec)!r})); ir, found = translate_rest(doc); "
        "assert not found, found; "
        "print(sorted(m for m in ('jsonschema', 'openapi_schema_validator') if m in sys.modules))"
    )
    root = Path(__file__).resolve().parents[2]
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=root, capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == "[]", out.stderr


@pytest.mark.parametrize("dialect", DIALECTS)
def test_open_tokens_are_transparent(dialect: str) -> None:
    """``OPEN_TOKENS`` spare ``referencing``'s import; each is what ``_transparent`` says."""
    for token in OPEN_TOKENS:
        assert _transparent(dialect, token)


def test_the_document_stays_collectable(tmp_path: Path) -> None:
    """The sure answers and shared shapes hold the document's schemas, never the document."""
    import gc
    import weakref

    from generator.translate.rest_ir import translate_rest

    doc = _doc(tmp_path, "3.0.3")
    check = check_for(doc)
    pet = doc.data["components"]["schemas"]["Pet"]
    assert (
        check._sure(
            {**GOOD, "owner": {"id": "x"}}, pet, doc.root, "/components/schemas/Pet", "oas30"
        )
        is False
    )
    assert check._sure(GOOD, pet, doc.root, "/components/schemas/Pet", "oas30")
    translate_rest(doc)
    gone = weakref.ref(doc)
    del doc, check, pet
    gc.collect()
    assert gone() is None
