"""Following ``$ref``s while keeping where the value came from (file and pointer).

The builder needs the located value (for Diagnostics and for schema names),
not only the data, so this wraps ``resolve_ref`` and never raises: a ref that
cannot be followed was reported by the loader already, and yields ``None``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from generator.load import Document
from generator.load import open_in as _open_in
from generator.load.document import Source
from generator.load.refs import RefError, resolve_ref

__all__ = ["Located", "deref"]

_MAX_HOPS = 256


@dataclass(frozen=True, slots=True)
class Located:
    """A value, the file it sits in, and its JSON pointer there."""

    value: Any
    source: Source
    pointer: str


def deref(doc: Document, value: Any, source: Source, pointer: str) -> Located | None:
    """Follow ``value``'s ``$ref`` chain; ``None`` when it dangles or loops."""
    hops = 0
    while isinstance(value, dict) and isinstance(value.get("$ref"), str):
        hops += 1
        if hops > _MAX_HOPS:
            return None
        try:
            target = resolve_ref(
                value["$ref"],
                source,
                doc.root_dir,
                _open_in(doc, []),
                allow_remote=doc.allow_remote_refs,
            )
        except RefError:
            return None
        value, source, pointer = target.value, target.source, target.pointer
    return Located(value, source, pointer)
