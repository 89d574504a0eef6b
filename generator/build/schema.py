"""JSON Schema (as found in an OpenAPI or AsyncAPI document) -> ``TypeModel``.

Usage, shared by every target::

    builder = TypeModelBuilder(doc, dialect="oas30")
    for name, schema in components:                 # declare the named schemas first
        builder.add_component(name, schema, doc.root, f"/components/schemas/{name}")
    body = builder.type_for(schema, source, pointer, name_hint="CreatePetRequest")
    body.annotation   # "Pet | None", "list[PetTagsItem]", "dict[str, Any]", ...
    types = builder.finish()                         # -> TypeModel for models.py
    builder.diagnostics                              # warnings for what was not modelled

Named schemas (components, definitions, anything reached through ``$ref``)
become declarations named after their last pointer token; inline objects,
enums and discriminated unions become declarations named by ``name_hint``.
Everything else stays inline. Models are built from a work queue, so deep
chains of references never recurse deeply; ``$ref`` chains are followed in a
loop. The builder never raises for a user's document: what it cannot model
becomes ``Any`` with a warning.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from generator.build._schema_module import finish_module
from generator.build._schema_types import (
    ANY,
    I_ANNOTATED,
    NONE,
    annotated,
    length_args,
    literal,
    merge_imports,
    primitive,
    schema_types,
)
from generator.build.examples import example_conforms
from generator.diagnostics import Diagnostic, Severity
from generator.ir.schema import (
    Alias,
    EnumDecl,
    EnumMember,
    FieldArg,
    Import,
    Model,
    ModelField,
    TypeKind,
    TypeModel,
    TypeRef,
    Value,
)
from generator.load import Document, Source
from generator.load import open_in as _open_in
from generator.load.refs import RefError, resolve_ref
from generator.naming import NameAllocator, py_identifier
from generator.render.filters import pyrepr, pystr

__all__ = ["MODULE_RESERVED", "Dialect", "TypeModelBuilder"]

Dialect = Literal["swagger2", "oas30", "oas31", "asyncapi2", "asyncapi3"]

MODULE_RESERVED = frozenset(
    {
        "Annotated", "Any", "ApiModel", "BaseModel", "Callable", "ConfigDict", "Discriminator", "Enum",
        "Field", "Literal", "Tag", "TypeAlias", "annotations", "datetime", "uuid",
        "AfterValidator", "re", "re_pattern", "cast",
    }
)  # fmt: skip
"""Names models.py imports; no declaration may take them."""

FIELD_RESERVED = MODULE_RESERVED | {
    "construct", "copy", "dict", "fields", "from_orm", "json", "model_computed_fields",
    "model_config", "model_construct", "model_copy", "model_dump", "model_dump_json",
    "model_extra", "model_fields", "model_fields_set", "model_json_schema",
    "model_parametrized_name", "model_post_init", "model_rebuild", "model_validate",
    "model_validate_json", "model_validate_strings", "parse_file", "parse_obj", "parse_raw",
    "schema", "schema_json", "update_forward_refs", "validate",
    # builtins that annotations use; other builtins (id, type, format) are fine as attributes
    "bool", "bytes", "float", "frozenset", "int", "list", "object", "set", "str", "tuple",
}  # fmt: skip
"""Attribute names a pydantic model already has; fields get another name and keep the wire one."""

_MAX_DEPTH = 64
_REF_CHAIN = 10_000
_COMPONENT_PLACES = (
    ("components", "schemas"),
    ("definitions",),
)

Key = tuple[int, str]


@dataclass(slots=True)
class _Shape:
    """An object schema with its ``allOf`` parts merged; each property keeps its own file."""

    props: dict[str, tuple[Any, Source, str]] = field(default_factory=dict)
    required: set[str] = field(default_factory=set)
    additional: bool | tuple[Any, Source, str] = True
    explicit_additional: bool = False
    description: str = ""


class TypeModelBuilder:
    """Collects the declarations a document's schemas need; see the module docstring."""

    def __init__(self, doc: Document, *, dialect: Dialect) -> None:
        """Prepare names for every component schema so they do not depend on visiting order."""
        self.doc = doc
        self.dialect = dialect
        self.diagnostics: list[Diagnostic] = []
        self._names = NameAllocator(MODULE_RESERVED)
        self._planned: dict[Key, str] = {}
        self._done: dict[Key, TypeRef] = {}
        self._inline_done: dict[Key, TypeRef] = {}
        self._building: set[Key] = set()
        self._queue: list[tuple[str, str, Any, Source, str]] = []
        self._models: dict[str, Model] = {}
        self._enums: dict[str, EnumDecl] = {}
        self._aliases: dict[str, Alias] = {}
        self._uses_tag = False
        self._plan_component_names()

    # public API ------------------------------------------------------------------

    def type_for(self, schema: object, source: Source, pointer: str, name_hint: str) -> TypeRef:
        """The type of ``schema`` found at ``pointer`` in ``source``."""
        try:
            ref = self._type(schema, source, pointer, name_hint or "Model", 0)
            self._drain()
        except RecursionError:
            self._warn(source, pointer, "schema-too-deep", "schema nests too deeply; typed as Any")
            return ANY
        return ref

    def add_component(self, name: str, schema: object, source: Source, pointer: str) -> TypeRef:
        """Declare a named schema (components/schemas, definitions) and return its type."""
        key = (id(source), pointer)
        if key not in self._planned and key not in self._done:
            self._planned[key] = self._names.fresh(name, "pascal")
        try:
            ref = self._named(schema, source, pointer, name, 0)
            self._drain()
        except RecursionError:
            self._warn(source, pointer, "schema-too-deep", "schema nests too deeply; typed as Any")
            return ANY
        return ref

    def finish(self) -> TypeModel:
        """The declarations collected so far, in a valid and deterministic order."""
        self._drain()
        return finish_module(
            models=self._models, enums=self._enums, aliases=self._aliases, uses_tag=self._uses_tag
        )

    # naming ----------------------------------------------------------------------

    def _plan_component_names(self) -> None:
        data = self.doc.data
        if not isinstance(data, dict):
            return
        for place in _COMPONENT_PLACES:
            node: Any = data
            for token in place:
                node = node.get(token) if isinstance(node, dict) else None
            if isinstance(node, dict):
                prefix = "/" + "/".join(place)
                for name in node:
                    key = (id(self.doc.root), f"{prefix}/{_escape(str(name))}")
                    self._planned.setdefault(key, self._names.fresh(str(name), "pascal"))

    def _declared_name(self, key: Key, hint: str) -> str:
        name = self._planned.get(key)
        if name is None:
            name = self._names.fresh(hint, "pascal")
            self._planned[key] = name
        return name

    # diagnostics -----------------------------------------------------------------

    def _warn(self, source: Source, pointer: str, code: str, message: str) -> None:
        self.diagnostics.append(
            self.doc.diagnostic(pointer, code, message, Severity.WARNING, source=source)
        )

    # references ------------------------------------------------------------------

    def _deref(self, schema: Any, source: Source, pointer: str) -> tuple[Any, Source, str] | None:
        """Follow a ``$ref`` chain to its end; None (with a warning) when it cannot be followed."""
        seen: set[Key] = set()
        failures: list[Diagnostic] = []
        opener = _open_in(self.doc, failures)
        while isinstance(schema, dict) and isinstance(schema.get("$ref"), str):
            try:
                target = resolve_ref(
                    schema["$ref"],
                    source,
                    self.doc.root_dir,
                    opener,
                    allow_remote=self.doc.allow_remote_refs,
                )
            except RefError as exc:
                self._warn(source, pointer + "/$ref", "unmodelled-ref", f"{exc}; typed as Any")
                return None
            key = (id(target.source), target.pointer)
            if key in seen or len(seen) > _REF_CHAIN:
                self._warn(source, pointer, "ref-cycle", "$ref chain loops; typed as Any")
                return None
            seen.add(key)
            schema, source, pointer = target.value, target.source, target.pointer
        return schema, source, pointer

    # the walker ------------------------------------------------------------------

    def _type(self, schema: Any, source: Source, pointer: str, hint: str, depth: int) -> TypeRef:
        if depth > _MAX_DEPTH:
            self._warn(source, pointer, "schema-too-deep", "schema nests too deeply; typed as Any")
            return ANY
        if isinstance(schema, dict) and isinstance(schema.get("$ref"), str):
            target = self._deref(schema, source, pointer)
            if target is None:
                return ANY
            value, tsource, tpointer = target
            ref = self._named(value, tsource, tpointer, _last_token(tpointer, tsource), depth + 1)
            return ref.as_nullable() if _nullable_flag(schema) else ref
        return self._inline(schema, source, pointer, hint, depth, name=None)

    def _named(self, schema: Any, source: Source, pointer: str, hint: str, depth: int) -> TypeRef:
        """The type of a schema that has a name of its own (a component or a ``$ref`` target)."""
        if isinstance(schema, dict) and isinstance(schema.get("$ref"), str):
            return self._type(schema, source, pointer, hint, depth)
        key = (id(source), pointer)
        done = self._done.get(key)
        if done is not None:
            return done
        if key in self._building:
            self._warn(
                source,
                pointer,
                "recursive-alias",
                "a non-object schema contains itself; typed as Any",
            )
            return ANY
        name = self._declared_name(key, hint)
        self._building.add(key)
        try:
            ref = self._inline(schema, source, pointer, hint, depth, name=name)
        finally:
            self._building.discard(key)
        if ref.name != name and ref.kind is not TypeKind.ANY:
            ref = self._alias(name, pointer, ref, _description(schema))
        self._done[key] = ref
        return ref

    def _inline(
        self, schema: Any, source: Source, pointer: str, hint: str, depth: int, name: str | None
    ) -> TypeRef:
        """The type of a schema written in place; ``name`` when it is to be declared under it."""
        if not isinstance(schema, dict):
            if not isinstance(schema, bool):
                self._warn(
                    source, pointer, "invalid-schema", "schema is not an object; typed as Any"
                )
            return ANY
        key = (id(source), pointer)
        if name is None and key in self._inline_done:
            return self._inline_done[key]
        nullable = _nullable_flag(schema)
        ref = self._dispatch(schema, source, pointer, hint, depth, name)
        ref = ref.as_nullable() if nullable else ref
        if name is None:
            self._inline_done[key] = ref
        return ref

    def _dispatch(
        self,
        schema: dict[str, Any],
        source: Source,
        pointer: str,
        hint: str,
        depth: int,
        name: str | None,
    ) -> TypeRef:
        types = schema_types(schema)
        if "const" in schema:
            return self._enum(schema, [schema["const"]], source, pointer, hint, name, const=True)
        if isinstance(schema.get("enum"), list) and schema["enum"]:
            return self._enum(schema, schema["enum"], source, pointer, hint, name, const=False)
        all_of = schema.get("allOf")
        if isinstance(all_of, list) and all_of and not schema.get("properties"):
            single = [p for p in all_of if not _is_annotation_only(p)]
            if len(single) == 1 and "type" not in schema:
                return self._type(
                    single[0], source, f"{pointer}/allOf/{all_of.index(single[0])}", hint, depth + 1
                )
        if isinstance(all_of, list) and all_of:
            return self._object(schema, source, pointer, hint, depth, name)
        for key in ("oneOf", "anyOf"):
            branches = schema.get(key)
            if isinstance(branches, list) and branches and not schema.get("properties"):
                return self._union(schema, key, branches, source, pointer, hint, depth, name)
        concrete = [t for t in types if t != "null"]
        objectish = "properties" in schema or "additionalProperties" in schema
        if concrete == ["object"] or (not concrete and objectish):
            return self._object(schema, source, pointer, hint, depth, name)
        arrayish = "items" in schema or "prefixItems" in schema
        if concrete == ["array"] or (not concrete and arrayish):
            return self._array(schema, source, pointer, hint, depth)
        if not concrete:
            return NONE if types == ["null"] else ANY
        members: list[TypeRef] = []
        for json_type in concrete:
            if json_type == "array":
                members.append(self._array(schema, source, pointer, hint, depth))
            elif json_type == "object":
                members.append(self._object(schema, source, pointer, hint, depth, None))
            else:
                ref, dropped = primitive(json_type, schema)
                if dropped is not None:
                    self._warn(
                        source,
                        pointer + "/pattern",
                        "pattern-dropped",
                        f"pattern {dropped!r} is not valid for Python's re module; not enforced",
                    )
                members.append(ref)
        return _union_of(members)

    # kinds -----------------------------------------------------------------------

    def _enum(
        self,
        schema: dict[str, Any],
        values: list[Any],
        source: Source,
        pointer: str,
        hint: str,
        name: str | None,
        *,
        const: bool,
    ) -> TypeRef:
        distinct: list[Any] = []
        for v in values:
            if not any(v == d and type(v) is type(d) for d in distinct):
                distinct.append(v)
        has_null = any(v is None for v in distinct)
        concrete = [v for v in distinct if v is not None]
        if not concrete:
            return NONE
        if not const and all(isinstance(v, str) for v in concrete):
            ref = self._enum_decl(schema, concrete, "str", pointer, hint, name)
        elif not const and all(isinstance(v, int) and not isinstance(v, bool) for v in concrete):
            ref = self._enum_decl(schema, concrete, "int", pointer, hint, name)
        elif all(isinstance(v, (str, int)) for v in concrete):
            ref = literal(concrete)
        else:
            self._warn(
                source,
                pointer,
                "enum-not-modelled",
                "enum values are not all strings or integers; typed as Any",
            )
            return ANY
        return ref.as_nullable() if has_null else ref

    def _enum_decl(
        self,
        schema: dict[str, Any],
        values: list[Any],
        base: str,
        pointer: str,
        hint: str,
        name: str | None,
    ) -> TypeRef:
        decl_name = name or self._names.fresh(hint, "pascal")
        members = NameAllocator()
        decl = EnumDecl(
            name=decl_name,
            wire_name=hint,
            base=base,
            members=tuple(
                EnumMember(
                    name=members.allocate(str(v), "upper"), value=Value(python=pyrepr(v), raw=v)
                )
                for v in values
            ),
            description=_description(schema),
        )
        self._enums[decl_name] = decl
        return TypeRef(
            kind=TypeKind.ENUM, annotation=decl_name, declarations=(decl_name,), name=decl_name
        )

    def _alias(self, name: str, wire: str, ref: TypeRef, description: str) -> TypeRef:
        self._aliases[name] = Alias(name=name, wire_name=wire, type=ref, description=description)
        return TypeRef(
            kind=TypeKind.ALIAS,
            annotation=name,
            declarations=(name,),
            nullable=ref.nullable,
            name=name,
            items=(ref,),
            format=ref.format,
        )

    def _array(
        self, schema: dict[str, Any], source: Source, pointer: str, hint: str, depth: int
    ) -> TypeRef:
        prefix = schema.get("prefixItems")
        items = schema.get("items")
        if isinstance(items, list):  # draft 4 tuple form
            prefix, items = items, schema.get("additionalItems", True)
        if (
            isinstance(prefix, list)
            and prefix
            and (items is False or schema.get("maxItems") == len(prefix))
        ):
            members = [
                self._type(p, source, f"{pointer}/prefixItems/{i}", f"{hint}Item{i + 1}", depth + 1)
                for i, p in enumerate(prefix)
            ]
            inner = ", ".join(m.annotation for m in members)
            return TypeRef(
                kind=TypeKind.TUPLE,
                annotation=f"tuple[{inner}]",
                imports=merge_imports(*(m.imports for m in members)),
                declarations=_decls(members),
                items=tuple(members),
            )
        item = ANY
        if isinstance(items, (dict, bool)) and items is not True:
            item = self._type(items, source, f"{pointer}/items", f"{hint}Item", depth + 1)
        ref = TypeRef(
            kind=TypeKind.LIST,
            annotation=f"list[{item.annotation}]",
            imports=item.imports,
            declarations=item.declarations,
            items=(item,),
        )
        return annotated(ref, length_args(schema, "minItems", "maxItems"))

    def _union(
        self,
        schema: dict[str, Any],
        key: str,
        branches: list[Any],
        source: Source,
        pointer: str,
        hint: str,
        depth: int,
        name: str | None,
    ) -> TypeRef:
        members = [
            self._type(b, source, f"{pointer}/{key}/{i}", f"{hint}Option{i + 1}", depth + 1)
            for i, b in enumerate(branches)
        ]
        tagged = self._discriminated(schema, branches, members, source, pointer, hint, name)
        if tagged is not None:
            return tagged
        return _union_of(members)

    def _discriminated(
        self,
        schema: dict[str, Any],
        branches: list[Any],
        members: list[TypeRef],
        source: Source,
        pointer: str,
        hint: str,
        name: str | None,
    ) -> TypeRef | None:
        """A pydantic discriminated union, when every branch is a ``$ref`` to a model."""
        disc = schema.get("discriminator")
        prop = (
            disc.get("propertyName")
            if isinstance(disc, dict)
            else disc
            if isinstance(disc, str)
            else None
        )
        if not isinstance(prop, str) or not prop:
            return None
        concrete = [
            (b, m) for b, m in zip(branches, members, strict=True) if m.kind is not TypeKind.NONE
        ]
        if not concrete or any(
            m.kind is not TypeKind.MODEL or m.nullable or not isinstance(b, dict) or "$ref" not in b
            for b, m in concrete
        ):
            return None
        mapping = disc.get("mapping") if isinstance(disc, dict) else None
        tags: dict[str, str] = {}
        by_model: dict[str, str] = {}
        for value, target in (mapping or {}).items() if isinstance(mapping, dict) else []:
            model = self._mapping_target(str(target), source, pointer)
            if model is not None and any(m.name == model for _, m in concrete):
                by_model.setdefault(model, str(value))
                tags[str(value)] = by_model[model]
        unique: dict[str, tuple[Any, TypeRef]] = {}
        for b, m in concrete:
            unique.setdefault(m.name, (b, m))
        concrete = list(unique.values())
        for b, m in concrete:
            implicit = _last_token(str(b["$ref"]).partition("#")[2], source)
            tag = by_model.setdefault(m.name, implicit)
            tags.setdefault(implicit, tag)
            # Real documents often rely on the branch's own enum/const for the property.
            for value in self._property_values(b, source, pointer, prop):
                tags.setdefault(value, tag)
        self._uses_tag = True
        choices = " | ".join(
            f"Annotated[{m.name}, Tag({pystr(by_model[m.name])})]" for _, m in concrete
        )
        tag_map = "{" + ", ".join(f"{pystr(k)}: {pystr(v)}" for k, v in sorted(tags.items())) + "}"
        union = TypeRef(
            kind=TypeKind.UNION,
            annotation=f"Annotated[{choices}, Discriminator(_tag_of({pystr(prop)}, {tag_map}))]",
            imports=(
                I_ANNOTATED,
                Import(module="pydantic", name="Discriminator"),
                Import(module="pydantic", name="Tag"),
            ),
            declarations=tuple(sorted({m.name for _, m in concrete})),
            items=tuple(m for _, m in concrete),
        )
        nullable = any(m.kind is TypeKind.NONE for m in members)
        alias = self._alias(
            name or self._names.fresh(hint, "pascal"), pointer, union, _description(schema)
        )
        return alias.as_nullable() if nullable else alias

    def _property_values(self, branch: Any, source: Source, pointer: str, prop: str) -> list[str]:
        """The string ``enum``/``const`` values a branch allows for property ``prop``."""
        shape = _Shape()
        self._collect(branch, source, pointer, shape, set(), 0)
        if prop not in shape.props:
            return []
        found = self._deref(*shape.props[prop])
        schema = found[0] if found is not None else None
        if not isinstance(schema, dict):
            return []
        values = [schema["const"]] if "const" in schema else schema.get("enum")
        return [v for v in values if isinstance(v, str)] if isinstance(values, list) else []

    def _mapping_target(self, target: str, source: Source, pointer: str) -> str | None:
        ref = (
            target
            if "#" in target or "/" in target or target.endswith((".yaml", ".yml", ".json"))
            else (
                f"#/components/schemas/{target}"
                if self.dialect not in ("swagger2",)
                else f"#/definitions/{target}"
            )
        )
        found = self._deref({"$ref": ref}, source, pointer + "/discriminator/mapping")
        if found is None:
            return None
        value, tsource, tpointer = found
        done = self._named(value, tsource, tpointer, _last_token(tpointer, tsource), 0)
        return done.name if done.kind is TypeKind.MODEL else None

    # objects ---------------------------------------------------------------------

    def _object(
        self,
        schema: dict[str, Any],
        source: Source,
        pointer: str,
        hint: str,
        depth: int,
        name: str | None,
    ) -> TypeRef:
        shape = _Shape(description=_description(schema))
        self._collect(schema, source, pointer, shape, set(), 0)
        if not shape.props:
            value = ANY
            if isinstance(shape.additional, tuple):
                extra, esource, epointer = shape.additional
                value = self._type(extra, esource, epointer, f"{hint}Value", depth + 1)
            return TypeRef(
                kind=TypeKind.DICT,
                annotation=f"dict[str, {value.annotation}]",
                imports=merge_imports(value.imports),
                declarations=value.declarations,
                items=(value,),
            )
        decl_name = name or self._names.fresh(hint, "pascal")
        self._queue.append((decl_name, hint, (shape, schema), source, pointer))
        return TypeRef(
            kind=TypeKind.MODEL, annotation=decl_name, declarations=(decl_name,), name=decl_name
        )

    def _collect(
        self, schema: Any, source: Source, pointer: str, shape: _Shape, seen: set[Key], depth: int
    ) -> None:
        """Merge ``schema`` (following ``$ref`` and ``allOf``) into ``shape``."""
        found = self._deref(schema, source, pointer)
        if found is None or depth > _MAX_DEPTH:
            return
        schema, source, pointer = found
        key = (id(source), pointer)
        if key in seen or not isinstance(schema, dict):
            return
        seen.add(key)
        props = schema.get("properties")
        if isinstance(props, dict):
            for wire, sub in props.items():
                shape.props.setdefault(
                    str(wire), (sub, source, f"{pointer}/properties/{_escape(str(wire))}")
                )
        required = schema.get("required")
        if isinstance(required, list):
            shape.required.update(str(r) for r in required if isinstance(r, str))
        if "additionalProperties" in schema:
            extra = schema["additionalProperties"]
            if extra is False:
                shape.additional = False
                shape.explicit_additional = True
            elif isinstance(extra, dict) and extra and not shape.explicit_additional:
                shape.additional = (extra, source, f"{pointer}/additionalProperties")
        all_of = schema.get("allOf")
        if isinstance(all_of, list):
            for i, part in enumerate(all_of):
                self._collect(part, source, f"{pointer}/allOf/{i}", shape, seen, depth + 1)

    def _drain(self) -> None:
        while self._queue:
            name, hint, (shape, schema), source, pointer = self._queue.pop(0)
            self._models[name] = self._build_model(name, hint, shape, schema, source, pointer)

    def _default(
        self, own: dict[str, Any], target: dict[str, Any], sub: Any, source: Source, pointer: str
    ) -> Any:
        """The property's default, if it is valid for the property's schema (else a warning)."""
        holder = own if "default" in own else target if "default" in target else None
        if holder is None:
            return _MISSING
        default = holder["default"]
        if default is not None and not example_conforms(self.doc, default, sub, source, pointer):
            self._warn(
                source,
                pointer + "/default",
                "invalid-default",
                f"default {default!r:.60} does not match the property's schema; not used",
            )
            return _MISSING
        return default

    def _build_model(
        self,
        name: str,
        hint: str,
        shape: _Shape,
        schema: dict[str, Any],
        source: Source,
        pointer: str,
    ) -> Model:
        names = NameAllocator(FIELD_RESERVED, avoid_builtins=False)
        # A wire name that is already a good identifier keeps it; no other field may take it,
        # or pydantic would read that key for both fields.
        for wire in shape.props:
            if py_identifier(wire, "snake") == wire and wire not in FIELD_RESERVED:
                names.allocate(wire, "snake")
        fields: list[ModelField] = []
        for wire, (sub, ssource, spointer) in shape.props.items():
            ptype = self._type(sub, ssource, spointer, f"{name}{py_identifier(wire, 'pascal')}", 1)
            resolved = self._deref(sub, ssource, spointer)
            target = resolved[0] if resolved is not None and isinstance(resolved[0], dict) else {}
            own = sub if isinstance(sub, dict) else {}
            read_only = bool(own.get("readOnly") or target.get("readOnly"))
            write_only = bool(own.get("writeOnly") or target.get("writeOnly"))
            required = wire in shape.required and not read_only and not write_only
            fields.append(
                _field(
                    names.allocate(wire, "snake"),
                    wire,
                    ptype,
                    required=required,
                    default=self._default(own, target, sub, ssource, spointer),
                    enum=self._enums.get(ptype.name) if ptype.kind is TypeKind.ENUM else None,
                    read_only=read_only,
                    write_only=write_only,
                    deprecated=bool(own.get("deprecated")),
                    description=_description(own) or _description(target),
                )
            )
        extra = "forbid" if shape.additional is False else "allow"
        return Model(
            name=name,
            wire_name=hint,
            fields=tuple(fields),
            extra=extra,
            description=shape.description,
            deprecated=bool(schema.get("deprecated")),
        )


_MISSING: Any = object()


def _field(
    name: str,
    wire: str,
    ptype: TypeRef,
    *,
    required: bool,
    default: Any,
    enum: EnumDecl | None,
    read_only: bool,
    write_only: bool,
    deprecated: bool,
    description: str,
) -> ModelField:
    args: list[FieldArg] = []
    imports: tuple[Import, ...] = ()
    value: Value | None = None
    annotation = ptype.annotation
    if not required:
        if default is _MISSING or default is None:
            value = Value(python="None", raw=None)
            annotation = ptype.optional_annotation
        else:
            value = Value(python=_default_code(default, enum), raw=default)
    if value is not None and not _plain_default(value, ptype, enum):
        # JSON data for a richer type (a datetime, a model...): pydantic validates it into
        # the field's type; typed Any so the assignment type-checks.
        args.append(FieldArg(name="default", python=f'cast("Any", {value.python})'))
        args.append(FieldArg(name="validate_default", python="True"))
        imports = (Import(module="typing", name="Any"), Import(module="typing", name="cast"))
    elif value is not None and (wire != name or isinstance(value.raw, (list, dict))):
        args.append(FieldArg(name="default", python=value.python))
    if wire != name:
        args.append(FieldArg(name="validation_alias", python=pystr(wire)))
        args.append(FieldArg(name="serialization_alias", python=pystr(wire)))
    return ModelField(
        name=name,
        wire_name=wire,
        type=ptype,
        annotation=annotation,
        required=required,
        nullable=ptype.nullable,
        default=value,
        args=tuple(args),
        imports=imports,
        description=description,
        read_only=read_only,
        write_only=write_only,
        deprecated=deprecated,
    )


_PLAIN: dict[str, tuple[type, ...]] = {
    "str": (str,),
    "int": (int,),
    "float": (int, float),
    "bool": (bool,),
    "Any": (object,),
}


def _plain_default(value: Value, ptype: TypeRef, enum: EnumDecl | None) -> bool:
    """Whether the default is already of the field's Python type (so it type-checks as is)."""
    raw = value.raw
    if raw is None:
        return True
    if enum is not None:
        return value.python.startswith(f"{enum.name}.")
    return _plain(raw, ptype)


def _plain(raw: Any, ptype: TypeRef) -> bool:
    if ptype.kind is TypeKind.LITERAL:
        return isinstance(raw, (str, int))
    if ptype.kind is TypeKind.LIST and ptype.items:
        return isinstance(raw, list) and all(_plain(v, ptype.items[0]) for v in raw)
    if ptype.kind is TypeKind.DICT and ptype.items:
        return isinstance(raw, dict) and all(_plain(v, ptype.items[0]) for v in raw.values())
    if ptype.kind not in (TypeKind.PRIMITIVE, TypeKind.ANY):
        return False
    base = ptype.annotation.removesuffix(" | None")
    kinds = _PLAIN.get(base)
    if kinds is None or (isinstance(raw, bool) and base not in ("bool", "Any")):
        return False
    return isinstance(raw, kinds)


def _default_code(default: Any, enum: EnumDecl | None) -> str:
    if enum is not None:
        for member in enum.members:
            if member.value.raw == default and type(member.value.raw) is type(default):
                return f"{enum.name}.{member.name}"
    return pyrepr(default)


def _union_of(members: list[TypeRef]) -> TypeRef:
    if any(m.kind is TypeKind.ANY for m in members):
        return ANY
    nullable = any(m.nullable for m in members)
    concrete = [m for m in members if m.kind is not TypeKind.NONE]
    seen: list[str] = []
    kept: list[TypeRef] = []
    for m in concrete:
        base = (
            m.annotation.removesuffix(" | None")
            if m.nullable and m.kind is not TypeKind.ALIAS
            else m.annotation
        )
        if base not in seen:
            seen.append(base)
            kept.append(m)
    if not kept:
        return NONE
    if len(kept) == 1:
        only = kept[0]
        return only.as_nullable() if nullable else only
    ref = TypeRef(
        kind=TypeKind.UNION,
        annotation=" | ".join(seen),
        imports=merge_imports(*(m.imports for m in kept)),
        declarations=_decls(kept),
        items=tuple(kept),
    )
    return ref.as_nullable() if nullable else ref


def _decls(members: list[TypeRef]) -> tuple[str, ...]:
    return tuple(sorted({d for m in members for d in m.declarations}))


def _nullable_flag(schema: Mapping[str, Any]) -> bool:
    if schema.get("nullable") is True or schema.get("x-nullable") is True:
        return True
    kind = schema.get("type")
    return isinstance(kind, list) and "null" in kind


def _is_annotation_only(part: Any) -> bool:
    """An ``allOf`` part that only documents (description, nullable...), adding no structure."""
    return isinstance(part, dict) and not (
        {
            "$ref",
            "type",
            "properties",
            "allOf",
            "oneOf",
            "anyOf",
            "items",
            "enum",
            "const",
            "additionalProperties",
        }
        & set(part)
    )


def _description(schema: Any) -> str:
    if not isinstance(schema, dict):
        return ""
    for key in ("description", "title"):
        text = schema.get(key)
        if isinstance(text, str) and text.strip():
            return text.strip()
    return ""


def _escape(token: str) -> str:
    return token.replace("~", "~0").replace("/", "~1")


def _last_token(pointer: str, source: Source) -> str:
    tokens = [t for t in pointer.split("/") if t]
    if tokens:
        return tokens[-1].replace("~1", "/").replace("~0", "~")
    return source.path.stem
