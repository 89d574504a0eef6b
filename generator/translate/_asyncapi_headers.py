"""A message's declared headers as typed keyword arguments of its publishers (``HeaderField``).

Each property of the headers model becomes one field: its scalar type
(``str``, ``int``, ``float``, ``bool``; anything else is ``Any`` and travels as
JSON text), whether the schema requires it, and a default taken from the
message's examples (``examples[].headers``), else the property's own
``example``/``examples``/``default``, when that value has the field's type.
Required headers without such a value are required keyword arguments; the demo
publishers pass a value synthesized from the schema.
"""

from __future__ import annotations

from typing import Any

from generator.ir.schema import Alias, Model, TypeKind, TypeModel, TypeRef
from generator.ir.stream import HeaderField

__all__ = ["HeaderSource", "header_fields"]

_SCALARS: dict[str, tuple[type, ...]] = {
    "str": (str,),
    "int": (int,),
    "float": (int, float),
    "bool": (bool,),
}


class HeaderSource:
    """What translate saw of one message's headers: their type, examples and property schemas."""

    def __init__(
        self,
        ref: TypeRef,
        examples: list[dict[str, Any]],
        properties: dict[str, Any],
        synthesized: Any,
    ) -> None:
        """``properties``: wire name -> resolved property schema; ``synthesized``: a valid headers value."""
        self.ref = ref
        self.examples = examples
        self.properties = properties
        self.synthesized = synthesized if isinstance(synthesized, dict) else {}


def _fits(annotation: str, value: object) -> bool:
    kinds = _SCALARS.get(annotation)
    if kinds is None or value is None:
        return False
    if isinstance(value, bool) and annotation != "bool":
        return False
    return isinstance(value, kinds)


def _declared(prop: Any) -> list[object]:
    if not isinstance(prop, dict):
        return []
    found: list[object] = []
    if "example" in prop:
        found.append(prop["example"])
    if isinstance(prop.get("examples"), list):
        found.extend(prop["examples"])
    if "default" in prop:
        found.append(prop["default"])
    return found


def header_fields(source: HeaderSource | None, types: TypeModel) -> tuple[HeaderField, ...]:
    """One ``HeaderField`` per property of the headers model (none when it is not a model)."""
    if source is None or source.ref.kind is not TypeKind.MODEL:
        return ()
    model = next((d for d in types.declarations if d.name == source.ref.name), None)
    if not isinstance(model, Model):
        return ()
    aliases = {d.name: d.type for d in types.declarations if isinstance(d, Alias)}
    out: list[HeaderField] = []
    for f in model.fields:
        ref = f.type
        for _ in range(8):  # a named schema is an alias of its type
            if ref.kind is not TypeKind.ALIAS or ref.name not in aliases:
                break
            ref = aliases[ref.name]
        scalar = ref.kind is TypeKind.PRIMITIVE and ref.annotation in _SCALARS
        annotation = ref.annotation if scalar else "Any"
        candidates = [e[f.wire_name] for e in source.examples if f.wire_name in e]
        candidates += _declared(source.properties.get(f.wire_name))
        default = next((v for v in candidates if _fits(annotation, v)), None)
        example = default if default is not None else source.synthesized.get(f.wire_name)
        if example is None and annotation in _SCALARS:
            example = {"str": "example", "int": 1, "float": 1.0, "bool": True}[annotation]
        out.append(
            HeaderField(
                wire_name=f.wire_name,
                annotation=annotation,
                required=f.required,
                has_default=default is not None,
                default=default,
                example=example,
            )
        )
    return tuple(out)
