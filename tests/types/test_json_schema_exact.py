"""Models accept what JSON Schema accepts: untyped objects, draft-4 integers, strict aliases and enums.

Each case is judged by what the generated models.py (rendered, imported, linted)
accepts and refuses, in Python mode with the runtimes' ``context={"wire": True}``
and in JSON mode, against what the document's own JSON Schema dialect says.
"""

from __future__ import annotations

import json
import subprocess
import sys
from typing import Any

import pytest
from model_support import Built, build
from pydantic import TypeAdapter, ValidationError

from generator.render.format import ruff_binary

SCHEMAS = """\
info: {title: Exact, version: "1"}
paths: {}
components:
  schemas:
    Loose:
      description: properties but no type (the Swagger petstore's Pet is written so)
      properties:
        name: {type: string}
    Typed:
      type: object
      properties:
        name: {type: string}
    Holder:
      type: object
      required: [inner]
      properties:
        inner: {$ref: '#/components/schemas/Loose'}
        count: {type: integer}
    Either:
      anyOf:
        - {$ref: '#/components/schemas/Loose'}
        - properties: {size: {type: integer}}
    OnlyOne:
      oneOf:
        - {$ref: '#/components/schemas/Loose'}
        - properties: {size: {type: integer}}
    Counts:
      type: array
      items: {type: integer}
    Level:
      type: integer
      enum: [1, 2]
    NotAnObject:
      description: a spec's own schema with the helper's name keeps its place
      type: string
"""
OAS30 = "openapi: 3.0.3\n" + SCHEMAS
OAS31 = "openapi: 3.1.0\n" + SCHEMAS
WIRE = {"wire": True}


@pytest.fixture(scope="module")
def oas30(tmp_path_factory: pytest.TempPathFactory) -> Built:
    return build(tmp_path_factory.mktemp("oas30"), OAS30)


@pytest.fixture(scope="module")
def oas31(tmp_path_factory: pytest.TempPathFactory) -> Built:
    return build(tmp_path_factory.mktemp("oas31"), OAS31)


def _adapter(built: Built, name: str) -> TypeAdapter[Any]:
    return TypeAdapter(eval(built.refs[name].annotation, vars(built.module)))


def _accepts(adapter: TypeAdapter[Any], value: Any, mode: str) -> bool:
    try:
        if mode == "json":
            adapter.validate_json(json.dumps(value))
        else:
            adapter.validate_python(value, context=WIRE)
    except ValidationError:
        return False
    return True


CASES = [
    # properties without type: every non-object is valid too (JSON Schema), objects are checked
    ("Loose", [], True),
    ("Loose", None, True),
    ("Loose", 7, True),
    ("Loose", "x", True),
    ("Loose", {"name": "a"}, True),
    ("Loose", {"name": 7}, False),
    ("Typed", [], False),
    ("Typed", None, False),
    ("Holder", {"inner": []}, True),
    ("Holder", {"inner": {"name": 7}}, False),
    # anyOf: a non-object matches both branches, fine; oneOf: it matches both, refused
    ("Either", "x", True),
    ("OnlyOne", "x", False),
    ("OnlyOne", {"name": "a"}, True),
    # an alias used on its own (a body, a message) is as strict as a model's field
    ("Counts", [1, 2], True),
    ("Counts", ["1"], False),
    ("Counts", [True], False),
    # an integer enum read off the wire takes no string and no boolean
    ("Level", 1, True),
    ("Level", "1", False),
    ("Level", True, False),
    ("Level", 3, False),
]


@pytest.mark.parametrize("mode", ["python", "json"])
@pytest.mark.parametrize("dialect", ["oas30", "oas31"])
@pytest.mark.parametrize(("name", "value", "valid"), CASES, ids=[f"{c[0]}-{c[1]!r}" for c in CASES])
def test_verdict(
    request: pytest.FixtureRequest, dialect: str, mode: str, name: str, value: Any, valid: bool
) -> None:
    built: Built = request.getfixturevalue(dialect)
    assert _accepts(_adapter(built, name), value, mode) is valid


@pytest.mark.parametrize("mode", ["python", "json"])
@pytest.mark.parametrize(("dialect", "valid"), [("oas30", False), ("oas31", True)])
def test_integer_1_0_per_draft(
    request: pytest.FixtureRequest, dialect: str, valid: bool, mode: str
) -> None:
    """OAS 3.0 reads JSON Schema draft 4, where 1.0 is no integer; OAS 3.1 reads 2020-12."""
    built: Built = request.getfixturevalue(dialect)
    assert _accepts(_adapter(built, "Holder"), {"inner": None, "count": 1.0}, mode) is valid
    assert _accepts(_adapter(built, "Counts"), [1.0], mode) is valid


def test_parameters_stay_lax(oas31: Built) -> None:
    """Text-parsed parameters validate with strict=False: "1" is read as 1 there."""
    assert _adapter(oas31, "Counts").validate_python(["1"], strict=False) == [1]


def test_annotations_say_it(oas31: Built) -> None:
    """The loose object is the model or NotAnObject; the model itself is still a class."""
    assert oas31.refs["Loose"].annotation == "Loose | NotAnObject"
    assert oas31.refs["Typed"].annotation == "Typed"
    assert "NotAnObject: TypeAlias = Annotated[bool | int | float | str | list[Any] | None" in (
        oas31.source
    )
    assert oas31.module.Loose(name="a").name == "a"
    assert oas31.refs["NotAnObject"].annotation != "NotAnObject"
    assert "OnlyOne: TypeAlias = Annotated[Loose | OnlyOneOption2, JSON_TYPES]" in oas31.source
    assert "Either: TypeAlias = Annotated[Loose | EitherOption2 | NotAnObject" in oas31.source


@pytest.mark.parametrize("dialect", ["oas30", "oas31"])
def test_generated_module_is_clean(request: pytest.FixtureRequest, dialect: str) -> None:
    built: Built = request.getfixturevalue(dialect)
    lint = subprocess.run(
        [
            *(ruff_binary(), "check", "--isolated", "--line-length", "100", "--select"),
            *("E,F,W,I,UP,B,RUF022,PYI016,PYI030", "--target-version", "py310", str(built.path)),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert lint.returncode == 0, lint.stdout
    typed = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", str(built.path)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert typed.returncode == 0, typed.stdout
