"""Semantic rules for OpenAPI documents: what the JSON Schema cannot say.

Each rule has a stable code. Errors are things the specification says MUST
(or that openapi-spec-validator also rejects); warnings are what trips users
and generated code up but is legal. Every rule reads the document through
``$ref``s (in any file) and points at the node in the file that holds it.
Rules never assume the document is well formed: a wrong type is skipped here,
the schema pass reports it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from generator.diagnostics import Diagnostic, Severity
from generator.load import Document
from generator.load.nodes import Node
from generator.validate.openapi_rule_pass import python_name
from generator.validate.openapi_schema_rules import SchemaRules

__all__ = ["check_rules"]

_TEMPLATE = re.compile(r"{([^{}]*)}")
_LINK_FIELDS = frozenset(
    {"operationRef", "operationId", "parameters", "requestBody", "description", "server", "$ref"}
)
_SCHEMA_CHILDREN = ("items", "additionalProperties", "not")


class _Rules(SchemaRules):
    """One pass of every rule over one document; ``run`` returns what they found."""

    def run(self) -> list[Diagnostic]:
        seen_ids: dict[str, tuple[str, Node]] = {}
        checked_items: set[tuple[int, str]] = set()
        for path, method, op, key_node, item in self.operations():
            self.operation_id(path, method, op, seen_ids)
            item_key = (id(item.source), item.pointer)
            if item_key not in checked_items:
                checked_items.add(item_key)
                self.duplicate_parameters(item)
            self.duplicate_parameters(op)
            if path:
                self.path_parameters(path, method, op, key_node, item)
            self.security(op.child("security"))
        self.name_collisions(seen_ids)
        self.security(self.root.child("security"))
        self.schema_names()
        self.allof_cycles()
        self.links()
        for node in self.walk():
            self.inspect(node)
        return self.out

    def operation_id(
        self, path: str, method: str, op: Node, seen: dict[str, tuple[str, Node]]
    ) -> None:
        node = op.child("operationId")
        if node is None or not isinstance(node.value, str):
            return
        first = seen.get(node.value)
        if first is None:
            seen[node.value] = (f"{method.upper()} {path or '(webhook)'}", node)
            return
        where, first_node = first
        line, _ = first_node.source.locate(first_node.pointer)
        self.report(
            node,
            "duplicate-operation-id",
            f"operationId {node.value!r} is already used by {where}"
            f" ({first_node.source.display}:{line}); operationIds must be unique",
            Severity.ERROR,
        )

    def duplicate_parameters(self, holder: Node) -> None:
        seen: set[tuple[str, str]] = set()
        for param in self.parameters(holder):
            name, place = param.value.get("name"), param.value.get("in")
            if not isinstance(name, str) or not isinstance(place, str):
                continue
            if (name, place) in seen:
                self.report(
                    param,
                    "duplicate-parameter",
                    f"parameter {name!r} (in: {place}) is declared twice in the same list",
                    Severity.ERROR,
                )
            seen.add((name, place))

    def path_parameters(self, path: str, method: str, op: Node, key_node: Node, item: Node) -> None:
        template = [n for n in _TEMPLATE.findall(path) if n]
        declared: dict[str, Node] = {}
        for param in [*self.parameters(item), *self.parameters(op)]:
            if param.value.get("in") == "path" and isinstance(param.value.get("name"), str):
                declared.setdefault(param.value["name"], param)
        for name in template:
            if name not in declared:
                self.report(
                    key_node,
                    "path-param-undeclared",
                    f"{method.upper()} {path}: path parameter {name!r} is not declared"
                    " (add a parameter with 'in: path')",
                    Severity.ERROR,
                )
        for name, param in declared.items():
            if name not in template:
                self.report(
                    param,
                    "path-param-not-in-template",
                    f"parameter {name!r} is declared 'in: path' but {path!r} has no {{{name}}}",
                    Severity.ERROR,
                )

    def security(self, requirements: Node | None) -> None:
        if requirements is None:
            return
        if self.swagger:
            defined = self.at(self.root, "securityDefinitions")
        else:
            defined = self.at(self.root, "components", "securitySchemes")
        names = (
            set(defined.value) if defined is not None and isinstance(defined.value, dict) else set()
        )
        for requirement in requirements.elements():
            for name, _ in requirement.items():
                if name not in names:
                    self.report(
                        requirement.child(name) or requirement,
                        "security-undefined-scheme",
                        f"security requirement names {name!r}, which is not a defined security scheme",
                        Severity.ERROR,
                    )

    def name_collisions(self, seen: dict[str, tuple[str, Node]]) -> None:
        by_name: dict[str, str] = {}
        for op_id in sorted(seen):
            name = python_name(op_id, "snake")
            other = by_name.get(name)
            if other is not None:
                self.warn_collision("operationId", op_id, other, name)
            else:
                by_name[name] = op_id

    def warn_collision(self, kind: str, raw: str, other: str, name: str) -> None:
        for _, _, op, _, _ in self.operations():
            node = op.child("operationId")
            if node is not None and node.value == raw:
                self.report(
                    node,
                    "name-collision",
                    f"{kind}s {other!r} and {raw!r} both become the Python name {name!r};"
                    " twinspec will number the second",
                    Severity.WARNING,
                )
                return

    def links(self) -> None:
        for holder in self._link_maps():
            for _, link_node in holder.items():
                link = self.deref(link_node)
                if link is None or not isinstance(link.value, dict):
                    continue
                for field in link.value:
                    if field not in _LINK_FIELDS and not str(field).startswith("x-"):
                        self.report(
                            link.child(field) or link,
                            "link-unknown-field",
                            f"Link Object has no field {field!r}"
                            + (" (did you mean 'server'?)" if field == "body" else ""),
                            Severity.ERROR,
                        )

    def _link_maps(self) -> Iterator[Node]:
        if self.swagger:
            return
        components = self.at(self.root, "components", "links")
        if components is not None:
            yield components
        for _, _, op, _, _ in self.operations():
            responses = self.at(op, "responses")
            for _, response in responses.items() if responses is not None else ():
                links = self.at(response, "links")
                if links is not None:
                    yield links


def check_rules(doc: Document) -> list[Diagnostic]:
    """Every semantic problem in an OpenAPI document (its ``$ref``s must have loaded)."""
    return _Rules(doc).run()
