"""The state and helpers every part of ``TypeModelBuilder`` shares, declared once.

``ObjectsMixin``, ``UnionsMixin`` and ``KindsMixin`` are parts of one class; this base gives
them (and mypy) the attributes and methods ``TypeModelBuilder`` provides.
"""

from __future__ import annotations

from collections import deque
from typing import TYPE_CHECKING, Any

from generator.ir.schema import Alias, EnumDecl, EnumMember, Model, TypeRef
from generator.load import Document, Source
from generator.naming import NameAllocator

__all__ = ["BuilderState"]


class BuilderState:
    """Attributes and methods that ``TypeModelBuilder`` defines for its mixins."""

    doc: Document
    dialect: str
    _names: NameAllocator
    _queue: deque[tuple[str, str, Any, Source, str]]
    _models: dict[str, Model]
    _enums: dict[str, EnumDecl]
    _aliases: dict[str, Alias]
    _members: dict[tuple[Any, ...], tuple[EnumMember, ...]]
    _uses_tag: bool

    if TYPE_CHECKING:  # provided by TypeModelBuilder

        def _type(
            self, schema: Any, source: Source, pointer: str, hint: str, depth: int
        ) -> TypeRef: ...

        def _named(
            self, schema: Any, source: Source, pointer: str, hint: str, depth: int
        ) -> TypeRef: ...

        def _deref(
            self, schema: Any, source: Source, pointer: str
        ) -> tuple[Any, Source, str] | None: ...

        def _warn(self, source: Source, pointer: str, code: str, message: str) -> None: ...
