"""Order the collected declarations into a module and work out its imports.

Enums come first (model defaults use their members), then models sorted by
name (their annotations are lazy: models.py uses ``from __future__ import
annotations`` and calls ``model_rebuild()`` at the end), then aliases in
dependency order (an alias is evaluated when the module runs, so what it
names must already exist).
"""

from __future__ import annotations

from generator.ir.schema import Alias, Declaration, EnumDecl, Import, Model, TypeModel
from generator.translate._schema_types import PATTERN_HELPER, merge_imports

__all__ = ["finish_module"]

_MODEL_IMPORTS = (
    Import(module="pydantic", name="BaseModel"),
    Import(module="pydantic", name="ConfigDict"),
)
_JSON_TYPES = (
    Import(module="collections.abc", name="Callable"),
    Import(module="typing", name="Any"),
    Import(module="typing", name="cast"),
    Import(module="pydantic", name="GetCoreSchemaHandler"),
    Import(module="pydantic_core", name="CoreSchema"),
    Import(module="pydantic_core", name="PydanticCustomError"),
    Import(module="pydantic_core", name="core_schema"),
)
_WIRE_MODEL = (
    Import(module="functools"),
    Import(module="pydantic", name="ValidationInfo"),
    Import(module="pydantic", name="model_validator"),
    Import(module="pydantic", name="BeforeValidator"),
)
_WIRE_ENUM = (
    Import(module="typing", name="Any"),
    Import(module="pydantic", name="GetCoreSchemaHandler"),
    Import(module="pydantic", name="ValidationInfo"),
    Import(module="pydantic_core", name="CoreSchema"),
    Import(module="pydantic_core", name="PydanticCustomError"),
    Import(module="pydantic_core", name="core_schema"),
)
_FIELD = Import(module="pydantic", name="Field")
_ENUM = Import(module="enum", name="Enum")
_ALIAS = (Import(module="typing", name="TypeAlias"), Import(module="typing", name="Annotated"))
_PATTERN_HELPER_IMPORTS = (
    Import(module="contextvars"),
    Import(module="time"),
    Import(module="pydantic_core"),
    Import(module="regex"),
    Import(module="pydantic", name="AfterValidator"),
    Import(module="pydantic", name="StringConstraints"),
)
_TAG_HELPER = (
    Import(module="collections.abc", name="Callable"),
    Import(module="typing", name="Any"),
    Import(module="enum", name="Enum"),
)


def _alias_order(aliases: dict[str, Alias]) -> list[Alias]:
    ordered: list[Alias] = []
    placed: set[str] = set()
    visiting: set[str] = set()

    def place(name: str) -> None:
        stack: list[tuple[str, bool]] = [(name, False)]
        while stack:
            current, expanded = stack.pop()
            if current in placed:
                continue
            if expanded:
                visiting.discard(current)
                placed.add(current)
                ordered.append(aliases[current])
                continue
            if current in visiting:
                continue
            visiting.add(current)
            stack.append((current, True))
            deps = sorted(d for d in aliases[current].type.declarations if d in aliases)
            stack.extend((d, False) for d in reversed(deps) if d not in placed)

    for name in sorted(aliases):
        place(name)
    return ordered


def finish_module(
    *,
    models: dict[str, Model],
    enums: dict[str, EnumDecl],
    aliases: dict[str, Alias],
    uses_tag: bool,
    uses_pattern: bool = False,
    integral_floats: bool = True,
) -> TypeModel:
    """The ``TypeModel`` for these declarations."""
    declarations: list[Declaration] = [enums[n] for n in sorted(enums)]
    declarations += [models[n] for n in sorted(models)]
    declarations += _alias_order(aliases)
    groups: list[tuple[Import, ...]] = []
    if enums or uses_tag:
        groups.append((_ENUM,))
    if enums:
        groups.append(_WIRE_ENUM)
    if models:
        groups.append(_MODEL_IMPORTS + _WIRE_MODEL)
    groups.append(_JSON_TYPES)  # always: the runtimes wrap bodies and messages in JSON_TYPES
    if aliases:
        groups.append(_ALIAS)
    if uses_tag:
        groups.append(_TAG_HELPER)
    for model in models.values():
        for f in model.fields:
            groups.append(f.type.imports)
            groups.append(f.imports)
            if f.args:
                groups.append((_FIELD,))
    for alias in aliases.values():
        groups.append(alias.type.imports)
    uses_pattern = uses_pattern or any(
        PATTERN_HELPER in t.declarations
        for t in [a.type for a in aliases.values()]
        + [f.type for m in models.values() for f in m.fields]
    )
    if uses_pattern:
        groups.append(_PATTERN_HELPER_IMPORTS)
    return TypeModel(
        declarations=tuple(declarations),
        imports=merge_imports(*groups),
        uses_discriminator=uses_tag,
        uses_pattern=uses_pattern,
        integral_floats=integral_floats,
    )
