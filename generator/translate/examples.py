"""Example values: the data a default handler returns or a stream publishes.

``example_value(doc, schema, source, pointer)`` gives the schema's own
``example`` / ``examples[0]`` / ``default`` / ``const`` / ``enum[0]`` when it
fits the schema, or else one synthesised from it: required properties only,
formats respected (date-time, uuid, ...), bounds, lengths and patterns met.
The result is plain JSON data that validates against the model
``TypeModelBuilder`` generates for the same schema (``example_conforms``, in
``example_checks``, is the check it uses; builders vet media-type examples with it).

Bounded: depth-limited and recursion-safe (a model that contains itself
gets the smallest value the schema allows at the point of recursion).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from generator.load import Document, Source
from generator.translate._example_scalars import int_or, synth_number, synth_string
from generator.translate._schema_types import schema_types
from generator.translate.example_checks import (
    MAX_DEPTH,
    SchemaChecker,
    annotation_only,
    example_conforms,
    is_nullable,
)

if TYPE_CHECKING:
    from generator.translate.schema import TypeModelBuilder

__all__ = ["example_conforms", "example_value"]


def example_value(
    origin: Document | TypeModelBuilder,
    schema: object,
    source: Source | None = None,
    pointer: str = "",
) -> object:
    """A JSON value valid for ``schema`` (found at ``pointer`` in ``source``)."""
    doc = origin if isinstance(origin, Document) else origin.doc
    return _Examples(doc).value(schema, source or doc.root, pointer, 0, frozenset())


class _Examples(SchemaChecker):
    """Values synthesised from schemas; candidates are vetted by the inherited ``conforms``."""

    def value(
        self,
        schema: Any,
        source: Source,
        pointer: str,
        depth: int,
        stack: frozenset[tuple[int, str]],
    ) -> Any:
        outer_nullable = isinstance(schema, dict) and is_nullable(schema)
        found = self.deref(schema, source, pointer)
        if found is None:
            return None
        schema, source, pointer = found
        if not isinstance(schema, dict):
            return {}
        key = (id(source), pointer)
        if key in stack or depth > MAX_DEPTH:
            return self.smallest(schema, source, pointer, outer_nullable)
        stack = stack | {key}
        for candidate in _candidates(schema):
            if self.conforms(candidate, schema, source, pointer, 0):
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
        out: dict[str, Any] = {}
        for wire, (sub, ssource, spointer) in props.items():
            if wire in required:
                out[wire] = self.value(sub, ssource, spointer, depth + 1, stack)
        for wire in sorted(set(required) - set(props)):
            # required but never defined: present, with what additionalProperties allows (else null)
            if isinstance(additional, tuple):
                asub, asource, apointer = additional
                out[wire] = self.value(asub, asource, apointer, depth + 1, stack)
            else:
                out[wire] = None
        return out

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
            return value
        return None


def _candidates(schema: dict[str, Any]) -> Iterator[Any]:
    if "example" in schema:
        yield schema["example"]
    examples = schema.get("examples")
    if isinstance(examples, list):
        yield from examples[:3]
    if "default" in schema:
        yield schema["default"]
    if "const" in schema:
        yield schema["const"]
    enum = schema.get("enum")
    if isinstance(enum, list):
        yield from (v for v in enum[:3] if v is not None)
