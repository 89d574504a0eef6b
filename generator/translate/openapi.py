"""Stage 3 for OpenAPI: ``Document`` -> ``Api`` (the HTTP IR) plus the type model.

``build(doc)`` reads OpenAPI 3.0/3.1/3.2 directly and Swagger 2.0 through
``swagger2.upgrade``. It never raises for a user's document: whatever it cannot
make sense of (a parameter without a name, a security scheme that does not
exist) is skipped with a warning Diagnostic, and names that collide are
de-duplicated deterministically, so ``--allow-invalid`` output still runs.

The builder reads paths, operations and parameters here; bodies, responses
and webhook/callback events in ``openapi_payloads`` (its base class).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import replace
from typing import Any

from generator.diagnostics import Diagnostic, escape_pointer
from generator.ir.http import (
    Api,
    Operation,
    Parameter,
    ParamLocation,
    SecurityScheme,
    Shape,
    Style,
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
from generator.translate._openapi_params import OPERATION_LOCALS, split_constraints
from generator.translate._openapi_refs import Located, deref
from generator.translate._openapi_security import requirements_of, schemes_of
from generator.translate._openapi_servers import base_path_of, servers_of
from generator.translate._openapi_types import TypeSink
from generator.translate.openapi_payloads import METHODS, PayloadReader

__all__ = ["build"]

_IDEMPOTENT = {"get", "put", "delete", "options", "head", "trace"}
_DEFAULT_STYLE = {
    ParamLocation.PATH: Style.SIMPLE,
    ParamLocation.QUERY: Style.FORM,
    ParamLocation.HEADER: Style.SIMPLE,
    ParamLocation.COOKIE: Style.FORM,
}
_TEMPLATE = re.compile(r"\{([^{}]+)\}")
_TOKEN = re.compile(r"[!#$%&'*+.^_`|~0-9A-Za-z-]+")  # RFC 9110 token: what a field name may be
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


def _dict(value: object) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _text(value: object) -> str:
    return value if isinstance(value, str) else ""


def _ptr(*tokens: str | int) -> str:
    return "".join("/" + escape_pointer(t) for t in tokens)


class _Builder(PayloadReader):
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
        self._param_memo: dict[tuple[int, str], Parameter] = {}
        """Parameters by (source, content): shared ones ($ref'd, or copied into each operation
        as Swagger 2.0 paths are) are read once. Only a parameter that declared no type and
        warned about nothing is kept: then its translation depends on its content alone."""

    # ------------------------------------------------------------------ parameters

    def parameter(self, loc: Located, op_name: str, names: NameAllocator) -> Parameter | None:
        """``loc``'s parameter, named by ``names``; memoised by content (see ``_param_memo``)."""
        raw = _dict(loc.value)
        key = (id(loc.source), repr(raw))
        made = self._param_memo.get(key)
        if made is not None:
            return replace(made, py_name=fresh(names, made.wire_name))
        warned, footprint = len(self.diagnostics), self.types.builder.footprint()
        made = self._parameter(loc, raw, op_name, names)
        if made is not None and (warned, footprint) == (
            len(self.diagnostics),
            self.types.builder.footprint(),
        ):
            self._param_memo[key] = made
        return made

    def _parameter(
        self, loc: Located, raw: dict[str, Any], op_name: str, names: NameAllocator
    ) -> Parameter | None:
        name, where = raw.get("name"), raw.get("in")
        try:
            location = ParamLocation(where)
        except ValueError:
            if where not in ("body", "formData"):
                self.warn(
                    loc,
                    loc.pointer,
                    "unsupported-parameter",
                    f"parameter location {where!r} is not supported; skipped",
                )
            return None
        if not isinstance(name, str) or not name:
            self.warn(
                loc, loc.pointer, "unsupported-parameter", "parameter without a name; skipped"
            )
            return None
        if location is ParamLocation.HEADER and name.lower() in (
            "accept",
            "content-type",
            "authorization",
        ):
            return None  # OpenAPI says these are ignored; the client sets them itself
        if location in (ParamLocation.HEADER, ParamLocation.COOKIE) and not _TOKEN.fullmatch(name):
            self.warn(
                loc,
                loc.pointer + "/name",
                "header-name-not-token",
                f"{where} name {name!r} is not an HTTP token; no client can send it, "
                "so the server always sees it absent",
            )
        schema, schema_ptr = raw.get("schema"), loc.pointer + "/schema"
        content = _dict(raw.get("content"))
        if schema is None and content:
            media = sorted(content)[0]
            schema = _dict(content[media]).get("schema")
            schema_ptr = loc.pointer + _ptr("content", media, "schema")
        resolved = deref(self.doc, schema, loc.source, schema_ptr) if schema is not None else None
        shape = Shape.SCALAR
        if resolved is not None:
            kind = _dict(resolved.value).get("type")
            kinds = kind if isinstance(kind, list) else [kind]
            if "array" in kinds:
                shape = Shape.ARRAY
            elif "object" in kinds or "properties" in _dict(resolved.value):
                shape = Shape.OBJECT
        if content:
            shape = Shape.SCALAR
        style_text = raw.get("style")
        try:
            style = Style(style_text) if style_text is not None else _DEFAULT_STYLE[location]
        except ValueError:
            style = _DEFAULT_STYLE[location]
        explode = raw.get("explode")
        if not isinstance(explode, bool):
            explode = style is Style.FORM
        required = bool(raw.get("required")) or location is ParamLocation.PATH
        hint = f"{op_name}_{name}"
        type_ref = (
            self.types.plain("str")
            if content or schema is None
            else self.types.type_for(schema, loc.source, schema_ptr, hint)
        )
        if shape is Shape.OBJECT and type_ref.annotation in ("Any", "str"):
            shape = Shape.SCALAR
        bare, constraints = split_constraints(type_ref, None if content else _dict(schema))
        return Parameter(
            wire_name=name,
            py_name=fresh(names, name),
            location=location,
            style=style,
            explode=explode,
            shape=shape,
            type=type_ref,
            required=required,
            description=_text(raw.get("description")),
            deprecated=raw.get("deprecated") is True,
            example=raw.get("example"),
            default=None if required or resolved is None else _dict(resolved.value).get("default"),
            encoded=bool(content),
            bare=bare,
            constraints=constraints,
        )

    def parameters(
        self, item: Located, op: Located, path: str, op_name: str, names: NameAllocator
    ) -> tuple[Parameter, ...]:
        merged: dict[tuple[str, str], Located] = {}
        for owner in (item, op):
            params = _dict(owner.value).get("parameters")
            for i, raw in enumerate(params if isinstance(params, list) else []):
                loc = self.deref(raw, owner.pointer + _ptr("parameters", i), owner)
                if loc is None or not isinstance(loc.value, dict):
                    continue
                key = (str(loc.value.get("in")), str(loc.value.get("name")))
                merged[key] = loc
        out: list[Parameter] = []
        in_path = _TEMPLATE.findall(path)
        for loc in merged.values():
            raw = loc.value
            if raw.get("in") == "path" and raw.get("name") not in in_path:
                self.warn(
                    loc,
                    loc.pointer,
                    "unused-path-parameter",
                    f"path parameter {raw.get('name')!r} is not in {path!r}; skipped",
                )
                continue
            param = self.parameter(loc, op_name, names)
            if param is not None:
                out.append(param)
        declared = {p.wire_name for p in out if p.location is ParamLocation.PATH}
        for missing in in_path:
            if missing not in declared:
                self.warn(
                    op,
                    op.pointer,
                    "undeclared-path-parameter",
                    f"{{{missing}}} in {path!r} is not declared; taken as a string",
                )
                out.append(
                    Parameter(
                        wire_name=missing,
                        py_name=fresh(names, missing),
                        location=ParamLocation.PATH,
                        style=Style.SIMPLE,
                        explode=False,
                        shape=Shape.SCALAR,
                        type=self.types.plain("str"),
                        required=True,
                        description="",
                        deprecated=False,
                        example=None,
                        default=None,
                    )
                )
        # Required before optional (Python signatures), spec order otherwise.
        return tuple(sorted(out, key=lambda p: not p.required))

    # ------------------------------------------------------------------ operations

    def operations(self, schemes: dict[str, SecurityScheme]) -> Iterator[tuple[str, Operation]]:
        data = _dict(self.doc.data)
        root_security = data.get("security")
        for path, raw_item in _dict(data.get("paths")).items():
            if not path.startswith("/"):
                self.warn(
                    None,
                    _ptr("paths", path),
                    "bad-path",
                    f"path {path!r} does not start with '/'; skipped",
                )
                continue
            item = self.deref(raw_item, _ptr("paths", path))
            if item is None or not isinstance(item.value, dict):
                continue
            for method in METHODS:
                if not isinstance(item.value.get(method), dict):
                    continue
                op = Located(item.value[method], item.source, item.pointer + _ptr(method))
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
        op_id = _text(raw.get("operationId"))
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
            summary=_text(raw.get("summary")),
            description=_text(raw.get("description")),
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
        data = _dict(self.doc.data)
        info = _dict(data.get("info"))
        schemes = schemes_of(self.doc, self)
        by_tag: dict[str, list[Operation]] = {}
        for tag, op in self.operations(schemes):
            by_tag.setdefault(tag, []).append(op)
        tag_docs = (
            {
                _text(t.get("name")): _text(t.get("description"))
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
            ops = tuple(_with_module(op, module) for op in by_tag[wire])
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
            title=_text(info.get("title")) or "API",
            version=_text(info.get("version")),
            description=_text(info.get("description")),
            servers=servers,
            base_path=base_path_of(servers),
            security_schemes=tuple(schemes[k] for k in sorted(schemes)),
            tags=tuple(tags),
            events=tuple(self.events()),
        )


def _with_module(op: Operation, module: str) -> Operation:
    return replace(op, tag_module=module)


def _route_path(path: str, params: tuple[Parameter, ...]) -> str:
    keys = {p.wire_name: p.py_name for p in params if p.location is ParamLocation.PATH}
    return _TEMPLATE.sub(lambda m: "{" + keys.get(m.group(1), "p") + "}", path)


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
