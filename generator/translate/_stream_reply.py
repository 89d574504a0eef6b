"""Request/reply over brokers: where a request carries its reply address and correlation ID.

AsyncAPI says it with runtime expressions: an operation's ``reply.address.location``
(``$message.header#/replyTo``) names where the requester puts the address the
replier answers to, and a message's ``correlationId.location``
(``$message.header#/correlationId`` or ``$message.payload#/requestId``) where
both put the ID that pairs a reply with its request. ``location`` reads one
expression; ``reply_fields`` decides, for one operation, the header or payload
path of each, which ``ir.stream_views.OpView`` carries to the brokers template.

A request message whose headers schema declares a ``replyTo``-like property
(``replyTo``, ``reply_to``, ``REPLY_TOPIC``...) carries the reply address there
when the operation's reply names no location.
"""

from __future__ import annotations

from typing import Any

from generator.ir.stream import Message, Operation
from generator.load.document import unescape_pointer

__all__ = ["location", "reply_address_header", "reply_fields"]

_REPLY_HEADERS = frozenset(
    {
        "replyto",
        "replytopic",
        "replyaddress",
        "replydestination",
        "replychannel",
        "replysubject",
        "replyqueue",
    }
)
"""Header names (lower case, ``_``/``-`` dropped) that carry a reply address by convention."""


def reply_address_header(names: list[str] | tuple[str, ...]) -> str:
    """The first of ``names`` that names a reply address by convention (``replyTo``, ``REPLY_TOPIC``...)."""
    return next(
        (n for n in names if n.lower().replace("_", "").replace("-", "") in _REPLY_HEADERS), ""
    )


def location(expression: str) -> tuple[str, tuple[str, ...]]:
    """``("header" | "payload" | "", tokens)`` of a runtime expression like ``$message.header#/a/b``.

    Anything else (no ``#``, another source) is ``("", ())``: nothing to read.
    """
    head, sep, pointer = expression.strip().partition("#")
    if not sep or not pointer.startswith("/"):
        return "", ()
    tokens = tuple(unescape_pointer(t) for t in pointer.split("/")[1:])
    if not all(tokens):
        return "", ()
    source = head.strip().removeprefix("$message.")
    if source in ("header", "headers"):
        return "header", tokens
    if source == "payload":
        return "payload", tokens
    return "", ()


def _correlation(messages: tuple[Message, ...]) -> tuple[str, tuple[str, ...]]:
    """``(header, payload path)`` of the first correlation ID the messages declare."""
    for m in messages:
        if m.correlation_path:
            if m.correlation_in_headers:  # broker headers are flat: a nested one is not carried
                return (m.correlation_path[0] if len(m.correlation_path) == 1 else ""), ()
            return "", m.correlation_path
    return "", ()


def reply_fields(
    op: Operation, messages: tuple[Message, ...], replies: tuple[Message, ...]
) -> dict[str, Any]:
    """The ``OpView`` request/reply fields of ``op`` (the correlation ID's alone without a reply)."""
    header, path = _correlation(messages)
    if op.reply is None:
        return {"correlation_header": header, "correlation_path": path}
    reply_header, reply_path = _correlation(replies)
    if not reply_header and not reply_path:  # the reply declares none: it answers as asked
        reply_header, reply_path = header, path
    reply_to_header = op.reply.address_header
    reply_to_path = op.reply.address_path
    if not reply_to_header and not reply_to_path:
        reply_to_header = reply_address_header(
            sorted({n for m in messages for n in m.header_names})
        )
    return {
        "correlation_header": header,
        "correlation_path": path,
        "reply_to_header": reply_to_header,
        "reply_to_path": reply_to_path,
        "reply_correlation_header": reply_header,
        "reply_correlation_path": reply_path,
    }
