"""Object schemas -> pydantic models: ``allOf`` merged, fields named, defaults checked.

A mixin of ``TypeModelBuilder``: objects are queued when first met and built
by ``_drain`` afterwards, so a model that refers to itself (or a chain of
models thousands long) never recurses.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from generator.diagnostics import escape_pointer
from generator.ir.schema import Alias, Model, ModelField, TypeKind, TypeRef
from generator.load import Source
from generator.naming import NameAllocator, py_identifier
from generator.translate._schema_helpers import (
    FIELD_RESERVED,
    MISSING,
    NOT_AN_OBJECT,
    NOT_AN_OBJECT_TYPE,
    also_non_object,
    description,
    make_field,
)
from generator.translate._schema_state import BuilderState
from generator.translate._schema_types import ANY, MAX_DEPTH, merge_imports, schema_types
from generator.translate.examples import example_conforms

__all__ = ["Key", "ObjectsMixin", "Shape"]

_DOCUMENTED = frozenset({TypeKind.MODEL, TypeKind.ENUM, TypeKind.ALIAS})
"""Kinds of declared types, whose own docstring carries the schema's description."""

Key = tuple[int, str]


@dataclass(slots=True)
class Shape:
    """An object schema with its ``allOf`` parts merged; each property keeps its own file."""

    props: dict[str, tuple[Any, Source, str]] = field(default_factory=dict)
    required: set[str] = field(default_factory=set)
    additional: bool | tuple[Any, Source, str] = True
    explicit_additional: bool = False
    description: str = ""
    typed: bool = False  # some part names a ``type``: without one, non-objects are valid too


class ObjectsMixin(BuilderState):
    """Building models from object schemas; mixed into ``TypeModelBuilder``."""

    def _object(
        self,
        schema: dict[str, Any],
        source: Source,
        pointer: str,
        hint: str,
        depth: int,
        name: str | None,
    ) -> TypeRef:
        shape = Shape(description=description(schema))
        self._collect(schema, source, pointer, shape, set(), 0)
        if not shape.props:
            value = ANY
            if isinstance(shape.additional, tuple):
                extra, esource, epointer = shape.additional
                value = self._type(extra, esource, epointer, f"{hint}Value", depth + 1)
            ref = TypeRef(
                kind=TypeKind.DICT,
                annotation=f"dict[str, {value.annotation}]",
                imports=merge_imports(value.imports),
                declarations=value.declarations,
                items=(value,),
            )
        else:
            decl_name = name or self._names.fresh(hint, "pascal")
            self._queue.append((decl_name, hint, (shape, schema), source, pointer))
            ref = TypeRef(
                kind=TypeKind.MODEL, annotation=decl_name, declarations=(decl_name,), name=decl_name
            )
        return ref if shape.typed else self._loose(ref)

    def _loose(self, ref: TypeRef) -> TypeRef:
        """``ref`` or any non-object JSON value (the schema names no ``type``), ``NotAnObject``
        declared on first use."""
        if NOT_AN_OBJECT not in self._aliases:
            self._aliases[NOT_AN_OBJECT] = Alias(
                name=NOT_AN_OBJECT,
                wire_name="",
                type=NOT_AN_OBJECT_TYPE,
                description="Any JSON value but an object: a schema with properties and no"
                " ``type`` accepts these too (add ``type: object`` to the spec to refuse them).",
            )
        return also_non_object(ref)

    def _collect(
        self, schema: Any, source: Source, pointer: str, shape: Shape, seen: set[Key], depth: int
    ) -> None:
        """Merge ``schema`` (following ``$ref`` and ``allOf``) into ``shape``."""
        found = self._deref(schema, source, pointer)
        if found is None or depth > MAX_DEPTH:
            return
        schema, source, pointer = found
        key = (id(source), pointer)
        if key in seen or not isinstance(schema, dict):
            return
        seen.add(key)
        shape.typed |= bool(schema_types(schema))
        props = schema.get("properties")
        if isinstance(props, dict):
            into, base = shape.props, f"{pointer}/properties/"
            for wire, sub in props.items():
                if str(wire) not in into:  # the first definition wins (allOf)
                    into[str(wire)] = (sub, source, base + escape_pointer(wire))
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
            name, hint, (shape, schema), source, pointer = self._queue.popleft()
            self._models[name] = self._build_model(name, hint, shape, schema, source, pointer)

    def _default(
        self, own: dict[str, Any], target: dict[str, Any], sub: Any, source: Source, pointer: str
    ) -> Any:
        """The property's default, if it is valid for the property's schema (else a warning)."""
        holder = own if "default" in own else target if "default" in target else None
        if holder is None:
            return MISSING
        default = holder["default"]
        if default is not None and not example_conforms(self.doc, default, sub, source, pointer):
            self._warn(
                source,
                pointer + "/default",
                "invalid-default",
                f"default {default!r:.60} does not match the property's schema; not used",
            )
            return MISSING
        return default

    def _build_model(
        self,
        name: str,
        hint: str,
        shape: Shape,
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
        allocate, type_of, enums = names.allocate, self._type, self._enums  # ~10,000 fields
        for wire, (sub, ssource, spointer) in shape.props.items():
            own = sub if isinstance(sub, dict) else {}
            # a $ref is named after its target: no hint to make
            is_ref = isinstance(own.get("$ref"), str)
            hint = "" if is_ref else f"{name}{py_identifier(wire, 'pascal')}"
            ptype = type_of(sub, ssource, spointer, hint, 1)
            target = own  # written in place: the property's schema is its own target
            if is_ref:
                resolved = self._deref(sub, ssource, spointer)
                target = (
                    resolved[0] if resolved is not None and isinstance(resolved[0], dict) else {}
                )
            read_only = bool(own.get("readOnly") or target.get("readOnly"))
            write_only = bool(own.get("writeOnly") or target.get("writeOnly"))
            required = wire in shape.required and not read_only and not write_only
            text = description(own)
            if not text and target is not own and ptype.kind not in _DOCUMENTED:
                text = description(target)  # a named type documents itself, not every field
            fields.append(
                make_field(
                    allocate(wire, "snake"),
                    wire,
                    ptype,
                    required=required,
                    default=self._default(own, target, sub, ssource, spointer),
                    enum=enums.get(ptype.name) if ptype.kind is TypeKind.ENUM else None,
                    read_only=read_only,
                    write_only=write_only,
                    deprecated=bool(own.get("deprecated")),
                    description=text,
                )
            )
        for wire in sorted(shape.required - set(shape.props)):
            # Required but never defined: any JSON value, and it must be there (as the spec says).
            fields.append(
                make_field(
                    names.allocate(wire, "snake"),
                    wire,
                    ANY,
                    required=True,
                    default=MISSING,
                    enum=None,
                    read_only=False,
                    write_only=False,
                    deprecated=False,
                    description="",
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
