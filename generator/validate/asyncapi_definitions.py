"""Definitions of twinspec's AsyncAPI schemas that read the same in every version.

Info, tags, Schema Objects, security schemes, message examples, and the Avro and
OpenAPI payload schemas, shared by the 2.x and 3.x builders in ``asyncapi_schema.py``;
the few differences between versions are passed in as flags.
"""

from __future__ import annotations

from generator.validate._asyncapi_pieces import (
    ANY_OBJECT,
    BOOLEAN,
    EXTENSION,
    RUNTIME_EXPRESSION,
    STRING,
    STRINGS,
    UNIQUE_STRINGS,
    Schema,
    array_of,
    closed,
    discriminated,
    map_of,
    ref,
    ref_or,
)

__all__ = ["common_definitions", "message_example", "security_scheme"]


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
