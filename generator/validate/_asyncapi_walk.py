"""Walk the objects of an AsyncAPI document by kind, following ``$ref``s across files.

The semantic rules need "every operation", "every message", "every object that
has tags" — wherever they are written (inline, in components, in another file).
``objects(doc)`` yields each such object once, as a ``Node``: the file that
holds it, its JSON pointer there, and its value.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from generator.diagnostics import Diagnostic, escape_pointer
from generator.load import Document, Source, open_in
from generator.load.refs import RefError, resolve_ref

__all__ = ["Node", "Walker"]

_MAX_HOPS = 64


@dataclass(frozen=True, slots=True)
class Node:
    """One object of the document: where it lives and what it is."""

    kind: str  # "info" | "root" | "server" | "channel" | "operation" | "message" | "trait" | "tag"
    source: Source
    pointer: str
    value: dict[str, Any]
    name: str = ""  # the key it is listed under (channel name, operation id...)

    def child(self, key: str | int) -> str:
        """The pointer of one of this object's fields."""
        return f"{self.pointer}/{escape_pointer(key)}"


class Walker:
    """Finds the objects of one document (each once), following refs."""

    def __init__(self, doc: Document) -> None:
        """Walk ``doc``; unresolvable refs are skipped (the loader reported them)."""
        self.doc = doc
        self._failures: list[Diagnostic] = []
        self._seen: set[tuple[int, str]] = set()
        self.v3 = bool(doc.kind and doc.kind.major_minor.startswith("3"))

    def follow(self, source: Source, pointer: str, value: Any) -> tuple[Source, str, Any] | None:
        """The value a chain of ``$ref``s starting at ``value`` leads to, with its location."""
        for _ in range(_MAX_HOPS):
            if not (isinstance(value, dict) and isinstance(value.get("$ref"), str)):
                return source, pointer, value
            try:
                target = resolve_ref(
                    value["$ref"],
                    source,
                    self.doc.root_dir,
                    open_in(self.doc, self._failures),
                    allow_remote=self.doc.allow_remote_refs,
                    ref_map=self.doc.ref_map,
                )
            except RefError:
                return None
            source, pointer, value = target.source, target.pointer, target.value
        return None

    def node(
        self, kind: str, source: Source, pointer: str, value: Any, name: str = ""
    ) -> Node | None:
        """The object at ``value`` (refs followed) as a Node, or None if not an object."""
        found = self.follow(source, pointer, value)
        if found is None or not isinstance(found[2], dict):
            return None
        return Node(kind, found[0], found[1], found[2], name)

    def _first_visit(self, node: Node) -> bool:
        key = (id(node.source), node.pointer)
        if key in self._seen:
            return False
        self._seen.add(key)
        return True

    def _map(self, kind: str, parent: Node, field: str) -> Iterator[Node]:
        """The objects listed in the mapping ``parent[field]``."""
        mapping = parent.value.get(field)
        if not isinstance(mapping, dict):
            return
        for name, value in mapping.items():
            node = self.node(
                kind, parent.source, f"{parent.child(field)}/{escape_pointer(name)}", value, name
            )
            if node is not None:
                yield node

    def _list(self, kind: str, parent: Node, field: str) -> Iterator[Node]:
        items = parent.value.get(field)
        if not isinstance(items, list):
            return
        for index, value in enumerate(items):
            if isinstance(value, list) and value:  # 3.x trait given as [trait, arguments]
                value = value[0]
            node = self.node(kind, parent.source, f"{parent.child(field)}/{index}", value)
            if node is not None:
                yield node

    def objects(self) -> Iterator[Node]:
        """Every server, channel, operation, message and trait, once each."""
        root = Node(
            "root", self.doc.root, "", self.doc.data if isinstance(self.doc.data, dict) else {}
        )
        yield root
        info = self.node("info", root.source, "/info", root.value.get("info"))
        if info is not None:
            yield info
        components = self.node(
            "components", root.source, "/components", root.value.get("components")
        )
        for holder in (root, components):
            if holder is None:
                continue
            for kind, field in (
                ("server", "servers"),
                ("channel", "channels"),
                ("operation", "operations"),
                ("message", "messages"),
                ("trait", "operationTraits"),
                ("trait", "messageTraits"),
            ):
                for node in self._map(kind, holder, field):
                    yield from self._expand(node)

    def _expand(self, node: Node) -> Iterator[Node]:
        """``node`` and the objects nested in it."""
        if not self._first_visit(node):
            return
        yield node
        if node.kind == "channel":
            if self.v3:
                for message in self._map("message", node, "messages"):
                    yield from self._expand(message)
            else:
                for field in ("publish", "subscribe"):
                    operation = self.node(
                        "operation", node.source, node.child(field), node.value.get(field)
                    )
                    if operation is not None:
                        yield from self._expand(
                            Node(
                                "operation",
                                operation.source,
                                operation.pointer,
                                operation.value,
                                node.name,
                            )
                        )
        elif node.kind == "operation":
            for trait in self._list("trait", node, "traits"):
                yield from self._expand(trait)
            if not self.v3:
                carrier = self.node(
                    "message", node.source, node.child("message"), node.value.get("message")
                )
                if carrier is not None:
                    yield from self._messages(carrier)
        elif node.kind == "message":
            for trait in self._list("trait", node, "traits"):
                yield from self._expand(trait)

    def _messages(self, node: Node) -> Iterator[Node]:
        """A 2.x operation's message: one message or ``oneOf`` a list of them."""
        alternatives = node.value.get("oneOf")
        if isinstance(alternatives, list):
            for index, value in enumerate(alternatives):
                message = self.node("message", node.source, f"{node.child('oneOf')}/{index}", value)
                if message is not None:
                    yield from self._expand(message)
            return
        yield from self._expand(node)
