"""Following ``$ref``s while keeping where the value came from (file and pointer).

The builder needs the located value (for Diagnostics and for schema names),
not only the data. It reads through the document's one follower
(``generator.load.nodes``), which never raises: a ref that cannot be followed
was reported by the loader already, and yields ``None``.
"""

from __future__ import annotations

from typing import Any

from generator.load import Document
from generator.load.document import Source
from generator.load.nodes import Node as Located

__all__ = ["Located", "deref"]


def deref(doc: Document, value: Any, source: Source, pointer: str) -> Located | None:
    """Follow ``value``'s ``$ref`` chain; ``None`` when it dangles or loops."""
    return doc.refs.follow(value, source, pointer)
