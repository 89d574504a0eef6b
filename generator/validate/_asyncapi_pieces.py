"""Building blocks of twinspec's AsyncAPI schemas, shared by the 2.x and 3.x builders.

Small constructors (``closed``, ``map_of``, ``ref_or``...) keep the schemas in
``asyncapi_schema.py`` readable; the definitions here (info, tags, Schema
Objects, security schemes, Avro and OpenAPI payload schemas) read the same in
every version, with the few differences passed in as flags.
"""

from __future__ import annotations

from typing import Any

__all__ = [
    "ANY_OBJECT",
    "BOOLEAN",
    "COMPONENT_KEY",
    "RUNTIME_EXPRESSION",
    "STRING",
    "STRINGS",
    "UNIQUE_STRINGS",
    "Schema",
    "array_of",
    "by_format",
    "closed",
    "common_definitions",
    "map_of",
    "message_example",
    "ref",
    "ref_or",
    "ref_to",
    "security_scheme",
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


# --- pieces shared by every version -------------------------------------------------


def common_definitions(v3: bool) -> dict[str, Schema]:
    """Definitions that read the same in 2.x and 3.x (3.x allows refs in more places)."""
    external_docs = ref_or("externalDocs") if v3 else ref("externalDocs")
    subschema: Schema = ref("schema")
    non_negative: Schema = {"type": "integer", "minimum": 0}
    schema_list: Schema = {"type": "array", "minItems": 1, "items": subschema}
    simple_types: Schema = {
        "enum": ["array", "boolean", "integer", "null", "number", "object", "string"]
    }
    # The JSON Schema Draft 7 vocabulary (one level; sub-schemas recurse through
    # "schema"), plus the AsyncAPI fields. Unknown keywords are allowed, as in Draft 7.
    schema_object: Schema = {
        "type": ["object", "boolean"],
        "patternProperties": {EXTENSION: {}},
        "properties": {
            "$id": STRING,
            "$schema": STRING,
            "$ref": STRING,
            "$comment": STRING,
            "title": STRING,
            "description": STRING,
            "default": {},
            "readOnly": BOOLEAN,
            "writeOnly": BOOLEAN,
            "examples": {"type": "array"},
            "multipleOf": {"type": "number", "exclusiveMinimum": 0},
            "maximum": {"type": "number"},
            "exclusiveMaximum": {"type": "number"},
            "minimum": {"type": "number"},
            "exclusiveMinimum": {"type": "number"},
            "maxLength": non_negative,
            "minLength": non_negative,
            "pattern": STRING,
            "additionalItems": subschema,
            "items": {"anyOf": [subschema, schema_list]},
            "maxItems": non_negative,
            "minItems": non_negative,
            "uniqueItems": BOOLEAN,
            "contains": subschema,
            "maxProperties": non_negative,
            "minProperties": non_negative,
            "required": UNIQUE_STRINGS,
            "additionalProperties": subschema,
            "definitions": map_of(subschema),
            "properties": map_of(subschema),
            "patternProperties": map_of(subschema),
            "dependencies": map_of({"anyOf": [subschema, UNIQUE_STRINGS]}),
            "propertyNames": subschema,
            "const": {},
            "enum": {"type": "array"},
            "type": {
                "anyOf": [
                    simple_types,
                    {"type": "array", "items": simple_types, "minItems": 1, "uniqueItems": True},
                ]
            },
            "format": STRING,
            "contentMediaType": STRING,
            "contentEncoding": STRING,
            "if": subschema,
            "then": subschema,
            "else": subschema,
            "allOf": schema_list,
            "anyOf": schema_list,
            "oneOf": schema_list,
            "not": subschema,
            "discriminator": STRING,
            "externalDocs": external_docs,
            "deprecated": BOOLEAN,
        },
    }
    openapi_sub: Schema = {"refOr": ref("openapiSchema")}
    return {
        "info": closed(
            {
                "title": STRING,
                "version": STRING,
                "description": STRING,
                "termsOfService": STRING,
                "contact": ref("contact"),
                "license": ref("license"),
                **({"tags": array_of(ref_or("tag")), "externalDocs": external_docs} if v3 else {}),
            },
            ("title", "version"),
        ),
        "contact": closed({"name": STRING, "url": STRING, "email": STRING}),
        "license": closed({"name": STRING, "url": STRING}, ("name",)),
        "externalDocs": closed({"description": STRING, "url": STRING}, ("url",)),
        "tag": closed(
            {"name": STRING, "description": STRING, "externalDocs": external_docs}, ("name",)
        ),
        "serverVariable": closed(
            {"enum": UNIQUE_STRINGS, "default": STRING, "description": STRING, "examples": STRINGS}
        ),
        "correlationId": closed(
            {"description": STRING, "location": {"type": "string", "pattern": RUNTIME_EXPRESSION}},
            ("location",),
        ),
        "schema": {
            # A $ref's sibling keywords are ignored when validating data, but they
            # are still keywords of the Schema Object and must be well-formed.
            "refOr": schema_object,
            "refSiblings": schema_object,
        },
        "openapiSchema": closed(
            {
                "title": STRING,
                "multipleOf": {"type": "number", "exclusiveMinimum": 0},
                "maximum": {"type": "number"},
                "exclusiveMaximum": BOOLEAN,
                "minimum": {"type": "number"},
                "exclusiveMinimum": BOOLEAN,
                "maxLength": {"type": "integer", "minimum": 0},
                "minLength": {"type": "integer", "minimum": 0},
                "pattern": STRING,
                "maxItems": {"type": "integer", "minimum": 0},
                "minItems": {"type": "integer", "minimum": 0},
                "uniqueItems": BOOLEAN,
                "maxProperties": {"type": "integer", "minimum": 0},
                "minProperties": {"type": "integer", "minimum": 0},
                "required": {"type": "array", "items": STRING, "minItems": 1, "uniqueItems": True},
                "enum": {"type": "array", "minItems": 1},
                "type": {"enum": ["array", "boolean", "integer", "number", "object", "string"]},
                "not": openapi_sub,
                "allOf": array_of(openapi_sub),
                "oneOf": array_of(openapi_sub),
                "anyOf": array_of(openapi_sub),
                "items": openapi_sub,
                "properties": map_of(openapi_sub),
                "additionalProperties": {"anyOf": [openapi_sub, BOOLEAN]},
                "description": STRING,
                "format": STRING,
                "default": {},
                "nullable": BOOLEAN,
                "discriminator": {
                    "type": "object",
                    "required": ["propertyName"],
                    "properties": {"propertyName": STRING, "mapping": map_of(STRING)},
                },
                "readOnly": BOOLEAN,
                "writeOnly": BOOLEAN,
                "example": {},
                "externalDocs": ref("externalDocs"),
                "deprecated": BOOLEAN,
                "xml": closed(
                    {
                        "name": STRING,
                        "namespace": STRING,
                        "prefix": STRING,
                        "attribute": BOOLEAN,
                        "wrapped": BOOLEAN,
                    }
                ),
            }
        ),
        "avroSchema": _avro(),
    }


def _avro() -> Schema:
    """Avro 1.9 schemas: a type name, a union (list) or a complex type object."""
    name: Schema = {
        "type": "string",
        "pattern": r"^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$",
    }
    avro: Schema = ref("avroSchema")
    field: Schema = {
        "type": "object",
        "required": ["name", "type"],
        "properties": {
            "name": name,
            "type": avro,
            "doc": STRING,
            "order": {"enum": ["ascending", "descending", "ignore"]},
            "aliases": array_of(name),
        },
    }
    complex_types: dict[str, Schema] = {
        "record": {
            "required": ["name", "fields"],
            "properties": {
                "name": name,
                "namespace": STRING,
                "doc": STRING,
                "fields": array_of(field),
            },
        },
        "error": {
            "required": ["name", "fields"],
            "properties": {"name": name, "fields": array_of(field)},
        },
        "enum": {
            "required": ["name", "symbols"],
            "properties": {"name": name, "symbols": array_of(name)},
        },
        "array": {"required": ["items"], "properties": {"items": avro}},
        "map": {"required": ["values"], "properties": {"values": avro}},
        "fixed": {
            "required": ["name", "size"],
            "properties": {"name": name, "size": {"type": "integer"}},
        },
    }
    primitives = ["null", "boolean", "int", "long", "float", "double", "bytes", "string"]
    typed: Schema = {
        "type": "object",
        "required": ["type"],
        "properties": {"type": {"anyOf": [{"enum": primitives + list(complex_types)}, avro]}},
        "allOf": [
            {"if": {"properties": {"type": {"const": kind}}}, "then": rule}
            for kind, rule in complex_types.items()
        ],
    }
    return {
        "anyOf": [
            name,
            {"type": "array", "minItems": 1, "items": avro},
            typed,
        ]
    }


def security_scheme(minor: int, v3: bool) -> Schema:
    """The Security Scheme Object, selected by ``type``."""

    def kind(props: Schema, required: tuple[str, ...] = ()) -> Schema:
        return closed({"type": STRING, "description": STRING, **props}, ("type", *required))

    scopes_key = "availableScopes" if v3 else "scopes"
    flow_props: Schema = {
        "authorizationUrl": STRING,
        "tokenUrl": STRING,
        "refreshUrl": STRING,
        scopes_key: map_of(STRING),
    }

    def flow(*required: str) -> Schema:
        return closed(flow_props, (*required, scopes_key))

    flows = closed(
        {
            "implicit": flow("authorizationUrl"),
            "password": flow("tokenUrl"),
            "clientCredentials": flow("tokenUrl"),
            "authorizationCode": flow("authorizationUrl", "tokenUrl"),
        },
        extensions=False,
    )
    variants: dict[str, Schema] = {
        "userPassword": kind({}),
        "apiKey": kind({"in": {"enum": ["user", "password"]}}, ("in",)),
        "X509": kind({}),
        "symmetricEncryption": kind({}),
        "asymmetricEncryption": kind({}),
        "http": {
            "allOf": [
                kind({"scheme": STRING, "bearerFormat": STRING}, ("scheme",)),
                {
                    "if": {"not": {"properties": {"scheme": {"const": "bearer"}}}},
                    "then": {"not": {"required": ["bearerFormat"]}},
                },
            ]
        },
        "httpApiKey": kind(
            {"name": STRING, "in": {"enum": ["query", "header", "cookie"]}}, ("name", "in")
        ),
        "oauth2": kind({"flows": flows, **({"scopes": STRINGS} if v3 else {})}, ("flows",)),
        "openIdConnect": kind(
            {"openIdConnectUrl": STRING, **({"scopes": STRINGS} if v3 else {})},
            ("openIdConnectUrl",),
        ),
    }
    if v3 or minor >= 1:
        for sasl in ("plain", "scramSha256", "scramSha512", "gssapi"):
            variants[sasl] = kind({})
    return discriminated("type", variants)


def message_example(minor: int) -> Schema:
    """A Message Example Object (2.0: only headers and payload)."""
    if minor == 0:
        return closed({"headers": ANY_OBJECT, "payload": {}}, extensions=False)
    example = closed(
        {"name": STRING, "summary": STRING, "headers": ANY_OBJECT, "payload": {}}, extensions=False
    )
    example["anyOf"] = [{"required": ["payload"]}, {"required": ["headers"]}]
    return example
