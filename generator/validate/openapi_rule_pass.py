"""The plumbing every OpenAPI rule stands on: one pass over one document.

``RulePass`` reads the document through ``$ref``s (in any file), lists its
operations and parameters, and collects located Diagnostics; the rules in
``openapi_schema_rules`` and ``openapi_rules`` extend it.
"""

from __future__ import annotations

from collections.abc import Iterator

from generator.diagnostics import Diagnostic, Severity
from generator.load import Document
from generator.load.nodes import Node

__all__ = ["METHODS", "RulePass", "python_name"]

METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")


class RulePass:
    """One pass of rules over one document; ``out`` collects what they found."""

    def __init__(self, doc: Document) -> None:
        self.doc = doc
        self.out: list[Diagnostic] = []
        assert doc.kind is not None
        self.swagger = doc.kind.major_minor == "2.0"
        self.oas31 = doc.kind.major_minor not in ("2.0", "3.0")
        self.methods = (*METHODS, "query") if doc.kind.major_minor == "3.2" else METHODS
        self.root = Node(doc.data, doc.root, "")
        self.refs = doc.refs

    def report(self, node: Node, code: str, message: str, severity: Severity) -> None:
        self.out.append(self.doc.diagnostic(node.pointer, code, message, severity, node.source))

    def deref(self, node: Node | None) -> Node | None:
        """Follow ``$ref``s to the value (``None`` when broken: the loader reported it)."""
        return self.refs.deref(node)

    def at(self, node: Node | None, *keys: str | int) -> Node | None:
        """Walk ``keys`` from ``node``, following ``$ref``s on the way."""
        current = self.deref(node)
        for key in keys:
            if current is None:
                return None
            current = self.deref(current.child(key))
        return current

    def operations(self) -> Iterator[tuple[str, str, Node, Node, Node]]:
        """``(path, method, operation, operation's key node, path item)`` for every operation."""
        for container in ("paths", "webhooks"):
            holder = self.at(self.root, container)
            if holder is None:
                continue
            for path, item_node in holder.items():
                if container == "paths" and not path.startswith("/"):
                    continue
                item = self.deref(item_node)
                if item is None or not isinstance(item.value, dict):
                    continue
                for method in self.methods:
                    op = self.deref(item.child(method))
                    key_node = item.child(method)
                    if op is not None and key_node is not None and isinstance(op.value, dict):
                        yield path if container == "paths" else "", method, op, key_node, item

    def parameters(self, holder: Node) -> list[Node]:
        """The resolved parameters of a path item or operation."""
        params = self.deref(holder.child("parameters"))
        if params is None:
            return []
        return [
            p
            for p in (self.deref(e) for e in params.elements())
            if p is not None and isinstance(p.value, dict)
        ]


def python_name(raw: str, style: str) -> str:
    """The Python name generated code will use."""
    from generator.naming import py_identifier

    return py_identifier(raw, "pascal" if style == "pascal" else "snake")
