"""The type model: JSON Schema turned into decisions a template only has to print.

Tree (``IR_VERSION`` changes when a field is removed or changes meaning)::

    TypeModel                       everything one ``models.py`` declares
    ├── declarations: tuple[Declaration, ...]   in a valid definition order
    │   ├── Model        a pydantic model: name, fields (ModelField), extra policy
    │   │   └── ModelField   python name + wire_name, TypeRef, default (Value), Field(...) args
    │   ├── EnumDecl     a str/int Enum: members (EnumMember: name + Value)
    │   └── Alias        ``Name: TypeAlias = <annotation>`` (unions, constrained or
    │                    named primitives, arrays, maps)
    ├── imports: tuple[Import, ...]   what models.py needs (sorted)
    ├── uses_discriminator: bool      whether the ``_tag_of`` helper is emitted
    ├── integral_floats: bool         whether 1.0 is an integer (JSON Schema 6+: OAS 3.1,
    │                                 AsyncAPI) or not (draft 4: OAS 3.0, Swagger 2.0)
    └── uses_pattern: bool            whether ``re_pattern`` (patterns checked in bounded
                                      time, usable outside models too) is emitted

    TypeRef                         a type as used anywhere (field, parameter, body)
    ├── annotation: str              the Python type expression, e.g. ``list[Pet] | None``
    ├── imports: tuple[Import, ...]  the stdlib/typing/pydantic imports it needs
    └── declarations: tuple[str, ...]  names it uses from models.py (``from .models import ...``)

Every name is already a Python identifier; every literal (defaults, enum
values, patterns) arrives as a ``Value`` whose ``python`` text came from the
``pyrepr`` filter. Templates never look at the spec.

Policies (shared by every target):

- JSON types exactly: models are strict (``ApiModel``: no ``"40"`` for a number, no
  ``1`` for a boolean, dates/UUIDs/enums read from their JSON strings, in Python and JSON
  validation alike); so are aliases (``Annotated[..., JSON_TYPES]``) and enums read off
  the wire; parameters stay lax (parsed from text). ``1.0`` is an integer where the
  document's JSON Schema says so (draft 6+), not under OAS 3.0 / Swagger 2.0 (draft 4).
- a schema with ``properties`` (or ``additionalProperties``) but no ``type`` also
  accepts every JSON value that is not an object, as JSON Schema says: ``Pet | NotAnObject``.
- optional (not ``required``) fields default to ``None`` unless the spec gives a
  default; ``nullable`` adds ``| None`` to the type and is kept distinct: a
  required nullable field has no default, and an optional field that is not
  nullable refuses an explicit ``null`` (``Annotated[T | None, NOT_NULL]``). Dump with ``by_alias=True,
  exclude_unset=True`` to keep the wire exact.
- ``readOnly``/``writeOnly`` required fields are optional in the model (a
  request omits read-only fields, a response omits write-only ones).
- enums are strict: a value outside the enum fails validation, as the spec says.
- ``allOf`` is merged into one model (properties and ``required`` of every part);
  ``oneOf``/``anyOf`` become unions, discriminated (``Tag``/``Discriminator``)
  when the spec names a discriminator and every branch is a ``$ref`` to an object.
- ``pattern`` is checked by ``re_pattern`` (searched, as JSON Schema says) with
  Rust's linear-time engine, or the ``regex`` package under a timeout when only a
  backtracking engine takes it; a pattern Python cannot compile is dropped with a warning.
- a spec ``default`` that does not fit its own schema is dropped with a warning.
- ``additionalProperties: false`` -> ``extra="forbid"``; otherwise extra fields
  are kept (``extra="allow"``), since JSON Schema allows them.
- ``format: uri``/``email`` stay ``str`` (no normalisation of the wire value,
  no extra dependency); ``byte`` (base64) stays ``str``; ``binary`` is ``bytes``.
"""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass, field

from generator.ir._fast_init import fast_init, fast_replace

__all__ = [
    "IR_VERSION",
    "JSON_TYPES",
    "Alias",
    "Declaration",
    "EnumDecl",
    "EnumMember",
    "FieldArg",
    "Import",
    "Model",
    "ModelField",
    "TypeKind",
    "TypeModel",
    "TypeRef",
    "Value",
    "export_order",
    "name_kind",
    "natural_key",
]

IR_VERSION = "1"
"""Version of this template API; overriding templates can check it."""

JSON_TYPES = "JSON_TYPES"
"""The models.py marker that makes a type outside a model check JSON types exactly."""


class TypeKind(str, enum.Enum):
    """What a ``TypeRef`` stands for, so packs can pick a macro by kind."""

    ANY = "any"
    PRIMITIVE = "primitive"  # str, int, float, bool, bytes, datetime..., maybe constrained
    NONE = "none"
    LITERAL = "literal"
    MODEL = "model"
    ENUM = "enum"
    ALIAS = "alias"
    LIST = "list"
    TUPLE = "tuple"
    DICT = "dict"
    UNION = "union"


@dataclass(frozen=True, slots=True, kw_only=True, order=True)
class Import:
    """``from module import name`` (or ``import module`` when ``name`` is empty)."""

    module: str
    name: str = ""

    @property
    def line(self) -> str:
        """The import statement."""
        return f"from {self.module} import {self.name}" if self.name else f"import {self.module}"


@fast_init
@dataclass(frozen=True, slots=True, kw_only=True)
class Value:
    """A spec value and the Python literal that equals it (made by ``pyrepr``)."""

    python: str
    raw: object = None


@fast_init
@dataclass(frozen=True, slots=True, kw_only=True)
class TypeRef:
    """A type as written in generated code."""

    kind: TypeKind
    annotation: str
    imports: tuple[Import, ...] = ()
    declarations: tuple[str, ...] = ()
    nullable: bool = False
    name: str = ""  # the declared name for MODEL / ENUM / ALIAS (and a loose object's model)
    items: tuple[TypeRef, ...] = ()  # element types: list/tuple items, dict values, union members
    format: str = ""  # JSON Schema format of a primitive ("binary", "date-time", ...)
    values: tuple[str, ...] = ()  # LITERAL: the Python literal of each value, in order

    @property
    def optional_annotation(self) -> str:
        """The annotation with ``| None`` (for optional parameters and fields)."""
        return self.annotation if self.nullable else f"{self.annotation} | None"

    def as_nullable(self) -> TypeRef:
        """This type, also accepting ``None``."""
        if self.nullable or self.kind is TypeKind.ANY or self.kind is TypeKind.NONE:
            return self
        return fast_replace(self, annotation=f"{self.annotation} | None", nullable=True)

    def written_as(self, annotation: str) -> TypeRef:
        """This type, written ``annotation`` (``models.Pet`` for ``Pet``)."""
        return fast_replace(self, annotation=annotation)

    @property
    def is_model(self) -> bool:
        """Whether this is (maybe nullable) a declared pydantic model."""
        return self.kind is TypeKind.MODEL


@fast_init
@dataclass(frozen=True, slots=True, kw_only=True)
class FieldArg:
    """One keyword argument of ``Field(...)``: ``name=python``."""

    name: str
    python: str


@fast_init
@dataclass(frozen=True, slots=True, kw_only=True)
class ModelField:
    """A model attribute: Python name, wire name, type and how it defaults."""

    name: str
    wire_name: str
    type: TypeRef
    annotation: str  # the field's annotation (with ``| None`` when optional or nullable)
    required: bool
    nullable: bool
    default: Value | None = None  # None: required (no default)
    args: tuple[FieldArg, ...] = ()  # Field(...) arguments; empty: ``= default`` or nothing
    imports: tuple[Import, ...] = ()  # what the Field(...) arguments need (cast, Any)
    description: str = ""
    read_only: bool = False
    write_only: bool = False
    deprecated: bool = False


@dataclass(frozen=True, slots=True, kw_only=True)
class Model:
    """A pydantic model declaration."""

    kind: str = field(default="model", init=False)
    name: str
    wire_name: str  # the component name or the place it was found
    fields: tuple[ModelField, ...]
    extra: str  # "allow" | "forbid" | "ignore"
    description: str = ""
    deprecated: bool = False


@fast_init
@dataclass(frozen=True, slots=True, kw_only=True)
class EnumMember:
    """One enum member: Python name and wire value."""

    name: str
    value: Value


@dataclass(frozen=True, slots=True, kw_only=True)
class EnumDecl:
    """A ``str``, ``int`` or ``float`` Enum declaration."""

    kind: str = field(default="enum", init=False)
    name: str
    wire_name: str
    base: str  # "str" | "int" | "float"
    members: tuple[EnumMember, ...]
    description: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class Alias:
    """``name: TypeAlias = Annotated[type.annotation, JSON_TYPES]``."""

    kind: str = field(default="alias", init=False)
    name: str
    wire_name: str
    type: TypeRef
    description: str = ""

    @property
    def annotation(self) -> str:
        """The declared type: JSON types checked exactly where the alias is used on its own
        (a body, a message), as they are inside models."""
        return f"Annotated[{self.type.annotation}, {JSON_TYPES}]"


Declaration = Model | EnumDecl | Alias


@dataclass(frozen=True, slots=True, kw_only=True)
class TypeModel:
    """Everything one ``models.py`` declares, in definition order."""

    declarations: tuple[Declaration, ...]
    imports: tuple[Import, ...]
    uses_discriminator: bool = False
    uses_pattern: bool = False  # whether the ``re_pattern`` helper is emitted (and exported)
    integral_floats: bool = True  # 1.0 is an integer (JSON Schema 6+); False: draft 4
    ir_version: str = IR_VERSION

    @property
    def models(self) -> tuple[Model, ...]:
        """The pydantic models, in order (``model_rebuild`` is called on each)."""
        return tuple(d for d in self.declarations if isinstance(d, Model))

    @property
    def names(self) -> tuple[str, ...]:
        """Every declared name, for ``__all__`` (with ``re_pattern`` when types use it)."""
        helpers = ("re_pattern",) if self.uses_pattern else ()
        return tuple(sorted([*(d.name for d in self.declarations), *helpers]))

    @property
    def exports(self) -> tuple[str, ...]:
        """``__all__`` of models.py: every name (``ApiModel`` too) in ruff's RUF022 order."""
        base = ("ApiModel",) if self.models else ()
        return tuple(sorted([*base, *self.names], key=export_order))

    @property
    def aliases(self) -> tuple[Alias, ...]:
        """The type aliases, in definition order."""
        return tuple(d for d in self.declarations if isinstance(d, Alias))

    @property
    def enums(self) -> tuple[EnumDecl, ...]:
        """The enums (each a ``WireEnum``), in order."""
        return tuple(d for d in self.declarations if isinstance(d, EnumDecl))

    def get(self, name: str) -> Declaration | None:
        """The declaration called ``name``."""
        for d in self.declarations:
            if d.name == name:
                return d
        return None


_DIGITS = re.compile(r"(\d+)")


def export_order(name: str) -> tuple[int, tuple[str | tuple[int, str | int], ...]]:
    """Sort key of a name in ``__all__`` exactly as ruff's RUF022 orders it (isort style):
    SCREAMING_CASE constants, then CamelCase classes, then the rest (``name_kind``), each in
    ruff's ``natord`` order (``natural_key``). So ``exports`` needs no second sort; the key
    is one-to-one, so no tie-break is needed."""
    return name_kind(name), natural_key(name)


def name_kind(name: str) -> int:
    """0 for SCREAMING_CASE constants, 1 for CamelCase classes, 2 for the rest (isort's types)."""
    if len(name) > 1 and name.isupper():
        return 0
    return 1 if name[:1].isupper() else 2


def natural_key(text: str) -> tuple[str | tuple[int, str | int], ...]:
    """Sort key of ruff's ``natord`` order: digit runs by value (``Item2`` before ``Item10``),
    except a run with a leading zero, compared as text before any other run (``_066953ce``
    before ``_7cd4a159``)."""
    split = _DIGITS.split(text)
    if len(split) == 1:
        return (text,)
    parts: list[str | tuple[int, str | int]] = list(split)
    parts[1::2] = [(0, p) if p[0] == "0" else (1, int(p)) for p in split[1::2]]
    return tuple(parts)
