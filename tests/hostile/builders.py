"""The hostile specs of the attack suite, written as data.

Each builder returns a document a user could legally write: every free-text
field carries the payload (injection specs), or every name is one that trips
code generators (nasty-name specs). Refusing them is a failure; generating code
that runs the payload is a worse one.
"""

from __future__ import annotations

import re
from typing import Any

from .harness import PAYLOADS


def _braceless(text: str) -> str:
    """``text`` without the characters that would open a path or address template."""
    return re.sub(r"[{}/?#]", "_", text) or "_"


def openapi_injection(p: str) -> dict[str, Any]:
    """An OpenAPI 3.1 document with ``p`` in every text field twinspec could emit."""
    item_props = {
        p: {"type": "string", "description": p, "default": p, "example": p, "title": p},
        "kind": {"type": "string", "enum": [p, "plain"], "description": p},
        "code": {"type": "string", "pattern": "^" + re.escape(p) + "$|^ok$", "example": "ok"},
        "count": {"type": "integer", "minimum": 0, "default": 3, "description": p},
    }
    example = {p: p, "kind": "plain", "code": "ok", "count": 1}
    item = {
        "type": "object",
        "title": p,
        "description": p,
        "properties": item_props,
        "required": ["kind"],
        "example": example,
        "x-hostile": p,
    }
    json_item = {
        "application/json": {"schema": {"$ref": "#/components/schemas/Item"}, "example": example}
    }
    responses = {"200": {"description": p, "content": json_item}, "404": {"description": p}}
    param = "id-" + re.sub(r"[^A-Za-z0-9_-]", "_", p)  # path templates take no punctuation
    return {
        "openapi": "3.1.0",
        "info": {
            "title": p,
            "version": p,
            "description": p,
            "summary": p,
            "contact": {"name": p, "email": "a@example.com"},
            "license": {"name": p, "identifier": "MIT"},
            "x-hostile": p,
        },
        "servers": [
            {
                "url": "http://localhost:8000/{base}",
                "description": p,
                "variables": {"base": {"default": "v1", "enum": ["v1", p], "description": p}},
            },
            {"url": "https://api.example.com/" + _braceless(p), "description": p},
        ],
        "tags": [{"name": p, "description": p}],
        "paths": {
            f"/items/{{{param}}}": {
                "summary": p,
                "description": p,
                "get": {
                    "operationId": p,
                    "summary": p,
                    "description": p,
                    "tags": [p],
                    "parameters": [
                        {
                            "name": param,
                            "in": "path",
                            "required": True,
                            "description": p,
                            "schema": {"type": "string"},
                            "example": p,
                        },
                        {
                            "name": p,
                            "in": "query",
                            "description": p,
                            "schema": {"type": "string", "default": p},
                        },
                        {
                            "name": "X-" + _braceless(p),
                            "in": "header",
                            "description": p,
                            "schema": {"type": "string"},
                        },
                        {
                            "name": p + "c",
                            "in": "cookie",
                            "description": p,
                            "schema": {"type": "string"},
                        },
                    ],
                    "responses": responses,
                    "x-hostile": p,
                },
            },
            "/items": {
                "post": {
                    "operationId": p + "2",
                    "summary": p,
                    "description": p,
                    "tags": [p],
                    "security": [{"api_key": []}],
                    "requestBody": {"description": p, "required": True, "content": json_item},
                    "responses": responses,
                }
            },
        },
        "components": {
            "schemas": {"Item": item},
            "securitySchemes": {
                "api_key": {
                    "type": "apiKey",
                    "in": "header",
                    "name": "X-Key-" + _braceless(p),
                    "description": p,
                }
            },
        },
        "x-hostile": {p: p},
    }


def asyncapi_injection(p: str) -> dict[str, Any]:
    """An AsyncAPI 3.0 document with ``p`` in every text field, over WebSocket and MQTT."""
    payload = {
        "type": "object",
        "description": p,
        "title": p,
        "properties": {
            p: {"type": "string", "description": p, "default": p},
            "kind": {"type": "string", "enum": [p, "plain"]},
        },
        "required": ["kind"],
    }
    message = {
        "name": p,
        "title": p,
        "summary": p,
        "description": p,
        "contentType": "application/json",
        "payload": payload,
        "headers": {"type": "object", "properties": {p: {"type": "string", "description": p}}},
        "examples": [{"name": "sample", "summary": p, "payload": {p: p, "kind": "plain"}}],
        "tags": [{"name": p, "description": p}],
        "x-hostile": p,
    }
    return {
        "asyncapi": "3.0.0",
        "info": {"title": p, "version": p, "description": p, "tags": [{"name": p}], "x-hostile": p},
        "servers": {
            "ws": {"host": "localhost:8765", "protocol": "ws", "description": p, "title": p},
            "broker": {"host": "localhost:1883", "protocol": "mqtt", "description": p},
            "secured": {
                "host": "localhost:8766",
                "protocol": "ws",
                "pathname": "/" + _braceless(p),
                "description": p,
                "security": [{"$ref": "#/components/securitySchemes/key"}],
            },
        },
        "components": {
            "securitySchemes": {
                "key": {
                    "type": "httpApiKey",
                    "name": "X-Key-" + _braceless(p),
                    "in": "header",
                    "description": p,
                }
            }
        },
        "channels": {
            "chat": {
                "address": "/chat/{room}/" + _braceless(p),
                "title": p,
                "description": p,
                "servers": [{"$ref": "#/servers/ws"}],
                "parameters": {
                    "room": {"description": p, "enum": ["lobby", _braceless(p)], "default": "lobby"}
                },
                "messages": {"chatMessage": message},
            },
            "telemetry": {
                "address": "telemetry/" + _braceless(p),
                "description": p,
                "servers": [{"$ref": "#/servers/broker"}],
                "messages": {"reading": message},
            },
        },
        "operations": {
            "sendChat": {
                "action": "send",
                "channel": {"$ref": "#/channels/chat"},
                "title": p,
                "summary": p,
                "description": p,
                "messages": [{"$ref": "#/channels/chat/messages/chatMessage"}],
            },
            "receiveChat": {
                "action": "receive",
                "channel": {"$ref": "#/channels/chat"},
                "summary": p,
                "messages": [{"$ref": "#/channels/chat/messages/chatMessage"}],
            },
            "sendReading": {
                "action": "send",
                "channel": {"$ref": "#/channels/telemetry"},
                "summary": p,
                "messages": [{"$ref": "#/channels/telemetry/messages/reading"}],
            },
            "receiveReading": {
                "action": "receive",
                "channel": {"$ref": "#/channels/telemetry"},
                "description": p,
                "messages": [{"$ref": "#/channels/telemetry/messages/reading"}],
            },
        },
    }


def tame(doc: dict[str, Any], index: int) -> dict[str, Any]:
    """``doc`` minus what open defects cannot take yet, to look past them at everything else.

    Header parameters get ASCII names (F4); tags get plain names (F3, fixed since).
    """
    doc["tags"] = [{"name": f"tag{index}"}]
    for item in doc.get("paths", {}).values():
        for operation in item.values():
            if isinstance(operation, dict) and "tags" in operation:
                operation["tags"] = [f"tag{index}"]
            for param in operation.get("parameters", []) if isinstance(operation, dict) else []:
                if param["in"] == "header":
                    param["name"] = param["name"].encode("ascii", "replace").decode()
    return doc


def combined(builder: Any, *, tamed: bool = False) -> dict[str, Any]:
    """One document carrying every payload at once (field by field, in turn).

    Built by merging one single-payload document per payload, each under its
    own paths/channels, so every payload reaches every kind of field.
    ``tamed`` steers clear of open defects (see ``tame``).
    """
    merged: dict[str, Any] = {}
    for index, (name, payload) in enumerate(sorted(PAYLOADS.items())):
        doc = builder(payload)
        if tamed:
            doc = tame(doc, index)
        if not merged:
            merged = doc
            continue
        if "paths" in doc:
            for path, item in doc["paths"].items():
                for operation in item.values():
                    if isinstance(operation, dict) and "operationId" in operation:
                        operation["operationId"] += f"-{name}"
                merged["paths"][f"/{index}{path}"] = item
        else:
            for key, channel in doc["channels"].items():
                merged["channels"][f"{key}{index}"] = channel
            for key, operation in doc["operations"].items():
                channel_key = operation["channel"]["$ref"].rsplit("/", 1)[1] + str(index)
                operation["channel"] = {"$ref": f"#/channels/{channel_key}"}
                operation["messages"] = [
                    {"$ref": f"#/channels/{channel_key}/messages/{m['$ref'].rsplit('/', 1)[1]}"}
                    for m in operation["messages"]
                ]
                merged["operations"][f"{key}{index}"] = operation
    return merged


NASTY_NAMES = [
    "class",
    "def",
    "import",
    "None",
    "True",
    "match",
    "case",
    "type",
    "_",
    "list",
    "str",
    "id",
    "self",
    "BaseModel",
    "Field",
    "datetime",
    "typing",
    "Any",
    "model_config",
    "model_dump",
    "json",
    "1st",
    "2nd-place",
    "",
    "user-id",
    "user_id",
    "userId",
    "UserId",
    "名前",
    "🎉",
    "x" * 500,
]
"""Property, parameter and message names that are legal and must still work."""

NASTY_SCHEMAS = [
    "class",
    "BaseModel",
    "Field",
    "datetime",
    "typing",
    "Any",
    "None",
    "1st",
    "model-a",
    "model_a",
    "model.a",
    "str",
]
"""Schema names allowed by the component-key pattern that shadow or collide."""


def nasty_object() -> dict[str, Any]:
    """A wire object whose keys are all the nasty names (values tell them apart)."""
    return {name: f"value {i}" for i, name in enumerate(NASTY_NAMES)}


def openapi_nasty_names() -> dict[str, Any]:
    """An OpenAPI 3.1 document whose names are keywords, builtins, imports, digits, emoji, twins."""
    nasty = {
        "type": "object",
        "properties": {name: {"type": "string"} for name in NASTY_NAMES},
        "example": nasty_object(),
    }
    schemas: dict[str, Any] = {"Nasty": nasty}
    for i, name in enumerate(NASTY_SCHEMAS):
        schemas[name] = {
            "type": "object",
            "properties": {"n": {"type": "integer", "example": i}},
            "required": ["n"],
        }
    json_nasty = {
        "application/json": {
            "schema": {"$ref": "#/components/schemas/Nasty"},
            "example": nasty_object(),
        }
    }
    paths: dict[str, Any] = {
        "/echo": {
            "post": {
                "operationId": "class",
                "requestBody": {"required": True, "content": json_nasty},
                "responses": {"200": {"description": "the same object", "content": json_nasty}},
            }
        }
    }
    op_ids = [
        "import",
        "1st",
        "get-item",
        "get_item",
        "getItem",
        "名前",
        "🎉",
        "x" * 500,
        "BaseModel",
        "datetime",
    ]
    for i, (schema, op_id) in enumerate(zip(NASTY_SCHEMAS, op_ids, strict=False)):
        paths[f"/s{i}/{{from}}"] = {
            "get": {
                "operationId": op_id,
                "tags": [["class", "import", "1st", "名前", "../escape", "BaseModel"][i % 6]],
                "parameters": [
                    {"name": "from", "in": "path", "required": True, "schema": {"type": "string"}},
                    {"name": "in", "in": "query", "schema": {"type": "string"}},
                    {"name": "user-id", "in": "query", "schema": {"type": "string"}},
                    {"name": "user_id", "in": "query", "schema": {"type": "string"}},
                ],
                "responses": {
                    "200": {
                        "description": "ok",
                        "content": {
                            "application/json": {
                                "schema": {"$ref": f"#/components/schemas/{schema}"}
                            }
                        },
                    }
                },
            }
        }
    return {
        "openapi": "3.1.0",
        "info": {"title": "class", "version": "1.0.0"},
        "paths": paths,
        "components": {"schemas": schemas},
    }


def asyncapi_nasty_names() -> dict[str, Any]:
    """An AsyncAPI 3.0 document with the same names in payloads, messages and parameters."""
    payload = {"type": "object", "properties": {name: {"type": "string"} for name in NASTY_NAMES}}
    messages = {
        key: {
            "name": name,
            "contentType": "application/json",
            "payload": payload,
            "examples": [{"payload": nasty_object()}],
        }
        for key, name in (
            ("class", "class"),
            ("BaseModel", "BaseModel"),
            ("m1st", "1st"),
            ("emoji", "🎉"),
        )
    }
    return {
        "asyncapi": "3.0.0",
        "info": {"title": "import", "version": "1.0.0"},
        "servers": {"ws": {"host": "localhost:8765", "protocol": "ws"}},
        "channels": {
            "class": {
                "address": "/rooms/{from}",
                "parameters": {"from": {"description": "a keyword as a parameter"}},
                "messages": messages,
            }
        },
        "operations": {
            action + "_" + key: {
                "action": action,
                "channel": {"$ref": "#/channels/class"},
                "messages": [{"$ref": f"#/channels/class/messages/{key}"} for key in messages],
            }
            for action in ("send", "receive")
            for key in ("all",)
        },
    }
