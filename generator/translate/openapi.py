"""Stage 3 for OpenAPI: ``Document`` -> ``Api`` (the HTTP IR) plus the type model.

``build(doc)`` reads OpenAPI 3.0/3.1/3.2 directly and Swagger 2.0 through
``swagger2.upgrade``. It never raises for a user's document: whatever it cannot
make sense of (a parameter without a name, a security scheme that does not
exist) is skipped with a warning Diagnostic, and names that collide are
de-duplicated deterministically, so ``--allow-invalid`` output still runs.

The builder reads paths and operations here; parameters in
``openapi_parameters`` and bodies, responses and webhook/callback events in
``openapi_payloads`` (its base classes).
"""

from __future__ import annotations

from collections.abc import Iterator

from generator.diagnostics import Diagnostic, join_pointer
from generator.ir.http import (
    Api,
    Operation,
    Parameter,
    ParamLocation,
    SecurityScheme,
    Tag,
)
from generator.load import Document
from generator.naming import (
    APP_MODULE_NAMES,
    TEMPLATE_NAMES,
    WINDOWS_DEVICE_NAMES,
    NameAllocator,
    Scope,
    fresh,
    py_identifier,
)
from generator.translate import swagger2
from generator.translate._openapi_errors import ErrorContracts
from generator.translate._openapi_refs import Located
from generator.translate._openapi_security import requirements_of, schemes_of
from generator.translate._openapi_servers import base_path_of, servers_of
from generator.translate._openapi_types import TypeSink
from generator.translate.json_values import as_dict, as_text
from generator.translate.openapi_parameters import OPERATION_LOCALS, PATH_TEMPLATE, ParameterReader
from generator.translate.openapi_payloads import METHODS

__all__ = ["build"]

_IDEMPOTENT = {"get", "put", "delete", "options", "head", "trace"}
_RESERVED = (
    "router",
    "models",
    "runtime",
    "guard",
    "handlers_of",
    "create_app",
    "main",
    "httpx",
    "json",
    "datetime",
    "date",
    "time",
    "timedelta",
    "uuid",
    "decimal",
    "typing",
    "annotations",
)


CLASS_MEMBERS = ("close", "aclose", "events")
"""Members the classes holding one method per operation define themselves (the clients'
``close``/``aclose``, the service handlers' ``self.events``): no operation replaces one."""


def _consts(name: str) -> tuple[str, ...]:
    upper = name.upper()
    return (f"_{upper}", f"_{upper}_OK", f"_{upper}_REPLY")


def _emits(raw: object) -> tuple[str, ...]:
    """``x-twinspec-emits``: the AsyncAPI operation ids an operation triggers (others ignored)."""
    if isinstance(raw, str):
        raw = [raw]
    if not isinstance(raw, list):
        return ()
    return tuple(dict.fromkeys(x for x in raw if isinstance(x, str)))


class _Builder(ParameterReader):
    def __init__(self, doc: Document, types: TypeSink) -> None:
        self.doc = doc
        self.types = types
        self.diagnostics: list[Diagnostic] = []
        # Methods of the client classes and the ``_NAME``/``_NAME_OK``/``_NAME_REPLY`` constants
        # client.py prints per operation: two operations never meet after case conversion.
        self.op_names = NameAllocator(
            reserved=(*_RESERVED, *CLASS_MEMBERS), scope=Scope(TEMPLATE_NAMES), printed=_consts
        )
        self.event_names = NameAllocator()
        self.error_contracts = ErrorContracts(doc, types)
        self._param_memo = {}
        self._item_params = {}
        self._response_memo = {}

    # ------------------------------------------------------------------ operations

    def operations(self, schemes: dict[str, SecurityScheme]) -> Iterator[tuple[str, Operation]]:
        data = as_dict(self.doc.data)
        root_security = data.get("security")
        for path, raw_item in as_dict(data.get("paths")).items():
            if not path.startswith("/"):
                self.warn(
                    None,
                    join_pointer(("paths", path)),
                    "bad-path",
                    f"path {path!r} does not start with '/'; skipped",
                )
                continue
            item = self.deref(raw_item, join_pointer(("paths", path)))
            if item is None or not isinstance(item.value, dict):
                continue
            for method in METHODS:
                if not isinstance(item.value.get(method), dict):
                    continue
                op = Located(
                    item.value[method], item.source, item.pointer + join_pointer((method,))
                )
                yield self.operation(path, method, item, op, schemes, root_security)

    def operation(
        self,
        path: str,
        method: str,
        item: Located,
        op: Located,
        schemes: dict[str, SecurityScheme],
        root_security: object,
    ) -> tuple[str, Operation]:
        raw = op.value
        op_id = as_text(raw.get("operationId"))
        wanted = op_id or f"{method}_{path}"
        name = fresh(self.op_names, wanted)
        if op_id and name != py_identifier(wanted):
            self.warn(
                op,
                op.pointer + "/operationId",
                "dup-operation-name",
                f"operation name {py_identifier(wanted)!r} is taken; this one is {name!r}",
            )
        names = NameAllocator(reserved=OPERATION_LOCALS)
        params = self.parameters(item, op, path, name, names)
        body = None
        if "requestBody" in raw:
            body = self.body(raw["requestBody"], op.pointer + "/requestBody", op, f"{name}_body")
        success, errors = self.responses(op, name)
        security = requirements_of(raw.get("security", root_security), schemes, self, op)
        tags = raw.get("tags")
        tag = tags[0] if isinstance(tags, list) and tags and isinstance(tags[0], str) else "default"
        return tag, Operation(
            name=name,
            operation_id=op_id or name,
            method=method,
            path=path,
            route_path=_route_path(path, params),
            tag_module="",
            summary=as_text(raw.get("summary")),
            description=as_text(raw.get("description")),
            deprecated=raw.get("deprecated") is True,
            parameters=params,
            body=body,
            success=success,
            errors=errors,
            security=security,
            idempotent=method in _IDEMPOTENT,
            emits=_emits(raw.get("x-twinspec-emits")),
            error_contract=self.error_contracts.of(op),
        )

    # ------------------------------------------------------------------ the API

    def api(self) -> Api:
        data = as_dict(self.doc.data)
        info = as_dict(data.get("info"))
        schemes = schemes_of(self.doc, self)
        by_tag: dict[str, list[Operation]] = {}
        for tag, op in self.operations(schemes):
            by_tag.setdefault(tag, []).append(op)
        tag_docs = (
            {
                as_text(t.get("name")): as_text(t.get("description"))
                for t in data.get("tags", [])
                if isinstance(t, dict)
            }
            if isinstance(data.get("tags"), list)
            else {}
        )
        modules = NameAllocator(  # imported by name beside the templates' own imports
            reserved=(
                *WINDOWS_DEVICE_NAMES,
                *APP_MODULE_NAMES,
                "default_handlers",
                "handlers",
                "app",
                "security",
                "models",
                "runtime",
                "examples",
            )
        )
        tags = []
        for wire in sorted(by_tag):
            module = fresh(modules, wire)
            ops = tuple(op.in_module(module) for op in by_tag[wire])
            tags.append(
                Tag(
                    wire_name=wire,
                    module=module,
                    class_name=_class_name(module),
                    description=tag_docs.get(wire, ""),
                    operations=ops,
                )
            )
        servers = servers_of(data.get("servers"))
        return Api(
            title=as_text(info.get("title")) or "API",
            version=as_text(info.get("version")),
            description=as_text(info.get("description")),
            servers=servers,
            base_path=base_path_of(servers),
            security_schemes=tuple(schemes[k] for k in sorted(schemes)),
            tags=tuple(tags),
            events=tuple(self.events()),
        )


def _route_path(path: str, params: tuple[Parameter, ...]) -> str:
    keys = {p.wire_name: p.py_name for p in params if p.location is ParamLocation.PATH}
    return PATH_TEMPLATE.sub(lambda m: "{" + keys.get(m.group(1), "p") + "}", path)


def _class_name(module: str) -> str:
    return "".join(part[:1].upper() + part[1:] for part in module.split("_") if part) + "Api"


def build(doc: Document) -> tuple[Api, TypeSink, list[Diagnostic]]:
    """The HTTP IR and the type model of an OpenAPI (or Swagger 2.0) document."""
    if doc.kind is not None and doc.kind.major_minor == "2.0":
        doc = swagger2.upgrade(doc)
    types = TypeSink(doc)
    builder = _Builder(doc, types)
    api = builder.api()
    return api, types, [*builder.diagnostics, *types.diagnostics()]
