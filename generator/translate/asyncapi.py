"""AsyncAPI 2.x/3.x ``Document`` -> ``StreamApi`` IR (+ the shared type model).

``build_stream(doc, package)`` reads the document into the 3.x shape
(``asyncapi_shape``), decides which protocol family serves each channel, types
every payload and header schema through the shared ``TypeModelBuilder``, and
returns the IR with Diagnostics for what it had to leave out (unsupported
protocols, schema formats it cannot model). It never raises for a user's input.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from generator.diagnostics import Diagnostic, Severity
from generator.ir.schema import TypeModel, TypeRef
from generator.ir.stream import (
    Action,
    Binding,
    Channel,
    Family,
    Operation,
    Parameter,
    Reply,
    Server,
    StreamApi,
    Transport,
)
from generator.load import Document
from generator.naming import (
    TEMPLATE_NAMES,
    NameAllocator,
    Scope,
    device_safe,
    package_name,
    py_identifier,
)
from generator.translate._asyncapi_messages import MessageReader
from generator.translate._asyncapi_servers import read_servers
from generator.translate._asyncapi_web import (
    TypedExample,
    group_endpoints,
    routing_decoder,
    with_ws_bindings,
)
from generator.translate._stream_reply import location
from generator.translate._stream_reply_v2 import pair_replies
from generator.translate.asyncapi_shape import (
    Located,
    RawChannel,
    RawOperation,
    Reader,
    Shape,
    merge_traits,
    read_shape,
)
from generator.translate.examples import example_value
from generator.translate.schema import TypeModelBuilder

__all__ = ["StreamBuild", "build_stream", "default_package"]

SSE_EXTENSION = "x-twinspec-sse"
"""Channel extension: ``true`` serves the channel as Server-Sent Events (GET) + POST."""

REDIS_EXTENSION = "x-twinspec-redis"
"""Channel extension: ``{mode: pubsub|stream}`` picks Redis pub/sub (default) or streams."""

KAFKA_KEY_EXTENSION = "x-twinspec-key"
"""Kafka operation binding extension: the payload property whose value is the record key."""


_RESERVED_PARAMS = (
    "websocket", "params", "on_frame", "receiver", "text", "decoded", "reply", "data", "request",
    "message", "last_event_id", "hub", "app", "messages", "correlation", "destination", "key",
    "body", "defaults", "handlers", "logger", "settings", "path", "self", "timeout", "waiter",
    "headers",
)  # fmt: skip
"""Names the generated endpoint and publish functions use themselves."""


CHANNEL_MEMBERS = ("url", "headers", "hint", "backoff", "connection", "open", "close")
"""What the stream client's ``<Channel>Channel`` class holds beside one method per operation."""


def _printed(*patterns: str) -> Callable[[str], tuple[str, ...]]:
    """The identifiers the stream modules print for a name: ``{U}_INBOUND`` is ``NAME_INBOUND``."""
    return lambda name: tuple(p.format(name, U=name.upper()) for p in patterns)


@dataclass(frozen=True, slots=True)
class StreamBuild:
    """What the stream packs render: the IR and the type model its annotations use."""

    api: StreamApi
    types: TypeModel


def _text(value: Any) -> str:
    return value if isinstance(value, str) else ""


def _mapping(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


class _Builder:
    def __init__(self, doc: Document, package: str | None) -> None:
        self.doc = doc
        info = _mapping(doc.data.get("info"))
        self.title = _text(info.get("title")) or "AsyncAPI application"
        self.package = device_safe(package) if package else default_package(doc)
        self.env = py_identifier(self.package, "upper")
        self.diagnostics: list[Diagnostic] = []
        assert doc.kind is not None
        self.v2 = doc.kind.major_minor.startswith("2.")
        self.setting_names = NameAllocator(avoid_builtins=False)  # channel_<name>, by wire name
        # One scope for the names the stream modules print: classes and constants never clash.
        self.scope = Scope({"EventStream", *TEMPLATE_NAMES})
        self.types = TypeModelBuilder(
            doc, dialect="asyncapi2" if self.v2 else "asyncapi3", scope=self.scope
        )
        self.messages = MessageReader(doc, self.types, self.v2, self.scope)
        self.class_names = NameAllocator(
            {"EventStream", *TEMPLATE_NAMES}, scope=self.scope, printed=_printed("{}Channel")
        )
        self.reader = Reader(doc)
        self.servers: list[Server] = []
        self.declared: dict[str, Any] = {}
        self.ws_refs: dict[str, tuple[TypedExample | None, TypedExample | None]] = {}

    def follow(self, value: Any, at: Located) -> Located | None:
        return self.reader.follow(value, at.source, at.pointer)

    def build(self) -> StreamBuild:
        shape = read_shape(self.doc)
        if self.v2:
            pair_replies(shape, self.reader)  # 2.x has no reply object: pair by headers and names
        self.diagnostics += shape.diagnostics
        servers, diags = read_servers(
            self.doc, self.env, py_identifier(default_package(self.doc), "upper")
        )
        self.diagnostics += diags
        declared = _mapping(self.doc.data.get("servers"))
        self.servers, self.declared = servers, declared
        channel_names = NameAllocator(  # spec names never shadow template names
            TEMPLATE_NAMES, scope=self.scope, printed=_printed("{U}_INBOUND", "{U}_OUTBOUND")
        )
        channels: dict[str, Channel] = {}
        for key, raw in shape.channels.items():
            families = self._families(raw, servers, declared)
            channels[key] = self._channel(raw, families, channel_names, shape)
        operations = self._operations(shape, channels)
        channels = {key: self._with_decoders(c, operations) for key, c in channels.items()}
        used_channels = {op.channel for op in operations} | {
            op.reply.channel for op in operations if op.reply and op.reply.channel
        }
        kept = tuple(c for k, c in sorted(channels.items()) if k in used_channels)
        endpoints = group_endpoints(
            (c for k, c in channels.items() if k in used_channels),
            channel_names,
            self.class_names,
            self.messages.tags,
        )
        used_families = sorted({f for op in operations for f in op.families}, key=lambda f: f.value)
        messages = self.messages.finish()
        used_messages = {m for op in operations for m in op.messages} | {
            m for op in operations if op.reply for m in op.reply.messages
        }
        types = self.types.finish()
        messages = self.messages.with_header_fields(messages, types)
        kept = with_ws_bindings(kept, operations, types, self.ws_refs)
        self.diagnostics += self.types.diagnostics
        self.diagnostics += self.messages.diagnostics
        info = _mapping(self.doc.data.get("info"))
        api = StreamApi(
            title=self.title,
            version=_text(info.get("version")) or "0.0.0",
            description=_text(info.get("description")),
            asyncapi_version=str(self.doc.data.get("asyncapi")),
            package=self.package,
            servers=tuple(s for s in servers if s.family in used_families),
            channels=kept,
            operations=tuple(operations),
            messages=tuple(m for m in messages if m.key in used_messages),
            families=tuple(used_families),
            endpoints=endpoints,
            default_content_type=_text(self.doc.data.get("defaultContentType"))
            or "application/json",
        )
        return StreamBuild(api=api, types=types)

    def _families(
        self, raw: RawChannel, servers: list[Server], declared: dict[str, Any]
    ) -> tuple[Family, ...]:
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

    def _channel(
        self, raw: RawChannel, families: tuple[Family, ...], names: NameAllocator, shape: Shape
    ) -> Channel:
        obj = raw.at.value
        params: list[Parameter] = []
        param_names = NameAllocator(_RESERVED_PARAMS)
        for wire in _address_params(raw.address):
            located = self.follow(_mapping(obj.get("parameters")).get(wire, {}), raw.at)
            spec = _mapping(located.value if located else None)
            schema = _mapping(spec.get("schema"))
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
                    description=_text(spec.get("description")),
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
        bindings = _mapping(obj.get("bindings"))
        self._ws_types(raw, bindings)
        amqp = _mapping(bindings.get("amqp"))
        exchange = _mapping(amqp.get("exchange"))
        queue = _mapping(amqp.get("queue"))
        kafka = _mapping(bindings.get("kafka"))
        ws = _mapping(bindings.get("ws"))
        redis = _mapping(obj.get(REDIS_EXTENSION))
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
            ws_query=tuple(sorted(_mapping(_mapping(ws.get("query")).get("properties")))),
            ws_headers=tuple(sorted(_mapping(_mapping(ws.get("headers")).get("properties")))),
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
            description=_text(obj.get("description")),
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
        ws = _mapping(bindings.get("ws"))
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

    def _with_decoders(self, channel: Channel, operations: list[Operation]) -> Channel:
        inbound: list[str] = []
        outbound: list[str] = []
        for op in operations:
            if op.channel == channel.key:
                (inbound if op.action is Action.RECEIVE else outbound).extend(op.messages)
            if op.reply is not None and (op.reply.channel or op.channel) == channel.key:
                (outbound if op.action is Action.RECEIVE else inbound).extend(op.reply.messages)
        return dataclasses.replace(
            channel,
            inbound=routing_decoder(inbound, self.messages.tags),
            outbound=routing_decoder(outbound, self.messages.tags),
        )

    def _operations(self, shape: Shape, channels: dict[str, Channel]) -> list[Operation]:
        names = NameAllocator(
            (*TEMPLATE_NAMES, *CHANNEL_MEMBERS),
            scope=self.scope,
            printed=_printed("{U}_PAYLOAD", "{U}_REPLY"),
        )
        out: list[Operation] = []
        for key in sorted(shape.operations):
            raw = shape.operations[key]
            channel = channels[raw.channel]
            if not channel.families:
                self.diagnostics.append(
                    self.doc.diagnostic(
                        raw.at.pointer,
                        "stream-unsupported-protocol",
                        f"operation {key!r}: none of its channel's servers use a protocol"
                        " twinspec can serve; left out",
                        Severity.WARNING,
                        raw.at.source,
                    )
                )
                continue
            op = self._operation(raw, channel, names, channels)
            if not op.messages:
                self.diagnostics.append(
                    self.doc.diagnostic(
                        raw.at.pointer,
                        "stream-no-messages",
                        f"operation {key!r} has no message twinspec can read; left out",
                        Severity.WARNING,
                        raw.at.source,
                    )
                )
                continue
            out.append(op)
        return out

    def _operation(
        self,
        raw: RawOperation,
        channel: Channel,
        names: NameAllocator,
        channels: dict[str, Channel],
    ) -> Operation:
        obj = merge_traits(raw.at.value, lambda v: self.follow(v, raw.at))
        bindings = _mapping(obj.get("bindings"))
        mqtt = _mapping(bindings.get("mqtt"))
        qos = mqtt.get("qos")
        kafka = _mapping(bindings.get("kafka"))
        binding = Binding(
            mqtt_qos=qos if isinstance(qos, int) and 0 <= qos <= 2 else 0,
            mqtt_retain=mqtt.get("retain") is True,
            kafka_key=_text(kafka.get(KAFKA_KEY_EXTENSION)),
        )
        reply: Reply | None = None
        if raw.reply is not None and raw.reply.messages:
            where, tokens = location(raw.reply.address_location)
            reply = Reply(
                channel=raw.reply.channel if raw.reply.channel in channels else None,
                messages=tuple(
                    k for c, m in raw.reply.messages if (k := self.messages.key_of(c, m))
                ),
                address_location=raw.reply.address_location,
                address_header=tokens[0] if where == "header" else "",
                address_path=tokens if where == "payload" else (),
            )
        return Operation(
            key=raw.key,
            py_name=names.allocate(raw.key),
            action=raw.action,
            channel=channel.key,
            messages=tuple(
                k for k in dict.fromkeys(self.messages.key_of(c, m) for c, m in raw.messages) if k
            ),
            summary=_text(obj.get("summary")),
            description=_text(obj.get("description")),
            reply=reply,
            pointer=raw.at.pointer,
            families=channel.families,
            binding=binding,
        )


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
    name = _text(exchange.get("name"))
    kind = _text(exchange.get("type")) or ("default" if is_queue and not name else "topic")
    queue_name = _text(queue.get("name"))
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


def default_package(doc: Document) -> str:
    """The package name a document's title gives (``Chat Service`` -> ``chat_service``)."""
    info = _mapping(doc.data.get("info")) if isinstance(doc.data, dict) else {}
    return package_name(_text(info.get("title")) or "AsyncAPI application")


def build_stream(doc: Document, package: str | None = None) -> tuple[StreamBuild, list[Diagnostic]]:
    """Build the stream IR of an AsyncAPI ``doc``; Diagnostics for what was left out."""
    builder = _Builder(doc, package)
    result = builder.build()
    return result, builder.diagnostics
