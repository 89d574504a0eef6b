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

from collections import deque
from typing import Any, Literal

from generator.diagnostics import Diagnostic, Severity, escape_pointer
from generator.ir.schema import Alias, EnumDecl, EnumMember, Model, TypeKind, TypeModel, TypeRef
from generator.load import Document, Source
from generator.load import open_in as _open_in
from generator.load.refs import RefError, resolve_ref
from generator.naming import TEMPLATE_NAMES, NameAllocator, Scope
from generator.translate._schema_helpers import (
    MODULE_RESERVED,
    description,
    is_annotation_only,
    last_token,
    nullable_flag,
    union_of,
)
from generator.translate._schema_kinds import KindsMixin
from generator.translate._schema_module import finish_module
from generator.translate._schema_objects import Key, ObjectsMixin
from generator.translate._schema_types import (
    ANY,
    MAX_DEPTH,
    NONE,
    PATTERN_HELPER,
    primitive,
    schema_types,
)
from generator.translate._schema_unions import UnionsMixin

__all__ = ["MODULE_RESERVED", "Dialect", "TypeModelBuilder"]

Dialect = Literal["swagger2", "oas30", "oas31", "asyncapi2", "asyncapi3"]

_REF_CHAIN = 10_000
_SCALARS = frozenset({"string", "integer", "number", "boolean"})
_COMPONENT_PLACES = (
    ("components", "schemas"),
    ("definitions",),
)


class TypeModelBuilder(ObjectsMixin, UnionsMixin, KindsMixin):
    """Collects the declarations a document's schemas need; see the module docstring."""

    def __init__(self, doc: Document, *, dialect: Dialect, scope: Scope | None = None) -> None:
        """Prepare names for every component schema so they do not depend on visiting order."""
        self.doc = doc
        self.dialect = dialect
        self.diagnostics: list[Diagnostic] = []
        # no template name shadowed; ``scope``: the module's other spec-derived names
        self._names = NameAllocator(MODULE_RESERVED | TEMPLATE_NAMES, scope=scope)
        self._planned: dict[Key, str] = {}
        self._done: dict[Key, TypeRef] = {}
        self._inline_done: dict[Key, TypeRef] = {}
        self._deref_cache: dict[tuple[int, str], tuple[Any, Source, str]] = {}
        self._building: set[Key] = set()
        self._queue: deque[tuple[str, str, Any, Source, str]] = deque()
        self._models: dict[str, Model] = {}
        self._enums: dict[str, EnumDecl] = {}
        self._aliases: dict[str, Alias] = {}
        self._members: dict[tuple[Any, ...], tuple[EnumMember, ...]] = {}
        self._uses_tag = False
        self._uses_pattern = False  # a type used anywhere (even outside models.py) needs re_pattern
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

    def footprint(self) -> tuple[int, int, int, int, int, bool]:
        """How much the model holds: a call that leaves it unchanged declared and named nothing
        and warned about nothing, so its result depends on the schema's content alone."""
        return (
            len(self._planned),
            len(self._models),
            len(self._enums),
            len(self._aliases),
            len(self.diagnostics),
            self._uses_tag,
        )

    def finish(self) -> TypeModel:
        """The declarations collected so far, in a valid and deterministic order."""
        self._drain()
        return finish_module(
            models=self._models,
            enums=self._enums,
            aliases=self._aliases,
            uses_tag=self._uses_tag,
            uses_pattern=self._uses_pattern,
            # OAS 3.0 and Swagger 2.0 read JSON Schema draft 4, where 1.0 is no integer
            integral_floats=self.dialect not in ("swagger2", "oas30"),
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
                    key = (id(self.doc.root), f"{prefix}/{escape_pointer(name)}")
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
        if not (isinstance(schema, dict) and isinstance(schema.get("$ref"), str)):
            return schema, source, pointer  # most schemas are written in place
        known = self._deref_cache.get((id(source), schema["$ref"]))
        if known is not None:  # every property that names a component asks again
            return known
        seen: set[Key] = set()
        failures: list[Diagnostic] = []
        opener = _open_in(self.doc, failures)
        walked: list[tuple[int, str]] = []
        while isinstance(schema, dict) and isinstance(schema.get("$ref"), str):
            cached = self._deref_cache.get((id(source), schema["$ref"]))
            if cached is not None:
                schema, source, pointer = cached
                break
            walked.append((id(source), schema["$ref"]))
            try:
                target = resolve_ref(
                    schema["$ref"],
                    source,
                    self.doc.root_dir,
                    opener,
                    allow_remote=self.doc.allow_remote_refs,
                    ref_map=self.doc.ref_map,
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
        for step in walked:  # long chains are walked once, not once per component on them
            self._deref_cache[step] = (schema, source, pointer)
        return schema, source, pointer

    # the walker ------------------------------------------------------------------

    def _type(self, schema: Any, source: Source, pointer: str, hint: str, depth: int) -> TypeRef:
        if depth > MAX_DEPTH:
            self._warn(source, pointer, "schema-too-deep", "schema nests too deeply; typed as Any")
            return ANY
        if isinstance(schema, dict) and isinstance(schema.get("$ref"), str):
            target = self._deref(schema, source, pointer)
            if target is None:
                return ANY
            value, tsource, tpointer = target
            ref = self._named(value, tsource, tpointer, last_token(tpointer, tsource), depth + 1)
            return ref.as_nullable() if nullable_flag(schema) else ref
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
            ref = self._alias(name, pointer, ref, description(schema))
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
        nullable = nullable_flag(schema)
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
        kind = schema.get("type")
        if (
            kind.__class__ is str
            and kind in _SCALARS
            and "const" not in schema
            and "enum" not in schema
            and "allOf" not in schema
            and "oneOf" not in schema
            and "anyOf" not in schema
        ):  # most schemas: one scalar type, nothing to combine (what the full walk ends in)
            return self._primitive(kind, schema, source, pointer)
        types = schema_types(schema)
        if "const" in schema:
            return self._enum(schema, [schema["const"]], source, pointer, hint, name, const=True)
        if isinstance(schema.get("enum"), list) and schema["enum"]:
            return self._enum(schema, schema["enum"], source, pointer, hint, name, const=False)
        all_of = schema.get("allOf")
        if isinstance(all_of, list) and all_of and not schema.get("properties"):
            single = [p for p in all_of if not is_annotation_only(p)]
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
                members.append(self._primitive(json_type, schema, source, pointer))
        return union_of(members)

    def _primitive(
        self, json_type: str, schema: dict[str, Any], source: Source, pointer: str
    ) -> TypeRef:
        ref, dropped = primitive(json_type, schema)
        if dropped is not None:
            self._warn(
                source,
                pointer + "/pattern",
                "pattern-dropped",
                f"pattern {dropped!r} is not valid for Python's re module; not enforced",
            )
        self._uses_pattern |= PATTERN_HELPER in ref.declarations
        return ref
