"""AsyncAPI rules: servers, channels, operations, messages, bindings, security.

Both documents are first read into the 3.x shape by translate's reader, where
2.x ``publish`` (the application RECEIVES) and ``subscribe`` (it SENDS) are
turned the right way round once. Channels are matched by address (parameter
names aside), operations by action and channel, messages by name: a 2.6 -> 3.0
rewrite of the same application compares like for like. A message the
application receives is judged as an input (its producers must keep working),
one it sends as an output (its consumers must keep working).
"""

from __future__ import annotations

import json
import re
from typing import Any

from generator.diff.changes import Change, Collector
from generator.diff.schema import INPUT, OUTPUT, SchemaDiff
from generator.diff.security import Requirement, describe, requirement_losses, scheme_identity
from generator.ir.stream import Action
from generator.load import Document
from generator.load.nodes import Node
from generator.translate.asyncapi_shape import RawChannel, RawOperation, merge_traits, read_shape

__all__ = ["diff_asyncapi"]

_PARAM = re.compile(r"\{[^}]*\}")
_SCHEME = re.compile(r"^[a-z][a-z0-9+.-]*://", re.IGNORECASE)


def _address(address: str) -> str:
    return _PARAM.sub("{}", address)


def _bindings(value: Any) -> str:
    """Bindings as comparable text (``bindingVersion`` aside)."""
    if not isinstance(value, dict):
        return "{}"
    cleaned = {
        k: {kk: vv for kk, vv in v.items() if kk != "bindingVersion"} if isinstance(v, dict) else v
        for k, v in value.items()
    }
    return json.dumps(cleaned, sort_keys=True, default=str)


class _Side:
    """One document read into the 3.x shape, with lookups by address."""

    def __init__(self, doc: Document) -> None:
        self.doc = doc
        self.shape = read_shape(doc)
        self.root = Node(doc.data, doc.root, "")
        self.by_address: dict[str, RawChannel] = {}
        for channel in self.shape.channels.values():
            self.by_address.setdefault(_address(channel.address), channel)
        self.ops: dict[tuple[str, str], list[RawOperation]] = {}
        for op in self.shape.operations.values():
            channel = self.shape.channels[op.channel]
            self.ops.setdefault((op.action.value, _address(channel.address)), []).append(op)

    def merged(self, node: Node) -> dict[str, Any]:
        value = node.value if isinstance(node.value, dict) else {}
        return merge_traits(value, lambda v: self.doc.refs.follow(v, node.source))

    def content_type(self, message: Node) -> str:
        own = self.merged(message).get("contentType")
        default = (
            self.root.value.get("defaultContentType") if isinstance(self.root.value, dict) else None
        )
        found = own if isinstance(own, str) else default
        return found if isinstance(found, str) else "application/json"

    def message_name(self, key: str, message: Node) -> str:
        name = message.value.get("name") if isinstance(message.value, dict) else None
        if isinstance(name, str) and name:
            return name
        return self.shape.component_messages.get(message.ident, key)

    def named(self, refs: tuple[tuple[str, str], ...]) -> dict[str, Node]:
        """An operation's messages by name."""
        found: dict[str, Node] = {}
        for channel, key in refs:
            message = self.shape.channels[channel].messages[key]
            found.setdefault(self.message_name(key, message), message)
        return found

    def servers(self) -> dict[str, Node]:
        found: dict[str, Node] = {}
        for _, raw in (
            (self.root.child("servers") or self.root).items()
            if "servers" in self.root.value
            else ()
        ):
            server = self.doc.refs.deref(raw)
            if server is None or not isinstance(server.value, dict):
                continue
            v = server.value
            if isinstance(v.get("url"), str):
                where = _SCHEME.sub("", v["url"])
            else:
                where = f"{v.get('host', '')}{v.get('pathname', '')}"
            found.setdefault(where.rstrip("/"), server)
        return found

    def requirements(self, holder: Node) -> list[Requirement]:
        """Security of a server (2.x requirement objects or 3.x scheme list)."""
        raw = holder.value.get("security") if isinstance(holder.value, dict) else None
        if not isinstance(raw, list) or not raw:
            return [frozenset()]
        comps = self.doc.refs.deref(self.root.child("components"))
        schemes = (
            comps.value.get("securitySchemes") if comps and isinstance(comps.value, dict) else {}
        )
        schemes = schemes if isinstance(schemes, dict) else {}
        reqs: list[Requirement] = []
        group = holder.child("security")
        for item in group.elements() if group is not None else ():
            if (
                isinstance(item.value, dict)
                and "$ref" not in item.value
                and "type" not in item.value
            ):
                parts = set()
                for name, scopes in item.value.items():  # 2.x: {scheme name: [scopes]}
                    scheme = self.doc.refs.follow(schemes.get(name), self.doc.root)
                    ident = scheme_identity(scheme.value if scheme else None, str(name))
                    parts.add((ident, frozenset(s for s in scopes or () if isinstance(s, str))))
                reqs.append(frozenset(parts))
                continue
            scheme = self.doc.refs.deref(item)  # 3.x: a scheme, scopes inside
            value = scheme.value if scheme is not None and isinstance(scheme.value, dict) else {}
            raw_scopes = value.get("scopes")
            scopes = raw_scopes if isinstance(raw_scopes, list) else []
            ident = scheme_identity(value, item.pointer)
            reqs.append(frozenset([(ident, frozenset(s for s in scopes if isinstance(s, str)))]))
        return reqs or [frozenset()]


class _AsyncAPI:
    def __init__(self, old: Document, new: Document, out: Collector) -> None:
        self.o, self.n, self.out = _Side(old), _Side(new), out
        self.schemas = SchemaDiff(old.refs, new.refs)

    def emit(self, code: str, at: Node, message: str, whom: str = "") -> None:
        self.out.add(Change(code, at, message), whom)

    def run(self) -> None:
        self.servers()
        pairs = self.channels()
        for (action, address), olds in self.o.ops.items():
            news = list(self.n.ops.get((action, pairs.get(address, address)), []))
            for op in olds:
                match = next((n for n in news if n.key == op.key), news[0] if news else None)
                if match is None:
                    self.removed(op, address)
                    continue
                news.remove(match)
                self.operation(op, match)
        reverse = {v: k for k, v in pairs.items()}
        for (action, address), news in self.n.ops.items():
            olds = self.o.ops.get((action, reverse.get(address, address)), [])
            for op in news[len(olds) :]:
                where = self.n.shape.channels[op.channel].address
                self.emit(
                    "operation-added",
                    op.at,
                    f"operation {op.key!r} ({op.action.value} on {where}) added",
                )

    def removed(self, op: RawOperation, address: str) -> None:
        where = self.o.shape.channels[op.channel].address
        whom = "producers sending to" if op.action is Action.RECEIVE else "consumers of"
        message = f"operation {op.key!r} ({op.action.value} on {where}) removed; {whom} it break"
        deprecated = isinstance(op.at.value, dict) and op.at.value.get("deprecated") is True
        code = "operation-removed-deprecated" if deprecated else "operation-removed"
        self.emit(code, op.at, message)

    def channels(self) -> dict[str, str]:
        """Old address -> new address for channels kept under the same key but moved."""
        moved: dict[str, str] = {}
        for address, old in self.o.by_address.items():
            new = self.n.by_address.get(address)
            if new is None:
                same_key = self.n.shape.channels.get(old.key)
                if same_key is not None and _address(same_key.address) not in self.o.by_address:
                    at = same_key.at.child("address") or same_key.at
                    message = f"channel {old.key!r} moved from {old.address} to {same_key.address}"
                    self.emit("channel-address-changed", at, message, "its producers and consumers")
                    moved[address] = _address(same_key.address)
                    self.channel(old, same_key)
                    continue
                self.emit(
                    "channel-removed",
                    old.at,
                    f"channel {old.address} removed; its producers and consumers break",
                )
                continue
            self.channel(old, new)
        for address, new in self.n.by_address.items():
            if address not in self.o.by_address and address not in moved.values():
                self.emit("channel-added", new.at, f"channel {new.address} added")
        return moved

    def channel(self, old: RawChannel, new: RawChannel) -> None:
        whom = f"clients of channel {new.address}"
        o_params, n_params = self._params(self.o, old), self._params(self.n, new)
        for name, (n_node, n_sig) in n_params.items():
            o_sig = o_params.get(name, (None, None))[1]
            if name in o_params and o_sig != n_sig:
                self.emit(
                    "channel-parameter-changed",
                    n_node,
                    f"parameter {name!r} changed ({o_sig} -> {n_sig})",
                    whom,
                )
        self.bindings(old.at, new.at, whom)

    @staticmethod
    def _params(side: _Side, channel: RawChannel) -> dict[str, tuple[Node, str]]:
        """Each parameter's allowed values and location, comparable across 2.x and 3.x."""
        found: dict[str, tuple[Node, str]] = {}
        group = channel.at.child("parameters")
        for name, raw in group.items() if group is not None else ():
            param = side.doc.refs.deref(raw)
            if param is None or not isinstance(param.value, dict):
                continue
            schema = side.doc.refs.follow(param.value.get("schema"), param.source)
            values = param.value.get("enum")
            if values is None and schema is not None and isinstance(schema.value, dict):
                values = schema.value.get("enum")
            signature = f"enum={sorted(map(str, values)) if isinstance(values, list) else 'any'}"
            if param.value.get("location"):
                signature += f", location={param.value['location']}"
            found[name] = (param, signature)
        return found

    def bindings(self, old: Node, new: Node, whom: str) -> None:
        ov = self.o.merged(old).get("bindings")
        nv = self.n.merged(new).get("bindings")
        if _bindings(ov) != _bindings(nv):
            at = new.child("bindings") or new
            protocols = (
                sorted(set(ov or {}) | set(nv or {}))
                if isinstance(ov or {}, dict) and isinstance(nv or {}, dict)
                else []
            )
            self.emit(
                "binding-changed",
                at,
                f"{', '.join(protocols) or 'protocol'} bindings changed",
                whom,
            )

    def operation(self, old: RawOperation, new: RawOperation) -> None:
        side = INPUT if new.action is Action.RECEIVE else OUTPUT
        address = self.n.shape.channels[new.channel].address
        whom = ("producers sending to " if side == INPUT else "consumers of ") + address
        self.bindings(old.at, new.at, whom)
        if "security" in self.o.merged(old.at) or "security" in self.n.merged(new.at):
            self.security(self.o.requirements(old.at), self.n.requirements(new.at), new.at, whom)
        self.messages(old.messages, new.messages, side, whom)
        if old.reply is not None and new.reply is not None:
            reply_side = OUTPUT if side == INPUT else INPUT
            where = f"replies to {address}"
            whom = ("consumers of " if reply_side == OUTPUT else "producers of ") + where
            self.messages(old.reply.messages, new.reply.messages, reply_side, whom)

    def messages(
        self,
        olds: tuple[tuple[str, str], ...],
        news: tuple[tuple[str, str], ...],
        side: str,
        whom: str,
    ) -> None:
        o_msgs = self.o.named(olds)
        n_msgs = self.n.named(news)
        if len(o_msgs) == 1 and len(n_msgs) == 1:
            o_msgs = {"": next(iter(o_msgs.values()))}
            n_msgs = {"": next(iter(n_msgs.values()))}
        for name, om in o_msgs.items():
            nm = n_msgs.get(name)
            if nm is None:
                self.emit("message-removed", om, f"message {name!r} removed", whom)
                continue
            self.message(om, nm, side, whom)
        for name, nm in n_msgs.items():
            if name not in o_msgs:
                code = "message-added" if side == INPUT else "output-message-added"
                self.emit(code, nm, f"message {name!r} added", whom)

    def message(self, om: Node, nm: Node, side: str, whom: str) -> None:
        oc, nc = self.o.content_type(om), self.n.content_type(nm)
        if oc != nc:
            at = nm.child("contentType") or nm
            self.emit(
                "message-content-type-changed", at, f"content type changed from {oc} to {nc}", whom
            )
        self.bindings(om, nm, whom)
        o_merged, n_merged = self.o.merged(om), self.n.merged(nm)
        for part in ("payload", "headers"):
            o_val, n_val = o_merged.get(part), n_merged.get(part)
            if o_val is None or n_val is None:
                continue
            o_node = om.child(part) or Node(o_val, om.source, om.pointer + "/" + part)
            n_node = nm.child(part) or Node(n_val, nm.source, nm.pointer + "/" + part)
            self.out.extend(
                self.schemas.compare(_schema_of(o_node), _schema_of(n_node), side),
                f"{whom} ({part})",
            )

    def security(
        self, olds: list[Requirement], news: list[Requirement], holder: Node, whom: str
    ) -> None:
        lost, added = requirement_losses(olds, news)
        at = holder.child("security") or holder
        for req in lost:
            message = f"authenticating with {describe(req)} is no longer accepted"
            self.emit("security-requirement-changed", at, message, whom)
        if not lost:
            for req in added:
                message = f"authenticating with {describe(req)} is now accepted too"
                self.emit("security-requirement-added", at, message, whom)

    def servers(self) -> None:
        olds, news = self.o.servers(), self.n.servers()
        for where, o in olds.items():
            n = news.get(where)
            if n is None:
                self.emit(
                    "server-removed", o, f"server {where} removed; clients configured with it break"
                )
                continue
            op, np_ = o.value.get("protocol"), n.value.get("protocol")
            if op != np_:
                self.emit(
                    "server-protocol-changed",
                    n.child("protocol") or n,
                    f"server {where} protocol changed from {op} to {np_}",
                )
            reqs = self.o.requirements(o), self.n.requirements(n)
            self.security(*reqs, n, f"clients of server {where}")
            self.bindings(o, n, f"clients of server {where}")
        if olds:
            for where, n in news.items():
                if where not in olds:
                    self.emit("server-added", n, f"server {where} added")


def _schema_of(node: Node) -> Node:
    """A multi-format schema object's inner schema (3.x ``schemaFormat`` + ``schema``)."""
    if isinstance(node.value, dict) and "schemaFormat" in node.value:
        inner = node.child("schema")
        if inner is not None:
            return inner
    return node


def diff_asyncapi(old: Document, new: Document, out: Collector) -> None:
    """Collect every change from ``old`` to ``new`` (both AsyncAPI) into ``out``."""
    _AsyncAPI(old, new, out).run()
