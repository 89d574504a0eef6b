"""Protocol binding schemas for AsyncAPI 3.x, for the protocols twinspec generates code for.

Bindings are versioned apart from the specification (``bindingVersion``); a
binding without one is read as the latest version listed here. Protocols that
are not listed (ibmmq, solace, ...) are accepted as any object: twinspec does
not generate code for them and does not second-guess them.
"""

from __future__ import annotations

from typing import Any

__all__ = ["binding_definitions"]

Schema = dict[str, Any]

_EXTENSION = r"^x-[\w\d\.\x2d_]+$"
_STRING: Schema = {"type": "string"}
_BOOLEAN: Schema = {"type": "boolean"}
_SCHEMA: Schema = {"$ref": "#/definitions/schema"}
_QOS: Schema = {"type": "integer", "enum": [0, 1, 2]}


def _binding(versions: tuple[str, ...], properties: Schema, **extra: Any) -> Schema:
    """A closed binding object accepting the listed ``bindingVersion``s."""
    return {
        "type": "object",
        "additionalProperties": False,
        "patternProperties": {_EXTENSION: {}},
        "properties": {**properties, "bindingVersion": {"type": "string", "enum": list(versions)}},
        **extra,
    }


def _integer_or_schema(minimum: int, maximum: int | None = None) -> Schema:
    number: Schema = {"type": "integer", "minimum": minimum}
    if maximum is not None:
        number["maximum"] = maximum
    return {"anyOf": [number, _SCHEMA]}


_KAFKA = ("0.5.0", "0.4.0", "0.3.0")
_HTTP = ("0.3.0", "0.2.0")
_HTTP_METHODS = ("GET", "PUT", "POST", "PATCH", "DELETE", "HEAD", "OPTIONS", "CONNECT", "TRACE")
_AMQP_EXCHANGE: Schema = {
    "type": "object",
    "properties": {
        "name": {"type": "string", "maxLength": 255},
        "type": {"enum": ["topic", "direct", "fanout", "default", "headers"]},
        "durable": _BOOLEAN,
        "autoDelete": _BOOLEAN,
        "vhost": _STRING,
    },
}
_AMQP_QUEUE: Schema = {
    "type": "object",
    "properties": {
        "name": {"type": "string", "maxLength": 255},
        "durable": _BOOLEAN,
        "exclusive": _BOOLEAN,
        "autoDelete": _BOOLEAN,
        "vhost": _STRING,
    },
}


def binding_definitions() -> dict[str, Schema]:
    """Definitions ``serverBindings``, ``channelBindings``, ``operationBindings``, ``messageBindings``."""
    server = {
        "mqtt": _binding(
            ("0.2.0",),
            {
                "clientId": _STRING,
                "cleanSession": _BOOLEAN,
                "lastWill": {
                    "type": "object",
                    "properties": {
                        "topic": _STRING,
                        "qos": _QOS,
                        "message": _STRING,
                        "retain": _BOOLEAN,
                    },
                },
                "keepAlive": {"type": "integer"},
                "sessionExpiryInterval": _integer_or_schema(0),
                "maximumPacketSize": _integer_or_schema(1, 4294967295),
            },
        ),
        "kafka": _binding(_KAFKA, {"schemaRegistryUrl": _STRING, "schemaRegistryVendor": _STRING}),
    }
    channel = {
        "ws": _binding(
            ("0.1.0",),
            {"method": {"enum": ["GET", "POST"]}, "query": _SCHEMA, "headers": _SCHEMA},
        ),
        "amqp": _binding(
            ("0.3.0",),
            {
                "is": {"enum": ["queue", "routingKey"]},
                "exchange": _AMQP_EXCHANGE,
                "queue": _AMQP_QUEUE,
            },
            allOf=[
                {
                    "if": {"properties": {"is": {"const": "routingKey"}}, "required": ["is"]},
                    "then": {"required": ["exchange"], "not": {"required": ["queue"]}},
                },
                {
                    "if": {
                        "not": {"properties": {"is": {"const": "routingKey"}}, "required": ["is"]}
                    },
                    "then": {"required": ["queue"], "not": {"required": ["exchange"]}},
                },
            ],
        ),
        "kafka": _binding(
            _KAFKA,
            {
                "topic": _STRING,
                "partitions": {"type": "integer", "minimum": 1},
                "replicas": {"type": "integer", "minimum": 1},
                "topicConfiguration": {
                    "type": "object",
                    "properties": {
                        "cleanup.policy": {
                            "type": "array",
                            "items": {"enum": ["compact", "delete"]},
                        },
                        "retention.ms": {"type": "integer", "minimum": -1},
                        "retention.bytes": {"type": "integer", "minimum": -1},
                        "delete.retention.ms": {"type": "integer", "minimum": 0},
                        "max.message.bytes": {"type": "integer", "minimum": 0},
                        "confluent.key.schema.validation": _BOOLEAN,
                        "confluent.key.subject.name.strategy": _STRING,
                        "confluent.value.schema.validation": _BOOLEAN,
                        "confluent.value.subject.name.strategy": _STRING,
                    },
                },
            },
        ),
    }
    operation = {
        "http": _binding(
            _HTTP,
            {
                "method": {"enum": list(_HTTP_METHODS)},
                "query": _SCHEMA,
            },
        ),
        "amqp": _binding(
            ("0.3.0",),
            {
                "expiration": {"type": "integer", "minimum": 0},
                "userId": _STRING,
                "cc": {"type": "array", "items": _STRING},
                "priority": {"type": "integer"},
                "deliveryMode": {"enum": [1, 2]},
                "mandatory": _BOOLEAN,
                "bcc": {"type": "array", "items": _STRING},
                "timestamp": _BOOLEAN,
                "ack": _BOOLEAN,
            },
        ),
        "mqtt": _binding(
            ("0.2.0",),
            {
                "qos": _QOS,
                "retain": _BOOLEAN,
                "messageExpiryInterval": _integer_or_schema(0, 4294967295),
            },
        ),
        "kafka": _binding(_KAFKA, {"groupId": _SCHEMA, "clientId": _SCHEMA}),
        "nats": _binding(("0.1.0",), {"queue": {"type": "string", "maxLength": 255}}),
    }
    message = {
        "http": _binding(_HTTP, {"headers": _SCHEMA, "statusCode": {"type": "number"}}),
        "amqp": _binding(("0.3.0",), {"contentEncoding": _STRING, "messageType": _STRING}),
        "mqtt": _binding(
            ("0.2.0",),
            {
                "payloadFormatIndicator": {"enum": [0, 1]},
                "correlationData": _SCHEMA,
                "contentType": _STRING,
                "responseTopic": {"anyOf": [{"type": "string", "minLength": 1}, _SCHEMA]},
            },
        ),
        "kafka": _binding(
            _KAFKA,
            {
                # Schema Object or Avro schema (the binding says either; keys are often Avro)
                "key": {"anyOf": [_SCHEMA, {"refOr": {"$ref": "#/definitions/avroSchema"}}]},
                "schemaIdLocation": {"enum": ["header", "payload"]},
                "schemaIdPayloadEncoding": _STRING,
                "schemaLookupStrategy": _STRING,
            },
        ),
    }
    return {
        "serverBindings": _bindings_object(server),
        "channelBindings": _bindings_object(channel),
        "operationBindings": _bindings_object(operation),
        "messageBindings": _bindings_object(message),
    }


_PROTOCOLS = (
    "http", "ws", "amqp", "amqp1", "mqtt", "kafka", "anypointmq", "nats", "jms",
    "sns", "sqs", "stomp", "redis", "ibmmq", "solace", "googlepubsub", "pulsar", "ros2",
)  # fmt: skip


def _bindings_object(known: dict[str, Schema]) -> Schema:
    """A Bindings Object: one entry per protocol, the known ones checked."""
    return {
        "type": "object",
        "additionalProperties": False,
        "patternProperties": {_EXTENSION: {}},
        "properties": {name: known.get(name, {"type": "object"}) for name in _PROTOCOLS},
    }
