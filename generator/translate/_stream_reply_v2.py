"""AsyncAPI 2.x request/reply: pair a request operation with the operation that carries its reply.

2.x has no ``reply`` object. An operation is a *request* when its message says
where the answer goes: a header property named like a reply address
(``replyTo``, ``reply_to``, ``replyTopic``, ``REPLY_TOPIC``, ``replyDestination``...)
or an AMQP message binding ``replyTo`` (the AMQP ``reply_to`` property, as in the
spec's own ``rpc-server`` example). Its reply is, in this order:

1. the channel its operation names in ``x-twinspec-reply`` (a channel name, or
   ``{channel: name}``);
2. the channel named like the request's with a reply suffix (``sums`` ->
   ``sums.reply``, ``sums/replies``, ``sumsResponse``...) carrying an operation of
   the other direction;
3. the one operation of the other direction, on another channel, whose message
   declares its correlation ID at the same location.

For a request the application receives, the paired operation becomes its
``reply`` (3.x shape) and is no longer an operation of its own; a request the
application sends keeps both operations (its replies reach the reply
operation's handler), with a located info note. A reply channel whose address is one parameter
(``{queue}``: the address the request names at run time) is no fixed channel:
the reply goes where the request says. A request nothing pairs with is a
located info Diagnostic that says how to pair it.
"""

from __future__ import annotations

import dataclasses
import re
from typing import Any

from generator.diagnostics import Severity
from generator.ir.stream import Action
from generator.translate._stream_reply import location, reply_address_header
from generator.translate.asyncapi_shape import Located, RawOperation, RawReply, Reader, Shape

__all__ = ["REPLY_EXTENSION", "pair_replies"]

REPLY_EXTENSION = "x-twinspec-reply"
"""2.x operation extension: the channel (name) that carries the operation's reply."""

_SUFFIXES = re.compile(r"^[./_-]?(reply|replies|response|responses|result|results)$", re.IGNORECASE)


def _follow(reader: Reader, at: Located, value: Any) -> Any:
    found = reader.follow(value, at.source, at.pointer)
    return found.value if found is not None else None


def _reply_address(reader: Reader, shape: Shape, op: RawOperation) -> str | None:
    """``"$message.header#/<name>"``, ``""`` (the broker's reply-to field) or None (no request)."""
    channel = shape.channels[op.channel]
    for _c, key in op.messages:
        at = channel.messages.get(key)
        if at is None or not isinstance(at.value, dict):
            continue
        headers = _follow(reader, at, at.value.get("headers"))
        props = headers.get("properties") if isinstance(headers, dict) else None
        if isinstance(props, dict):
            found = reply_address_header(sorted(props))
            if found:
                return f"$message.header#/{found}"
        bindings = _follow(reader, at, at.value.get("bindings"))
        amqp = bindings.get("amqp") if isinstance(bindings, dict) else None
        if isinstance(amqp, dict) and "replyTo" in amqp:
            return ""
    return None


def _correlation(reader: Reader, shape: Shape, op: RawOperation) -> str:
    channel = shape.channels[op.channel]
    for _c, key in op.messages:
        at = channel.messages.get(key)
        if at is None or not isinstance(at.value, dict):
            continue
        corr = _follow(reader, at, at.value.get("correlationId"))
        where = corr.get("location") if isinstance(corr, dict) else None
        if isinstance(where, str) and location(where)[0]:
            return where.strip()
    return ""


def _named(op: RawOperation) -> str:
    value = op.at.value.get(REPLY_EXTENSION) if isinstance(op.at.value, dict) else None
    if isinstance(value, dict):
        value = value.get("channel")
    return value if isinstance(value, str) else ""


def _candidates(shape: Shape, op: RawOperation) -> list[RawOperation]:
    return [
        o
        for o in shape.operations.values()
        if o.action is not op.action and o.channel != op.channel and o.messages
    ]


def _pair(reader: Reader, shape: Shape, op: RawOperation) -> RawOperation | None:
    others = _candidates(shape, op)
    named = _named(op)
    if named:
        return next((o for o in others if o.channel == named), None)
    by_name = [
        o
        for o in others
        if o.channel.startswith(op.channel) and _SUFFIXES.match(o.channel[len(op.channel) :])
    ]
    if len(by_name) == 1:
        return by_name[0]
    corr = _correlation(reader, shape, op)
    same = [o for o in others if corr and _correlation(reader, shape, o) == corr]
    return same[0] if len(same) == 1 else None


def _lone_parameter(address: str) -> bool:
    return re.fullmatch(r"\{[^{}]+\}", address) is not None


def pair_replies(shape: Shape, reader: Reader) -> None:
    """Give each 2.x request operation of ``shape`` its reply (in place); notes in ``shape.diagnostics``."""
    paired: set[str] = set()
    for key in sorted(shape.operations):
        op = shape.operations[key]
        if key in paired:
            continue
        address = _reply_address(reader, shape, op)
        if address is None:
            continue
        reply_op = _pair(reader, shape, op)
        if reply_op is None or reply_op.key in paired:
            named = _named(op)
            shape.diagnostics.append(
                reader.doc.diagnostic(
                    op.at.pointer,
                    "stream-reply-unpaired",
                    f"operation {key!r} names a reply address but no operation carries its reply"
                    + (f" on channel {named!r}" if named else "")
                    + f"; name the reply channel with {REPLY_EXTENSION}: <channel> on the"
                    " operation, or give the reply's channel the request's name with a .reply"
                    " suffix; until then it has no reply",
                    Severity.INFO,
                    op.at.source,
                )
            )
            continue
        if op.action is Action.SEND:  # the application asks: its replies keep their own handler
            shape.diagnostics.append(
                reader.doc.diagnostic(
                    op.at.pointer,
                    "stream-reply-own-handler",
                    f"operation {key!r} sends requests whose replies arrive at operation"
                    f" {reply_op.key!r}; its handler receives them (twinspec awaits replies only"
                    " for requests the application receives)",
                    Severity.INFO,
                    op.at.source,
                )
            )
            continue
        fixed = not _lone_parameter(shape.channels[reply_op.channel].address)
        shape.operations[key] = dataclasses.replace(
            op,
            reply=RawReply(
                channel=reply_op.channel if fixed else None,
                messages=reply_op.messages,
                address_location=address,
            ),
        )
        paired.add(reply_op.key)
    for key in paired:
        del shape.operations[key]
