"""The stream-server and stream-client targets: ``StreamApi`` -> ``WritePlan``.

Both sides render from the same IR. The server RECEIVEs what the document's
receive operations name and SENDs the rest; the client mirrors it. The small
view objects below fix that direction once, so templates only print.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, replace

import jinja2

from generator.diagnostics import Diagnostic, Severity
from generator.ir.schema import TypeModel
from generator.ir.stream import (
    Action,
    BrokerAuthKind,
    Channel,
    Family,
    Message,
    Operation,
    SecurityKind,
    SecurityScheme,
    Server,
    Transport,
)
from generator.render.env import RenderItem, make_environment, render_plan
from generator.render.filters import pyrepr
from generator.render.packs import templates_root
from generator.render.plan import Owner, WritePlan
from generator.render.targets import GenerateRequest
from generator.translate.asyncapi import StreamBuild, build_stream, default_package

__all__ = ["OpView", "RouteView", "WebChannelView", "plan_client", "plan_server"]


@dataclass(frozen=True, slots=True, kw_only=True)
class OpView:
    """An operation with everything its generated code needs at hand."""

    op: Operation
    channel: Channel
    messages: tuple[Message, ...]
    annotation: str  # union of the payload annotations
    reply: tuple[Message, ...] = ()
    reply_annotation: str = ""
    reply_channel: Channel | None = None
    correlation: tuple[str, ...] = ()

    @property
    def const(self) -> str:
        """Name stem of the operation's module-level constants."""
        return self.op.py_name.upper()


@dataclass(frozen=True, slots=True, kw_only=True)
class WebChannelView:
    """A channel served by the Starlette app: inbound ops call handlers, outbound ops publish."""

    channel: Channel
    transport: Transport
    inbound: tuple[OpView, ...]  # operations whose messages the *application* receives here
    outbound: tuple[OpView, ...]  # operations whose messages the application sends here
    receive_annotation: str  # union of what this side receives on the channel
    schemes: tuple[SecurityScheme, ...] = ()  # credentials any one of which opens the channel


@dataclass(frozen=True, slots=True, kw_only=True)
class RouteView:
    """One operation on one broker: a subscriber (inbound) or a publisher (outbound)."""

    view: OpView
    server: Server
    inbound: bool


_PEP440 = re.compile(r"^\d+(\.\d+)*((a|b|rc)\d+)?(\.post\d+)?(\.dev\d+)?$")
"""Versions a pyproject.toml accepts as written; others become 0.0.0 there."""

_EXTRAS = {
    Family.MQTT: "mqtt",
    Family.AMQP: "rabbit",
    Family.KAFKA: "kafka",
    Family.NATS: "nats",
    Family.REDIS: "redis",
}


def pytuple(items: object) -> str:
    """A tuple literal of JSON values (``pyrepr`` of each), for typed ``tuple[...]`` arguments."""
    values = list(items) if isinstance(items, (list, tuple)) else [items]
    return "(" + "".join(f"{pyrepr(v)}, " for v in values) + ")"


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
    if channel.parameters and (
        family is Family.KAFKA
        or (family is Family.REDIS and channel.binding.redis_mode == "stream")
    ):
        return f"{family.value} topics/streams cannot carry address parameters"
    return ""


def _views(api_build: StreamBuild) -> list[OpView]:
    api = api_build.api
    messages = {m.key: m for m in api.messages}
    channels = {c.key: c for c in api.channels}
    out: list[OpView] = []
    for op in api.operations:
        msgs = tuple(messages[k] for k in op.messages if k in messages)
        reply = tuple(messages[k] for k in op.reply.messages if k in messages) if op.reply else ()
        correlation = next((m.correlation_path for m in msgs if m.correlation_path), ())
        out.append(
            OpView(
                op=op,
                channel=channels[op.channel],
                messages=msgs,
                annotation=_union([m.payload for m in msgs]),
                reply=reply,
                reply_annotation=_union([m.payload for m in reply]) if reply else "",
                reply_channel=channels.get(op.reply.channel or "") if op.reply else None,
                correlation=correlation,
            )
        )
    return out


def _context(
    build: StreamBuild, request: GenerateRequest, side: str
) -> tuple[dict[str, object], list[tuple[OpView, Server, str]]]:
    api = build.api
    views = _views(build)
    messages = {m.key: m for m in api.messages}
    inbound_action = Action.RECEIVE if side == "server" else Action.SEND
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
                RouteView(view=view, server=server, inbound=view.op.action is inbound_action)
            )
    brokers = tuple(dict.fromkeys(r.server for r in routes))
    extras = sorted({_EXTRAS[s.family] for s in brokers})
    imports = sorted({line for m in api.messages for line in m.imports})
    context: dict[str, object] = {
        "api": api,
        "types": build.types,
        "views": views,
        "web": web,
        "routes": routes,
        "brokers": brokers,
        "secured": tuple(s for s in brokers if s.auth is not None),
        "message_imports": imports,
        "side": side,
        "spec_label": request.spec_label,
        "target": request.target,
        "has_web": bool(web),
        "schemes": tuple({s.py_name: s for w in web for s in w.schemes}.values()),
        "has_sse": any(w.transport is Transport.SSE for w in web),
        "has_ws": any(w.transport is Transport.WEBSOCKET for w in web),
        "families": {s.family.value for s in brokers},
        "dist_version": api.version if _PEP440.match(api.version) else "0.0.0",
        "extras": extras,
        "env": api.package.upper(),
        "Family": Family,
        "Transport": Transport,
        "SecurityKind": SecurityKind,
        "BrokerAuthKind": BrokerAuthKind,
    }
    return context, problems


TypesHook = Callable[[TypeModel], TypeModel]
"""Rewrites the type model before rendering (the service target shares REST's models)."""


def _plan(
    request: GenerateRequest, side: str, types_hook: TypesHook | None = None
) -> tuple[WritePlan, list[Diagnostic]]:
    package = request.package
    if package is None and side == "client":
        package = default_package(request.doc) + "_client"  # importable beside the server
    build, diagnostics = build_stream(request.doc, package)
    if types_hook is not None:
        build = replace(build, types=types_hook(build.types))
    context, problems = _context(build, request, side)
    pkg = build.api.package
    pack = "stream-server" if side == "server" else "stream-client"
    env = make_environment(pack, request.templates)
    env.filters["pytuple"] = pytuple
    if side == "client":
        shared = jinja2.FileSystemLoader(str(templates_root() / "stream-server"))
        env.loader = jinja2.ChoiceLoader(
            [env.loader, jinja2.PrefixLoader({"stream-server": shared})]  # type: ignore[list-item]
        )
    items = [
        RenderItem(template="pyproject.toml.jinja", path="pyproject.toml", context=context),
        RenderItem(template="README.md.jinja", path="README.md", context=context),
        RenderItem(
            template="package/__init__.py.jinja", path=f"{pkg}/__init__.py", context=context
        ),
        RenderItem(
            template="package/__main__.py.jinja", path=f"{pkg}/__main__.py", context=context
        ),
        RenderItem(
            template="package/settings.py.jinja", path=f"{pkg}/settings.py", context=context
        ),
        RenderItem(
            template="package/messages.py.jinja", path=f"{pkg}/messages.py", context=context
        ),
        RenderItem(template="_common/models.py.jinja", path=f"{pkg}/models.py", context=context),
        RenderItem(
            template="package/defaults.py.jinja", path=f"{pkg}/defaults.py", context=context
        ),
        RenderItem(
            template="package/handlers.py.jinja",
            path=f"{pkg}/handlers.py",
            owner=Owner.USER,
            context=context,
        ),
        RenderItem(
            template="tests/test_package.py.jinja", path=f"tests/test_{pkg}.py", context=context
        ),
    ]
    if context["schemes"] and side == "server":
        items.append(
            RenderItem(
                template="package/security.py.jinja",
                path=f"{pkg}/security.py",
                owner=Owner.USER,
                context=context,
            )
        )
    if context["has_web"]:
        items.append(
            RenderItem(template="package/web.py.jinja", path=f"{pkg}/web.py", context=context)
        )
        items.append(
            RenderItem(
                template="package/runtime.py.jinja", path=f"{pkg}/runtime.py", context=context
            )
        )
        if side == "server":
            items.append(
                RenderItem(
                    template="package/backplane.py.jinja",
                    path=f"{pkg}/backplane.py",
                    context=context,
                )
            )
    if context["routes"]:
        items.append(
            RenderItem(
                template="package/brokers.py.jinja", path=f"{pkg}/brokers.py", context=context
            )
        )
    for view, server, problem in problems:
        diagnostics.append(
            request.doc.diagnostic(
                "",
                "stream-unsupported-address",
                f"operation {view.op.key!r} left out on server {server.key!r}: {problem}",
                Severity.WARNING,
            )
        )
    if not build.api.operations:
        diagnostics.append(
            request.doc.diagnostic(
                "",
                "stream-no-operations",
                "the document has no operations twinspec can serve; the project only holds its models",
                Severity.WARNING,
            )
        )
    return render_plan(request.target, env, items), diagnostics


def plan_server(
    request: GenerateRequest, types_hook: TypesHook | None = None
) -> tuple[WritePlan, list[Diagnostic]]:
    """The application the document describes."""
    return _plan(request, "server", types_hook)


def plan_client(
    request: GenerateRequest, types_hook: TypesHook | None = None
) -> tuple[WritePlan, list[Diagnostic]]:
    """Its counterpart: sends what the application receives, receives what it sends."""
    return _plan(request, "client", types_hook)


def stream_views(
    request: GenerateRequest, side: str = "server"
) -> tuple[StreamBuild, dict[str, object]]:
    """The stream IR and the render context ``_plan`` uses (for targets that compose this one)."""
    build, _ = build_stream(request.doc, request.package)
    context, _problems = _context(build, request, side)
    return build, context
