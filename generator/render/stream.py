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
        # a service's REST app serves /docs and /redoc and redacts uvicorn's logs
        # (runtime/); its events app adds no pages of its own and uses that redaction
        "in_service": request.target == "service",
        "docs_pages": request.target != "service",
        "log_redaction_module": "..runtime" if request.target == "service" else ".log_redaction",
        "Family": Family,
        "Transport": Transport,
        "SecurityKind": SecurityKind,
        "BrokerAuthKind": BrokerAuthKind,
    }


def _modules(side: str, context: dict[str, object]) -> tuple[str, ...]:
    """The generated modules of the package this side needs (``package/<name>.py.jinja``)."""
    server, web, routes = side == "server", bool(context["has_web"]), bool(context["routes"])
    needed = {
        "__init__": True,
        "__main__": True,
        "settings": True,
        "launch": True,
        "messages": True,
        "defaults": True,
        "web": web,
        "hub": web and server,  # the server's connections, fan-out and replay
        "runtime": web and not server,  # the client's reconnecting connections
        "sse": web and server,
        "docs": web and server and not context["in_service"],
        "log_redaction": web and server and not context["in_service"],
        "backplane": web and server,
        "backplane_redis": web and server,
        "backplane_nats": web and server,
        "bindings": web and server and bool(context["ws_bindings"]),
        "access": web and server and bool(context["schemes"]),
        "credentials": bool(context["secured"]),
        "avro": bool(context["uses_avro"]),
        "brokers": routes,
        "connect": routes,
    }
    return tuple(name for name, used in needed.items() if used)


def _plan(request: RenderRequest[StreamIR]) -> WritePlan:
    ir = request.ir
    context = _context(request)
    pkg = ir.api.package
    pack = "stream-server" if ir.side == "server" else "stream-client"
    shared = ("stream-server",) if ir.side == "client" else ()
    env = make_environment(pack, request.templates, shared=shared)
    modules = context["modules"] = _modules(ir.side, context)
    items = [
        RenderItem(template="pyproject.toml.jinja", path="pyproject.toml", context=context),
        RenderItem(template="README.md.jinja", path="README.md", context=context),
        RenderItem(template="_common/models.py.jinja", path=f"{pkg}/models.py", context=context),
        RenderItem(
            template="package/handlers.py.jinja",
            path=f"{pkg}/handlers.py",
            owner=Owner.USER,
            context=context,
        ),
        RenderItem(
            template="tests/test_package.py.jinja", path=f"tests/test_{pkg}.py", context=context
        ),
        *(
            RenderItem(
                template=f"package/{name}.py.jinja", path=f"{pkg}/{name}.py", context=context
            )
            for name in modules
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
    return render_plan(request.target, env, items)


def plan_server(request: RenderRequest[StreamIR]) -> WritePlan:
    """The application the document describes."""
    return _plan(request)


def plan_client(request: RenderRequest[StreamIR]) -> WritePlan:
    """Its counterpart: sends what the application receives, receives what it sends."""
    return _plan(request)
