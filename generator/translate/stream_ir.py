"""AsyncAPI ``Document`` -> ``StreamIR``: the stream IR seen from one side, finished.

``translate_server`` and ``translate_client`` are the stream targets'
translators (see ``render.targets``): they build the ``StreamApi``
(``translate.asyncapi``) and the views of ``ir.stream_views`` that fix which
side receives what, and report, as warnings, operations a broker cannot carry.
"""

from __future__ import annotations

import dataclasses

from generator.diagnostics import Diagnostic, Severity
from generator.ir.stream import (
    Action,
    Channel,
    Family,
    HeaderField,
    Message,
    Server,
    StreamApi,
    Transport,
)
from generator.ir.stream_views import (
    OpView,
    RouteView,
    StreamIR,
    WebChannelView,
    WebEndpointView,
)
from generator.load import Document
from generator.naming import NameAllocator, device_safe
from generator.translate._stream_reply import reply_fields
from generator.translate.asyncapi import build_stream, default_package

__all__ = ["CLIENT_SUFFIX", "translate_client", "translate_server"]

CLIENT_SUFFIX = "_client"
"""A client's package and distribution end so: installed beside its server, neither replaces the other."""


def _union(annotations: list[str]) -> str:
    unique = list(dict.fromkeys(annotations))
    if "Any" in unique:
        return "Any"
    return " | ".join(unique) if unique else "Any"


_WILDCARDS = {
    Family.MQTT: "+#",
    Family.NATS: "*> \t",
    Family.AMQP: "*#",
    Family.REDIS: "*?[]",
    Family.KAFKA: "",
}


def _route_problem(channel: Channel, family: Family) -> str:
    """Why ``channel`` cannot be carried by a broker of ``family`` (empty: it can)."""
    literal = "".join(text for text, param in channel.segments if param is None)
    bad = sorted({ch for ch in literal if ch in _WILDCARDS[family] or ord(ch) < 32})
    if bad:
        return f"its address holds {''.join(bad)!r}, which {family.value} reads as wildcards or refuses"
    return ""


def settles_parameters(channel: Channel, family: Family) -> bool:
    """Whether a broker of ``family`` subscribes to ``channel`` with settings, not a wildcard.

    Kafka topics and Redis streams have no wildcard subscription, an AMQP
    exchange other than a topic one matches no pattern, and MQTT, NATS and AMQP
    wildcards stand for whole levels only: there each address parameter comes
    from the setting ``<PREFIX>_CHANNEL_<PARAM>``.
    """
    if not channel.parameters:
        return False
    if family is Family.KAFKA:
        return True
    if family is Family.REDIS:
        return channel.binding.redis_mode == "stream"
    if family is Family.AMQP and channel.binding.amqp_exchange_type != "topic":
        return True  # only a topic exchange matches routing keys by pattern
    separator = _LEVELS.get(family)
    return separator is not None and not _whole_levels(channel.segments, separator)


_LEVELS = {Family.MQTT: "/", Family.NATS: ".", Family.AMQP: "."}
"""The level separator of the families whose wildcard stands for one whole level."""


def _whole_levels(segments: tuple[tuple[str, str | None], ...], separator: str) -> bool:
    """Whether every parameter fills a whole level (``a/{id}/b``, not ``a/x-{id}``)."""
    for i, (_text, param) in enumerate(segments):
        if param is None:
            continue
        before = segments[i - 1] if i else None
        after = segments[i + 1] if i + 1 < len(segments) else None
        if before is not None and (before[1] is not None or not before[0].endswith(separator)):
            return False
        if after is not None and (after[1] is not None or not after[0].startswith(separator)):
            return False
    return True


_PUBLISH_NAMES = (
    "message", "timeout", "key", "data", "wire", "raw", "reply", "waiter", "destination",
    "headers", "correlation", "self", "uuid", "asyncio", "json", "messages", "avro", "logger",
    "segment", "setting",
)  # fmt: skip
"""Names a publish or request function uses itself: header keyword arguments avoid them."""


def _header_args(
    api: StreamApi, channel: Channel, msgs: tuple[Message, ...], filled: set[str]
) -> tuple[HeaderField, ...]:
    """The declared headers of ``msgs`` a publisher takes as keywords (``filled`` ones it sets)."""
    names = NameAllocator(
        (
            *_PUBLISH_NAMES,
            *(p.py_name for p in channel.parameters),
            *(s.py_name for s in api.servers),
        )
    )
    merged: dict[str, HeaderField] = {}
    for m in msgs:
        for f in m.header_fields:
            if f.wire_name in filled:
                continue
            known = merged.get(f.wire_name)
            merged[f.wire_name] = (
                f
                if known is None
                else dataclasses.replace(known, required=known.required and f.required)
            )
    everywhere = {f for f in merged if all(f in m.header_names for m in msgs)}
    return tuple(
        dataclasses.replace(
            f,
            py_name=names.allocate(f.wire_name),
            required=f.required and f.wire_name in everywhere,
        )
        for f in merged.values()
    )


def _views(api: StreamApi) -> list[OpView]:
    messages = {m.key: m for m in api.messages}
    channels = {c.key: c for c in api.channels}
    out: list[OpView] = []
    for op in api.operations:
        msgs = tuple(messages[k] for k in op.messages if k in messages)
        reply = tuple(messages[k] for k in op.reply.messages if k in messages) if op.reply else ()
        correlation = next((m.correlation_path for m in msgs if m.correlation_path), ())
        fields = reply_fields(op, msgs, reply)
        filled = {fields.get("correlation_header", ""), fields.get("reply_to_header", "")}
        out.append(
            OpView(
                op=op,
                channel=channels[op.channel],
                header_args=_header_args(api, channels[op.channel], msgs, filled),
                messages=msgs,
                annotation=_union([m.payload for m in msgs]),
                reply=reply,
                reply_annotation=_union([m.payload for m in reply]) if reply else "",
                reply_channel=channels.get(op.reply.channel or "") if op.reply else None,
                correlation=correlation,
                **fields,
            )
        )
    return out


def _web(api: StreamApi, views: list[OpView], side: str) -> list[WebChannelView]:
    messages = {m.key: m for m in api.messages}
    web: list[WebChannelView] = []
    for channel in api.channels:
        if channel.transport_ws is None:
            continue
        ops = [v for v in views if v.op.channel == channel.key]
        receives = channel.inbound if side == "server" else channel.outbound
        schemes = tuple(
            {
                scheme.py_name: scheme
                for server in api.servers
                if server.key in channel.servers and not server.family.is_broker
                for scheme in server.schemes
            }.values()
        )
        web.append(
            WebChannelView(
                channel=channel,
                transport=channel.transport_ws,
                inbound=tuple(v for v in ops if v.op.action is Action.RECEIVE),
                outbound=tuple(v for v in ops if v.op.action is Action.SEND),
                receive_annotation=_union([messages[k].payload for k in receives.messages]),
                schemes=schemes,
            )
        )
    return web


def _endpoints(
    api: StreamApi, web: list[WebChannelView], side: str
) -> tuple[list[WebEndpointView], list[str]]:
    """The WebSocket paths, and a note for each message two operations of one path claim."""
    by_key = {w.channel.key: w for w in web}
    messages = {m.key: m for m in api.messages}
    out: list[WebEndpointView] = []
    notes: list[str] = []
    for endpoint in api.endpoints:
        members = tuple(by_key[k] for k in endpoint.channels if k in by_key)
        if not members:
            continue
        inbound = tuple(v for w in members for v in w.inbound)
        outbound = tuple(v for w in members for v in w.outbound)
        for ops in (inbound, outbound):
            claimed: dict[str, str] = {}
            for view in ops:
                for key in view.op.messages:
                    if key in claimed and claimed[key] != view.op.key:
                        notes.append(
                            f"message {key!r} on {endpoint.address!r} is routed to operation"
                            f" {claimed[key]!r}, never to {view.op.key!r}: give the messages"
                            " a property (const) that tells them apart"
                        )
                    claimed.setdefault(key, view.op.key)
        decoder = endpoint.inbound if side == "server" else endpoint.outbound
        out.append(
            WebEndpointView(
                endpoint=endpoint,
                channels=members,
                inbound=inbound,
                outbound=outbound,
                receive_annotation=_union([messages[k].payload for k in decoder.messages]),
                schemes=tuple({s.py_name: s for w in members for s in w.schemes}.values()),
            )
        )
    sse_paths: dict[str, str] = {}
    for w in web:
        if w.transport is Transport.SSE:
            first = sse_paths.setdefault(w.channel.path, w.channel.key)
            if first != w.channel.key:
                notes.append(
                    f"SSE channel {w.channel.key!r} shares its address with {first!r}: only"
                    f" {first!r} is served there (SSE channels need addresses of their own)"
                )
    return out, notes


def _routes(
    api: StreamApi, views: list[OpView], side: str
) -> tuple[list[RouteView], list[tuple[OpView, Server, str]]]:
    inbound_action = Action.RECEIVE if side == "server" else Action.SEND
    servers = {s.key: s for s in api.servers}
    routes: list[RouteView] = []
    problems: list[tuple[OpView, Server, str]] = []
    for view in views:
        for key in view.channel.servers:
            server = servers.get(key)
            if server is None or not server.family.is_broker:
                continue
            if any(r.view is view and r.server.family is server.family for r in routes):
                continue
            problem = _route_problem(view.channel, server.family)
            if problem:
                problems.append((view, server, problem))
                continue
            routes.append(
                RouteView(
                    view=view,
                    server=server,
                    inbound=view.op.action is inbound_action,
                    settled=settles_parameters(view.channel, server.family),
                )
            )
    return routes, problems


def _translate(doc: Document, package: str | None, side: str) -> tuple[StreamIR, list[Diagnostic]]:
    build, diagnostics = build_stream(doc, package)
    api = build.api
    views = _views(api)
    routes, problems = _routes(api, views, side)
    for view, server, problem in problems:
        diagnostics.append(
            doc.diagnostic(
                "",
                "stream-unsupported-address",
                f"operation {view.op.key!r} left out on server {server.key!r}: {problem}",
                Severity.WARNING,
            )
        )
    diagnostics += _setting_notes(doc, api, routes)
    requesting = {r.view.op.key: r.view.op for r in routes if r.view.reply}
    for key, op in sorted(requesting.items()):
        if op.action is not Action.SEND:
            continue
        diagnostics.append(
            doc.diagnostic(
                op.pointer,
                "stream-reply-not-awaited",
                f"operation {key!r} sends a request whose reply the application awaits; over"
                " brokers twinspec answers requests the application receives, and publishes this"
                " one without awaiting its reply",
                Severity.WARNING,
            )
        )
    if not api.operations:
        diagnostics.append(
            doc.diagnostic(
                "",
                "stream-no-operations",
                "the document has no operations twinspec can serve; the project only holds its models",
                Severity.WARNING,
            )
        )
    web = _web(api, views, side)
    endpoints, notes = _endpoints(api, web, side)
    diagnostics += [
        doc.diagnostic("", "stream-ambiguous-route", note, Severity.WARNING) for note in notes
    ]
    ir = StreamIR(
        api=api,
        types=build.types,
        side=side,
        views=tuple(views),
        web=tuple(web),
        routes=tuple(routes),
        endpoints=tuple(endpoints),
    )
    return ir, diagnostics


def _setting_notes(doc: Document, api: StreamApi, routes: list[RouteView]) -> list[Diagnostic]:
    """One located note per channel whose address parameters a broker takes from settings."""
    env = api.package.upper()
    notes: dict[str, Diagnostic] = {}
    for route in routes:
        channels = (route.view.channel, route.view.reply_channel)
        for channel in channels:
            if channel is None or not settles_parameters(channel, route.server.family):
                continue
            names = ", ".join(
                f"{{{p.wire_name}}} from {env}_CHANNEL_{p.setting.upper()}"
                f" (default {p.example if p.default is None else p.default!r})"
                for p in channel.parameters
            )
            notes.setdefault(
                f"{channel.key}/{route.server.key}",
                doc.diagnostic(
                    channel.pointer,
                    "stream-address-setting",
                    f"channel {channel.key!r} on server {route.server.key!r}:"
                    f" {route.server.family.value} has no wildcard subscription for this address,"
                    f" so its parameters come from settings: {names}",
                    Severity.INFO,
                ),
            )
    return [notes[k] for k in sorted(notes)]


def translate_server(doc: Document, package: str | None) -> tuple[StreamIR, list[Diagnostic]]:
    """The application the document describes: what it receives and sends, and where."""
    return _translate(doc, package, "server")


def translate_client(doc: Document, package: str | None) -> tuple[StreamIR, list[Diagnostic]]:
    """Its counterpart, in a package of its own: ``<package>_client`` (``<title>_client``).

    So the client installs beside its server; a name already ending in ``_client`` is kept.
    """
    package = device_safe(package) if package else default_package(doc)
    if not package.endswith(CLIENT_SUFFIX):
        package += CLIENT_SUFFIX
    return _translate(doc, package, "client")
