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

from generator.validate._asyncapi_pieces import (
    ANY_OBJECT,
    BOOLEAN,
    COMPONENT_KEY,
    RUNTIME_EXPRESSION,
    STRING,
    STRINGS,
    UNIQUE_STRINGS,
    Schema,
    array_of,
    by_format,
    closed,
    map_of,
    ref,
    ref_or,
    ref_to,
)
from generator.validate.asyncapi_bindings import binding_definitions
from generator.validate.asyncapi_definitions import (
    common_definitions,
    message_example,
    security_scheme,
)

__all__ = ["SUPPORTED", "schema_for"]

SUPPORTED = ("2.0", "2.1", "2.2", "2.3", "2.4", "2.5", "2.6", "3.0", "3.1")


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
        **common_definitions(v3=False),
        "server": closed(server_fields, ("url", "protocol")),
        "securityRequirement": map_of(UNIQUE_STRINGS),
        "securityScheme": security_scheme(minor, v3=False),
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
        "messageExample": message_example(minor),
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
        **common_definitions(v3=True),
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
        "securityScheme": security_scheme(minor, v3=True),
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
        "messageExample": message_example(1),
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
