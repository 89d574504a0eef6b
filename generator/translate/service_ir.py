"""An OpenAPI + AsyncAPI pair -> ``ServiceIR``: one type model, typed events, their links.

The service targets' translators (see ``render.targets``). The REST IR's
type model is the one type model: an AsyncAPI declaration with the name and
shape of a REST one is imported from it instead of being declared again; a
name both declare with different shapes stays in each module, with a warning.
``x-twinspec-emits`` of each REST operation is resolved to the AsyncAPI send
operations it names; an unknown id is a warning located in the OpenAPI document.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Iterator
from dataclasses import replace

from generator.diagnostics import Diagnostic, Severity, escape_pointer
from generator.errors import UsageError
from generator.ir.http import Operation
from generator.ir.schema import Alias, Declaration, EnumDecl, Import, Model, TypeModel, TypeRef
from generator.ir.service import Emitting, EventMethod, ServiceIR
from generator.ir.stream import Action
from generator.ir.stream_views import StreamIR
from generator.load import Document
from generator.naming import WINDOWS_DEVICE_NAMES, package_name, py_identifier
from generator.translate.rest_ir import translate_rest
from generator.translate.stream_ir import translate_client as stream_client
from generator.translate.stream_ir import translate_server as stream_server

__all__ = ["refs_of", "translate_client", "translate_server", "unify_types"]


def _pair(doc: Document, companion: Document) -> tuple[Document, Document, bool]:
    """(OpenAPI document, AsyncAPI document, whether the OpenAPI one came first)."""
    families = [d.kind.family if d.kind else "" for d in (doc, companion)]
    if sorted(families) != ["asyncapi", "openapi"]:
        raise UsageError(
            "the service targets need one OpenAPI and one AsyncAPI document "
            "(twinspec generate api.yaml events.yaml -t service -o DIR)"
        )
    if families[0] == "openapi":
        return doc, companion, True
    return companion, doc, False


def _package(requested: str | None, title: str) -> str:
    """The package name, as the REST packs derive it (given name, else the API's title)."""
    if requested and requested.isidentifier():
        return py_identifier(requested, "keep")
    name = package_name(requested or title)
    return name + "_api" if name.lower() in WINDOWS_DEVICE_NAMES else name


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
    """The AsyncAPI type model minus what the REST one already declares.

    Returns (types, shared names, clashing names). A shared name is imported
    from ``parent`` as an explicit re-export, so ``events.models.X is models.X``.
    """
    shared: list[str] = []
    clashes: list[str] = []
    kept: list[Declaration] = []
    for d in events_types.declarations:
        other = rest_types.get(d.name)
        if other is not None and _shape(other) == _shape(d):
            shared.append(d.name)
            continue
        if other is not None:
            clashes.append(d.name)
        kept.append(d)
    imports = {Import(module=parent, name=f"{n} as {n}") for n in shared}
    types = dataclasses.replace(
        events_types,
        declarations=tuple(kept),
        imports=tuple(sorted({*events_types.imports, *imports}, key=lambda i: i.line)),
    )
    return types, tuple(shared), tuple(clashes)


def _methods(events: StreamIR) -> list[EventMethod]:
    web_ops = {v.op.key for w in events.web for v in w.outbound}
    broker_ops = {r.view.op.key for r in events.routes if not r.inbound}
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
        for v in events.views
        if v.op.action is Action.SEND and (v.op.key in web_ops or v.op.key in broker_ops)
    ]


def refs_of(op: Operation) -> Iterator[TypeRef]:
    """The types an operation's handler signature names."""
    yield from (p.type for p in op.parameters)
    if op.body is not None:
        yield op.body.type
    if op.success is not None:
        yield op.success.type


def _emitting(
    api_doc: Document, ops: Iterable[Operation], methods: list[EventMethod]
) -> tuple[list[Emitting], list[Diagnostic]]:
    by_key = {m.key: m for m in methods}
    found: list[Emitting] = []
    problems: list[Diagnostic] = []
    for op in ops:
        linked = []
        for key in op.emits:
            if key in by_key:
                linked.append(by_key[key])
                continue
            problems.append(
                api_doc.diagnostic(
                    f"/paths/{escape_pointer(op.path)}/{op.method}/x-twinspec-emits",
                    "service-unknown-emit",
                    f"operation {op.operation_id!r} emits {key!r}, which is no send "
                    "operation of the AsyncAPI document; ignored",
                    Severity.WARNING,
                )
            )
        if linked:
            found.append(Emitting(op=op, events=tuple(linked)))
    return found, problems


def _translate(
    doc: Document, package: str | None, companion: Document, side: str
) -> tuple[ServiceIR, list[Diagnostic]]:
    api_doc, events_doc, api_first = _pair(doc, companion)
    rest, diagnostics = translate_rest(api_doc)
    base = _package(package, rest.api.title)
    # The client ends in ``_client`` (given name or not, as rest-client does): both installable together.
    pkg = base if side == "server" or base.endswith("_client") else f"{base}_client"
    stream = stream_server if side == "server" else stream_client
    events, more = stream(events_doc, pkg)
    parent = "..models" if side == "server" else "..rest.models"
    types, _shared, clashes = unify_types(rest.types, events.types, parent)
    events = replace(events, types=types)
    diagnostics += more
    rest_module = pkg if side == "server" else f"{pkg}.rest"
    diagnostics += [
        events_doc.diagnostic(
            "",
            "service-type-clash",
            f"schema {name!r} differs between the two documents: kept as "
            f"{rest_module}.models.{name} (OpenAPI) and {pkg}.events.models.{name} (AsyncAPI)",
            Severity.WARNING,
        )
        for name in clashes
    ]
    methods: list[EventMethod] = []
    emitting: list[Emitting] = []
    problems: list[Diagnostic] = []
    if side == "server":  # the client emits nothing: its links are the server's business
        methods = _methods(events)
        emitting, problems = _emitting(api_doc, rest.api.operations, methods)
    ir = ServiceIR(
        rest=rest,
        events=events,
        package=pkg,
        methods=tuple(methods),
        emitting=tuple(emitting),
        asyncapi=events_doc.data,
        api_first=api_first,
    )
    return ir, [*diagnostics, *problems]


def translate_server(
    doc: Document, package: str | None, companion: Document
) -> tuple[ServiceIR, list[Diagnostic]]:
    """The service: REST API, event channels and brokers in one application."""
    return _translate(doc, package, companion, "server")


def translate_client(
    doc: Document, package: str | None, companion: Document
) -> tuple[ServiceIR, list[Diagnostic]]:
    """Its client: ``rest`` and ``events`` over shared models."""
    return _translate(doc, package, companion, "client")
