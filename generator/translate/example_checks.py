"""Does a value fit a schema, as the model generated for it would judge?

``example_conforms(doc, value, schema)`` checks a spec's example or default
against the model ``TypeModelBuilder`` makes for the same schema (readOnly and
writeOnly properties optional, enums strict, discriminated unions by tag).
``SchemaChecker`` also reads what synthesis needs too (an object's properties
across ``allOf``, a discriminator's tags); ``examples`` builds on it.

Bounded: depth-limited, and a ``$ref`` that cannot be followed passes.
"""

from __future__ import annotations

import weakref
from typing import TYPE_CHECKING, Any

from generator.load import Document, Source
from generator.translate._example_scalars import bounds_ok, int_or, string_ok
from generator.translate._schema_types import schema_types

if TYPE_CHECKING:
    from generator.translate.schema import TypeModelBuilder

__all__ = [
    "MAX_DEPTH",
    "Located",
    "SchemaChecker",
    "annotation_only",
    "as_list",
    "example_conforms",
    "is_nullable",
]

MAX_DEPTH = 12

Located = tuple[Any, Source, str]


def example_conforms(
    origin: Document | TypeModelBuilder,
    value: object,
    schema: object,
    source: Source | None = None,
    pointer: str = "",
) -> bool:
    """Whether ``value`` validates against the model generated for ``schema``."""
    doc = origin if isinstance(origin, Document) else origin.doc
    return SchemaChecker(doc).conforms(value, schema, source or doc.root, pointer, 0)


_Shapes = dict[tuple[int, int, str], tuple[dict[str, Located], set[str], Any, Any]]
_SHAPES: weakref.WeakKeyDictionary[Document, _Shapes] = weakref.WeakKeyDictionary()
"""``SchemaChecker.shape``'s answers per live document (they hold its schemas, not it)."""


def forget_shapes(doc: Document) -> None:
    """Let ``doc``'s shape answers go (translated: rendering never asks)."""
    _SHAPES.pop(doc, None)


class SchemaChecker:
    """Conformance of values to the schemas of ``doc``, and the schema reading it needs."""

    def __init__(self, doc: Document) -> None:
        self.doc = doc
        # shape() per schema (its object, file and place): every item of a list asks again, and
        # so does every synthesis and default check of the document (one checker each)
        shapes = _SHAPES.get(doc)
        if shapes is None:
            shapes = _SHAPES[doc] = {}
        self._shapes = shapes

    def deref(self, schema: Any, source: Source, pointer: str) -> Located | None:
        found = self.doc.refs.follow(schema, source, pointer)
        return None if found is None else (found.value, found.source, found.pointer)

    # schema reading ----------------------------------------------------------------

    def tags(self, disc: dict[str, Any], ref: str, source: Source, prop: str) -> list[str]:
        """Discriminator values that select branch ``ref``: mapping keys, its enum, its name."""
        target = self.deref({"$ref": ref}, source, "")
        found_tags: list[str] = []
        mapping = disc.get("mapping")
        if isinstance(mapping, dict) and target is not None:
            for value, mapped in mapping.items():
                found = self.deref({"$ref": _mapping_ref(str(mapped), self.doc)}, source, "")
                if found is not None and found[1] is target[1] and found[2] == target[2]:
                    found_tags.append(str(value))
        if target is not None:
            props, _required, _extra = self.shape(*target)
            sub = self.deref(*props[prop]) if prop in props else None
            if sub is not None and isinstance(sub[0], dict):
                values = [sub[0]["const"]] if "const" in sub[0] else sub[0].get("enum")
                found_tags += [v for v in as_list(values) if isinstance(v, str)]
        found_tags.append(ref.rpartition("/")[2].replace("~1", "/").replace("~0", "~"))
        return found_tags

    def tag(self, disc: dict[str, Any], ref: str, source: Source, prop: str) -> str:
        """The discriminator value to put in an example of branch ``ref``."""
        candidates = self.tags(disc, ref, source, prop)
        target = self.deref({"$ref": ref}, source, "")
        if target is not None:
            props, _required, _extra = self.shape(*target)
            if prop in props:
                for candidate in candidates:
                    if self.conforms(candidate, *props[prop], 0):
                        return candidate
        return candidates[0]

    def shape(
        self, schema: Any, source: Source, pointer: str
    ) -> tuple[dict[str, Located], set[str], Any]:
        """Properties, required names and additionalProperties, with ``allOf`` merged.

        Memoised (the entry holds the schema, so its ``id`` stays unique); callers only read it.
        """
        key = (id(schema), id(source), pointer)
        known = self._shapes.get(key)
        if known is None:
            props, required, additional = self._shape(schema, source, pointer)
            known = self._shapes[key] = (props, required, additional, schema)
        return known[0], known[1], known[2]

    def _shape(
        self, schema: Any, source: Source, pointer: str
    ) -> tuple[dict[str, Located], set[str], Any]:
        props: dict[str, Located] = {}
        required: set[str] = set()
        additional: Any = True
        seen: set[tuple[int, str]] = set()
        todo: list[Located] = [(schema, source, pointer)]
        while todo:
            found = self.deref(*todo.pop(0))
            if found is None:
                continue
            node, nsource, npointer = found
            if not isinstance(node, dict) or (id(nsource), npointer) in seen:
                continue
            seen.add((id(nsource), npointer))
            for wire, sub in (
                (node.get("properties") or {}).items()
                if isinstance(node.get("properties"), dict)
                else []
            ):
                props.setdefault(
                    str(wire), (sub, nsource, f"{npointer}/properties/{_escape(str(wire))}")
                )
            if isinstance(node.get("required"), list):
                required.update(r for r in node["required"] if isinstance(r, str))
            if node.get("additionalProperties") is False:
                additional = False
            elif isinstance(node.get("additionalProperties"), dict) and additional is True:
                additional = (
                    node["additionalProperties"],
                    nsource,
                    f"{npointer}/additionalProperties",
                )
            if isinstance(node.get("allOf"), list):
                todo.extend(
                    (p, nsource, f"{npointer}/allOf/{i}") for i, p in enumerate(node["allOf"])
                )
        return props, required, additional

    # conformance ---------------------------------------------------------------

    def conforms(self, value: Any, schema: Any, source: Source, pointer: str, depth: int) -> bool:
        if depth > MAX_DEPTH * 2:
            return True
        given = schema  # its own ``nullable`` counts too, asked only of a null value
        found = self.deref(schema, source, pointer)
        if found is None:
            return True
        schema, source, pointer = found
        if not isinstance(schema, dict):
            return schema is not False
        if value is None:
            return (
                (isinstance(given, dict) and is_nullable(given))
                or is_nullable(schema)
                or _is_any(schema)
                or _enum_has_null(schema)
            )
        if "const" in schema:
            return _same(value, schema["const"])
        enum = schema.get("enum")
        if isinstance(enum, list) and enum:
            return any(_same(value, v) for v in enum)
        all_of = schema.get("allOf")
        if isinstance(all_of, list) and all_of and not schema.get("properties"):
            structural = [p for p in all_of if not annotation_only(p)]
            if len(structural) == 1 and "type" not in schema:
                return self.conforms(
                    value,
                    structural[0],
                    source,
                    f"{pointer}/allOf/{all_of.index(structural[0])}",
                    depth + 1,
                )
        if isinstance(all_of, list) and all_of:
            return self.object_conforms(value, schema, source, pointer, depth)
        for key in ("oneOf", "anyOf"):
            branches = schema.get(key)
            if isinstance(branches, list) and branches and not schema.get("properties"):
                return self.union_conforms(value, schema, key, branches, source, pointer, depth)
        types = [t for t in schema_types(schema) if t != "null"]
        if not types:
            if "properties" in schema or "additionalProperties" in schema:
                types = ["object"]
            elif "items" in schema or "prefixItems" in schema:
                types = ["array"]
            else:
                return schema_types(schema) != ["null"]
        return any(self.type_conforms(value, t, schema, source, pointer, depth) for t in types)

    def type_conforms(
        self,
        value: Any,
        kind: str,
        schema: dict[str, Any],
        source: Source,
        pointer: str,
        depth: int,
    ) -> bool:
        if kind == "object":
            return self.object_conforms(value, schema, source, pointer, depth)
        if kind == "array":
            return self.array_conforms(value, schema, source, pointer, depth)
        if kind == "string":
            return isinstance(value, str) and string_ok(value, schema)
        if kind == "integer":
            return (
                isinstance(value, int) and not isinstance(value, bool) and bounds_ok(value, schema)
            )
        if kind == "number":
            return (
                isinstance(value, (int, float))
                and not isinstance(value, bool)
                and bounds_ok(value, schema)
            )
        return isinstance(value, bool)

    def object_conforms(
        self, value: Any, schema: dict[str, Any], source: Source, pointer: str, depth: int
    ) -> bool:
        if not isinstance(value, dict):
            return False
        props, required, additional = self.shape(schema, source, pointer)
        if not props:
            if isinstance(additional, tuple):
                sub, asource, apointer = additional
                return all(
                    self.conforms(v, sub, asource, apointer, depth + 1) for v in value.values()
                )
            return True
        for wire in required:
            if wire in props and wire not in value and not _relaxed(props[wire], self):
                return False
        if additional is False and any(k not in props for k in value):
            return False
        for wire, item in value.items():
            if wire in props:
                sub, ssource, spointer = props[wire]
                if item is None and wire not in required:
                    continue
                if not self.conforms(item, sub, ssource, spointer, depth + 1):
                    return False
        return True

    def array_conforms(
        self, value: Any, schema: dict[str, Any], source: Source, pointer: str, depth: int
    ) -> bool:
        if not isinstance(value, list):
            return False
        prefix = schema.get("prefixItems")
        items = schema.get("items")
        if isinstance(items, list):
            prefix, items = items, schema.get("additionalItems", True)
        if (
            isinstance(prefix, list)
            and prefix
            and (items is False or schema.get("maxItems") == len(prefix))
        ):
            return len(value) == len(prefix) and all(
                self.conforms(v, p, source, f"{pointer}/prefixItems/{i}", depth + 1)
                for i, (v, p) in enumerate(zip(value, prefix, strict=True))
            )
        if len(value) < int_or(schema.get("minItems"), 0) or len(value) > int_or(
            schema.get("maxItems"), len(value)
        ):
            return False
        if isinstance(items, dict):
            return all(
                self.conforms(v, items, source, f"{pointer}/items", depth + 1) for v in value
            )
        return True

    def union_conforms(
        self,
        value: Any,
        schema: dict[str, Any],
        key: str,
        branches: list[Any],
        source: Source,
        pointer: str,
        depth: int,
    ) -> bool:
        disc = schema.get("discriminator")
        prop = disc.get("propertyName") if isinstance(disc, dict) else None
        refs = all(isinstance(b, dict) and "$ref" in b for b in branches)
        if isinstance(prop, str) and isinstance(disc, dict) and refs:
            if not isinstance(value, dict) or not isinstance(value.get(prop), str):
                return False
            for i, branch in enumerate(branches):
                if value[prop] in self.tags(disc, str(branch["$ref"]), source, prop):
                    return self.conforms(value, branch, source, f"{pointer}/{key}/{i}", depth + 1)
            return False
        return any(
            self.conforms(value, b, source, f"{pointer}/{key}/{i}", depth + 1)
            for i, b in enumerate(branches)
        )


def _relaxed(prop: Located, examples: SchemaChecker) -> bool:
    """readOnly / writeOnly properties are optional in the generated model."""
    sub = prop[0]
    found = examples.deref(*prop)
    target = found[0] if found is not None and isinstance(found[0], dict) else {}
    own = sub if isinstance(sub, dict) else {}
    return bool(
        own.get("readOnly")
        or own.get("writeOnly")
        or target.get("readOnly")
        or target.get("writeOnly")
    )


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, bool) or isinstance(b, bool):
        return a is b
    return bool(a == b) and (isinstance(a, str) == isinstance(b, str))


def is_nullable(schema: dict[str, Any]) -> bool:
    kind = schema.get("type")
    return bool(
        schema.get("nullable") is True
        or schema.get("x-nullable") is True
        or (isinstance(kind, list) and "null" in kind)
        or any(
            isinstance(b, dict) and schema_types(b) == ["null"]
            for key in ("oneOf", "anyOf")
            for b in as_list(schema.get(key))
        )
    )


def as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _enum_has_null(schema: dict[str, Any]) -> bool:
    enum = schema.get("enum")
    return (isinstance(enum, list) and None in enum) or (
        "const" in schema and schema["const"] is None
    )


def _is_any(schema: dict[str, Any]) -> bool:
    structural = {
        "type",
        "properties",
        "items",
        "prefixItems",
        "allOf",
        "oneOf",
        "anyOf",
        "enum",
        "const",
        "additionalProperties",
    }
    return not (structural & set(schema))


def annotation_only(part: Any) -> bool:
    return isinstance(part, dict) and _is_any(part) and "$ref" not in part


def _mapping_ref(target: str, doc: Document) -> str:
    if "#" in target or "/" in target or target.endswith((".yaml", ".yml", ".json")):
        return target
    data = doc.data if isinstance(doc.data, dict) else {}
    return f"#/definitions/{target}" if "swagger" in data else f"#/components/schemas/{target}"


def _escape(token: str) -> str:
    return token.replace("~", "~0").replace("/", "~1")
