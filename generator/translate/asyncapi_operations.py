"""AsyncAPI operations -> ``ir.stream.Operation``: bindings, replies, and each channel's decoders.

``OperationReader`` is the part of the stream builder (``translate.asyncapi``)
that reads operations (an operation whose channel no supported protocol serves,
or that has no readable message, is left out with a warning) and then gives
each channel the decoders that route its inbound and outbound frames.
"""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING, Any

from generator.diagnostics import Diagnostic, Severity
from generator.ir.stream import Action, Binding, Channel, Operation, Reply
from generator.load import Document
from generator.naming import NameAllocator
from generator.translate._asyncapi_messages import MessageReader
from generator.translate._asyncapi_web import routing_decoder
from generator.translate._stream_reply import location
from generator.translate.asyncapi_shape import Located, RawOperation, Shape, merge_traits
from generator.translate.json_values import as_dict, as_text

__all__ = ["KAFKA_KEY_EXTENSION", "OperationReader"]

KAFKA_KEY_EXTENSION = "x-twinspec-key"
"""Kafka operation binding extension: the payload property whose value is the record key."""


class OperationReader:
    """Operations of ``doc``; the builder sets up the attributes declared here."""

    doc: Document
    messages: MessageReader
    diagnostics: list[Diagnostic]

    if TYPE_CHECKING:  # provided by ChannelReader

        def follow(self, value: Any, at: Located) -> Located | None: ...

    def with_decoders(self, channel: Channel, operations: list[Operation]) -> Channel:
        """``channel`` with the decoders that route its inbound and outbound frames."""
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

    def operations(
        self, shape: Shape, channels: dict[str, Channel], names: NameAllocator
    ) -> list[Operation]:
        """The operations twinspec can serve, by key; ``names`` gives their Python names."""
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
        bindings = as_dict(obj.get("bindings"))
        mqtt = as_dict(bindings.get("mqtt"))
        qos = mqtt.get("qos")
        kafka = as_dict(bindings.get("kafka"))
        binding = Binding(
            mqtt_qos=qos if isinstance(qos, int) and 0 <= qos <= 2 else 0,
            mqtt_retain=mqtt.get("retain") is True,
            kafka_key=as_text(kafka.get(KAFKA_KEY_EXTENSION)),
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
            summary=as_text(obj.get("summary")),
            description=as_text(obj.get("description")),
            reply=reply,
            pointer=raw.at.pointer,
            families=channel.families,
            binding=binding,
        )
