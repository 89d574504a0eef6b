"""AsyncAPI 2.x and 3.x, read into one 3.x-shaped set of raw channels, operations and messages.

In 2.x an operation lives inside its channel and is named from the *client's*
side: ``publish`` means clients publish, so the application RECEIVES;
``subscribe`` means clients subscribe, so the application SENDS. Getting that
backwards is the classic mistake, so it happens in exactly one place here.

Messages are identified by where their definition finally lives (file and
pointer after following ``$ref``s), so one component message used by several
channels becomes one type.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from generator.diagnostics import Diagnostic, Severity, join_pointer
from generator.ir.stream import Action
from generator.load import Document, Source
from generator.load.document import unescape_pointer
from generator.load.nodes import Node as Located

__all__ = [
    "Located",
    "RawChannel",
    "RawOperation",
    "RawReply",
    "Reader",
    "Shape",
    "merge_traits",
    "read_shape",
]


@dataclass(frozen=True, slots=True)
class RawReply:
    """A 3.x reply object (or a 2.x-style none)."""

    channel: str | None
    messages: tuple[tuple[str, str], ...]
    address_location: str = ""


@dataclass(frozen=True, slots=True)
class RawChannel:
    """A channel in the 3.x shape: address, its messages, servers it is on."""

    key: str
    address: str
    at: Located
    messages: dict[str, Located]  # message key within the channel -> definition
    servers: tuple[str, ...] | None  # server names; None = every server


@dataclass(frozen=True, slots=True)
class RawOperation:
    """An operation in the 3.x shape, action from the application's side."""

    key: str
    action: Action
    channel: str
    at: Located
    messages: tuple[tuple[str, str], ...]  # (channel key, message key within it)
    reply: RawReply | None = None


@dataclass
class Shape:
    """The whole document, normalised; ``diagnostics`` holds what could not be read."""

    channels: dict[str, RawChannel] = field(default_factory=dict)
    operations: dict[str, RawOperation] = field(default_factory=dict)
    component_messages: dict[tuple[str, str], str] = field(default_factory=dict)
    diagnostics: list[Diagnostic] = field(default_factory=list)


class Reader:
    """Follows ``$ref`` chains and reads both document versions into a ``Shape``."""

    def __init__(self, doc: Document) -> None:
        self.doc = doc
        self.shape = Shape()

    def warn(self, at: Located, code: str, message: str) -> None:
        self.shape.diagnostics.append(
            self.doc.diagnostic(at.pointer, code, message, Severity.WARNING, at.source)
        )

    def follow(self, value: Any, source: Source, pointer: str) -> Located | None:
        """Follow ``$ref`` chains; ``None`` (reported by the loader already) when broken."""
        return self.doc.refs.follow(value, source, pointer)

    def child(self, at: Located, *keys: str | int) -> Located | None:
        value: Any = at.value
        pointer = at.pointer
        for key in keys:
            found = (isinstance(value, dict) and isinstance(key, str) and key in value) or (
                isinstance(value, list) and isinstance(key, int) and key < len(value)
            )
            if not found:
                return None
            value = value[key]
            pointer += join_pointer([key])
        return self.follow(value, at.source, pointer)

    def mapping(self, at: Located | None) -> dict[str, Any]:
        return at.value if at is not None and isinstance(at.value, dict) else {}

    # -- 3.x -----------------------------------------------------------------------------

    def read_v3(self) -> None:
        root = Located(self.doc.data, self.doc.root, "")
        channels = self.child(root, "channels")
        by_pointer: dict[str, str] = {}
        for key in sorted(self.mapping(channels)):
            at = self.child(root, "channels", key)
            if at is None or not isinstance(at.value, dict):
                continue
            address = at.value.get("address")
            messages: dict[str, Located] = {}
            for mkey in sorted(self.mapping(self.child(at, "messages"))):
                msg = self.child(at, "messages", mkey)
                if msg is not None and isinstance(msg.value, dict):
                    messages[mkey] = msg
            servers = self._server_names(at.value.get("servers"))
            self.shape.channels[key] = RawChannel(
                key=key,
                address=address if isinstance(address, str) else key,
                at=at,
                messages=messages,
                servers=servers,
            )
            by_pointer[join_pointer(["channels", key])] = key
        for key in sorted(self.mapping(self.child(root, "operations"))):
            at = self.child(root, "operations", key)
            if at is None or not isinstance(at.value, dict):
                continue
            action = at.value.get("action")
            channel = self._channel_key(at.value.get("channel"), by_pointer)
            if action not in ("send", "receive") or channel is None:
                self.warn(
                    at,
                    "stream-bad-operation",
                    f"operation {key!r} has no usable channel/action; left out",
                )
                continue
            refs = self._message_refs(at.value.get("messages"), channel, by_pointer)
            if not refs:
                refs = tuple((channel, m) for m in self.shape.channels[channel].messages)
            reply = self._reply(at, by_pointer)
            self.shape.operations[key] = RawOperation(
                key=key,
                action=Action(action),
                channel=channel,
                at=at,
                messages=refs,
                reply=reply,
            )
        for name in self.mapping(self.child(root, "components", "messages")):
            msg = self.child(root, "components", "messages", name)
            if msg is not None:
                self.shape.component_messages.setdefault(msg.ident, name)

    def _server_names(self, value: Any) -> tuple[str, ...] | None:
        if not isinstance(value, list) or not value:
            return None
        names: list[str] = []
        for item in value:
            if isinstance(item, str):
                names.append(item)
            elif isinstance(item, dict) and isinstance(item.get("$ref"), str):
                ref: str = item["$ref"]
                if ref.startswith("#/servers/"):
                    names.append(unescape_pointer(ref.removeprefix("#/servers/")))
        return tuple(names)

    def _channel_key(self, value: Any, by_pointer: dict[str, str]) -> str | None:
        if isinstance(value, dict) and isinstance(value.get("$ref"), str):
            ref: str = value["$ref"]
            local = ref.partition("#")[2] if ref.startswith("#") else ""
            return by_pointer.get(local)
        return None

    def _message_refs(
        self, value: Any, channel: str, by_pointer: dict[str, str]
    ) -> tuple[tuple[str, str], ...]:
        if not isinstance(value, list):
            return ()
        out: list[tuple[str, str]] = []
        for item in value:
            ref = item.get("$ref") if isinstance(item, dict) else None
            if not isinstance(ref, str) or not ref.startswith("#/channels/"):
                continue
            head, _, mkey = ref.removeprefix("#").rpartition("/messages/")
            ckey = by_pointer.get(head)
            mkey = unescape_pointer(mkey)
            if ckey is not None and mkey in self.shape.channels[ckey].messages:
                out.append((ckey, mkey))
        return tuple(out) or ()

    def _reply(self, op: Located, by_pointer: dict[str, str]) -> RawReply | None:
        reply = self.child(op, "reply")
        if reply is None or not isinstance(reply.value, dict):
            return None
        channel = self._channel_key(reply.value.get("channel"), by_pointer)
        messages = self._message_refs(reply.value.get("messages"), channel or "", by_pointer)
        if not messages and channel is not None:
            messages = tuple((channel, m) for m in self.shape.channels[channel].messages)
        address = self.mapping(self.child(reply, "address"))
        location = address.get("location")
        return RawReply(
            channel=channel,
            messages=messages,
            address_location=location if isinstance(location, str) else "",
        )

    # -- 2.x -----------------------------------------------------------------------------

    def read_v2(self) -> None:
        root = Located(self.doc.data, self.doc.root, "")
        for name in self.mapping(self.child(root, "components", "messages")):
            msg = self.child(root, "components", "messages", name)
            if msg is not None:
                self.shape.component_messages.setdefault(msg.ident, name)
        for address in sorted(self.mapping(self.child(root, "channels"))):
            at = self.child(root, "channels", address)
            if at is None or not isinstance(at.value, dict):
                continue
            messages: dict[str, Located] = {}
            ops: list[tuple[str, Action, list[str]]] = []
            # publish: clients publish to the application, which RECEIVES.
            # subscribe: clients subscribe to what the application SENDS.
            for verb, action in (("publish", Action.RECEIVE), ("subscribe", Action.SEND)):
                op = self.child(at, verb)
                if op is None or not isinstance(op.value, dict):
                    continue
                keys = self._v2_messages(op, messages)
                op_id = op.value.get("operationId")
                key = op_id if isinstance(op_id, str) and op_id else f"{verb} {address}"
                ops.append((key, action, keys))
                self.shape.operations[key] = RawOperation(
                    key=key,
                    action=action,
                    channel=address,
                    at=op,
                    messages=tuple((address, k) for k in keys),
                )
            self.shape.channels[address] = RawChannel(
                key=address,
                address=address,
                at=at,
                messages=messages,
                servers=self._server_names(at.value.get("servers")),
            )

    def _v2_messages(self, op: Located, into: dict[str, Located]) -> list[str]:
        msg = self.child(op, "message")
        if msg is None or not isinstance(msg.value, dict):
            return []
        items: list[Located] = []
        if isinstance(msg.value.get("oneOf"), list):
            for i in range(len(msg.value["oneOf"])):
                one = self.child(msg, "oneOf", i)
                if one is not None and isinstance(one.value, dict):
                    items.append(one)
        else:
            items.append(msg)
        keys: list[str] = []
        for item in items:
            name = self.shape.component_messages.get(item.ident)
            if name is None:
                for field_name in ("messageId", "name"):
                    candidate = item.value.get(field_name)
                    if isinstance(candidate, str) and candidate:
                        name = candidate
                        break
            base = name or f"{op.pointer.rsplit('/', 1)[-1]}Message"
            key, n = base, 2
            while key in into and into[key].ident != item.ident:
                key, n = f"{base}{n}", n + 1
            into[key] = item
            keys.append(key)
        return keys


def read_shape(doc: Document) -> Shape:
    """Read ``doc`` (2.x or 3.x) into the 3.x shape."""
    reader = Reader(doc)
    assert doc.kind is not None
    if doc.kind.major_minor.startswith("2."):
        reader.read_v2()
    else:
        reader.read_v3()
    return reader.shape


def merge_traits(obj: dict[str, Any], follow: Callable[[Any], Located | None]) -> dict[str, Any]:
    """``obj`` with its ``traits`` applied in order; the object's own keys win.

    Mappings (``bindings``, ``headers``...) merge one level deep, so a trait's
    MQTT binding and the object's Kafka binding both survive.
    """
    merged: dict[str, Any] = {}
    parts: list[dict[str, Any]] = []
    for trait in obj.get("traits") or []:
        located = follow(trait)
        if located is not None and isinstance(located.value, dict):
            parts.append(located.value)
    parts.append(obj)
    for part in parts:
        for key, value in part.items():
            if key == "traits":
                continue
            if isinstance(value, dict) and isinstance(merged.get(key), dict):
                merged[key] = {**merged[key], **value}
            else:
                merged[key] = value
    return merged
