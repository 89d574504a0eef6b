"""The example checks' releasing keywords judge as ``jsonschema``'s own, and leave no cycles."""

from __future__ import annotations

import gc
from typing import Any

import jsonschema
import pytest

from generator.translate._jsonschema_release import release, releasing
from generator.translate.example_jsonschema import _validator_class
from generator.validate.oas_import import oas_package

OBJ = {"type": "object"}
STR = {"type": "string", "minLength": 2}
INT = {"type": "integer"}
NESTED = {"anyOf": [{"oneOf": [STR, {"enum": ["x"]}]}, {"not": INT}, {"type": "boolean"}]}

CASES: list[tuple[dict[str, Any], Any]] = [
    ({"anyOf": [STR, INT]}, "ab"),
    ({"anyOf": [STR, INT]}, 3),
    ({"anyOf": [STR, INT]}, "a"),
    ({"anyOf": [{"anyOf": [STR, OBJ]}, INT]}, 4),
    ({"anyOf": [{"anyOf": [STR, OBJ]}, INT]}, 4.5),
    ({"oneOf": [STR, INT]}, "ab"),
    ({"oneOf": [STR, {"type": "string"}]}, "abc"),
    ({"oneOf": [{"anyOf": [STR, INT]}, {"oneOf": [INT, {"minimum": 0}]}]}, 5),
    ({"oneOf": [{"anyOf": [STR, INT]}, {"oneOf": [INT, OBJ]}]}, [1]),
    ({"not": {"anyOf": [STR, INT]}}, "ab"),
    ({"not": {"anyOf": [STR, INT]}}, 1.5),
    ({"if": {"anyOf": [STR, INT]}, "then": {"const": 1}, "else": {"const": 2}}, 1),
    ({"if": {"anyOf": [STR, INT]}, "then": {"const": 1}, "else": {"const": 2}}, 1.5),
    ({"if": {"oneOf": [STR, INT]}, "then": {"const": "ab"}}, "abc"),
    ({"contains": {"anyOf": [STR, INT]}}, [1.5, False]),
    ({"contains": {"anyOf": [STR, INT]}}, [1.5, "ab"]),
    ({"contains": {"anyOf": [STR, INT]}, "maxContains": 1}, ["ab", 1]),
    ({"contains": {"anyOf": [STR, INT]}, "minContains": 2}, ["ab", False]),
    (
        {"type": "object", "properties": {"a": NESTED, "b": {"items": NESTED}}},
        {"a": 3, "b": [1, "q"]},
    ),
    ({"type": "object", "properties": {"a": NESTED}}, {"a": "x"}),
    ({"allOf": [NESTED, {"oneOf": [NESTED, {"type": "boolean"}]}]}, True),
]

DIALECTS = ["oas30", "swagger2", "oas31", "draft4", "draft6", "draft7", "draft2019", "draft2020"]


def _library(dialect: str) -> Any:
    """The class ``_validator_class`` extends, with only its other keywords changed."""
    ours = _validator_class(dialect)
    oas = oas_package()
    base = {
        "oas30": oas.OAS30ReadValidator,
        "swagger2": oas.OAS30ReadValidator,
        "oas31": oas.OAS31Validator,
        "draft4": jsonschema.Draft4Validator,
        "draft6": jsonschema.Draft6Validator,
        "draft7": jsonschema.Draft7Validator,
        "draft2019": jsonschema.Draft201909Validator,
        "draft2020": jsonschema.Draft202012Validator,
    }[dialect]
    mine = releasing(base.VALIDATORS)
    kept = {k: v for k, v in ours.VALIDATORS.items() if k not in mine}
    return jsonschema.validators.extend(base, validators=kept)


def _shape(error: Any) -> Any:
    return (
        error.message,
        error.validator,
        repr(error.validator_value),
        list(error.absolute_path),
        list(error.absolute_schema_path),
        [_shape(e) for e in error.context],
    )


def _judge(cls: Any, schema: Any, value: Any) -> Any:
    validator = cls(schema, format_checker=jsonschema.FormatChecker())
    errors = list(validator.iter_errors(value))
    best = jsonschema.exceptions.best_match(list(validator.iter_errors(value)))
    return [_shape(e) for e in errors], validator.is_valid(value), best and _shape(best)


@pytest.mark.parametrize("dialect", DIALECTS)
def test_releasing_keywords_judge_as_the_library(dialect: str) -> None:
    ours, theirs = _validator_class(dialect), _library(dialect)
    assert ours.VALIDATORS is not theirs.VALIDATORS
    for schema, value in CASES:
        assert _judge(ours, schema, value) == _judge(theirs, schema, value), (schema, value)


def test_every_keyword_that_drops_errors_is_replaced() -> None:
    for dialect in DIALECTS:
        table = _validator_class(dialect).VALIDATORS
        for name in ("anyOf", "oneOf", "not", "if", "contains"):
            if name in table:
                assert table[name].__module__ == "generator.translate._jsonschema_release", (
                    dialect,
                    name,
                )


def test_oas30_discriminator_still_goes_to_the_library() -> None:
    cls = _validator_class("oas30")
    schema = {
        "components": {"schemas": {"A": {"type": "object", "required": ["k", "a"]}}},
        "oneOf": [{"$ref": "#/components/schemas/A"}],
        "discriminator": {"propertyName": "k", "mapping": {"a": "#/components/schemas/A"}},
    }
    theirs = _library("oas30")
    for value in ({"k": "a"}, {"k": "a", "a": 1}, {}, 3):
        assert _judge(cls, schema, value) == _judge(theirs, schema, value)


@pytest.mark.parametrize("dialect", ["oas30", "oas31", "draft7"])
def test_no_cycles_left(dialect: str) -> None:
    cls = _validator_class(dialect)
    gc.collect()
    was = gc.isenabled()
    gc.disable()
    try:
        for schema, value in CASES:
            validator = cls(schema)
            errors = list(validator.iter_errors(value))
            release(errors)
            del errors, validator
        assert gc.collect() == 0
    finally:
        if was:
            gc.enable()
