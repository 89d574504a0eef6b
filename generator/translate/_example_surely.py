"""A value that surely validates, told without ``jsonschema`` (its answer when it is sure).

``JsonSchemaCheck.problem`` asks ``Surely(...).valid(value, schema, source, pointer)``
first: ``True`` only when every keyword met on the way is one read here exactly as the
document's validator reads it (types, properties, required, additional properties,
items, lengths, inclusive bounds, enum/const, pattern and format through the very
checks the validator uses, ``allOf``, ``anyOf``, a one-branch ``oneOf``, local
``$ref``s) and the value passes them all. Anything else (``null``, any other keyword,
a discriminator, a ``$ref`` with siblings that assert, a base URI that could move) is
"not sure" (``False``), and ``jsonschema`` decides as before: a sure answer is always
the one ``jsonschema`` gives, so the warnings and examples do not change. Synthesised
examples of big specs (every stripe response) are mostly plain objects of plain
values, checked here several times faster than by ``jsonschema``'s descent.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable
from typing import Any

from generator.load import Document, Source
from generator.translate._example_scalars import pattern_matches

__all__ = ["Surely"]

_ANNOTATIONS = frozenset(
    {
        "description",
        "title",
        "example",
        "examples",
        "default",
        "deprecated",
        "readOnly",
        "externalDocs",
        "xml",
        "$comment",
        "nullable",  # only about null, which is never sure here
        "x-nullable",
    }
)
"""Keywords that assert nothing about a value that is not null (in every dialect read here)."""
_ASSERTING = frozenset(
    {
        "type",
        "properties",
        "required",
        "additionalProperties",
        "items",
        "minItems",
        "maxItems",
        "minLength",
        "maxLength",
        "minimum",
        "maximum",
        "minProperties",
        "maxProperties",
        "enum",
        "const",
        "pattern",
        "format",
        "allOf",
        "anyOf",
        "oneOf",
    }
)
"""Keywords read here (``$ref`` apart); a schema with any other is never sure."""
_MAX_DEPTH = 64

_TYPES: dict[str, Callable[[Any], bool]] = {
    "string": lambda v: isinstance(v, str),
    "integer": lambda v: isinstance(v, int) and not isinstance(v, bool),
    "number": lambda v: isinstance(v, (int, float)) and not isinstance(v, bool),
    "boolean": lambda v: isinstance(v, bool),
    "object": lambda v: isinstance(v, dict),
    "array": lambda v: isinstance(v, list),
}
"""Each JSON type's values as every dialect's type checker accepts them (or a part of
them: ``1.0`` is an integer to some, never to this)."""


def _count(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def _bound(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


class Surely:
    """Sure answers for one document's schemas; ``conforms(value, fmt)`` is the validator's."""

    def __init__(self, doc: Document, conforms: Callable[[Any, str], bool]) -> None:
        self._doc = weakref.ref(doc)  # held weakly, as ``JsonSchemaCheck`` holds it
        self._conforms = conforms
        self._plain: dict[int, tuple[Any, bool]] = {}  # schema id -> (schema, only keywords read)
        # (a $ref's id, its file's id) -> (the $ref, its file, its target): both held, ids stay unique
        self._targets: dict[tuple[int, int], tuple[Any, Source, Any]] = {}

    def valid(self, value: Any, schema: Any, source: Source) -> bool:
        """True when ``value`` surely validates against ``schema`` (written in ``source``).

        The caller makes sure ``schema`` is read with ``source``'s own base URI (its
        pointer enters no subresource that could carry an ``$id``).
        """
        try:
            return self._valid(value, schema, source, 0)
        except Exception:  # a value or schema this did not foresee: not sure
            return False

    def _keywords_read(self, schema: dict[str, Any]) -> bool:
        known = self._plain.get(id(schema))
        if known is None:
            plain = all(k in _ASSERTING or k in _ANNOTATIONS or k.startswith("x-") for k in schema)
            known = self._plain[id(schema)] = (schema, plain)  # held: its id stays unique
        return known[1]

    def _valid(self, value: Any, schema: Any, source: Source, depth: int) -> bool:
        if schema is True:
            return True
        if not isinstance(schema, dict) or value is None or depth > _MAX_DEPTH:
            return False
        ref = schema.get("$ref")
        if ref is not None:
            if not isinstance(ref, str) or not ref.startswith("#/components/"):
                return False  # another file, or a place that may be read with another base
            if any(k not in _ANNOTATIONS and not k.startswith("x-") for k in schema if k != "$ref"):
                return False
            at = (id(schema), id(source))
            known = self._targets.get(at)
            if known is None:
                doc = self._doc()
                found = None if doc is None else doc.refs.follow(schema, source, "")
                target = found.value if found is not None and found.source is source else None
                known = self._targets[at] = (schema, source, target)
            return known[2] is not None and self._valid(value, known[2], source, depth + 1)
        if not self._keywords_read(schema):
            return False
        kind = schema.get("type")
        if kind is not None:
            check = _TYPES.get(kind) if isinstance(kind, str) else None
            if check is None or not check(value):
                return False
        if "enum" in schema and not _member(value, schema["enum"]):
            return False
        if "const" in schema and not _member(value, [schema["const"]]):
            return False
        for key in ("allOf", "anyOf", "oneOf"):
            if key in schema:
                parts = schema[key]
                if not isinstance(parts, list) or not parts:
                    return False
                if key == "oneOf" and len(parts) != 1:
                    return False
                matches = (self._valid(value, p, source, depth + 1) for p in parts)
                if not (any(matches) if key == "anyOf" else all(matches)):
                    return False
        if isinstance(value, str):
            return self._string(value, schema)
        if isinstance(value, bool):
            return self._format(value, schema)
        if isinstance(value, (int, float)):
            return self._number(value, schema)
        if isinstance(value, dict):
            return self._object(value, schema, source, depth)
        if isinstance(value, list):
            return self._array(value, schema, source, depth)
        return False

    def _string(self, value: str, schema: dict[str, Any]) -> bool:
        low, high = schema.get("minLength", 0), schema.get("maxLength", 0)
        if not (_count(low) and _count(high)):
            return False
        if len(value) < low or ("maxLength" in schema and len(value) > high):
            return False
        pattern = schema.get("pattern")
        if pattern is not None and (
            not isinstance(pattern, str) or pattern_matches(pattern, value) is False
        ):
            return False
        return self._format(value, schema)

    def _number(self, value: float, schema: dict[str, Any]) -> bool:
        if value != value or value in (float("inf"), float("-inf")):
            return False
        low, high = schema.get("minimum", 0), schema.get("maximum", 0)
        if not (_bound(low) and _bound(high)):
            return False
        if ("minimum" in schema and value < low) or ("maximum" in schema and value > high):
            return False
        return self._format(value, schema)

    def _format(self, value: Any, schema: dict[str, Any]) -> bool:
        fmt = schema.get("format")
        if fmt is None:
            return True
        return isinstance(fmt, str) and self._conforms(value, fmt)

    def _object(
        self, value: dict[Any, Any], schema: dict[str, Any], source: Source, depth: int
    ) -> bool:
        props = schema.get("properties", {})
        required = schema.get("required", [])
        extra = schema.get("additionalProperties", True)
        if not (isinstance(props, dict) and isinstance(required, list)):
            return False
        if not all(isinstance(name, str) and name in value for name in required):
            return False
        low, high = schema.get("minProperties", 0), schema.get("maxProperties", 0)
        if not (_count(low) and _count(high)):
            return False
        if len(value) < low or ("maxProperties" in schema and len(value) > high):
            return False
        for name, item in value.items():
            if not isinstance(name, str):
                return False
            if name in props:
                if not self._valid(item, props[name], source, depth + 1):
                    return False
            elif extra is not True and not (
                isinstance(extra, dict) and self._valid(item, extra, source, depth + 1)
            ):
                return False
        return self._format(value, schema)

    def _array(self, value: list[Any], schema: dict[str, Any], source: Source, depth: int) -> bool:
        low, high = schema.get("minItems", 0), schema.get("maxItems", 0)
        if not (_count(low) and _count(high)):
            return False
        if len(value) < low or ("maxItems" in schema and len(value) > high):
            return False
        items = schema.get("items", True)
        if items is not True and not (
            isinstance(items, dict)
            and all(self._valid(item, items, source, depth + 1) for item in value)
        ):
            return False
        return self._format(value, schema)


def _member(value: Any, allowed: Any) -> bool:
    """Whether a scalar ``value`` is one of ``allowed`` as JSON compares them (same type only)."""
    if not isinstance(allowed, list) or isinstance(value, (dict, list)):
        return False
    return any(type(a) is type(value) and a == value for a in allowed)
