"""Pure helpers of the schema builder: unions, nullability, names from pointers, defaults.

Nothing here walks the document; ``schema.py`` and its mixins call these.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from generator.ir.schema import EnumDecl, FieldArg, Import, ModelField, TypeKind, TypeRef, Value
from generator.literals import pyrepr, pystr, pystr_wrapped
from generator.load import Source
from generator.load.document import unescape_pointer
from generator.translate._schema_types import ANY, I_ANY, NONE, literal_of, merge_imports

__all__ = [
    "FIELD_RESERVED",
    "MISSING",
    "MODULE_RESERVED",
    "NOT_AN_OBJECT",
    "NOT_AN_OBJECT_TYPE",
    "also_non_object",
    "decls",
    "default_code",
    "description",
    "distinct_values",
    "is_annotation_only",
    "last_token",
    "make_field",
    "nullable_flag",
    "object_part",
    "plain_default",
    "union_of",
]

MODULE_RESERVED = frozenset(
    {
        "Annotated", "Any", "ApiModel", "BaseModel", "Callable", "ConfigDict", "Discriminator", "Enum",
        "Field", "Literal", "Tag", "TypeAlias", "annotations", "datetime", "uuid",
        "AfterValidator", "re", "re_pattern", "cast",
        "PATTERN_TIMEOUT", "StringConstraints", "contextvars", "pydantic_core", "regex", "time",
        "BeforeValidator", "CoreSchema", "GetCoreSchemaHandler", "NOT_NULL", "PydanticCustomError",
        "ValidationInfo", "WireEnum", "core_schema", "_FROM_ARRAY", "_FROM_TEXT", "_JSON_TYPE_MARK", "_integer",
        "_json_types", "_literal", "_not_null", "_text", "functools", "model_validator",
        "_off_the_wire", "_not_null_keys", "JSON_TYPES", "NotAnObject", "_JsonTypes", "_STRICT_TYPES",
        "_OPAQUE_KEYS",
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

MISSING: Any = object()

_I_NOT_NULL = (Import(module="typing", name="Annotated"),)
_I_CAST = (Import(module="typing", name="Any"), Import(module="typing", name="cast"))
_VALIDATE_DEFAULT = FieldArg(name="validate_default", python="True")
_NONE_DEFAULT = Value(python="None", raw=None)

NOT_AN_OBJECT = "NotAnObject"
"""The models.py alias of every JSON value but an object."""
NOT_AN_OBJECT_TYPE = TypeRef(
    kind=TypeKind.UNION,
    annotation="bool | int | float | str | list[Any] | None",
    imports=(I_ANY,),
    nullable=True,
)
_NOT_AN_OBJECT_REF = TypeRef(
    kind=TypeKind.ALIAS,
    annotation=NOT_AN_OBJECT,
    declarations=(NOT_AN_OBJECT,),
    nullable=True,
    name=NOT_AN_OBJECT,
    items=(NOT_AN_OBJECT_TYPE,),
)


def also_non_object(ref: TypeRef) -> TypeRef:
    """``ref`` (an object type) or any JSON value that is not an object: what a schema with
    ``properties`` and no ``type`` accepts. Keeps ``ref``'s name (the model it wraps)."""
    return TypeRef(
        kind=TypeKind.UNION,
        annotation=f"{ref.annotation} | {NOT_AN_OBJECT}",
        imports=ref.imports,
        declarations=tuple(sorted({*ref.declarations, NOT_AN_OBJECT})),
        nullable=True,
        name=ref.name,
        items=(ref, _NOT_AN_OBJECT_REF),
    )


def object_part(ref: TypeRef) -> TypeRef | None:
    """The object type a loose object (``also_non_object``) wraps; None for any other type."""
    if ref.kind is TypeKind.UNION and len(ref.items) == 2 and ref.items[1] == _NOT_AN_OBJECT_REF:
        return ref.items[0]
    return None


def distinct_values(values: list[Any]) -> list[Any]:
    """``values`` without repeats (equal and of the same type), first occurrences in order.

    Linear for the usual hashable values (an enum of every country or currency
    code is common), a scan for the rest; NaN is never a repeat, as it equals nothing.
    """
    out: list[Any] = []
    seen: set[tuple[type, Any]] = set()
    for v in values:
        key = (type(v), v)
        try:
            if key in seen:
                continue
        except TypeError:  # a list or an object: compared with what was kept
            if not any(v == d and type(v) is type(d) for d in out):
                out.append(v)
            continue
        if not (isinstance(v, float) and v != v):
            seen.add(key)
        out.append(v)
    return out


def make_field(
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
        if default is MISSING or default is None:
            value = _NONE_DEFAULT
            annotation = ptype.optional_annotation
            if not ptype.nullable:  # absent is fine, null is not: the spec does not allow it
                annotation = f"Annotated[{annotation}, NOT_NULL]"
                imports = _I_NOT_NULL
        else:
            value = Value(python=default_code(default, enum), raw=default)
    if value is not None and not plain_default(value, ptype, enum):
        # JSON data for a richer type (a datetime, a model...): pydantic validates it into
        # the field's type; typed Any so the assignment type-checks.
        args.append(FieldArg(name="default", python=f'cast("Any", {value.python})'))
        args.append(_VALIDATE_DEFAULT)
        imports += _I_CAST
    elif value is not None and (wire != name or isinstance(value.raw, (list, dict))):
        args.append(FieldArg(name="default", python=value.python))
    if wire != name:
        alias = pystr(wire)
        args.append(FieldArg(name="validation_alias", python=alias))
        args.append(FieldArg(name="serialization_alias", python=alias))
    if description:
        # Shown by /docs (the JSON Schema pydantic makes) and by editors.
        if value is not None and not (args and args[0].name == "default"):  # it comes first
            args.insert(0, FieldArg(name="default", python=value.python))
        args.append(FieldArg(name="description", python=pystr_wrapped(description)))
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


PLAIN: dict[str, tuple[type, ...]] = {
    "str": (str,),
    "int": (int,),
    "float": (int, float),
    "bool": (bool,),
    "Any": (object,),
}


def plain_default(value: Value, ptype: TypeRef, enum: EnumDecl | None) -> bool:
    """Whether the default is already of the field's Python type (so it type-checks as is)."""
    raw = value.raw
    if raw is None:
        return True
    if enum is not None:
        return value.python.startswith(f"{enum.name}.")
    return plain(raw, ptype)


def plain(raw: Any, ptype: TypeRef) -> bool:
    if ptype.kind is TypeKind.LITERAL:
        return isinstance(raw, (str, int))
    if ptype.kind is TypeKind.LIST and ptype.items:
        return isinstance(raw, list) and all(plain(v, ptype.items[0]) for v in raw)
    if ptype.kind is TypeKind.DICT and ptype.items:
        return isinstance(raw, dict) and all(plain(v, ptype.items[0]) for v in raw.values())
    if ptype.kind not in (TypeKind.PRIMITIVE, TypeKind.ANY):
        return False
    base = ptype.annotation.removesuffix(" | None")
    kinds = PLAIN.get(base)
    if kinds is None or (isinstance(raw, bool) and base not in ("bool", "Any")):
        return False
    return isinstance(raw, kinds)


def default_code(default: Any, enum: EnumDecl | None) -> str:
    if enum is not None:
        for member in enum.members:
            if member.value.raw == default and type(member.value.raw) is type(default):
                return f"{enum.name}.{member.name}"
    return pyrepr(default)


def union_of(members: list[TypeRef]) -> TypeRef:
    if len(members) == 1:  # the usual case (one JSON type): what the general path returns
        only = members[0]
        return ANY if only.kind is TypeKind.ANY else NONE if only.kind is TypeKind.NONE else only
    if any(m.kind is TypeKind.ANY for m in members):
        return ANY
    nullable = any(m.nullable for m in members)
    concrete = _merge_literals([m for m in members if m.kind is not TypeKind.NONE])
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
        declarations=decls(kept),
        items=tuple(kept),
    )
    return ref.as_nullable() if nullable else ref


def _merge_literals(members: list[TypeRef]) -> list[TypeRef]:
    """One ``Literal[...]`` (where the first stood) for every literal member: ``Literal[1, 2]``
    reads better than ``Literal[1] | Literal[2]``, and linters (PYI030) ask for it."""
    literals = [m for m in members if m.kind is TypeKind.LITERAL]
    if len(literals) < 2:
        return members
    merged = literal_of(tuple(dict.fromkeys(v for m in literals for v in m.values)))
    out: list[TypeRef] = []
    for m in members:
        if m.kind is not TypeKind.LITERAL:
            out.append(m)
        elif m is literals[0]:
            out.append(merged)
    return out


def decls(members: list[TypeRef]) -> tuple[str, ...]:
    return tuple(sorted({d for m in members for d in m.declarations}))


def nullable_flag(schema: Mapping[str, Any]) -> bool:
    if schema.get("nullable") is True or schema.get("x-nullable") is True:
        return True
    kind = schema.get("type")
    return isinstance(kind, list) and "null" in kind


def is_annotation_only(part: Any) -> bool:
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


def description(schema: Any) -> str:
    if not isinstance(schema, dict):
        return ""
    for key in ("description", "title"):
        text = schema.get(key)
        if isinstance(text, str) and text.strip():
            return text.strip()
    return ""


def last_token(pointer: str, source: Source) -> str:
    tokens = [t for t in pointer.split("/") if t]
    if tokens:
        return unescape_pointer(tokens[-1])
    return source.path.stem
