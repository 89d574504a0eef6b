"""The stream-server and stream-client targets: ``StreamIR`` -> ``WritePlan``.

Both sides render from the same kind of IR, already turned to their side
(``translate.stream_ir``, documented in ``ir.stream_views``); this module only
gathers a context of finished values so templates only print.
"""

from __future__ import annotations

import re

from generator.ir.stream import BrokerAuthKind, Family, SecurityKind, Transport
from generator.ir.stream_views import StreamIR
from generator.render.env import RenderItem, make_environment, render_plan
from generator.render.plan import Owner, WritePlan
from generator.render.targets import RenderRequest

__all__ = ["plan_client", "plan_server"]

_PEP440 = re.compile(r"^\d+(\.\d+)*((a|b|rc)\d+)?(\.post\d+)?(\.dev\d+)?$")
"""Versions a pyproject.toml accepts as written; others become 0.0.0 there."""

_EXTRAS = {
    Family.MQTT: "mqtt",
    Family.AMQP: "rabbit",
    Family.KAFKA: "kafka",
    Family.NATS: "nats",
    Family.REDIS: "redis",
}


def _context(request: RenderRequest[StreamIR]) -> dict[str, object]:
    ir = request.ir
    api, web, routes = ir.api, ir.web, ir.routes
    brokers = tuple(dict.fromkeys(r.server for r in routes))
    extras = sorted({_EXTRAS[s.family] for s in brokers})
    imports = sorted({line for m in api.messages for line in m.imports})
    return {
        "api": api,
        "types": ir.types,
        "views": ir.views,
        "web": web,
        "endpoints": ir.endpoints,
        "routes": routes,
        "brokers": brokers,
        "secured": tuple(s for s in brokers if s.auth is not None),
        "channel_params": tuple(
            {
                p.setting: p
                for r in routes
                for c in (r.view.channel, r.view.reply_channel)
                if c is not None
                for p in c.parameters
            }.values()
        ),
        "requests": tuple(
            r for r in routes if r.view.reply and not r.inbound and ir.side == "client"
        ),
        "replies": tuple(r for r in routes if r.view.reply and r.inbound and ir.side == "server"),
        "message_imports": imports,
        "side": ir.side,
        "spec_label": request.spec_label,
        "target": request.target,
        "has_web": bool(web),
        "schemes": tuple({s.py_name: s for w in web for s in w.schemes}.values()),
        "has_sse": any(w.transport is Transport.SSE for w in web),
        "has_ws": any(w.transport is Transport.WEBSOCKET for w in web),
        "ws_bindings": any(w.channel.ws.hook for w in web),
        "families": {s.family.value for s in brokers},
        "dist_version": api.version if _PEP440.match(api.version) else "0.0.0",
        "extras": extras,
        "uses_avro": any(m.avro is not None for m in api.messages),
        "env": api.package.upper(),  # every setting's variable: {env}_PORT, {env}_SERVERS, ...
        "serves_http": bool(web) or request.target == "service",  # a service serves REST too
        "Family": Family,
        "Transport": Transport,
        "SecurityKind": SecurityKind,
        "BrokerAuthKind": BrokerAuthKind,
    }


def _plan(request: RenderRequest[StreamIR]) -> WritePlan:
    ir = request.ir
    context = _context(request)
    pkg = ir.api.package
    pack = "stream-server" if ir.side == "server" else "stream-client"
    shared = ("stream-server",) if ir.side == "client" else ()
    env = make_environment(pack, request.templates, shared=shared)
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
        RenderItem(template="package/launch.py.jinja", path=f"{pkg}/launch.py", context=context),
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
    if context["schemes"] and ir.side == "server":
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
        if ir.side == "server":
            items += [
                RenderItem(template=f"package/{name}.py.jinja", path=f"{pkg}/{name}.py", context=context)
                for name in ("sse", "docs", "backplane", "backplane_redis", "backplane_nats")
            ]
            if context["ws_bindings"]:
                items.append(
                    RenderItem(
                        template="package/bindings.py.jinja",
                        path=f"{pkg}/bindings.py",
                        context=context,
                    )
                )
    if context["secured"]:
        items.append(
            RenderItem(
                template="package/credentials.py.jinja",
                path=f"{pkg}/credentials.py",
                context=context,
            )
        )
    if context["uses_avro"]:
        items.append(
            RenderItem(template="package/avro.py.jinja", path=f"{pkg}/avro.py", context=context)
        )
    if context["routes"]:
        items.append(
            RenderItem(
                template="package/brokers.py.jinja", path=f"{pkg}/brokers.py", context=context
            )
        )
        items.append(
            RenderItem(
                template="package/connect.py.jinja", path=f"{pkg}/connect.py", context=context
            )
        )
    return render_plan(request.target, env, items)


def plan_server(request: RenderRequest[StreamIR]) -> WritePlan:
    """The application the document describes."""
    return _plan(request)


def plan_client(request: RenderRequest[StreamIR]) -> WritePlan:
    """Its counterpart: sends what the application receives, receives what it sends."""
    return _plan(request)
