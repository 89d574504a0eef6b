"""The service and service-client targets: an OpenAPI + AsyncAPI pair -> one project.

The packs are composed, not copied: the rest pack renders the package
(routes, models, handlers), the stream pack renders ``<package>/events/``
(WebSocket/SSE endpoints, brokers, backplane), and templates/service adds
the glue: one ASGI app and lifespan, a typed ``Events`` object the REST
handlers emit through, and one ``__main__``. One type model: an AsyncAPI
schema with the name and shape of an OpenAPI one is imported from the
package's ``models`` instead of being declared again.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Iterable
from dataclasses import dataclass, replace

import jinja2

from generator.diagnostics import Diagnostic, Severity
from generator.errors import UsageError
from generator.ir.http import Operation as HttpOperation
from generator.ir.schema import Alias, Declaration, EnumDecl, Import, Model, TypeModel, TypeRef
from generator.ir.stream import Action, Parameter
from generator.load import Document
from generator.render import rest, stream
from generator.render.env import RenderItem, make_environment, render_plan
from generator.render.packs import templates_root
from generator.render.plan import Owner, PlannedFile, WritePlan
from generator.render.stream import OpView
from generator.render.targets import GenerateRequest

__all__ = ["EventMethod", "plan_client", "plan_server", "unify_types"]


@dataclass(frozen=True, slots=True, kw_only=True)
class EventMethod:
    """``Events.<name>``: one AsyncAPI send operation, to every destination of its channel."""

    name: str
    key: str
    annotation: str
    summary: str
    web: bool
    broker: bool
    parameters: tuple[Parameter, ...]
    examples: tuple[str, ...]  # the ``messages`` constants whose example() it emits
    imports: tuple[str, ...]  # import lines its annotation needs (as in the events package)


@dataclass(frozen=True, slots=True, kw_only=True)
class Emitting:
    """A REST operation whose default handler emits the examples of linked events."""

    op: HttpOperation
    events: tuple[EventMethod, ...]


def _pair(request: GenerateRequest) -> tuple[Document, Document, str, str]:
    """(OpenAPI document, AsyncAPI document, their labels), in either order given."""
    docs = [(request.doc, request.spec_label)]
    if request.companion is not None:
        docs.append((request.companion, request.companion_label))
    families = sorted(d.kind.family for d, _ in docs if d.kind is not None)
    if families != ["asyncapi", "openapi"]:
        raise UsageError(
            f"target {request.target} needs one OpenAPI and one AsyncAPI document "
            "(twinspec generate api.yaml events.yaml -t service -o DIR)"
        )
    (api, api_label), (events, events_label) = sorted(
        docs, key=lambda d: d[0].kind.family != "openapi" if d[0].kind else True
    )
    return api, events, api_label, events_label


def _shape(d: Declaration) -> Declaration:
    """A declaration without its prose: what "the same shape" compares."""
    if isinstance(d, Model):
        fields = tuple(replace(f, description="") for f in d.fields)
        return replace(d, description="", wire_name="", fields=fields)
    if isinstance(d, (EnumDecl, Alias)):
        return replace(d, description="", wire_name="")
    return d


def unify_types(
    rest_types: TypeModel, events_types: TypeModel, parent: str
) -> tuple[TypeModel, tuple[str, ...], tuple[str, ...]]:
    """The AsyncAPI type model minus what the OpenAPI one already declares.

    Returns (types, shared names, clashing names). A shared name is imported
    from ``parent`` (re-exported, so ``events.models.X is models.X``); a name
    both declare with different shapes stays in each module under its own
    qualified name.
    """
    shared: list[str] = []
    clashes: list[str] = []
    kept: list[Declaration] = []
    for d in events_types.declarations:
        other = rest_types.get(d.name)
        if other is not None and _shape(other) == _shape(d):
            shared.append(d.name)
        else:
            if other is not None:
                clashes.append(d.name)
            kept.append(d)
    imports = tuple(Import(module=parent, name=f"{n} as {n}") for n in shared)
    types = dataclasses.replace(
        events_types,
        declarations=tuple(kept),
        imports=tuple(sorted({*events_types.imports, *imports}, key=lambda i: i.line)),
    )
    return types, tuple(shared), tuple(clashes)


def _event_methods(context: dict[str, object]) -> list[EventMethod]:
    views: list[OpView] = list(context["views"])  # type: ignore[call-overload]
    web_ops = {v.op.key for w in context["web"] for v in w.outbound}  # type: ignore[attr-defined]
    broker_ops = {r.view.op.key for r in context["routes"] if not r.inbound}  # type: ignore[attr-defined]
    return [
        EventMethod(
            name=v.op.py_name,
            key=v.op.key,
            annotation=v.annotation,
            summary=v.op.summary or f"Send on channel {v.channel.key}.",
            web=v.op.key in web_ops,
            broker=v.op.key in broker_ops,
            parameters=v.channel.parameters,
            examples=tuple(m.py_name.upper() for m in v.messages),
            imports=tuple(line for m in v.messages for line in m.imports),
        )
        for v in views
        if v.op.action is Action.SEND and (v.op.key in web_ops or v.op.key in broker_ops)
    ]


def _refs(op: HttpOperation) -> Iterable[TypeRef]:
    """The types an operation's handler signature names."""
    yield from (p.type for p in op.parameters)
    if op.body is not None:
        yield op.body.type
    if op.success is not None:
        yield op.success.type


def _pointer(op: HttpOperation) -> str:
    path = op.path.replace("~", "~0").replace("/", "~1")
    return f"/paths/{path}/{op.method}/x-twinspec-emits"


def _emitting(
    api_doc: Document, ops: Iterable[HttpOperation], methods: list[EventMethod]
) -> tuple[list[Emitting], list[Diagnostic]]:
    by_key = {m.key: m for m in methods}
    found: list[Emitting] = []
    problems: list[Diagnostic] = []
    for op in ops:
        linked = []
        for key in op.emits:
            if key in by_key:
                linked.append(by_key[key])
            else:
                problems.append(
                    api_doc.diagnostic(
                        _pointer(op),
                        "service-unknown-emit",
                        f"operation {op.operation_id!r} emits {key!r}, which is no send "
                        "operation of the AsyncAPI document; ignored",
                        Severity.WARNING,
                    )
                )
        if linked:
            found.append(Emitting(op=op, events=tuple(linked)))
    return found, problems


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


def _environment(request: GenerateRequest, pack: str = "service") -> jinja2.Environment:
    """The pack's environment, which also reaches the rest and stream packs by prefix."""
    env = make_environment(pack, request.templates)
    if not env.globals.get("_service_packs"):  # the environment is shared: extend it once
        packs = {
            p: jinja2.FileSystemLoader(str(templates_root() / p))
            for p in ("rest-server", "stream-server", "rest-client")
        }
        assert env.loader is not None
        env.loader = jinja2.ChoiceLoader([env.loader, jinja2.PrefixLoader(packs)])
        env.globals["_service_packs"] = True
    return env


def plan_server(request: GenerateRequest) -> tuple[WritePlan, list[Diagnostic]]:
    """One project serving the REST API and its events in one app."""
    api_doc, events_doc, api_label, events_label = _pair(request)
    api_request = replace(request, doc=api_doc, spec_label=api_label, companion=None)
    rest_plan, diagnostics = rest.plan_server(api_request)
    api, rest_types, _ = rest._build(api_doc)
    package = next(f.path.split("/")[0] for f in rest_plan.files if f.path.endswith("/app.py"))
    events_request = replace(
        request, doc=events_doc, spec_label=events_label, companion=None, package=package
    )
    clashes: tuple[str, ...] = ()

    def share(types: TypeModel) -> TypeModel:
        nonlocal clashes
        unified, _shared, clashes = unify_types(rest_types, types, "..models")
        return unified

    events_plan, more = stream.plan_server(events_request, share)
    diagnostics += more + _clash_warnings(events_doc, clashes, package, package)
    _build, context = stream.stream_views(events_request)
    methods = _event_methods(context)
    emitting, problems = _emitting(api_doc, api.operations, methods)
    diagnostics += problems
    imports = sorted(
        {
            line.replace("from .models import", "from .events.models import")
            for m in methods
            for line in m.imports
        }
    )
    handler_imports = sorted(
        {imp.line for e in emitting for ref in _refs(e.op) for imp in ref.imports}
    )
    modules = [
        name
        for name, used in (
            ("brokers", any(m.broker for m in methods)),
            ("messages", bool(emitting)),
            ("web", any(m.web for m in methods)),
        )
        if used
    ]
    rest_ctx = rest._prepare(api_request)[0].context
    ctx: dict[str, object] = {
        **rest_ctx,
        "events_api": context["api"],
        "events_label": events_label,
        "spec_label": f"{api_label} + {events_label}",
        "target": request.target,
        "methods": methods,
        "emitting": emitting,
        "event_imports": imports,
        "handler_imports": handler_imports,
        "event_modules": modules,
        "has_web": context["has_web"],
        "has_brokers": bool(context["routes"]),
        "extras": context["extras"],
        "web": context["web"],
    }
    asyncapi_text = json.dumps(events_doc.data, ensure_ascii=False, indent=1, default=str) + "\n"
    items = [
        RenderItem(template="pyproject.toml.jinja", path="pyproject.toml", context=ctx),
        RenderItem(template="README.md.jinja", path="README.md", context=ctx),
        RenderItem(template="__main__.py.jinja", path=f"{package}/__main__.py", context=ctx),
        RenderItem(template="emit.py.jinja", path=f"{package}/emit.py", context=ctx),
        RenderItem(template="service.py.jinja", path=f"{package}/service.py", context=ctx),
        RenderItem(
            template="events_init.py.jinja", path=f"{package}/events/__init__.py", context=ctx
        ),
        RenderItem(
            template="handlers.py.jinja",
            path=f"{package}/handlers.py",
            owner=Owner.USER,
            context=ctx,
        ),
        RenderItem(template="test_service.py.jinja", path="tests/test_service.py", context=ctx),
        RenderItem(template="asyncapi.html.jinja", path=f"{package}/asyncapi.html", context=ctx),
        RenderItem(
            template="rest-server/data/text.jinja",
            path=f"{package}/asyncapi.json",
            context={"text": asyncapi_text},
        ),
    ]
    own = render_plan(request.target, _environment(request), items)
    drop_rest = {"pyproject.toml", "README.md", f"{package}/__main__.py", f"{package}/handlers.py"}
    drop_events = {
        "pyproject.toml",
        "README.md",
        f"{package}/__main__.py",
        f"{package}/__init__.py",
        f"tests/test_{package}.py",
    }
    files = [
        *_move(rest_plan, package, package, drop_rest),
        *_move(events_plan, package, f"{package}/events", drop_events),
        *own.files,
    ]
    return WritePlan(request.target, tuple(sorted(files, key=lambda f: f.path))), diagnostics


def plan_client(request: GenerateRequest) -> tuple[WritePlan, list[Diagnostic]]:
    """``client.rest`` and ``client.events`` of the service, over shared models."""
    api_doc, events_doc, api_label, events_label = _pair(request)
    base = rest._prepare(replace(request, doc=api_doc, companion=None))[0].package
    package = request.package or f"{base}_client"
    api_request = replace(
        request, doc=api_doc, spec_label=api_label, companion=None, package=package
    )
    rest_plan, diagnostics = rest.plan_client(api_request)
    api, rest_types, _ = rest._build(api_doc)
    events_request = replace(
        request, doc=events_doc, spec_label=events_label, companion=None, package=package
    )
    clashes: tuple[str, ...] = ()

    def share(types: TypeModel) -> TypeModel:
        nonlocal clashes
        unified, _shared, clashes = unify_types(rest_types, types, "..rest.models")
        return unified

    events_plan, more = stream.plan_client(events_request, share)
    diagnostics += more + _clash_warnings(events_doc, clashes, f"{package}.rest", package)
    _build, context = stream.stream_views(events_request, "client")
    deps = sorted(
        {
            *_dependencies(rest_plan),
            *_dependencies(events_plan),
        }
    )
    ctx: dict[str, object] = {
        "api": api,
        "package": package,
        "spec_label": f"{api_label} + {events_label}",
        "target": request.target,
        "dependencies": deps,
        "has_brokers": bool(context["routes"]),
    }
    items = [
        RenderItem(template="pyproject.toml.jinja", path="pyproject.toml", context=ctx),
        RenderItem(template="README.md.jinja", path="README.md", context=ctx),
        RenderItem(template="__init__.py.jinja", path=f"{package}/__init__.py", context=ctx),
        RenderItem(
            template="events_init.py.jinja", path=f"{package}/events/__init__.py", context=ctx
        ),
        RenderItem(
            template="rest-server/data/empty.jinja", path=f"{package}/py.typed", context=ctx
        ),
        RenderItem(template="test_client.py.jinja", path="tests/test_client.py", context=ctx),
    ]
    env = _environment(request, "service-client")
    own = render_plan(request.target, env, items)
    drop = {"pyproject.toml", "README.md", f"{package}/py.typed"}
    files = [
        *_move(rest_plan, package, f"{package}/rest", drop, tests=False),
        *_move(
            events_plan,
            package,
            f"{package}/events",
            drop | {f"{package}/__init__.py"},
            tests=False,
        ),
        *own.files,
    ]
    return WritePlan(request.target, tuple(sorted(files, key=lambda f: f.path))), diagnostics


def _dependencies(plan: WritePlan) -> list[str]:
    """The ``dependencies`` of a composed pack's pyproject.toml (one quoted string a line)."""
    text = plan.by_path()["pyproject.toml"].content
    block = text.split("dependencies = [\n", 1)[1].split("\n]", 1)[0]
    return [line.strip().rstrip(",").strip('"') for line in block.splitlines() if line.strip()]


def _clash_warnings(
    events_doc: Document, clashes: tuple[str, ...], api_module: str, package: str
) -> list[Diagnostic]:
    return [
        events_doc.diagnostic(
            "",
            "service-type-clash",
            f"schema {name!r} differs between the two documents: kept as "
            f"{api_module}.models.{name} (OpenAPI) and {package}.events.models.{name} (AsyncAPI)",
            Severity.WARNING,
        )
        for name in clashes
    ]
