"""Avro schemas (``schemaFormat: application/vnd.apache.avro...``) -> the ``TypeModel``.

fastavro (the maintained Avro library for Python) reads and checks the schema
(``parse_schema``: names qualified, named types resolved, defaults checked).
The parsed schema is then written as the JSON Schema it means, and that goes
through the same ``TypeModelBuilder`` as every JSON Schema payload, so Avro
payloads get the same pydantic models, strictness and examples::

    record   -> object (properties = fields; required = fields without default;
                no other properties), declared under its Avro name
    enum     -> string enum, declared under its name
    array    -> array; map -> object with additionalProperties
    union    -> anyOf (["null", T] is an optional T)
    int/long -> integer within 32/64 bits; float/double -> number
    string   -> string; bytes/fixed -> string (Avro's JSON form: one char per byte)
    logical  -> uuid: format uuid; date: format date; time-*: format time;
                timestamp-* / local-timestamp-*: format date-time;
                decimal: decimal text (e.g. "12.50")

On a JSON wire the message travels as that JSON; on a binary Avro wire
(content type ``application/vnd.apache.avro`` or ``avro/binary``) the
generated ``avro.py`` converts between the same JSON data and Avro's binary
encoding with fastavro, using the schema kept in ``Message.avro``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from generator.diagnostics import Diagnostic, Severity, escape_pointer
from generator.ir.schema import TypeRef
from generator.load import Document, Source
from generator.load.nodes import Node as Located
from generator.translate.schema import TypeModelBuilder

__all__ = ["AvroTyped", "AvroTypes", "avro_binary", "is_avro_format"]

_BINARY = ("application/vnd.apache.avro", "avro/binary", "application/avro")
_INT32 = {"type": "integer", "minimum": -(2**31), "maximum": 2**31 - 1}
_INT64 = {"type": "integer", "minimum": -(2**63), "maximum": 2**63 - 1}
_PRIMITIVES: dict[str, dict[str, Any]] = {
    "null": {"type": "null"},
    "boolean": {"type": "boolean"},
    "int": _INT32,
    "long": _INT64,
    "float": {"type": "number"},
    "double": {"type": "number"},
    "string": {"type": "string"},
    "bytes": {"type": "string"},
}
_LOGICAL: dict[str, dict[str, Any]] = {
    "uuid": {"type": "string", "format": "uuid"},
    "date": {"type": "string", "format": "date"},
    "time-millis": {"type": "string", "format": "time"},
    "time-micros": {"type": "string", "format": "time"},
    "timestamp-millis": {"type": "string", "format": "date-time"},
    "timestamp-micros": {"type": "string", "format": "date-time"},
    "local-timestamp-millis": {"type": "string", "format": "date-time"},
    "local-timestamp-micros": {"type": "string", "format": "date-time"},
    "decimal": {"type": "string", "pattern": "^[-+]?[0-9]+(\\.[0-9]+)?$"},
}


def is_avro_format(fmt: str) -> bool:
    """Is ``fmt`` (a schemaFormat) one of Avro's (``application/vnd.apache.avro[+json|+yaml]``)?"""
    return fmt.strip().lower().startswith("application/vnd.apache.avro")


def avro_binary(content_type: str) -> bool:
    """Does ``content_type`` carry Avro's binary encoding (not JSON)?"""
    return content_type.split(";", 1)[0].strip().lower() in _BINARY


@dataclass(frozen=True, slots=True)
class AvroTyped:
    """An Avro schema's type, the schema as fastavro parsed it, and the JSON Schema it became."""

    ref: TypeRef
    parsed: Any
    """Plain JSON data: names qualified; what the generated code gives fastavro."""
    json_schema: Located
    """For examples and constant properties, read like any JSON Schema payload."""


class AvroTypes:
    """Avro schemas of one document typed through the shared ``TypeModelBuilder``.

    Named Avro types become declarations once per document: every schema's
    records and enums live in one synthetic JSON Schema source (``$defs`` by
    full name), so a record two messages share is one model.
    """

    def __init__(
        self, doc: Document, types: TypeModelBuilder, diagnostics: list[Diagnostic]
    ) -> None:
        """Type Avro schemas of ``doc`` into ``types``; warnings go to ``diagnostics``."""
        self.doc = doc
        self.types = types
        self.diagnostics = diagnostics
        self._defs: dict[str, Any] = {}
        self._keys: dict[str, str] = {}  # Avro full name -> $defs key
        self._roots: list[Any] = []
        self._host_source: Source | None = None

    def type_for(
        self, schema: Any, source: Source, pointer: str, name_hint: str, what: str
    ) -> AvroTyped | None:
        """The type of Avro ``schema`` found at ``pointer``; see ``AvroTyped``.

        ``None`` (with a located warning) when fastavro refuses the schema.
        """
        from fastavro.schema import parse_schema

        try:
            parsed = parse_schema(schema, _write_hint=False)
        except Exception as exc:  # fastavro raises ValueError, KeyError, TypeError... for bad input
            reason = f"{type(exc).__name__}: {exc}".splitlines()[0][:200]
            self.diagnostics.append(
                self.doc.diagnostic(
                    pointer,
                    "avro-schema",
                    f"{what}: not a valid Avro schema ({reason}); passed through unmodelled",
                    Severity.WARNING,
                    source,
                )
            )
            return None
        host = self._host(source)
        root = _JsonSchema(self._declare).convert(parsed)
        self._roots.append(root)  # kept in the host, so its pointer leads to it
        at = f"/roots/{len(self._roots) - 1}"
        ref = self.types.type_for(root, host, at, name_hint)
        return AvroTyped(ref=ref, parsed=parsed, json_schema=Located(root, host, at))

    def _host(self, source: Source) -> Source:
        """The synthetic JSON Schema source holding ``$defs`` (positions are ``source``'s)."""
        host = self._host_source
        if host is None:
            host = Source(
                path=source.path,
                display=source.display,
                text=source.text,
                data={"$defs": self._defs, "roots": self._roots},
                is_json=source.is_json,
            )
            self._host_source = host
        return host

    def _declare(self, full_name: str, build: Callable[[], dict[str, Any]]) -> dict[str, Any]:
        """``$ref`` to the declaration of named type ``full_name``, built on first use."""
        key = self._keys.get(full_name)
        if key is None:
            short = full_name.rsplit(".", 1)[-1]
            key = short if short not in self._defs else full_name.replace(".", "_")
            self._keys[full_name] = key
            self._defs[key] = {}  # reserved: a recursive record refers to itself
            self._defs[key] = build()
        return {"$ref": f"#/$defs/{escape_pointer(key)}"}


class _JsonSchema:
    """Writes a parsed Avro schema as JSON Schema; named types go through ``declare``."""

    def __init__(self, declare: Callable[[str, Callable[[], dict[str, Any]]], dict[str, Any]]):
        self.declare = declare
        self.named: dict[str, dict[str, Any]] = {}

    def convert(self, schema: Any) -> dict[str, Any]:
        if isinstance(schema, str):
            if schema in _PRIMITIVES:
                return dict(_PRIMITIVES[schema])
            named = self.named.get(schema)
            return self._named(named) if named is not None else {}
        if isinstance(schema, list):
            branches = [self.convert(branch) for branch in schema]
            return branches[0] if len(branches) == 1 else {"anyOf": branches}
        if not isinstance(schema, dict):
            return {}
        logical = schema.get("logicalType")
        if isinstance(logical, str) and logical in _LOGICAL:
            return dict(_LOGICAL[logical])
        kind = schema.get("type")
        if kind in ("record", "error", "enum", "fixed") and isinstance(schema.get("name"), str):
            self.named[schema["name"]] = schema
            return self._named(schema)
        if kind == "array":
            return {"type": "array", "items": self.convert(schema.get("items"))}
        if kind == "map":
            return {"type": "object", "additionalProperties": self.convert(schema.get("values"))}
        return self.convert(kind)

    def _named(self, schema: dict[str, Any]) -> dict[str, Any]:
        return self.declare(schema["name"], lambda: self._declaration(schema))

    def _declaration(self, schema: dict[str, Any]) -> dict[str, Any]:
        out: dict[str, Any]
        kind = schema["type"]
        if kind == "enum":
            out = {"type": "string", "enum": list(schema.get("symbols") or [])}
        elif kind == "fixed":
            size = schema.get("size")
            out = {"type": "string", "minLength": size, "maxLength": size}
        else:
            properties: dict[str, Any] = {}
            required: list[str] = []
            for field in schema.get("fields") or []:
                prop = self.convert(field.get("type"))
                if isinstance(field.get("doc"), str):
                    prop = {**prop, "description": field["doc"]} if "$ref" not in prop else prop
                if "default" in field:
                    prop = {**prop, "default": field["default"]} if "$ref" not in prop else prop
                else:
                    required.append(field["name"])
                properties[field["name"]] = prop
            out = {"type": "object", "properties": properties, "additionalProperties": False}
            if required:
                out["required"] = required
        if isinstance(schema.get("doc"), str):
            out["description"] = schema["doc"]
        return out
