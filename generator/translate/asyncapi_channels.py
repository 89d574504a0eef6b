"""AsyncAPI channels -> ``ir.stream.Channel``: address parameters, protocol bindings, families.

``ChannelReader`` is the part of the stream builder (``translate.asyncapi``)
that reads one channel: which protocol families serve it (from its servers),
its address as a path and a topic with Python parameter names, its AMQP,
Kafka, Redis and WebSocket bindings (the ws ``query``/``headers`` typed, with
an example each), and its messages, registered with the ``MessageReader``.
"""

from __future__ import annotations

import re
from typing import Any

from generator.diagnostics import Diagnostic
from generator.ir.schema import TypeRef
from generator.ir.stream import Binding, Channel, Family, Parameter, Server, Transport
from generator.load import Document
from generator.naming import NameAllocator, py_identifier
from generator.translate._asyncapi_messages import MessageReader
from generator.translate._asyncapi_web import TypedExample
from generator.translate.asyncapi_shape import Located, RawChannel, Reader, Shape
from generator.translate.examples import example_value
from generator.translate.json_values import as_dict, as_text
from generator.translate.schema import TypeModelBuilder

__all__ = ["REDIS_EXTENSION", "SSE_EXTENSION", "ChannelReader"]

SSE_EXTENSION = "x-twinspec-sse"
"""Channel extension: ``true`` serves the channel as Server-Sent Events (GET) + POST."""

REDIS_EXTENSION = "x-twinspec-redis"
"""Channel extension: ``{mode: pubsub|stream}`` picks Redis pub/sub (default) or streams."""


_RESERVED_PARAMS = (
    "websocket", "params", "on_frame", "receiver", "text", "decoded", "reply", "data", "request",
    "message", "last_event_id", "hub", "app", "messages", "correlation", "destination", "key",
    "body", "defaults", "handlers", "logger", "settings", "path", "self", "timeout", "waiter",
    "headers",
)  # fmt: skip
"""Names the generated endpoint and publish functions use themselves."""


class ChannelReader:
    """Channels of ``doc``; the builder sets up the attributes declared here."""

    doc: Document
    types: TypeModelBuilder
    messages: MessageReader
    reader: Reader
    diagnostics: list[Diagnostic]
    setting_names: NameAllocator
    class_names: NameAllocator
    servers: list[Server]
    declared: dict[str, Any]
    ws_refs: dict[str, tuple[TypedExample | None, TypedExample | None]]

    def follow(self, value: Any, at: Located) -> Located | None:
        """``value`` (a ``$ref`` or not) found under ``at``, with where it was; None if dangling."""
        return self.reader.follow(value, at.source, at.pointer)

    def families(
        self, raw: RawChannel, servers: list[Server], declared: dict[str, Any]
    ) -> tuple[Family, ...]:
        """The protocol families of the servers ``raw`` names (all, when it names none)."""
        if not declared:
            return (Family.WS,)  # no servers at all: serve it over WebSocket, the common default
        names = raw.servers if raw.servers is not None else tuple(declared)
        found = {s.family for s in servers if s.key in names}
        return tuple(sorted(found, key=lambda f: f.value))

    def _server_keys(
        self, raw: RawChannel, servers: list[Server], declared: dict[str, Any]
    ) -> tuple[str, ...]:
        names = raw.servers if raw.servers is not None else tuple(declared)
        return tuple(s.key for s in servers if s.key in names)

    def channel(
        self, raw: RawChannel, families: tuple[Family, ...], names: NameAllocator, shape: Shape
    ) -> Channel:
        """``raw`` as a ``Channel``, its messages registered with the message reader."""
        obj = raw.at.value
        params: list[Parameter] = []
        param_names = NameAllocator(_RESERVED_PARAMS)
        for wire in _address_params(raw.address):
            located = self.follow(as_dict(obj.get("parameters")).get(wire, {}), raw.at)
            spec = as_dict(located.value if located else None)
            schema = as_dict(spec.get("schema"))
            enum = tuple(str(v) for v in (spec.get("enum") or schema.get("enum") or []))
            default = spec.get("default", schema.get("default"))
            examples = spec.get("examples") or schema.get("examples") or []
            example = (
                str(examples[0])
                if isinstance(examples, list) and examples
                else (enum[0] if enum else str(default) if default is not None else "1")
            )
            params.append(
                Parameter(
                    wire_name=wire,
                    py_name=param_names.allocate(wire),
                    description=as_text(spec.get("description")),
                    enum=enum,
                    default=str(default) if default is not None else None,
                    example=example,
                    setting=self.setting_names.allocate(wire),
                )
            )
        path = raw.address if raw.address.startswith("/") else "/" + raw.address
        topic = raw.address
        for p in params:
            path = path.replace("{" + p.wire_name + "}", "{" + p.py_name + "}")
            topic = topic.replace("{" + p.wire_name + "}", "{" + p.py_name + "}")
        by_wire = {p.wire_name: p.py_name for p in params}
        segments = tuple(
            ("", by_wire[text]) if is_param else (text, None)
            for text, is_param in _split_address(raw.address)
            if text
        )
        transport: Transport | None = None
        if Family.WS in families:
            transport = Transport.SSE if obj.get(SSE_EXTENSION) is True else Transport.WEBSOCKET
        elif Family.HTTP in families:
            transport = Transport.WEBSOCKET if obj.get(SSE_EXTENSION) is False else Transport.SSE
        bindings = as_dict(obj.get("bindings"))
        self._ws_types(raw, bindings)
        amqp = as_dict(bindings.get("amqp"))
        exchange = as_dict(amqp.get("exchange"))
        queue = as_dict(amqp.get("queue"))
        kafka = as_dict(bindings.get("kafka"))
        ws = as_dict(bindings.get("ws"))
        redis = as_dict(obj.get(REDIS_EXTENSION))
        exchange_name, exchange_type, exchange_durable, queue_name = _amqp_exchange(
            exchange, queue, raw.address, amqp.get("is") == "queue"
        )
        binding = Binding(
            amqp_exchange=exchange_name,
            amqp_exchange_type=exchange_type,
            amqp_exchange_durable=exchange_durable,
            amqp_queue=queue_name,
            amqp_durable=bool(queue.get("durable", False)),
            kafka_partitions=int(kafka.get("partitions") or 0)
            if isinstance(kafka.get("partitions"), int)
            else 0,
            redis_mode="stream" if redis.get("mode") == "stream" else "pubsub",
            ws_query=tuple(sorted(as_dict(as_dict(ws.get("query")).get("properties")))),
            ws_headers=tuple(sorted(as_dict(as_dict(ws.get("headers")).get("properties")))),
        )
        for mkey, located in raw.messages.items():
            self.messages.add(raw.key, mkey, located, shape.component_messages)
        return Channel(
            key=raw.key,
            py_name=names.allocate(raw.key),
            class_name=self.class_names.allocate(raw.key, "pascal"),
            address=raw.address,
            pointer=raw.at.pointer,
            path=path,
            topic=topic,
            segments=segments,
            servers=self._server_keys(raw, self.servers, self.declared),
            description=as_text(obj.get("description")),
            parameters=tuple(params),
            messages=tuple(self.messages.key_of(raw.key, m) for m in raw.messages),
            families=families,
            transport_ws=transport,
            binding=binding,
        )

    def _ws_types(self, raw: RawChannel, bindings: dict[str, Any]) -> None:
        """Type the ws binding's ``query``/``headers`` schemas as ``<Channel>Query``/``...Headers``.

        Beside each type, a valid example (the generated smoke tests connect with it).
        """
        ws = as_dict(bindings.get("ws"))
        at = raw.at.pointer + "/bindings/ws"
        stem = py_identifier(raw.key, "pascal")
        found: list[tuple[TypeRef, object] | None] = []
        for part, suffix in (("query", "Query"), ("headers", "Headers")):
            schema = ws.get(part)
            if not isinstance(schema, dict):
                found.append(None)
                continue
            pointer = f"{at}/{part}"
            ref = self.types.type_for(schema, raw.at.source, pointer, stem + suffix)
            resolved = self.reader.follow(schema, raw.at.source, pointer)
            example = (
                example_value(self.types, resolved.value, resolved.source, resolved.pointer)
                if resolved is not None
                else {}
            )
            found.append((ref, example))
        if any(found):
            self.ws_refs[raw.key] = (found[0], found[1])


def _amqp_exchange(
    exchange: dict[str, Any], queue: dict[str, Any], address: str, is_queue: bool = False
) -> tuple[str, str, bool, str]:
    """``(exchange name, type, durable, queue name)`` the generated broker code declares.

    The binding's ``default`` type is the broker's nameless direct exchange:
    it is never declared (FastStream uses it for the name ``""``), has no
    ``ExchangeType`` member, and routes by queue name, so its queue is named
    after the channel address. A channel that ``is: queue`` with no exchange
    named is that queue on the default exchange (where a plain AMQP peer sends
    to it). An unnamed exchange is ``amq.topic``, durable as RabbitMQ declares it.
    """
    name = as_text(exchange.get("name"))
    kind = as_text(exchange.get("type")) or ("default" if is_queue and not name else "topic")
    queue_name = as_text(queue.get("name"))
    if kind == "default":
        return "", "direct", True, queue_name or address
    if not name:
        return "amq.topic", kind, True, queue_name
    return name, kind, bool(queue.get("durable", False)), queue_name


def _split_address(address: str) -> list[tuple[str, bool]]:
    """``a/{id}/b`` -> ``[("a/", False), ("id", True), ("/b", False)]``."""
    parts: list[tuple[str, bool]] = []
    for i, chunk in enumerate(re.split(r"\{([^{}]+)\}", address)):
        parts.append((chunk, i % 2 == 1))
    return parts


def _address_params(address: str) -> list[str]:
    return list(dict.fromkeys(text for text, is_param in _split_address(address) if is_param))
