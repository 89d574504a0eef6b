"""The service and service-client targets: ``ServiceIR`` -> one project.

The packs are composed, not copied: the rest pack renders the package
(routes, models, handlers; the client: ``<package>/rest/``), the stream pack
renders ``<package>/events/`` (WebSocket/SSE endpoints, brokers, backplane),
and templates/service (templates/service-client) add the glue: one ASGI app
and lifespan, the typed ``Events`` object REST handlers emit through, one
``__main__``, pyproject, README and tests.
"""

from __future__ import annotations

import json
from dataclasses import replace

from generator.ir.http import RestIR
from generator.ir.service import ServiceIR
from generator.ir.stream_views import StreamIR
from generator.render import rest, stream
from generator.render.env import RenderItem, make_environment, render_plan
from generator.render.plan import Owner, PlannedFile, WritePlan
from generator.render.targets import RenderRequest
from generator.translate.service_ir import refs_of

__all__ = ["plan_client", "plan_server"]


def _labels(request: RenderRequest[ServiceIR]) -> tuple[str, str]:
    """(OpenAPI label, AsyncAPI label): the order the user gave the pair in."""
    first, second = request.spec_label, request.companion_label
    return (first, second) if request.ir.api_first else (second, first)


def _move(
    plan: WritePlan, old: str, new: str, drop: set[str], *, tests: bool = True
) -> list[PlannedFile]:
    """``plan``'s files with ``old/`` moved to ``new/``, minus ``drop`` (and tests/ unless ``tests``)."""
    out = []
    for f in plan.files:
        if f.path in drop or f.path.startswith(".") or (not tests and f.path.startswith("tests/")):
            continue
        path = new + f.path[len(old) :] if f.path.startswith(old + "/") else f.path
        out.append(replace(f, path=path))
    return out


def _dependencies(plan: WritePlan) -> list[str]:
    """The ``dependencies`` of a composed pack's pyproject.toml (one quoted string a line)."""
    text = plan.by_path()["pyproject.toml"].content
    block = text.split("dependencies = [\n", 1)[1].split("\n]", 1)[0]
    return [line.strip().rstrip(",").strip('"') for line in block.splitlines() if line.strip()]


def _halves(
    request: RenderRequest[ServiceIR],
) -> tuple[RenderRequest[RestIR], RenderRequest[StreamIR]]:
    """The requests the rest and stream packs render their halves from, under the service's package."""
    ir = request.ir
    api_label, events_label = _labels(request)
    return (
        RenderRequest(
            ir=ir.rest,
            target=request.target,
            spec_label=api_label,
            package=ir.package,
            options=request.options,
            templates=request.templates,
        ),
        RenderRequest(
            ir=ir.events,
            target=request.target,
            spec_label=events_label,
            package=ir.package,
            options=request.options,
            templates=request.templates,
        ),
    )


def plan_server(request: RenderRequest[ServiceIR]) -> WritePlan:
    """One project serving the REST API and its events in one app."""
    ir = request.ir
    pkg = ir.package
    api_label, events_label = _labels(request)
    rest_request, events_request = _halves(request)
    rest_plan = rest.plan_server(rest_request)
    events_plan = stream.plan_server(events_request)
    events_ctx = stream._context(events_request)
    ctx: dict[str, object] = {
        **rest._prepare(rest_request).context,
        "events_api": ir.events.api,
        "events_label": events_label,
        "spec_label": f"{api_label} + {events_label}",
        "target": request.target,
        "methods": ir.methods,
        "emitting": ir.emitting,
        "event_imports": sorted(
            {
                line.replace("from .models import", "from .events.models import")
                for m in ir.methods
                for line in m.imports
            }
        ),
        "handler_imports": sorted(
            {imp.line for e in ir.emitting for ref in refs_of(e.op) for imp in ref.imports}
        ),
        "event_modules": [
            name
            for name, used in (
                ("brokers", any(m.broker for m in ir.methods)),
                ("messages", bool(ir.emitting)),
                ("web", any(m.web for m in ir.methods)),
            )
            if used
        ],
        "env": events_ctx["env"],
        "has_web": events_ctx["has_web"],
        "has_brokers": bool(ir.events.routes),
        "extras": events_ctx["extras"],
        "uses_avro": events_ctx["uses_avro"],
    }
    asyncapi = json.dumps(ir.asyncapi, ensure_ascii=False, indent=1, default=str) + "\n"
    items = [
        RenderItem(template="pyproject.toml.jinja", path="pyproject.toml", context=ctx),
        RenderItem(template="README.md.jinja", path="README.md", context=ctx),
        RenderItem(template="__main__.py.jinja", path=f"{pkg}/__main__.py", context=ctx),
        RenderItem(template="emit.py.jinja", path=f"{pkg}/emit.py", context=ctx),
        RenderItem(template="service.py.jinja", path=f"{pkg}/service.py", context=ctx),
        RenderItem(template="events_init.py.jinja", path=f"{pkg}/events/__init__.py", context=ctx),
        RenderItem(
            template="handlers.py.jinja", path=f"{pkg}/handlers.py", owner=Owner.USER, context=ctx
        ),
        RenderItem(template="test_service.py.jinja", path="tests/test_service.py", context=ctx),
        RenderItem(template="asyncapi.html.jinja", path=f"{pkg}/asyncapi.html", context=ctx),
        RenderItem(
            template="rest-server/data/text.jinja",
            path=f"{pkg}/asyncapi.json",
            context={"text": asyncapi},
        ),
    ]
    env = make_environment("service", request.templates, shared=("rest-server",))
    own = render_plan(request.target, env, items)
    drop_rest = {"pyproject.toml", "README.md", f"{pkg}/__main__.py", f"{pkg}/handlers.py"}
    drop_events = {
        "pyproject.toml",
        "README.md",
        f"{pkg}/__main__.py",
        f"{pkg}/__init__.py",
        f"tests/test_{pkg}.py",
    }
    files = [
        *_move(rest_plan, pkg, pkg, drop_rest),
        *_move(events_plan, pkg, f"{pkg}/events", drop_events),
        *own.files,
    ]
    return WritePlan(request.target, tuple(sorted(files, key=lambda f: f.path)))


def plan_client(request: RenderRequest[ServiceIR]) -> WritePlan:
    """``client.rest`` and ``client.events`` of the service, over shared models."""
    ir = request.ir
    pkg = ir.package
    api_label, events_label = _labels(request)
    rest_request, events_request = _halves(request)
    rest_plan = rest.plan_client(rest_request)
    events_plan = stream.plan_client(events_request)
    ctx: dict[str, object] = {
        "api": ir.rest.api,
        "events_api": ir.events.api,
        "package": pkg,
        "spec_label": f"{api_label} + {events_label}",
        "target": request.target,
        "dependencies": sorted({*_dependencies(rest_plan), *_dependencies(events_plan)}),
        "has_brokers": bool(ir.events.routes),
    }
    items = [
        RenderItem(template="pyproject.toml.jinja", path="pyproject.toml", context=ctx),
        RenderItem(template="README.md.jinja", path="README.md", context=ctx),
        RenderItem(template="__init__.py.jinja", path=f"{pkg}/__init__.py", context=ctx),
        RenderItem(template="events_init.py.jinja", path=f"{pkg}/events/__init__.py", context=ctx),
        RenderItem(template="rest-server/data/empty.jinja", path=f"{pkg}/py.typed", context=ctx),
        RenderItem(template="test_client.py.jinja", path="tests/test_client.py", context=ctx),
    ]
    env = make_environment("service-client", request.templates, shared=("rest-server",))
    own = render_plan(request.target, env, items)
    drop = {"pyproject.toml", "README.md", f"{pkg}/py.typed"}
    files = [
        *_move(rest_plan, pkg, f"{pkg}/rest", drop, tests=False),
        *_move(events_plan, pkg, f"{pkg}/events", drop | {f"{pkg}/__init__.py"}, tests=False),
        *own.files,
    ]
    return WritePlan(request.target, tuple(sorted(files, key=lambda f: f.path)))
