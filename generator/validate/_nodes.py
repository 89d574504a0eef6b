"""Located values and one memoised ``$ref`` follower for the OpenAPI checks.

The semantic rules and the keyword checks both read the document through
``$ref``s in any file the loader read, and report in the file that holds the
problem; they share this walk so a ref is resolved once per file, not once per
visit (large specs visit the same component thousands of times).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from generator.diagnostics import escape_pointer
from generator.load import Document, Source, resolve_ref
from generator.load.refs import RefError

__all__ = ["Node", "RefFollower"]

_MAX_HOPS = 1000
"""Most ``$ref``-to-``$ref`` hops one lookup follows (a cycle of refs is reported elsewhere)."""


@dataclass(frozen=True, slots=True)
class Node:
    """A value in the document and where it really is (file and pointer)."""

    value: Any
    source: Source
    pointer: str

    def child(self, key: str | int) -> Node | None:
        """The child at ``key``, or ``None`` when absent."""
        value = self.value
        if isinstance(value, dict) and isinstance(key, str) and key in value:
            return Node(value[key], self.source, f"{self.pointer}/{escape_pointer(key)}")
        if isinstance(value, list) and isinstance(key, int) and 0 <= key < len(value):
            return Node(value[key], self.source, f"{self.pointer}/{key}")
        return None

    def items(self) -> Iterator[tuple[str, Node]]:
        """``(key, child)`` for a mapping; nothing otherwise."""
        if isinstance(self.value, dict):
            for key in self.value:
                child = self.child(str(key))
                if child is not None:
                    yield str(key), child

    def elements(self) -> Iterator[Node]:
        """The children of a list; nothing otherwise."""
        if isinstance(self.value, list):
            for index in range(len(self.value)):
                child = self.child(index)
                if child is not None:
                    yield child


class RefFollower:
    """Follows ``$ref``s through the files ``doc`` holds; never opens a file itself."""

    def __init__(self, doc: Document) -> None:
        self.doc = doc
        self._memo: dict[tuple[int, str], Node | None] = {}

    def deref(self, node: Node | None) -> Node | None:
        """The value ``node``'s ``$ref`` chain ends at; ``None`` when broken (the loader said why)."""
        hops = 0
        while node is not None and isinstance(node.value, dict) and "$ref" in node.value:
            ref = node.value["$ref"]
            hops += 1
            if not isinstance(ref, str) or hops > _MAX_HOPS:
                return None
            key = (id(node.source), ref)
            if key not in self._memo:
                self._memo[key] = self._resolve(ref, node.source)
            node = self._memo[key]
        return node

    def _resolve(self, ref: str, source: Source) -> Node | None:
        try:
            target = resolve_ref(
                ref,
                source,
                self.doc.root_dir,
                self._open,
                allow_remote=self.doc.allow_remote_refs,
            )
        except RefError:
            return None
        return Node(target.value, target.source, target.pointer)

    def _open(self, path: Path) -> Source:
        source = self.doc.files.get(path)
        if source is None:
            raise RefError("unreadable-ref", f"{path.name} was not loaded")
        return source
