"""Hand-written spec pairs: a base document and one edit per rule.

Each case is ``(rule code, severity, edit)``; the edit changes a deep copy of
the base into the NEW version (or, for ``old:`` edits, the OLD one).
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

Doc = dict[str, Any]


def openapi_base() -> Doc:
    pet_out = {
        "type": "object",
        "required": ["id", "name"],
        "properties": {
            "id": {"type": "integer"},
            "name": {"type": "string", "pattern": "^[a-z]+$", "maxLength": 50},
            "kind": {"type": "string", "enum": ["cat", "dog"]},
            "size": {"type": "integer", "maximum": 10},
            "tag": {"type": "string"},
            "born": {"type": "string", "format": "date"},
            "nick": {"type": "string", "nullable": True},
            "owner": {
                "oneOf": [
                    {"$ref": "#/components/schemas/Person"},
                    {"$ref": "#/components/schemas/Org"},
                ]
            },
            "parent": {"$ref": "#/components/schemas/Pet"},
        },
    }
    pet_in = {
        "type": "object",
        "required": ["name"],
        "properties": {
            "name": {"type": "string", "pattern": "^[a-z]+$", "maxLength": 50},
            "kind": {"type": "string", "enum": ["cat", "dog"]},
            "age": {"type": "integer", "minimum": 0, "maximum": 30},
            "nick": {"type": "string", "nullable": True},
            "note": {"type": "string"},
            "born": {"type": "string", "format": "date"},
            "owner": {
                "oneOf": [
                    {"$ref": "#/components/schemas/Person"},
                    {"$ref": "#/components/schemas/Org"},
                ]
            },
        },
    }
    return {
        "openapi": "3.0.3",
        "info": {"title": "Pets", "version": "1.0.0"},
        "servers": [{"url": "https://api.example.com/v1"}],
        "security": [{"key": []}],
        "paths": {
            "/pets/{id}": {
                "get": {
                    "operationId": "getPet",
                    "parameters": [
                        {
                            "name": "id",
                            "in": "path",
                            "required": True,
                            "schema": {"type": "integer"},
                        },
                        {
                            "name": "fields",
                            "in": "query",
                            "schema": {"type": "array", "items": {"type": "string"}},
                        },
                        {
                            "name": "X-Trace",
                            "in": "header",
                            "required": True,
                            "schema": {"type": "string"},
                        },
                    ],
                    "responses": {
                        "200": {
                            "description": "ok",
                            "headers": {"X-Rate": {"schema": {"type": "integer"}}},
                            "content": {
                                "application/json": {"schema": {"$ref": "#/components/schemas/Pet"}}
                            },
                        },
                        "404": {"description": "missing"},
                    },
                },
                "put": {
                    "operationId": "putPet",
                    "parameters": [
                        {
                            "name": "id",
                            "in": "path",
                            "required": True,
                            "schema": {"type": "integer"},
                        }
                    ],
                    "requestBody": {
                        "content": {
                            "application/json": {"schema": {"$ref": "#/components/schemas/PetIn"}}
                        }
                    },
                    "responses": {"204": {"description": "done"}},
                },
            },
            "/legacy": {"get": {"deprecated": True, "responses": {"200": {"description": "ok"}}}},
            "/ping": {"get": {"security": [], "responses": {"200": {"description": "ok"}}}},
        },
        "components": {
            "securitySchemes": {"key": {"type": "apiKey", "in": "header", "name": "X-Key"}},
            "schemas": {
                "Pet": pet_out,
                "PetIn": pet_in,
                "Person": {
                    "type": "object",
                    "title": "Person",
                    "properties": {"first": {"type": "string"}},
                },
                "Org": {
                    "type": "object",
                    "title": "Org",
                    "properties": {"vat": {"type": "string"}},
                },
                "Team": {
                    "type": "object",
                    "title": "Team",
                    "properties": {"lead": {"type": "string"}},
                },
            },
        },
    }


def _pet(d: Doc) -> Doc:
    return d["components"]["schemas"]["Pet"]["properties"]  # type: ignore[no-any-return]


def _pet_in(d: Doc) -> Doc:
    return d["components"]["schemas"]["PetIn"]["properties"]  # type: ignore[no-any-return]


def _get(d: Doc) -> Doc:
    return d["paths"]["/pets/{id}"]["get"]  # type: ignore[no-any-return]


def _put(d: Doc) -> Doc:
    return d["paths"]["/pets/{id}"]["put"]  # type: ignore[no-any-return]


def _params(d: Doc) -> list[Doc]:
    return _get(d)["parameters"]  # type: ignore[no-any-return]


def _body(d: Doc) -> Doc:
    return _put(d)["requestBody"]  # type: ignore[no-any-return]


Edit = Callable[[Doc], object]

OPENAPI: dict[str, tuple[str, Edit]] = {
    "operation-removed": ("error", lambda d: d["paths"]["/pets/{id}"].pop("put")),
    "operation-removed-deprecated": ("warning", lambda d: d["paths"].pop("/legacy")),
    "operation-added": (
        "info",
        lambda d: d["paths"]["/pets/{id}"].update(
            delete={"responses": {"204": {"description": "gone"}}}
        ),
    ),
    "param-required-added": (
        "error",
        lambda d: _params(d).append(
            {"name": "v", "in": "query", "required": True, "schema": {"type": "string"}}
        ),
    ),
    "param-added": (
        "info",
        lambda d: _params(d).append({"name": "v", "in": "query", "schema": {"type": "string"}}),
    ),
    "param-removed": ("warning", lambda d: _params(d).pop(1)),
    "param-became-required": ("error", lambda d: _params(d)[1].update(required=True)),
    "param-became-optional": ("info", lambda d: _params(d)[2].update(required=False)),
    "param-in-changed": ("error", lambda d: _params(d)[1].update({"in": "header"})),
    "param-style-changed": ("error", lambda d: _params(d)[1].update(style="pipeDelimited")),
    "param-explode-changed": ("error", lambda d: _params(d)[1].update(explode=False)),
    "request-body-added-required": (
        "error",
        lambda d: _get(d).update(
            requestBody={
                "required": True,
                "content": {"text/plain": {"schema": {"type": "string"}}},
            }
        ),
    ),
    "request-body-became-required": ("error", lambda d: _body(d).update(required=True)),
    "request-body-removed": ("warning", lambda d: _put(d).pop("requestBody")),
    "request-media-type-removed": (
        "error",
        lambda d: _body(d).update(content={"application/xml": {"schema": {"type": "string"}}}),
    ),
    "request-media-type-added": (
        "info",
        lambda d: _body(d)["content"].update({"application/xml": {"schema": {"type": "string"}}}),
    ),
    "response-success-status-removed": (
        "error",
        lambda d: _get(d)["responses"].update({"201": _get(d)["responses"].pop("200")}),
    ),
    "response-status-removed": ("warning", lambda d: _get(d)["responses"].pop("404")),
    "response-status-added": (
        "info",
        lambda d: _get(d)["responses"].update({"410": {"description": "gone"}}),
    ),
    "response-media-type-removed": (
        "error",
        lambda d: _get(d)["responses"]["200"].update(
            content={"text/plain": {"schema": {"type": "string"}}}
        ),
    ),
    "response-media-type-added": (
        "info",
        lambda d: _get(d)["responses"]["200"]["content"].update(
            {"text/plain": {"schema": {"type": "string"}}}
        ),
    ),
    "response-header-removed": ("warning", lambda d: _get(d)["responses"]["200"].pop("headers")),
    "security-requirement-changed": (
        "error",
        lambda d: _get(d).update(security=[{"key": [], "other": []}]),
    ),
    "security-requirement-added": (
        "info",
        lambda d: (
            d.update(security=[{"key": []}, {"basic": []}])
            or d["components"]["securitySchemes"].update(basic={"type": "http", "scheme": "basic"})
        ),
    ),
    "security-scheme-changed": (
        "error",
        lambda d: d["components"]["securitySchemes"]["key"].update(name="X-Api-Key"),
    ),
    "server-removed": (
        "error",
        lambda d: d.update(servers=[{"url": "https://api.example.com/v2"}]),
    ),
    "server-added": ("info", lambda d: d["servers"].append({"url": "https://eu.example.com/v1"})),
    "input-type-changed": ("error", lambda d: _pet_in(d)["age"].update(type="string")),
    "input-type-widened": ("info", lambda d: _pet_in(d)["age"].update(type="number")),
    "input-nullable-removed": ("error", lambda d: _pet_in(d)["nick"].pop("nullable")),
    "input-enum-value-removed": ("error", lambda d: _pet_in(d)["kind"].update(enum=["cat"])),
    "input-enum-value-added": (
        "info",
        lambda d: _pet_in(d)["kind"].update(enum=["cat", "dog", "eel"]),
    ),
    "input-enum-added": ("error", lambda d: _pet_in(d)["note"].update(enum=["a", "b"])),
    "input-constraint-tightened": ("error", lambda d: _pet_in(d)["age"].update(maximum=20)),
    "input-constraint-loosened": ("info", lambda d: _pet_in(d)["name"].update(maxLength=80)),
    "input-pattern-changed": ("error", lambda d: _pet_in(d)["name"].update(pattern="^[a-z]{2,}$")),
    "input-format-changed": ("warning", lambda d: _pet_in(d)["born"].update(format="date-time")),
    "input-property-required-added": (
        "error",
        lambda d: (
            _pet_in(d).update(chip={"type": "string"})
            or d["components"]["schemas"]["PetIn"]["required"].append("chip")
        ),
    ),
    "input-property-added": ("info", lambda d: _pet_in(d).update(chip={"type": "string"})),
    "input-property-removed": ("warning", lambda d: _pet_in(d).pop("note")),
    "input-property-became-required": (
        "error",
        lambda d: d["components"]["schemas"]["PetIn"]["required"].append("age"),
    ),
    "input-property-became-optional": (
        "info",
        lambda d: d["components"]["schemas"]["PetIn"].update(required=[]),
    ),
    "input-variant-removed": ("error", lambda d: _pet_in(d)["owner"]["oneOf"].pop()),
    "input-variant-added": (
        "info",
        lambda d: _pet_in(d)["owner"]["oneOf"].append({"$ref": "#/components/schemas/Team"}),
    ),
    "output-type-changed": ("error", lambda d: _pet(d)["size"].update(type="number")),
    "output-type-narrowed": ("info", lambda d: _pet(d)["nick"].pop("nullable")),
    "output-nullable-added": ("error", lambda d: _pet(d)["tag"].update(nullable=True)),
    "output-enum-value-added": (
        "error",
        lambda d: _pet(d)["kind"].update(enum=["cat", "dog", "eel"]),
    ),
    "output-enum-value-removed": ("info", lambda d: _pet(d)["kind"].update(enum=["cat"])),
    "output-enum-removed": ("error", lambda d: _pet(d)["kind"].pop("enum")),
    "output-constraint-loosened": ("warning", lambda d: _pet(d)["size"].update(maximum=20)),
    "output-constraint-tightened": ("info", lambda d: _pet(d)["size"].update(maximum=5)),
    "output-pattern-changed": ("warning", lambda d: _pet(d)["name"].update(pattern="^[a-z0-9]+$")),
    "output-format-changed": ("warning", lambda d: _pet(d)["born"].update(format="date-time")),
    "output-property-removed": ("error", lambda d: _pet(d).pop("tag")),
    "output-property-added": ("info", lambda d: _pet(d).update(chip={"type": "string"})),
    "output-property-became-optional": (
        "error",
        lambda d: d["components"]["schemas"]["Pet"].update(required=["id"]),
    ),
    "output-property-became-required": (
        "info",
        lambda d: d["components"]["schemas"]["Pet"]["required"].append("tag"),
    ),
    "output-variant-added": (
        "warning",
        lambda d: _pet(d)["owner"]["oneOf"].append({"$ref": "#/components/schemas/Team"}),
    ),
    "output-variant-removed": ("info", lambda d: _pet(d)["owner"]["oneOf"].pop()),
}


def asyncapi_base() -> Doc:
    """An AsyncAPI 3.0 application: receives orders, sends shipments."""
    return {
        "asyncapi": "3.0.0",
        "info": {"title": "Shop", "version": "1.0.0"},
        "defaultContentType": "application/json",
        "servers": {
            "prod": {
                "host": "broker.example.com:1883",
                "protocol": "mqtt",
                "security": [{"$ref": "#/components/securitySchemes/user"}],
                "bindings": {"mqtt": {"clientId": "shop"}},
            }
        },
        "channels": {
            "orders": {
                "address": "shop/{region}/orders",
                "parameters": {"region": {"enum": ["eu", "us"]}},
                "messages": {
                    "order": {"$ref": "#/components/messages/order"},
                    "cancel": {"$ref": "#/components/messages/cancel"},
                },
            },
            "shipments": {
                "address": "shop/shipments",
                "messages": {"shipment": {"$ref": "#/components/messages/shipment"}},
                "bindings": {"mqtt": {"qos": 1}},
            },
        },
        "operations": {
            "takeOrder": {
                "action": "receive",
                "channel": {"$ref": "#/channels/orders"},
                "messages": [
                    {"$ref": "#/channels/orders/messages/order"},
                    {"$ref": "#/channels/orders/messages/cancel"},
                ],
            },
            "ship": {
                "action": "send",
                "channel": {"$ref": "#/channels/shipments"},
                "messages": [{"$ref": "#/channels/shipments/messages/shipment"}],
            },
        },
        "components": {
            "securitySchemes": {"user": {"type": "userPassword"}},
            "messages": {
                "order": {
                    "name": "order",
                    "payload": {
                        "type": "object",
                        "required": ["sku"],
                        "properties": {"sku": {"type": "string"}},
                    },
                },
                "cancel": {
                    "name": "cancel",
                    "payload": {"type": "object", "properties": {"id": {"type": "string"}}},
                },
                "shipment": {
                    "name": "shipment",
                    "payload": {
                        "type": "object",
                        "required": ["id"],
                        "properties": {"id": {"type": "string"}},
                    },
                },
            },
        },
    }


def _msg(d: Doc, name: str) -> Doc:
    return d["components"]["messages"][name]  # type: ignore[no-any-return]


ASYNCAPI: dict[str, tuple[str, Edit]] = {
    "channel-removed": (
        "error",
        lambda d: d["channels"].pop("shipments") and d["operations"].pop("ship"),
    ),
    "channel-added": ("info", lambda d: d["channels"].update(audit={"address": "shop/audit"})),
    "channel-address-changed": (
        "error",
        lambda d: d["channels"]["shipments"].update(address="shop/v2/shipments"),
    ),
    "channel-parameter-changed": (
        "error",
        lambda d: d["channels"]["orders"]["parameters"]["region"].update(enum=["eu"]),
    ),
    "binding-changed": (
        "warning",
        lambda d: d["channels"]["shipments"]["bindings"]["mqtt"].update(qos=0),
    ),
    "message-removed": ("error", lambda d: d["operations"]["takeOrder"]["messages"].pop()),
    "message-added": (
        "info",
        lambda d: (
            d["channels"]["orders"]["messages"].update(
                hold={"name": "hold", "payload": {"type": "string"}}
            )
            or d["operations"]["takeOrder"]["messages"].append(
                {"$ref": "#/channels/orders/messages/hold"}
            )
        ),
    ),
    "output-message-added": (
        "warning",
        lambda d: (
            d["channels"]["shipments"]["messages"].update(
                delay={"name": "delay", "payload": {"type": "string"}}
            )
            or d["operations"]["ship"]["messages"].append(
                {"$ref": "#/channels/shipments/messages/delay"}
            )
        ),
    ),
    "message-content-type-changed": (
        "error",
        lambda d: _msg(d, "shipment").update(contentType="application/avro"),
    ),
    "operation-removed": ("error", lambda d: d["operations"].pop("ship")),
    "operation-added": (
        "info",
        lambda d: d["operations"].update(
            audit={"action": "send", "channel": {"$ref": "#/channels/orders"}}
        ),
    ),
    "server-removed": ("error", lambda d: d["servers"]["prod"].update(host="mq.example.com:1883")),
    "server-protocol-changed": (
        "error",
        lambda d: d["servers"]["prod"].update(protocol="secure-mqtt"),
    ),
    "security-requirement-changed": (
        "error",
        lambda d: d["servers"]["prod"].update(security=[{"type": "X509"}]),
    ),
    "input-property-required-added": (
        "error",
        lambda d: (
            _msg(d, "order")["payload"]["properties"].update(qty={"type": "integer"})
            or _msg(d, "order")["payload"]["required"].append("qty")
        ),
    ),
    "output-property-removed": (
        "error",
        lambda d: _msg(d, "shipment")["payload"].update(properties={}, required=[]),
    ),
}


def edited(base: Doc, edit: Edit) -> Doc:
    new = copy.deepcopy(base)
    edit(new)
    return new
