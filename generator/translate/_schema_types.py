"""Small pieces of the schema builder: primitive types, constraints, ECMA patterns.

Kept apart from ``schema.py`` so the walker there reads as the decision tree
it is. Nothing here touches the document.
"""

from __future__ import annotations

import functools
import math
import re
from collections.abc import Mapping
from typing import Any

from generator.ir.schema import FieldArg, Import, TypeKind, TypeRef
from generator.literals import pyrepr

__all__ = [
    "ANY",
    "I_ANY",
    "MAX_DEPTH",
    "NONE",
    "PATTERN_HELPER",
    "annotated",
    "literal_of",
    "merge_imports",
    "number_args",
    "primitive",
    "python_pattern",
    "schema_types",
]

I_ANNOTATED = Import(module="typing", name="Annotated")
I_ANY = Import(module="typing", name="Any")
I_FIELD = Import(module="pydantic", name="Field")
I_LITERAL = Import(module="typing", name="Literal")
I_DATETIME = Import(module="datetime")
I_UUID = Import(module="uuid")

MAX_DEPTH = 64
"""Deepest inline nesting the builder follows before typing a schema as Any."""

ANY = TypeRef(kind=TypeKind.ANY, annotation="Any", imports=(I_ANY,), nullable=True)
NONE = TypeRef(kind=TypeKind.NONE, annotation="None", nullable=True)

_FORMATS: dict[str, tuple[str, tuple[Import, ...]]] = {
    "date-time": ("datetime.datetime", (I_DATETIME,)),
    "date": ("datetime.date", (I_DATETIME,)),
    "time": ("datetime.time", (I_DATETIME,)),
    "uuid": ("uuid.UUID", (I_UUID,)),
    "binary": ("bytes", ()),
}

_JSON_TYPES = ("string", "integer", "number", "boolean", "array", "object", "null")


def merge_imports(*groups: tuple[Import, ...]) -> tuple[Import, ...]:
    """The union of import groups, sorted."""
    nonempty = [g for g in groups if g]
    if not nonempty:
        return ()
    if len(nonempty) == 1 and len(nonempty[0]) == 1:  # one import: nothing to hash or sort
        return nonempty[0]
    # the same few Import objects recur: told apart by identity first, hashed (in Python) once
    return tuple(sorted(set({id(i): i for g in nonempty for i in g}.values())))


def schema_types(schema: Mapping[str, Any]) -> list[str]:
    """The JSON types a schema names (``type`` string or list), in a fixed order."""
    raw = schema.get("type")
    if isinstance(raw, str):  # the usual case: one type
        return ["string"] if raw == "file" else [raw] if raw in _JSON_TYPES else []
    names = raw if isinstance(raw, list) else []
    return [t for t in _JSON_TYPES if t in names]


def _is_number(value: object) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def number_args(schema: Mapping[str, Any]) -> list[FieldArg]:
    """``ge``/``gt``/``le``/``lt``/``multiple_of`` from a numeric schema (3.0 and 3.1 forms)."""
    args: list[FieldArg] = []
    for bound, strict_kw, loose_kw in (
        ("minimum", "gt", "ge"),
        ("maximum", "lt", "le"),
    ):
        exclusive_key = "exclusiveMinimum" if bound == "minimum" else "exclusiveMaximum"
        exclusive = schema.get(exclusive_key)
        value = schema.get(bound)
        if _is_number(exclusive):  # 3.1 / draft 6+: the bound itself
            args.append(FieldArg(name=strict_kw, python=pyrepr(exclusive)))
        elif _is_number(value):
            args.append(
                FieldArg(name=strict_kw if exclusive is True else loose_kw, python=pyrepr(value))
            )
    multiple = schema.get("multipleOf")
    if isinstance(multiple, (int, float)) and _is_number(multiple) and multiple > 0:
        args.append(FieldArg(name="multiple_of", python=pyrepr(multiple)))
    return args


def length_args(schema: Mapping[str, Any], low: str, high: str) -> list[FieldArg]:
    """``min_length``/``max_length`` from ``minLength``-style keywords."""
    args: list[FieldArg] = []
    for key, name in ((low, "min_length"), (high, "max_length")):
        value = schema.get(key)
        if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
            args.append(FieldArg(name=name, python=pyrepr(value)))
    return args


_NAMED_GROUP = re.compile(r"\(\?<(?![=!])")


def python_pattern(pattern: str) -> str | None:
    """An ECMA-262 ``pattern`` as a Python ``re`` pattern, or None if Python cannot compile it."""
    converted = _NAMED_GROUP.sub("(?P<", pattern)
    try:
        re.compile(converted)
    except (re.error, OverflowError, RecursionError, ValueError):
        return None
    return converted


PATTERN_HELPER = "re_pattern"
"""The models.py function that checks ``pattern`` in bounded time (Rust's engine, else ``regex``
with a timeout) wherever a type is used: never Python's backtracking ``re`` on input."""


def annotated(base: TypeRef, args: list[FieldArg], pattern: str | None = None) -> TypeRef:
    """``base`` constrained by ``Field(**args)`` and a bounded pattern check (unchanged without)."""
    if not args and pattern is None:
        return base
    metadata: list[str] = []
    imports: tuple[Import, ...] = (I_ANNOTATED,)
    declarations = base.declarations
    if args:
        metadata.append("Field(" + ", ".join(f"{a.name}={a.python}" for a in args) + ")")
        imports += (I_FIELD,)
    if pattern is not None:
        # Not Field(pattern=): pydantic's Rust engine rejects lookarounds and backreferences;
        # re_pattern picks the engine per pattern when the generated module is imported.
        metadata.append(f"{PATTERN_HELPER}({pyrepr(pattern)})")
        declarations = tuple(sorted({*declarations, PATTERN_HELPER}))
    return TypeRef(
        kind=base.kind,
        annotation=f"Annotated[{base.annotation}, {', '.join(metadata)}]",
        imports=merge_imports(base.imports, imports),
        declarations=declarations,
        nullable=base.nullable,
        items=base.items,
        format=base.format,
    )


_CONSTRAINTS = (
    "minLength",
    "maxLength",
    "pattern",
    "minimum",
    "maximum",
    "exclusiveMinimum",
    "exclusiveMaximum",
    "multipleOf",
)
"""Every keyword besides ``format`` and ``type`` that ``primitive`` reads."""


def primitive(json_type: str, schema: Mapping[str, Any]) -> tuple[TypeRef, str | None]:
    """The constrained Python type for one JSON primitive type; second: a dropped pattern.

    Memoised by the keywords it reads (each value with its type, so ``1`` is not ``1.0``
    or ``True``): a large spec repeats the same few string and integer schemas thousands of
    times. Floats (``-0.0`` equals ``0.0``) and unhashable values are built each time.
    """
    values = tuple(map(schema.get, _CONSTRAINTS))
    types = tuple(map(type, values))
    if float in types:
        return _primitive(json_type, schema)
    fmt = schema.get("format")
    key = (json_type, fmt if isinstance(fmt, str) else "", schema.get("type") == "file")
    try:
        return _primitive_memo(key, types, values)
    except TypeError:  # a list or an object where a number or string belongs
        return _primitive(json_type, schema)


@functools.lru_cache(maxsize=4096)
def _primitive_memo(
    key: tuple[str, str, bool], types: tuple[type, ...], values: tuple[Any, ...]
) -> tuple[TypeRef, str | None]:
    schema: dict[str, Any] = dict(zip(_CONSTRAINTS, values, strict=True))
    schema["format"] = key[1]
    schema["type"] = "file" if key[2] else None
    return _primitive(key[0], schema)


def _primitive(json_type: str, schema: Mapping[str, Any]) -> tuple[TypeRef, str | None]:
    fmt = schema.get("format") if isinstance(schema.get("format"), str) else ""
    assert isinstance(fmt, str)
    dropped: str | None = None
    if json_type == "string":
        if fmt in _FORMATS:
            annotation, imports = _FORMATS[fmt]
            ref = TypeRef(
                kind=TypeKind.PRIMITIVE, annotation=annotation, imports=imports, format=fmt
            )
            if annotation == "bytes":
                return annotated(ref, length_args(schema, "minLength", "maxLength")), None
            return ref, None
        if schema.get("type") == "file":
            return TypeRef(kind=TypeKind.PRIMITIVE, annotation="bytes", format="binary"), None
        args = length_args(schema, "minLength", "maxLength")
        pattern = schema.get("pattern")
        converted = python_pattern(pattern) if isinstance(pattern, str) else None
        if isinstance(pattern, str) and converted is None:
            dropped = pattern
        base = TypeRef(kind=TypeKind.PRIMITIVE, annotation="str", format=fmt)
        return annotated(base, args, converted), dropped
    if json_type in ("integer", "number"):
        name = "int" if json_type == "integer" else "float"
        return annotated(
            TypeRef(kind=TypeKind.PRIMITIVE, annotation=name, format=fmt), number_args(schema)
        ), None
    if json_type == "boolean":
        return TypeRef(kind=TypeKind.PRIMITIVE, annotation="bool"), None
    return NONE, None


def literal(values: list[object]) -> TypeRef:
    """``Literal[...]`` of JSON scalars (str, int, bool); None entries are left to nullability."""
    return literal_of(tuple(dict.fromkeys(pyrepr(v) for v in values)))


def literal_of(values: tuple[str, ...]) -> TypeRef:
    """``Literal[...]`` of already-rendered Python literals (``pyrepr`` output)."""
    return TypeRef(
        kind=TypeKind.LITERAL,
        annotation=f"Literal[{', '.join(values)}]",
        imports=(I_LITERAL,),
        values=values,
    )
