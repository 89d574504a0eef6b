"""Example values: the data a default handler returns or a stream publishes.

``synthesize(doc, schema, source, pointer)`` gives the schema's own
``example`` / ``examples[0]`` / ``default`` / ``const`` / ``enum[0]`` when it
fits the schema, or else one synthesised from it: required properties only,
formats respected (date-time, uuid, ...), bounds, lengths and patterns met.
``vet`` does the same for examples given beside a schema (a media type's
``example``, a message's ``examples``).

Every value is checked twice: against the model ``TypeModelBuilder`` generates
for the schema (``example_checks``), and with ``jsonschema`` against the
schema itself (``example_jsonschema``: the document's draft, formats asserted).
A spec example that fails JSON Schema is a located ``example-invalid`` warning
and is not served; a synthesised value that still fails (a schema no value can
meet, or one this synthesiser cannot) is an ``example-unsatisfiable`` warning.

Bounded: depth-limited and recursion-safe (a model that contains itself
gets the smallest value the schema allows at the point of recursion).
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from generator.diagnostics import Diagnostic, Severity
from generator.load import Document, Source
from generator.translate._example_fixes import ExampleFixes
from generator.translate._example_scalars import int_or, synth_number, synth_string
from generator.translate._schema_types import schema_types
from generator.translate.example_checks import (
    MAX_DEPTH,
    annotation_only,
    example_conforms,
    is_nullable,
)
from generator.translate.example_jsonschema import check_for

if TYPE_CHECKING:
    from generator.translate.schema import TypeModelBuilder

__all__ = ["Candidate", "Example", "example_conforms", "example_value", "synthesize", "vet"]


@dataclass(frozen=True, slots=True)
class Example:
    """A value valid for its schema, and the warnings choosing it gave."""

    value: object
    diagnostics: tuple[Diagnostic, ...] = ()


@dataclass(frozen=True, slots=True)
class Candidate:
    """An example the spec gives beside a schema, and where it is written."""

    value: object
    source: Source
    pointer: str


def synthesize(
    origin: Document | TypeModelBuilder,
    schema: object,
    source: Source | None = None,
    pointer: str = "",
    *,
    dialect: str | None = None,
) -> Example:
    """A JSON value valid for ``schema`` (found at ``pointer`` in ``source``), with warnings.

    The public entry for every stage that needs a value of a schema (default
    replies, demo messages, error bodies). ``dialect`` overrides the JSON Schema
    dialect the document implies (an AsyncAPI payload's ``schemaFormat``).
    """
    doc = origin if isinstance(origin, Document) else origin.doc
    maker = _Examples(doc, dialect)
    src = source or doc.root
    value = maker.value(schema, src, pointer, 0, frozenset())
    maker.final_check(value, schema, src, pointer)
    return Example(value, tuple(maker.diagnostics))


def example_value(
    origin: Document | TypeModelBuilder,
    schema: object,
    source: Source | None = None,
    pointer: str = "",
) -> object:
    """A JSON value valid for ``schema`` (``synthesize`` without its warnings)."""
    return synthesize(origin, schema, source, pointer).value


def vet(
    origin: Document | TypeModelBuilder,
    candidates: Sequence[Candidate],
    schema: object,
    source: Source,
    pointer: str,
    *,
    dialect: str | None = None,
) -> tuple[list[object], list[Diagnostic]]:
    """The candidates valid for ``schema`` (model and JSON Schema), and a warning per invalid one.

    A candidate that JSON Schema refuses gets a located ``example-invalid``
    warning; one that only the generated model refuses is dropped silently
    (twinspec's limitation, not the spec's).
    """
    doc = origin if isinstance(origin, Document) else origin.doc
    maker = _Examples(doc, dialect)
    kept: list[object] = []
    for candidate in candidates:
        value = candidate.value
        problem = maker.json.problem(value, schema, source, pointer, maker.dialect)
        parsed = _json_text(value) if problem is not None else None
        if parsed is not None and maker.json.valid(parsed, schema, source, pointer, maker.dialect):
            value, problem = parsed, None  # JSON written as a string (as Jira's spec does)
            maker.invalid(
                candidate.source,
                candidate.pointer,
                "it is JSON text, not a JSON value (write it as YAML/JSON data)",
                served="twinspec serves the parsed value",
            )
        if problem is not None:
            maker.invalid(candidate.source, candidate.pointer, problem)
        elif maker.conforms(value, schema, source, pointer, 0):
            kept.append(value)
    return kept, maker.diagnostics


def _json_text(value: object) -> object | None:
    """The object or array a string example holds as JSON text, if it does."""
    if not isinstance(value, str) or not value.lstrip().startswith(("{", "[")):
        return None
    try:
        parsed = json.loads(value)
    except ValueError:
        return None
    return parsed if isinstance(parsed, (dict, list)) else None


class _Examples(ExampleFixes):
    """Values synthesised from schemas; candidates are vetted by ``conforms`` and ``json``."""

    def __init__(self, doc: Document, dialect: str | None) -> None:
        super().__init__(doc)
        self.json = check_for(doc)
        self.dialect = dialect or self.json.dialect
        self.diagnostics: list[Diagnostic] = []
        # (value, source, pointer) of the spec's own values JSON Schema passed here: the final
        # check of one of them would repeat that very check
        self._passed: set[tuple[int, int, str]] = set()

    def invalid(
        self,
        source: Source,
        pointer: str,
        problem: str,
        served: str = "twinspec serves a valid value instead",
    ) -> None:
        """Warn about a spec example JSON Schema refuses, where it is written."""
        self.diagnostics.append(
            self.doc.diagnostic(
                pointer,
                "example-invalid",
                f"example does not validate against its schema: {problem}; {served}",
                Severity.WARNING,
                source,
            )
        )

    def final_check(self, value: Any, schema: Any, source: Source, pointer: str) -> None:
        """Warn when the chosen value still fails JSON Schema (nothing better was found)."""
        found = self.deref(schema, source, pointer)
        if found is None:
            return
        if (id(value), id(found[1]), found[2]) in self._passed:
            return
        problem = self.json.problem(value, *found, self.dialect)
        if problem is not None:
            self.diagnostics.append(
                self.doc.diagnostic(
                    found[2],
                    "example-unsatisfiable",
                    f"no example valid for this schema could be made ({problem});"
                    " the generated default handlers and demo use this one anyway",
                    Severity.WARNING,
                    found[1],
                )
            )

    def value(
        self,
        schema: Any,
        source: Source,
        pointer: str,
        depth: int,
        stack: frozenset[tuple[int, str]],
    ) -> Any:
        given = schema  # its own ``nullable`` counts too, read only where recursion ends
        found = self.deref(schema, source, pointer)
        if found is None:
            return None
        schema, source, pointer = found
        if not isinstance(schema, dict):
            return {}
        key = (id(source), pointer)
        if key in stack or depth > MAX_DEPTH:
            outer_nullable = isinstance(given, dict) and is_nullable(given)
            return self.smallest(schema, source, pointer, outer_nullable)
        stack = stack | {key}
        for candidate, where in _candidates(schema, pointer):
            problem = self.json.problem(candidate, schema, source, pointer, self.dialect)
            if problem is not None:
                if where:
                    self.invalid(source, where, problem)
                continue
            if self.conforms(candidate, schema, source, pointer, 0):
                self._passed.add((id(candidate), id(source), pointer))
                return candidate
        return self.synthesise(schema, source, pointer, depth, stack)

    def smallest(self, schema: dict[str, Any], source: Source, pointer: str, nullable: bool) -> Any:
        """A value that ends recursion: null, an empty list or map when the schema allows it."""
        if nullable or is_nullable(schema):
            return None
        types = schema_types(schema)
        if "array" in types or "items" in schema:
            return []
        return {}

    def synthesise(
        self,
        schema: dict[str, Any],
        source: Source,
        pointer: str,
        depth: int,
        stack: frozenset[tuple[int, str]],
    ) -> Any:
        if "const" in schema:
            return schema["const"]
        enum = schema.get("enum")
        if isinstance(enum, list) and enum:
            return next((v for v in enum if v is not None), None)
        all_of = schema.get("allOf")
        if isinstance(all_of, list) and all_of and not schema.get("properties"):
            structural = [p for p in all_of if not annotation_only(p)]
            if len(structural) == 1 and "type" not in schema:
                return self.value(
                    structural[0],
                    source,
                    f"{pointer}/allOf/{all_of.index(structural[0])}",
                    depth + 1,
                    stack,
                )
        if isinstance(all_of, list) and all_of:
            return self.object(schema, source, pointer, depth, stack)
        for key in ("oneOf", "anyOf"):
            branches = schema.get(key)
            if isinstance(branches, list) and branches and not schema.get("properties"):
                return self.union(schema, key, branches, source, pointer, depth, stack)
        types = [t for t in schema_types(schema) if t != "null"]
        if not types:
            if "properties" in schema or "additionalProperties" in schema:
                types = ["object"]
            elif "items" in schema or "prefixItems" in schema:
                types = ["array"]
            elif schema_types(schema) == ["null"]:
                return None
            else:
                return {}
        kind = types[0]
        if kind == "object":
            return self.object(schema, source, pointer, depth, stack)
        if kind == "array":
            return self.array(schema, source, pointer, depth, stack)
        if kind == "string":
            return synth_string(schema)
        if kind in ("integer", "number"):
            return synth_number(schema, integer=kind == "integer")
        return True

    def object(
        self,
        schema: dict[str, Any],
        source: Source,
        pointer: str,
        depth: int,
        stack: frozenset[tuple[int, str]],
    ) -> dict[str, Any]:
        props, required, additional = self.shape(schema, source, pointer)
        # only ``allOf`` defines a property twice: without it every definition is ``props``' own
        all_of = schema.get("allOf")
        defs = self.definitions(schema, source, pointer) if isinstance(all_of, list) else {}
        out: dict[str, Any] = {}
        for wire, (sub, ssource, spointer) in props.items():
            if wire in required:
                out[wire] = (
                    self.property_value(defs[wire], depth, stack)
                    if len(defs.get(wire, ())) > 1
                    else self.value(sub, ssource, spointer, depth + 1, stack)
                )
        for wire in sorted(set(required) - set(props)):
            # required but never defined: present, with what additionalProperties allows (else null)
            if isinstance(additional, tuple):
                asub, asource, apointer = additional
                out[wire] = self.value(asub, asource, apointer, depth + 1, stack)
            else:
                out[wire] = None
        return self.with_branch_required(out, schema, source, pointer, depth, stack)

    def array(
        self,
        schema: dict[str, Any],
        source: Source,
        pointer: str,
        depth: int,
        stack: frozenset[tuple[int, str]],
    ) -> list[Any]:
        prefix = schema.get("prefixItems")
        items = schema.get("items")
        if isinstance(items, list):
            prefix, items = items, schema.get("additionalItems", True)
        if isinstance(prefix, list) and prefix:
            return [
                self.value(p, source, f"{pointer}/prefixItems/{i}", depth + 1, stack)
                for i, p in enumerate(prefix)
            ]
        low = int_or(schema.get("minItems"), 0)
        high = int_or(schema.get("maxItems"), max(low, 1))
        count = min(max(low, 1), high)
        if not isinstance(items, dict) or count == 0:
            return [{} for _ in range(count)] if not isinstance(items, dict) else []
        made = [
            self.value(items, source, f"{pointer}/items", depth + 1, stack) for _ in range(count)
        ]
        if low == 0 and not all(
            self.conforms(m, items, source, f"{pointer}/items", 0) for m in made
        ):
            return []  # e.g. the item type contains this list again: the empty list ends it
        if schema.get("uniqueItems") is True and len(made) > 1:
            return self.distinct(made, items, source, f"{pointer}/items")
        return made

    def union(
        self,
        schema: dict[str, Any],
        key: str,
        branches: list[Any],
        source: Source,
        pointer: str,
        depth: int,
        stack: frozenset[tuple[int, str]],
    ) -> Any:
        disc = schema.get("discriminator")
        prop = disc.get("propertyName") if isinstance(disc, dict) else None
        made: list[tuple[int, Any]] = []
        for i, branch in enumerate(branches):
            found = self.deref(branch, source, f"{pointer}/{key}/{i}")
            if found is None or (isinstance(found[0], dict) and schema_types(found[0]) == ["null"]):
                continue
            value = self.value(branch, source, f"{pointer}/{key}/{i}", depth + 1, stack)
            if (
                isinstance(prop, str)
                and isinstance(disc, dict)
                and isinstance(value, dict)
                and isinstance(branch, dict)
                and "$ref" in branch
            ):
                value = {**value, prop: self.tag(disc, str(branch["$ref"]), source, prop)}
            if key != "oneOf" or self.ok(value, schema, source, pointer):
                return value
            made.append((i, value))  # matches no branch, or several: try the others
        return self.one_of(made, schema, source, pointer, depth, stack) if made else None


def _candidates(schema: dict[str, Any], pointer: str) -> Iterator[tuple[Any, str]]:
    """Values the schema itself offers, each with where it is written if it is an example."""
    if "example" in schema:
        yield schema["example"], f"{pointer}/example"
    examples = schema.get("examples")
    if isinstance(examples, list):
        yield from ((v, f"{pointer}/examples/{i}") for i, v in enumerate(examples[:3]))
    if "default" in schema:
        yield schema["default"], ""
    if "const" in schema:
        yield schema["const"], ""
    enum = schema.get("enum")
    if isinstance(enum, list):
        yield from ((v, "") for v in enum[:3] if v is not None)
