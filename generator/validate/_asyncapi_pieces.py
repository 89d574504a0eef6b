"""Building blocks of twinspec's AsyncAPI schemas, shared by the 2.x and 3.x builders.

Small constructors (``closed``, ``map_of``, ``ref_or``...) and constants keep the
schemas in ``asyncapi_schema.py`` and ``asyncapi_definitions.py`` readable.
"""

from __future__ import annotations

from typing import Any

__all__ = [
    "ANY_OBJECT",
    "BOOLEAN",
    "COMPONENT_KEY",
    "EXTENSION",
    "RUNTIME_EXPRESSION",
    "STRING",
    "STRINGS",
    "UNIQUE_STRINGS",
    "Schema",
    "array_of",
    "by_format",
    "closed",
    "discriminated",
    "map_of",
    "ref",
    "ref_or",
    "ref_to",
]

Schema = dict[str, Any]

EXTENSION = r"^x-[\w\d\.\x2d_]+$"
COMPONENT_KEY = r"^[a-zA-Z0-9\.\-_]+$"
RUNTIME_EXPRESSION = r"^\$message\.(header|payload)#(/([^/~]|~[01])*)*"

STRING: Schema = {"type": "string"}
BOOLEAN: Schema = {"type": "boolean"}
STRINGS: Schema = {"type": "array", "items": STRING}
UNIQUE_STRINGS: Schema = {"type": "array", "items": STRING, "uniqueItems": True}
ANY_OBJECT: Schema = {"type": "object"}

JSON_SCHEMA_DRAFT7 = "http://json-schema.org/draft-07/schema#"

ASYNCAPI_FORMATS = tuple(
    f"application/vnd.aai.asyncapi{suffix};version={version}"
    for version in ("2.0.0", "2.1.0", "2.2.0", "2.3.0", "2.4.0", "2.5.0", "2.6.0", "3.0.0", "3.1.0")
    for suffix in ("", "+json", "+yaml")
)
JSON_SCHEMA_FORMATS = (
    "application/schema+json;version=draft-07",
    "application/schema+yaml;version=draft-07",
)
OPENAPI_FORMATS = tuple(
    f"application/vnd.oai.openapi{suffix};version=3.0.0" for suffix in ("", "+json", "+yaml")
)
AVRO_FORMATS = tuple(
    f"application/vnd.apache.avro{suffix};version=1.9.0" for suffix in ("", "+json", "+yaml")
)


def ref(name: str) -> Schema:
    """A local reference to one of the definitions below."""
    return {"$ref": f"#/definitions/{name}"}


def ref_or(name: str) -> Schema:
    """A Reference Object or the named object."""
    return {"refOr": ref(name)}


def ref_to(name: str) -> Schema:
    """A Reference Object (required) whose target must be the named object."""
    return {
        "type": "object",
        "required": ["$ref"],
        "properties": {"$ref": STRING},
        "refTarget": ref(name),
    }


def closed(
    properties: Schema, required: tuple[str, ...] = (), *, extensions: bool = True
) -> Schema:
    """An object with exactly these fields (plus ``x-`` extensions)."""
    schema: Schema = {"type": "object", "properties": properties, "additionalProperties": False}
    if required:
        schema["required"] = list(required)
    if extensions:
        schema["patternProperties"] = {EXTENSION: {}}
    return schema


def map_of(value: Schema, *, keys: str | None = None) -> Schema:
    """A mapping from names to ``value``; component names must match ``keys``."""
    schema: Schema = {"type": "object", "additionalProperties": value}
    if keys:
        schema["propertyNames"] = {"pattern": keys}
    return schema


def array_of(item: Schema, *, unique: bool = False) -> Schema:
    """A list of ``item``."""
    schema: Schema = {"type": "array", "items": item}
    if unique:
        schema["uniqueItems"] = True
    return schema


def discriminated(field: str, variants: dict[str, Schema]) -> Schema:
    """An object whose ``field`` (required, one of the keys) selects the schema that applies.

    if/then per value instead of oneOf, so errors name the one variant meant.
    """
    return {
        "type": "object",
        "required": [field],
        "properties": {field: {"enum": list(variants)}},
        "allOf": [
            {
                "if": {"properties": {field: {"const": value}}, "required": [field]},
                "then": schema,
            }
            for value, schema in variants.items()
        ],
    }


def by_format(field: str, schema_field: str, default: Schema) -> list[Schema]:
    """if/then rules validating ``schema_field`` according to the ``field`` schema format."""
    formats: list[tuple[tuple[str, ...], Schema]] = [
        (ASYNCAPI_FORMATS, default),
        (JSON_SCHEMA_FORMATS, {"$ref": JSON_SCHEMA_DRAFT7}),
        (OPENAPI_FORMATS, {"refOr": ref("openapiSchema")}),
        (AVRO_FORMATS, {"refOr": ref("avroSchema")}),
    ]
    rules: list[Schema] = [
        {
            "if": {"not": {"required": [field]}},
            "then": {"properties": {schema_field: default}},
        }
    ]
    for names, schema in formats:
        rules.append(
            {
                "if": {"required": [field], "properties": {field: {"enum": list(names)}}},
                "then": {"properties": {schema_field: schema}},
            }
        )
    return rules
