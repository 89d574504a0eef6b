"""AsyncAPI rules on references: what an object names must be declared where it points.

- ``asyncapi-channel-not-in-root``: a 3.x operation's channel is not one of the
  document's ``channels``; ``asyncapi-message-not-in-channel``: a 3.x operation (or
  reply) lists a message that is not one of its channel's messages.
- ``asyncapi-unknown-server``: a 2.x channel lists a server that does not exist.
- ``asyncapi-unknown-security-scheme`` / ``asyncapi-security-scopes-not-allowed``: a
  2.x security requirement names an undefined scheme, or lists scopes for a scheme that
  is neither oauth2 nor openIdConnect.

``report`` makes the located Diagnostic every AsyncAPI rule gives.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from generator.diagnostics import Diagnostic, Severity, escape_pointer
from generator.load import Document, open_in
from generator.load.refs import RefError, resolve_ref
from generator.validate._asyncapi_walk import Node, Walker

__all__ = ["channel_servers", "operation_channels", "report", "security_requirements"]


def report(
    doc: Document,
    node: Node,
    pointer: str,
    code: str,
    message: str,
    severity: Severity = Severity.ERROR,
) -> Diagnostic:
    return doc.diagnostic(pointer, code, message, severity, source=node.source)


def operation_channels(doc: Document, walker: Walker, nodes: list[Node]) -> Iterator[Diagnostic]:
    """3.x: an operation's channel must be a root channel; its messages that channel's."""
    for node in nodes:
        if node.kind != "operation":
            continue
        channel = _channel_places(walker, node)
        in_root_operations = node.source is doc.root and node.pointer.startswith("/operations/")
        if channel and in_root_operations and not _is_root_channel(doc, *channel[0]):
            yield report(
                doc,
                node,
                node.child("channel") + "/$ref",
                "asyncapi-channel-not-in-root",
                "an operation's channel must be one of the document's 'channels' "
                f"(#/channels/...), not {channel[0][1] or '/'}",
            )
        yield from _messages_in_channel(doc, walker, node, channel)
        reply = walker.node("reply", node.source, node.child("reply"), node.value.get("reply"))
        if reply is not None:
            yield from _messages_in_channel(doc, walker, reply, _channel_places(walker, reply))


def _is_root_channel(doc: Document, source: Any, pointer: str) -> bool:
    return source is doc.root and re.fullmatch(r"/channels/[^/]+", pointer) is not None


def _channel_places(walker: Walker, holder: Node) -> list[tuple[Any, str]]:
    """Where ``holder.channel`` points: the first hop and, if it is a ref again, the end."""
    value = holder.value.get("channel")
    if not isinstance(value, dict) or not isinstance(value.get("$ref"), str):
        return []
    first = _one_hop(walker, holder, value["$ref"])
    if first is None:
        return []
    places = [first]
    final = walker.node("channel", holder.source, holder.child("channel"), value)
    if final is not None and (final.source, final.pointer) != first:
        places.append((final.source, final.pointer))
    return places


def _messages_in_channel(
    doc: Document, walker: Walker, holder: Node, channel: list[tuple[Any, str]]
) -> Iterator[Diagnostic]:
    """Each of ``holder.messages`` must be ``<channel>/messages/<name>``."""
    messages = holder.value.get("messages")
    if not channel or not isinstance(messages, list):
        return
    for index, value in enumerate(messages):
        if not isinstance(value, dict) or not isinstance(value.get("$ref"), str):
            continue
        target = _one_hop(walker, holder, value["$ref"])
        if target is None:
            continue
        source, pointer = target
        if any(
            source is where and re.fullmatch(re.escape(at) + r"/messages/[^/]+", pointer)
            for where, at in channel
        ):
            continue
        yield report(
            doc,
            holder,
            f"{holder.child('messages')}/{index}/$ref",
            "asyncapi-message-not-in-channel",
            f"message {value['$ref']!r} is not one of the messages of channel "
            f"{channel[0][1]!r}; list it under that channel's 'messages' and refer to it there",
        )


def _one_hop(walker: Walker, holder: Node, ref: str) -> tuple[Any, str] | None:
    """The file and pointer a single ``$ref`` names (without following further refs)."""
    try:
        target = resolve_ref(
            ref,
            holder.source,
            walker.doc.root_dir,
            open_in(walker.doc, []),
            allow_remote=walker.doc.allow_remote_refs,
            ref_map=walker.doc.ref_map,
        )
    except RefError:
        return None
    return target.source, target.pointer


def channel_servers(doc: Document, nodes: list[Node]) -> Iterator[Diagnostic]:
    """2.x: the names in a channel's ``servers`` must be servers of the document."""
    servers = doc.data.get("servers")
    known = set(servers) if isinstance(servers, dict) else set()
    for node in nodes:
        names = node.value.get("servers") if node.kind == "channel" else None
        if not isinstance(names, list):
            continue
        for index, name in enumerate(names):
            if isinstance(name, str) and name not in known:
                yield report(
                    doc,
                    node,
                    f"{node.child('servers')}/{index}",
                    "asyncapi-unknown-server",
                    f"server {name!r} is not defined in 'servers'",
                )


def security_requirements(doc: Document, nodes: list[Node]) -> Iterator[Diagnostic]:
    """2.x: a security requirement's keys must name schemes in components.securitySchemes."""
    components = doc.data.get("components")
    schemes = components.get("securitySchemes") if isinstance(components, dict) else None
    known = set(schemes) if isinstance(schemes, dict) else set()
    for node in nodes:
        if node.kind not in ("server", "operation", "trait"):
            continue
        requirements = node.value.get("security")
        if not isinstance(requirements, list):
            continue
        for index, requirement in enumerate(requirements):
            if not isinstance(requirement, dict):
                continue
            for name, scopes in requirement.items():
                scheme = schemes.get(name) if isinstance(schemes, dict) else None
                kind = scheme.get("type") if isinstance(scheme, dict) else None
                if scopes and isinstance(kind, str) and kind not in ("oauth2", "openIdConnect"):
                    yield report(
                        doc,
                        node,
                        f"{node.child('security')}/{index}/{escape_pointer(name)}",
                        "asyncapi-security-scopes-not-allowed",
                        f"security scheme {name!r} is of type {kind!r}; only oauth2 and "
                        "openIdConnect requirements list scopes (use [])",
                    )
                if name not in known:
                    yield report(
                        doc,
                        node,
                        f"{node.child('security')}/{index}/{escape_pointer(name)}",
                        "asyncapi-unknown-security-scheme",
                        f"security scheme {name!r} is not defined in components.securitySchemes",
                    )
