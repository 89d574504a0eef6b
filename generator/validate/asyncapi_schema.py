"""twinspec's own JSON Schemas for AsyncAPI 2.0-2.6, 3.0 and 3.1, built from shared pieces.

Written from the AsyncAPI specification texts (one builder per major version,
with the few per-minor differences as flags), not copied from the official
schemas, which the test-suite uses as an oracle. The schemas are Draft 7 plus
two keywords twinspec's validator implements (see ``asyncapi.py``):

``refOr: <schema>``
    Where the specification allows a Reference Object: a ``{"$ref": ...}`` is
    followed (across files, through ``generator.load``) and the value it leads
    to is validated against ``<schema>``, in the file that holds it; any other
    value is validated against ``<schema>`` directly.
``refTarget: <schema>``
    Like ``refOr`` for places that must be a Reference (3.x ``operation.channel``):
    only the target is validated; the shape ``{"$ref": string}`` is required beside it.

Tag lists carry no ``uniqueItems``: the ``asyncapi-duplicate-tag`` rule reports
two tags with one name (identical ones included) once, at the second name.

Schema Objects are the JSON Schema Draft 7 vocabulary plus the AsyncAPI
additions, written as one recursive schema (layering the Draft 7 meta-schema
under an overlay would validate every nested schema twice per level, which is
exponential in the nesting depth). A payload declared as plain Draft 7
(``schemaFormat``) is checked against the meta-schema shipped with
``jsonschema``; OpenAPI 3.0 and Avro payloads get compact schemas of their own.
"""

from __future__ import annotations

import functools
from typing import Any

from generator.validate.asyncapi_bindings import binding_definitions

__all__ = ["SUPPORTED", "schema_for"]

Schema = dict[str, Any]

SUPPORTED = ("2.0", "2.1", "2.2", "2.3", "2.4", "2.5", "2.6", "3.0", "3.1")

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


def _common(v3: bool) -> dict[str, Schema]:
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
            "refOr": schema_object,
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


def _security_scheme(minor: int, v3: bool) -> Schema:
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


def _example(minor: int) -> Schema:
    """A Message Example Object (2.0: only headers and payload)."""
    if minor == 0:
        return closed({"headers": ANY_OBJECT, "payload": {}}, extensions=False)
    example = closed(
        {"name": STRING, "summary": STRING, "headers": ANY_OBJECT, "payload": {}}, extensions=False
    )
    example["anyOf"] = [{"required": ["payload"]}, {"required": ["headers"]}]
    return example


# --- AsyncAPI 2.x -------------------------------------------------------------------


def _v2(minor: int) -> Schema:
    """AsyncAPI 2.<minor>: publish/subscribe operations inside channels."""
    bindings = ANY_OBJECT
    trait_fields: Schema = {
        "schemaFormat": STRING,
        "contentType": STRING,
        "headers": {"allOf": [ref("schema"), {"properties": {"type": {"const": "object"}}}]},
        "correlationId": ref_or("correlationId"),
        "tags": array_of(ref("tag")),
        "summary": STRING,
        "name": STRING,
        "title": STRING,
        "description": STRING,
        "externalDocs": ref("externalDocs"),
        "deprecated": BOOLEAN,
        "examples": array_of(ref("messageExample")),
        "bindings": bindings,
    }
    if minor >= 4:
        trait_fields["messageId"] = STRING
    message = closed({**trait_fields, "payload": {}, "traits": array_of(ref_or("messageTrait"))})
    message["allOf"] = by_format("schemaFormat", "payload", ref("schema"))
    operation_trait_fields: Schema = {
        "operationId": STRING,
        "summary": STRING,
        "description": STRING,
        "tags": array_of(ref("tag")),
        "externalDocs": ref("externalDocs"),
        "bindings": bindings,
    }
    if minor >= 4:
        operation_trait_fields["security"] = array_of(ref("securityRequirement"))
    channel_fields: Schema = {
        "$ref": STRING,
        "description": STRING,
        "parameters": map_of(ref("parameterOrRef")),
        "publish": ref("operation"),
        "subscribe": ref("operation"),
        "deprecated": BOOLEAN,
        "bindings": bindings,
    }
    if minor >= 2:
        channel_fields["servers"] = UNIQUE_STRINGS
    parameter_fields: Schema = {
        "description": STRING,
        "schema": ref("schema"),
        "location": {"type": "string", "pattern": RUNTIME_EXPRESSION},
    }
    server_fields: Schema = {
        "url": STRING,
        "protocol": STRING,
        "protocolVersion": STRING,
        "description": STRING,
        "variables": map_of(ref_or("serverVariable")),
        "security": array_of(ref("securityRequirement")),
        "bindings": bindings,
    }
    if minor >= 5:
        server_fields["tags"] = array_of(ref("tag"))
    components: Schema = {
        "schemas": map_of(ref("schema"), keys=COMPONENT_KEY),
        "messages": map_of(ref("messageOrRef"), keys=COMPONENT_KEY),
        "securitySchemes": map_of(ref_or("securityScheme"), keys=COMPONENT_KEY),
        "parameters": map_of(ref("parameterOrRef"), keys=COMPONENT_KEY),
        "correlationIds": map_of(ref_or("correlationId"), keys=COMPONENT_KEY),
        "operationTraits": map_of(ref_or("operationTrait"), keys=COMPONENT_KEY),
        "messageTraits": map_of(ref_or("messageTrait"), keys=COMPONENT_KEY),
        "serverBindings": map_of(bindings, keys=COMPONENT_KEY),
        "channelBindings": map_of(bindings, keys=COMPONENT_KEY),
        "operationBindings": map_of(bindings, keys=COMPONENT_KEY),
        "messageBindings": map_of(bindings, keys=COMPONENT_KEY),
    }
    if minor >= 3:
        components["servers"] = map_of(ref_or("server"), keys=COMPONENT_KEY)
        components["channels"] = map_of(ref("channelItemOrRef"), keys=COMPONENT_KEY)
    if minor >= 4:
        components["serverVariables"] = map_of(ref_or("serverVariable"), keys=COMPONENT_KEY)
    parameter = closed({**parameter_fields, **({"$ref": STRING} if minor <= 4 else {})})
    definitions: Schema = {
        **_common(v3=False),
        "server": closed(server_fields, ("url", "protocol")),
        "securityRequirement": map_of(UNIQUE_STRINGS),
        "securityScheme": _security_scheme(minor, v3=False),
        "channelItem": closed(channel_fields),
        # A channel given by $ref keeps its other fields (2.x Channel Item has a $ref field).
        "channelItemOrRef": {"refOr": ref("channelItem"), "refSiblings": ref("channelItem")},
        "parameter": parameter,
        "parameterOrRef": (
            {"refOr": ref("parameter"), "refSiblings": parameter}
            if minor <= 4
            else ref_or("parameter")
        ),
        "operation": closed(
            {
                **operation_trait_fields,
                "traits": array_of(ref_or("operationTrait")),
                "message": ref("messageOrRef"),
            }
        ),
        "operationTrait": closed(operation_trait_fields),
        "messageOrRef": {
            "refOr": {
                "if": {"type": "object", "required": ["oneOf"]},
                "then": closed(
                    {"oneOf": array_of(ref("messageOrRef"))}, ("oneOf",), extensions=False
                ),
                "else": ref("message"),
            }
        },
        "message": message,
        "messageTrait": closed(trait_fields),
        "messageExample": _example(minor),
        "components": closed(components),
    }
    return {
        "$schema": "http://json-schema.org/draft-07/schema#",
        "$id": f"https://twinspec.dev/schemas/asyncapi-2.{minor}.json",
        "title": f"AsyncAPI 2.{minor} (twinspec)",
        "definitions": definitions,
        **closed(
            {
                "asyncapi": {"const": f"2.{minor}.0"},
                "id": STRING,
                "info": ref("info"),
                "servers": map_of(ref_or("server")),
                "defaultContentType": STRING,
                "channels": map_of(ref("channelItemOrRef")),
                "components": ref("components"),
                "tags": array_of(ref("tag")),
                "externalDocs": ref("externalDocs"),
            },
            ("asyncapi", "info", "channels"),
        ),
    }


# --- AsyncAPI 3.x -------------------------------------------------------------------


def _v3(minor: int) -> Schema:
    """AsyncAPI 3.<minor>: operations at the root, channels keyed by id with an address."""
    tags = array_of(ref_or("tag"))
    docs = ref_or("externalDocs")
    trait_fields: Schema = {
        "contentType": STRING,
        "headers": ref("anySchema"),
        "correlationId": ref_or("correlationId"),
        "tags": tags,
        "summary": STRING,
        "name": STRING,
        "title": STRING,
        "description": STRING,
        "externalDocs": docs,
        "deprecated": BOOLEAN,
        "examples": array_of(ref("messageExample")),
        "bindings": ref_or("messageBindings"),
    }
    operation_trait_fields: Schema = {
        "title": STRING,
        "summary": STRING,
        "description": STRING,
        "security": ref("securityRequirements"),
        "tags": tags,
        "externalDocs": docs,
        "bindings": ref_or("operationBindings"),
    }
    trait_item: Schema = {
        "if": {"type": "array"},
        "then": {"type": "array", "items": [ref_or("messageTrait"), ANY_OBJECT]},
        "else": ref_or("messageTrait"),
    }

    def components_map(value: Schema) -> Schema:
        return map_of(value, keys=COMPONENT_KEY)

    definitions: Schema = {
        **_common(v3=True),
        **binding_definitions(),
        "server": closed(
            {
                "host": STRING,
                "pathname": STRING,
                "title": STRING,
                "summary": STRING,
                "description": STRING,
                "protocol": STRING,
                "protocolVersion": STRING,
                "variables": map_of(ref_or("serverVariable")),
                "security": ref("securityRequirements"),
                "tags": tags,
                "externalDocs": docs,
                "bindings": ref_or("serverBindings"),
            },
            ("host", "protocol"),
        ),
        "securityRequirements": array_of(ref_or("securityScheme")),
        "securityScheme": _security_scheme(minor, v3=True),
        "channel": closed(
            {
                "address": {"type": ["string", "null"]},
                "messages": map_of(ref_or("message")),
                "parameters": map_of(ref_or("parameter")),
                "title": STRING,
                "summary": STRING,
                "description": STRING,
                "servers": array_of(ref_to("server"), unique=True),
                "tags": tags,
                "externalDocs": docs,
                "bindings": ref_or("channelBindings"),
            }
        ),
        "parameter": closed(
            {
                "enum": STRINGS,
                "default": STRING,
                "description": STRING,
                "examples": STRINGS,
                "location": {"type": "string", "pattern": RUNTIME_EXPRESSION},
            }
        ),
        "message": closed(
            {**trait_fields, "payload": ref("anySchema"), "traits": array_of(trait_item)}
        ),
        "messageTrait": closed(trait_fields),
        "messageExample": _example(1),
        "anySchema": {
            "if": {"type": "object", "required": ["schema"]},
            "then": ref("multiFormatSchema"),
            "else": ref("schema"),
        },
        "multiFormatSchema": {
            "type": "object",
            "required": ["schema"],
            "properties": {"schemaFormat": STRING},
            "allOf": by_format("schemaFormat", "schema", ref("schema")),
        },
        "operation": closed(
            {
                **operation_trait_fields,
                "action": {"enum": ["send", "receive"]},
                "channel": ref_to("channel"),
                "messages": array_of(ref_to("message")),
                "reply": ref_or("operationReply"),
                "traits": array_of(ref_or("operationTrait")),
            },
            ("action", "channel"),
        ),
        "operationTrait": closed(operation_trait_fields),
        "operationReply": closed(
            {
                "address": ref_or("operationReplyAddress"),
                "channel": ref_to("channel"),
                "messages": array_of(ref_to("message")),
            }
        ),
        "operationReplyAddress": closed(
            {"description": STRING, "location": {"type": "string", "pattern": RUNTIME_EXPRESSION}},
            ("location",),
        ),
        "components": closed(
            {
                "schemas": components_map(ref("anySchema")),
                "servers": components_map(ref_or("server")),
                "channels": components_map(ref_or("channel")),
                "operations": components_map(ref_or("operation")),
                "messages": components_map(ref_or("message")),
                "securitySchemes": components_map(ref_or("securityScheme")),
                "serverVariables": components_map(ref_or("serverVariable")),
                "parameters": components_map(ref_or("parameter")),
                "correlationIds": components_map(ref_or("correlationId")),
                "replies": components_map(ref_or("operationReply")),
                "replyAddresses": components_map(ref_or("operationReplyAddress")),
                "externalDocs": components_map(ref_or("externalDocs")),
                "tags": components_map(ref_or("tag")),
                "operationTraits": components_map(ref_or("operationTrait")),
                "messageTraits": components_map(ref_or("messageTrait")),
                "serverBindings": components_map(ref_or("serverBindings")),
                "channelBindings": components_map(ref_or("channelBindings")),
                "operationBindings": components_map(ref_or("operationBindings")),
                "messageBindings": components_map(ref_or("messageBindings")),
            }
        ),
    }
    return {
        "$schema": "http://json-schema.org/draft-07/schema#",
        "$id": f"https://twinspec.dev/schemas/asyncapi-3.{minor}.json",
        "title": f"AsyncAPI 3.{minor} (twinspec)",
        "definitions": definitions,
        **closed(
            {
                "asyncapi": {"const": f"3.{minor}.0"},
                "id": STRING,
                "info": ref("info"),
                "servers": map_of(ref_or("server")),
                "defaultContentType": STRING,
                "channels": map_of(ref_or("channel")),
                "operations": map_of(ref_or("operation")),
                "components": ref("components"),
            },
            ("asyncapi", "info"),
        ),
    }


@functools.cache
def schema_for(major_minor: str) -> Schema:
    """The JSON Schema for one AsyncAPI version (``"2.6"``, ``"3.0"``...)."""
    if major_minor not in SUPPORTED:
        raise ValueError(f"unsupported AsyncAPI version {major_minor!r}")
    major, minor = (int(part) for part in major_minor.split("."))
    return _v2(minor) if major == 2 else _v3(minor)
