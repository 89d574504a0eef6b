"""oneOf / anyOf -> unions, and pydantic discriminated unions when the spec names a discriminator.

A mixin of ``TypeModelBuilder``. A discriminated union is declared as an alias
in models.py: ``Annotated[Annotated[Cat, Tag("cat")] | ..., Discriminator(_tag_of(...))]``,
where the tag map accepts the ``mapping`` keys, the branch names and the
values each branch's own ``enum``/``const`` allows for the property.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from generator.ir.schema import Import, TypeKind, TypeRef
from generator.literals import pystr
from generator.load import Source
from generator.translate._schema_helpers import description, last_token, object_part, union_of
from generator.translate._schema_objects import Key, Shape
from generator.translate._schema_state import BuilderState
from generator.translate._schema_types import I_ANNOTATED

__all__ = ["UnionsMixin"]


class UnionsMixin(BuilderState):
    """Building unions; mixed into ``TypeModelBuilder``."""

    if TYPE_CHECKING:  # provided by TypeModelBuilder and ObjectsMixin

        def _alias(self, name: str, wire: str, ref: TypeRef, description: str) -> TypeRef: ...

        def _loose(self, ref: TypeRef) -> TypeRef: ...

        def _collect(
            self,
            schema: Any,
            source: Source,
            pointer: str,
            shape: Shape,
            seen: set[Key],
            depth: int,
        ) -> None: ...

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
        # Branches without a ``type`` accept every non-object: the union does once (anyOf),
        # or when only one branch does (oneOf: a value two branches take is refused).
        parts = [object_part(m) for m in members]
        loose = sum(p is not None for p in parts)
        members = [p or m for p, m in zip(parts, members, strict=True)]
        tagged = self._discriminated(schema, branches, members, source, pointer, hint, name)
        ref = tagged if tagged is not None else union_of(members)
        if loose and (key == "anyOf" or loose == 1) and ref.kind is not TypeKind.ANY:
            return self._loose(ref)
        return ref

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
            implicit = last_token(str(b["$ref"]).partition("#")[2], source)
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
            name or self._names.fresh(hint, "pascal"), pointer, union, description(schema)
        )
        return alias.as_nullable() if nullable else alias

    def _property_values(self, branch: Any, source: Source, pointer: str, prop: str) -> list[str]:
        """The string ``enum``/``const`` values a branch allows for property ``prop``."""
        shape = Shape()
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
        done = self._named(value, tsource, tpointer, last_token(tpointer, tsource), 0)
        return done.name if done.kind is TypeKind.MODEL else None
