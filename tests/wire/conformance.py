"""Conformance of generated models with JSON Schema: same verdict as ``jsonschema`` on the same value.

For a deterministic sample of corpus component schemas, the generated models.py
is imported and each schema's type is wrapped in a ``TypeAdapter``; ``jsonschema``
(``openapi-schema-validator``'s OAS 3.0/3.1 validators, Draft 7 for AsyncAPI)
validates the same values. Values: twinspec's synthesised valid example, targeted
type/null mutations of it (a string for a number, 1 for a boolean, 1.0 for an
integer, null, a dropped required key), and draws of hypothesis-jsonschema for
self-contained schemas.
"""

from __future__ import annotations

import contextlib
import copy
import importlib.util
import itertools
import json
import sys
import warnings
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jsonschema
import referencing
import referencing.jsonschema
from hypothesis import HealthCheck, given, settings
from openapi_schema_validator import OAS30Validator, OAS31Validator
from pydantic import TypeAdapter, ValidationError

from generator.load import load
from generator.render.env import RenderItem, make_environment, render_plan
from generator.translate.examples import example_value
from generator.translate.schema import TypeModelBuilder
from tests.types.corpus_support import component_schemas, dialect_of

_COUNTER = itertools.count()
FORMATS = jsonschema.FormatChecker(["date-time", "date", "time", "uuid"])
"""The formats the generated models type (datetime, date, time, UUID): jsonschema asserts them too."""
MUTATIONS_PER_SCHEMA = 10
DRAWS_PER_SCHEMA = 3
DRAW_EVERY = 4
"""hypothesis-jsonschema draws for every DRAW_EVERY-th self-contained schema (time budget)."""


@dataclass
class Tally:
    """Verdict pairs over the sample, with every disagreement kept for its class."""

    schemas: int = 0
    instances: int = 0
    agree: int = 0
    skipped: Counter[str] = field(default_factory=Counter)
    disagreements: list[tuple[str, str, str, Any, bool]] = field(default_factory=list)

    @property
    def rate(self) -> float:
        return self.agree / self.instances if self.instances else 0.0

    def classes(self) -> Counter[str]:
        return Counter(reason for _doc, _name, reason, _value, _ok in self.disagreements)


def _mutations(value: Any, depth: int = 0) -> Iterator[Any]:
    """Values one JSON type or null away from ``value`` (nested, depth-first)."""
    if isinstance(value, bool):
        yield from (1, "true", None)
    elif isinstance(value, int):
        yield from (str(value), float(value), value + 0.5, True, None)
    elif isinstance(value, float):
        yield from (str(value), None)
    elif isinstance(value, str):
        yield from (7, None)
    elif isinstance(value, list):
        yield from ("x", None)
        if value and depth < 3:
            for m in _mutations(value[0], depth + 1):
                yield [m, *value[1:]]
    elif isinstance(value, dict):
        yield from ([], None)
        if depth < 3:
            for key in sorted(value):
                dropped = dict(value)
                del dropped[key]
                yield dropped
                for m in _mutations(value[key], depth + 1):
                    yield {**value, key: m}


def _draws(schema: Any, count: int) -> list[Any]:
    """Valid values hypothesis-jsonschema draws for a self-contained schema (deterministic)."""
    from hypothesis_jsonschema import from_schema

    out: list[Any] = []

    @settings(
        max_examples=count,
        derandomize=True,
        database=None,
        deadline=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(from_schema(schema))
    def collect(value: Any) -> None:
        out.append(value)

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        collect()
    return out


def _has_ref(schema: Any) -> bool:
    return "$ref" in json.dumps(schema)


def _validator(doc_data: Any, dialect: str, pointer: str) -> jsonschema.protocols.Validator:
    spec = {
        "oas30": referencing.jsonschema.DRAFT4,
        "swagger2": referencing.jsonschema.DRAFT4,
        "oas31": referencing.jsonschema.DRAFT202012,
    }.get(dialect, referencing.jsonschema.DRAFT7)
    uri = "urn:twinspec:doc"
    registry: referencing.Registry[Any] = referencing.Registry().with_resource(
        uri, referencing.Resource(contents=doc_data, specification=spec)
    )
    cls: Any = {"oas30": OAS30Validator, "swagger2": OAS30Validator, "oas31": OAS31Validator}.get(
        dialect, jsonschema.Draft7Validator
    )
    return cls({"$ref": f"{uri}#{pointer}"}, registry=registry, format_checker=FORMATS)


def _import(path: Path) -> Any:
    name = f"twinspec_conformance_{next(_COUNTER)}"
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def _verdict(adapter: TypeAdapter[Any], value: Any) -> tuple[bool, str]:
    try:
        adapter.validate_python(value, context={"wire": True})
    except ValidationError as exc:
        return False, str(exc.errors()[0]["type"])
    return True, ""


def check_document(path: Path, rel: str, folder: Path, limit: int, tally: Tally) -> None:
    """Compare verdicts on up to ``limit`` component schemas of one document."""
    doc, _diagnostics = load(path)
    if doc is None or doc.kind is None:
        tally.skipped["document does not load"] += 1
        return
    dialect = dialect_of(doc)
    builder = TypeModelBuilder(doc, dialect=dialect)
    found = component_schemas(doc)
    step = max(1, len(found) // limit) if limit else 1
    chosen = found[::step][:limit]
    refs = {}
    for name, schema, source, pointer in found:
        refs[pointer] = (name, schema, source, builder.add_component(name, schema, source, pointer))
    out = folder / f"m{next(_COUNTER)}.py"
    out.write_text(render_models(builder.finish()), encoding="utf-8")
    module = _import(out)
    for name, schema, source, pointer in chosen:
        ref = refs[pointer][3]
        try:
            adapter: TypeAdapter[Any] = TypeAdapter(eval(ref.annotation, vars(module)))
            validator = _validator(doc.data, dialect, pointer)
            seed = example_value(doc, schema, source, pointer)
            validator.is_valid(seed)
        except Exception as exc:  # an external ref, a schema jsonschema cannot resolve
            tally.skipped[type(exc).__name__] += 1
            continue
        values = [seed, *itertools.islice(_mutations(copy.deepcopy(seed)), MUTATIONS_PER_SCHEMA)]
        draw = next(_COUNTER) % DRAW_EVERY == 0
        if draw and isinstance(schema, dict) and not _has_ref(schema) and dialect != "oas30":
            with contextlib.suppress(Exception):
                values += _draws(schema, DRAWS_PER_SCHEMA)
        tally.schemas += 1
        for value in values:
            try:
                expected = validator.is_valid(value)
            except Exception:
                tally.skipped["jsonschema error"] += 1
                continue
            got, error = _verdict(adapter, value)
            tally.instances += 1
            if got == expected:
                tally.agree += 1
            else:
                reason = _classify(validator, dialect, ref.kind.value, value, got, error)
                tally.disagreements.append((rel, name, reason, value, expected))


REASONS = {
    "oneOf-overlap": "a value two oneOf branches accept: JSON Schema refuses it, a pydantic"
    " union takes the first branch that fits (oneOf's exclusivity is not modelled)",
    "oas30-nullable-beside-composition": "OAS 3.0.3: nullable counts only beside a type in the"
    " same schema; the model lets it widen a $ref/allOf/oneOf, as authors mean it",
    "oas30-nullable-enum": "OAS 3.0.3: a nullable enum must list null itself; the model takes"
    " nullable: true at its word",
    "additionalProperties-in-composition": "additionalProperties: false sees only its own"
    " schema's properties; the model merges allOf parts first, so another part's property passes",
    "readonly-required": "required readOnly/writeOnly properties are optional in the one model"
    " requests and responses share (a request omits readOnly ones, a response writeOnly ones)",
    "allOf-property-overlap": "a property two allOf parts define must satisfy both; the model"
    " uses the first part's schema",
    "composition-beside-keywords": "anyOf/oneOf beside properties or type: the model follows"
    " one side, JSON Schema intersects both",
    "unmodelled-keyword": "minProperties, maxProperties, contains, not, uniqueItems, if/then,"
    " dependencies: not enforced by the models",
    "dangling-ref": "the spec's $ref points nowhere: jsonschema fails that branch, the model"
    " types it as Any (with a warning)",
    "pattern-dialect": "an ECMA-262 pattern run by Rust's regex engine: Unicode classes"
    " (\\s, \\w) differ",
}
"""Every disagreement class the corpus still shows, with the reason it is left as is."""

_UNMODELLED = frozenset(
    {
        "minProperties",
        "maxProperties",
        "contains",
        "not",
        "uniqueItems",
        "if",
        "dependencies",
        "dependentRequired",
        "dependentSchemas",
        "propertyNames",
    }
)


def _classify(validator: Any, dialect: str, kind: str, value: Any, got: bool, error: str) -> str:
    """The disagreement class of one value: a key of ``REASONS``, else ``kind:detail``."""
    if not got:
        if error == "string_pattern_mismatch":
            return "pattern-dialect"
        return f"{kind}:{error}"
    found = jsonschema.exceptions.best_match(validator.iter_errors(value))
    if found is None:
        return f"{kind}:accepted {type(value).__name__}"
    keyword, path = str(found.validator), list(found.absolute_schema_path)
    if "could not be resolved" in found.message:
        return "dangling-ref"
    if keyword == "oneOf" and "is valid under each of" in found.message:
        return "oneOf-overlap"
    if dialect in ("oas30", "swagger2") and found.instance is None:
        return "oas30-nullable-enum" if keyword == "enum" else "oas30-nullable-beside-composition"
    if keyword == "additionalProperties":
        return "additionalProperties-in-composition"
    if keyword == "required":
        return "readonly-required"
    if keyword in _UNMODELLED:
        return "unmodelled-keyword"
    if keyword in ("enum", "const") and "allOf" in path:
        return "allOf-property-overlap"
    if keyword in ("anyOf", "oneOf", "type"):
        return "composition-beside-keywords"
    if keyword == "pattern":
        return "pattern-dialect"
    return f"{kind}:{keyword}"


def render_models(types: Any) -> str:
    """models.py text for a TypeModel (as every target renders it)."""
    plan = render_plan(
        "types",
        make_environment("rest-server"),
        [
            RenderItem(
                template="_common/models.py.jinja",
                path="models.py",
                context={"types": types, "spec_label": "spec.yaml", "target": "types"},
            )
        ],
    )
    return plan.files[0].content
