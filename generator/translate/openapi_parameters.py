"""Operation parameters: path-item and operation lists merged, each typed once.

``ParameterReader`` is the part of the OpenAPI builder (``translate.openapi``)
that reads ``parameters``. A parameter shared by many operations (a ``$ref``,
or the copy Swagger 2.0's upgrade puts in each) is translated once: see
``ParameterReader.parameter``. ``split_constraints`` lifts a parameter's
``minimum``/``maxLength``... out of its type, so FastAPI's ``Query(ge=1, ...)``
carries and documents them.
"""

from __future__ import annotations

import re
from dataclasses import fields
from typing import Any

from generator.diagnostics import join_pointer
from generator.ir.http import Parameter, ParamLocation, Shape, Style
from generator.ir.schema import FieldArg, TypeKind, TypeRef
from generator.naming import NameAllocator, fresh
from generator.translate._openapi_refs import Located, deref
from generator.translate._schema_types import (
    annotated,
    length_args,
    number_args,
    primitive,
    schema_types,
)
from generator.translate.json_values import as_dict, as_text
from generator.translate.openapi_payloads import PayloadReader

__all__ = ["OPERATION_LOCALS", "PATH_TEMPLATE", "ParameterReader", "split_constraints"]

PATH_TEMPLATE = re.compile(r"\{([^{}]+)\}")
"""A ``{name}`` in a path template."""

_DEFAULT_STYLE = {
    ParamLocation.PATH: Style.SIMPLE,
    ParamLocation.QUERY: Style.FORM,
    ParamLocation.HEADER: Style.SIMPLE,
    ParamLocation.COOKIE: Style.FORM,
}
_TOKEN = re.compile(r"[!#$%&'*+.^_`|~0-9A-Za-z-]+")  # RFC 9110 token: what a field name may be


class ParameterReader(PayloadReader):
    """Parameters of ``doc``'s operations; the builder sets both memos to ``{}``."""

    _param_memo: dict[tuple[int, str], dict[str, Any]]
    """Parameters (their fields but the Python name) by (source, content): shared ones ($ref'd,
    or copied into each operation as Swagger 2.0 paths are) are read once. Only a parameter
    that declared no type and warned about nothing is kept: then its translation depends on
    its content alone."""
    _item_params: dict[tuple[int, str], dict[tuple[str, str], Located]]
    """Each path item's own parameters, followed once for all its operations."""

    def parameter(self, loc: Located, op_name: str, names: NameAllocator) -> Parameter | None:
        """``loc``'s parameter, named by ``names``; memoised by content (see ``_param_memo``)."""
        raw = as_dict(loc.value)
        key = (id(loc.source), repr(raw))
        known = self._param_memo.get(key)
        if known is not None:  # dataclasses.replace costs twice this
            return Parameter(**known, py_name=fresh(names, known["wire_name"]))
        before = (len(self.diagnostics), self.types.footprint())
        made = self._parameter(loc, raw, op_name, names)
        if made is not None and before == (len(self.diagnostics), self.types.footprint()):
            self._param_memo[key] = {
                f.name: getattr(made, f.name) for f in fields(made) if f.name != "py_name"
            }
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
        content = as_dict(raw.get("content"))
        if schema is None and content:
            media = sorted(content)[0]
            schema = as_dict(content[media]).get("schema")
            schema_ptr = loc.pointer + join_pointer(("content", media, "schema"))
        resolved = deref(self.doc, schema, loc.source, schema_ptr) if schema is not None else None
        shape = Shape.SCALAR
        if resolved is not None:
            kind = as_dict(resolved.value).get("type")
            kinds = kind if isinstance(kind, list) else [kind]
            if "array" in kinds:
                shape = Shape.ARRAY
            elif "object" in kinds or "properties" in as_dict(resolved.value):
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
        bare, constraints = split_constraints(type_ref, None if content else as_dict(schema))
        return Parameter(
            wire_name=name,
            py_name=fresh(names, name),
            location=location,
            style=style,
            explode=explode,
            shape=shape,
            type=type_ref,
            required=required,
            description=as_text(raw.get("description"))
            or (as_text(as_dict(resolved.value).get("description")) if resolved else ""),
            deprecated=raw.get("deprecated") is True,
            example=raw.get("example"),
            default=None
            if required or resolved is None
            else as_dict(resolved.value).get("default"),
            encoded=bool(content),
            bare=bare,
            constraints=constraints,
        )

    def _declared(self, owner: Located) -> dict[tuple[str, str], Located]:
        """``owner``'s ``parameters`` list, each followed to its object, by ``(in, name)``."""
        found: dict[tuple[str, str], Located] = {}
        params = as_dict(owner.value).get("parameters")
        for i, raw in enumerate(params if isinstance(params, list) else []):
            loc = self.deref(raw, f"{owner.pointer}/parameters/{i}", owner)
            if loc is None or not isinstance(loc.value, dict):
                continue
            found[(str(loc.value.get("in")), str(loc.value.get("name")))] = loc
        return found

    def parameters(
        self, item: Located, op: Located, path: str, op_name: str, names: NameAllocator
    ) -> tuple[Parameter, ...]:
        """The parameters of ``op`` at ``path``: the path item's, overridden by the operation's."""
        shared = self._item_params.get((id(item.source), item.pointer))
        if shared is None:  # a path item's list is read once, not once per method
            shared = self._item_params[(id(item.source), item.pointer)] = self._declared(item)
        merged = {**shared, **self._declared(op)}
        out: list[Parameter] = []
        in_path = PATH_TEMPLATE.findall(path)
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


OPERATION_LOCALS = (
    "self",
    "body",
    "client",
    "request",
    "response",
    "result",
    "handlers",
    "runtime",
    "models",
    "handlers_of",
)
"""Names a generated router function or client method uses in its body: no parameter takes one."""


def split_constraints(tp: TypeRef, schema: Any) -> tuple[TypeRef | None, tuple[FieldArg, ...]]:
    """``(bare type, constraints)`` when ``tp`` is exactly ``bare`` + ``Field(**constraints)``.

    Anything else (a pattern, a nullable or named type, several JSON types) keeps
    its constraints in the type: ``(None, ())``.
    """
    if tp.kind is not TypeKind.PRIMITIVE or not isinstance(schema, dict) or "pattern" in schema:
        return None, ()
    types = schema_types(schema)
    if len(types) != 1 or types[0] not in ("integer", "number", "string"):
        return None, ()
    args = (
        length_args(schema, "minLength", "maxLength")
        if types[0] == "string"
        else number_args(schema)
    )
    fmt = schema.get("format")
    bare, _ = primitive(
        types[0], {"type": types[0], **({"format": fmt} if isinstance(fmt, str) else {})}
    )
    if not args or annotated(bare, args).annotation != tp.annotation:
        return None, ()
    return bare, tuple(args)
