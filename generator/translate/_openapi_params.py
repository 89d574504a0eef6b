"""A parameter's constraints lifted out of its type, for FastAPI's ``Query(ge=1, ...)``.

The type builder folds ``minimum``/``maxLength``... into ``Annotated[int, Field(...)]``;
a server parameter reads better, and FastAPI documents it, when the same
arguments sit on ``Query``/``Path``/``Header``/``Cookie`` over the bare type.
"""

from __future__ import annotations

from typing import Any

from generator.ir.schema import FieldArg, TypeKind, TypeRef
from generator.translate._schema_types import (
    annotated,
    length_args,
    number_args,
    primitive,
    schema_types,
)

__all__ = ["OPERATION_LOCALS", "split_constraints"]

OPERATION_LOCALS = (
    "self",
    "body",
    "client",
    "request",
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
