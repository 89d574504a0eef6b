"""Enums, aliases and arrays: the declarations that are not models or unions.

A mixin of ``TypeModelBuilder`` (see ``schema.py``): enums of strings or integers
become ``WireEnum`` classes (members made once per distinct list of values), a
named non-object schema becomes an alias, an array a ``list``/``tuple``.
"""

from __future__ import annotations

from typing import Any

from generator.ir.schema import Alias, EnumDecl, EnumMember, TypeKind, TypeRef, Value
from generator.literals import pyrepr
from generator.load import Source
from generator.naming import NameAllocator
from generator.translate._schema_helpers import decls, description, distinct_values
from generator.translate._schema_state import BuilderState
from generator.translate._schema_types import (
    ANY,
    NONE,
    annotated,
    length_args,
    literal,
    merge_imports,
)

__all__ = ["KindsMixin"]


class KindsMixin(BuilderState):
    """Building enums, aliases and arrays; mixed into ``TypeModelBuilder``."""

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
        distinct = distinct_values(values)
        has_null = any(v is None for v in distinct)
        concrete = [v for v in distinct if v is not None]
        if not concrete:
            return NONE
        if not const and all(isinstance(v, str) for v in concrete):
            ref = self._enum_decl(schema, concrete, "str", pointer, hint, name)
        elif not const and all(isinstance(v, int) and not isinstance(v, bool) for v in concrete):
            ref = self._enum_decl(schema, concrete, "int", pointer, hint, name)
        elif not const and all(
            isinstance(v, (int, float)) and not isinstance(v, bool) for v in concrete
        ):
            ref = self._enum_decl(schema, concrete, "float", pointer, hint, name)
        elif all(isinstance(v, (str, int)) for v in concrete):
            ref = literal(concrete)
        else:
            self._warn(
                source,
                pointer,
                "enum-not-modelled",
                "enum values are not all strings or all numbers; typed as Any",
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
        decl = EnumDecl(
            name=decl_name,
            wire_name=hint,
            base=base,
            members=self._enum_members(values),
            description=description(schema),
        )
        self._enums[decl_name] = decl
        return TypeRef(
            kind=TypeKind.ENUM, annotation=decl_name, declarations=(decl_name,), name=decl_name
        )

    def _enum_members(self, values: list[Any]) -> tuple[EnumMember, ...]:
        """The members for ``values`` (all ``str`` or all numbers), made once per distinct list.

        Big specs repeat long enums inline (every currency, every country), and
        member names depend on the values alone: keyed by each value and its type, so
        ``[1, 2]`` and ``[1.0, 2.0]`` (equal, differently printed) stay apart.
        """
        types = tuple(map(type, values))
        if float in types:  # not memoised: -0.0 equals 0.0 but prints otherwise
            return _members_of(values)
        key = (types, tuple(values))
        members = self._members.get(key)
        if members is None:
            members = self._members[key] = _members_of(values)
        return members

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
                declarations=decls(members),
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


def _members_of(values: list[Any]) -> tuple[EnumMember, ...]:
    names = NameAllocator()
    return tuple(
        EnumMember(name=names.allocate(str(v), "upper"), value=Value(python=pyrepr(v), raw=v))
        for v in values
    )
