"""Located values, and the one tolerant, memoised ``$ref`` follower every stage reads through.

Validation rules and builders read the document through ``$ref``s in any file
the loader read, and report in the file that holds what they found. They all
follow refs here: one place for the safety rules (only files the loader read
and vetted; chains bounded, cycles stopped) and one memo per document, so a
ref is resolved once, not once per visit (large specs visit the same component
thousands of times). A broken ref gives ``None``: the loader has reported it.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from generator.load.document import Document, Source
from generator.load.refs import RefError, resolve_ref

__all__ = ["Node", "RefFollower"]

_MAX_HOPS = 1000
"""Most ``$ref``-to-``$ref`` hops one lookup follows (a cycle stops at once)."""


@dataclass(frozen=True, slots=True)
class Node:
    """A value in the document and where it really is (file and pointer)."""

    value: Any
    source: Source
    pointer: str

    @property
    def ident(self) -> tuple[str, str]:
        """Identity of the definition: file and pointer."""
        return (str(self.source.path), self.pointer)

    def child(self, key: str | int) -> Node | None:
        """The child at ``key``, or ``None`` when absent."""
        value = self.value
        if isinstance(value, dict) and isinstance(key, str) and key in value:
            token = key.replace("~", "~0").replace("/", "~1")  # ``escape_pointer`` for text
            return Node(value[key], self.source, f"{self.pointer}/{token}")
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
        """The value ``node``'s ``$ref`` chain ends at; ``None`` when broken or looping."""
        if node is None or not isinstance(node.value, dict) or "$ref" not in node.value:
            return node  # most calls (kubernetes' validation: 135,000): no set made for them
        seen: set[tuple[int, str]] = set()
        while node is not None and isinstance(node.value, dict) and "$ref" in node.value:
            ref = node.value["$ref"]
            key = (id(node.source), ref if isinstance(ref, str) else "")
            if not isinstance(ref, str) or key in seen or len(seen) > _MAX_HOPS:
                return None
            seen.add(key)
            if key not in self._memo:
                self._memo[key] = self._resolve(ref, node.source)
            node = self._memo[key]
        return node

    def follow(self, value: Any, source: Source, pointer: str = "") -> Node | None:
        """``deref`` for a value read at ``pointer`` in ``source``."""
        return self.deref(Node(value, source, pointer))

    def _resolve(self, ref: str, source: Source) -> Node | None:
        try:
            target = resolve_ref(
                ref,
                source,
                self.doc.root_dir,
                self._open,
                allow_remote=self.doc.allow_remote_refs,
                ref_map=self.doc.ref_map,
            )
        except RefError:
            return None
        return Node(target.value, target.source, target.pointer)

    def _open(self, path: Path) -> Source:
        source = self.doc.files.get(path)
        if source is None:
            raise RefError("unreadable-ref", f"{path.name} was not loaded")
        return source
