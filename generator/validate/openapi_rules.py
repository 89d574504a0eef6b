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
from typing import Any

from generator.diagnostics import Diagnostic, Severity, escape_pointer
from generator.load import Document
from generator.load.nodes import Node

__all__ = ["check_rules"]

METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
_TEMPLATE = re.compile(r"{([^{}]*)}")
_LINK_FIELDS = frozenset(
    {"operationRef", "operationId", "parameters", "requestBody", "description", "server", "$ref"}
)
_SCHEMA_CHILDREN = ("items", "additionalProperties", "not")
_SCHEMA_LISTS = ("allOf", "anyOf", "oneOf")


class _Rules:
    """One pass of every rule over one document; ``run`` returns what they found."""

    def __init__(self, doc: Document) -> None:
        self.doc = doc
        self.out: list[Diagnostic] = []
        assert doc.kind is not None
        self.swagger = doc.kind.major_minor == "2.0"
        self.oas31 = doc.kind.major_minor not in ("2.0", "3.0")
        self.methods = (*METHODS, "query") if doc.kind.major_minor == "3.2" else METHODS
        self.root = Node(doc.data, doc.root, "")
        self.refs = doc.refs

    # -- plumbing ------------------------------------------------------------------

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

    # -- the document's operations -------------------------------------------------

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

    # -- rules ---------------------------------------------------------------------

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
            name = _identifier(op_id, "snake")
            other = by_name.get(name)
            if other is not None:
                self.warn_collision("operationId", op_id, other, name)
            else:
                by_name[name] = op_id

    def schema_names(self) -> None:
        holder = self.at(self.root, "definitions" if self.swagger else "components")
        schemas = holder if self.swagger else self.at(holder, "schemas") if holder else None
        if schemas is None:
            return
        by_name: dict[str, str] = {}
        for raw, node in schemas.items():
            name = _identifier(raw, "pascal")
            other = by_name.get(name)
            if other is None:
                by_name[name] = raw
                continue
            self.report(
                node,
                "name-collision",
                f"schema names {other!r} and {raw!r} both become the Python class {name!r};"
                " twinspec will number the second",
                Severity.WARNING,
            )

    def allof_cycles(self) -> None:
        """A schema that inherits from itself through ``allOf`` (A extends B extends A).

        Validators recurse forever on it and no class hierarchy can express it.
        Walks ``allOf`` entries that are ``$ref``s, across files, from every
        named schema; each edge that closes a loop is reported once.
        """
        holder = self.at(self.root, "definitions" if self.swagger else "components")
        schemas = holder if self.swagger else self.at(holder, "schemas") if holder else None
        if schemas is None:
            return
        state: dict[tuple[int, str], int] = {}  # 1 on the current path, 2 done
        for _, start in schemas.items():
            node = self.deref(start)
            if node is None:
                continue
            stack: list[tuple[Node, Iterator[Node]]] = [(node, self._parents(node))]
            state[(id(node.source), node.pointer)] = 1
            while stack:
                current, parents = stack[-1]
                edge = next(parents, None)
                if edge is None:
                    state[(id(current.source), current.pointer)] = 2
                    stack.pop()
                    continue
                target = self.deref(edge)
                if target is None:
                    continue
                key = (id(target.source), target.pointer)
                if state.get(key) == 1:
                    self.report(
                        edge,
                        "allof-cycle",
                        f"schema {target.pointer.rsplit('/', 1)[-1]!r} inherits from itself"
                        " through allOf",
                        Severity.ERROR,
                    )
                elif key not in state:
                    state[key] = 1
                    stack.append((target, self._parents(target)))

    def _parents(self, schema: Node) -> Iterator[Node]:
        """The ``$ref`` entries of a schema's ``allOf`` (unresolved, to point at them)."""
        for entry in (schema.child("allOf") or schema).elements():
            if isinstance(entry.value, dict) and "$ref" in entry.value:
                yield entry

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

    # -- rules on individual objects, found by walking the document ----------------

    def walk(self) -> Iterator[Node]:
        """The mappings an object rule may apply to, in every loaded file.

        Sample data is skipped and ``$ref``s are not followed (each file is
        walked once). Pointers are built only for the mappings yielded: this
        runs over every value of a 14 MB spec.
        """
        for source in self.doc.files.values():
            stack: list[tuple[Any, _Trail]] = [(source.data, None)]
            while stack:
                value, trail = stack.pop()
                if isinstance(value, dict):
                    if (
                        ("example" in value and "examples" in value)
                        or ("required" in value and "properties" in value)
                        or ("default" in value and "enum" in value)
                    ):
                        yield Node(value, source, _pointer(trail))
                    for key, child in value.items():
                        if isinstance(child, (dict, list)) and key not in _SAMPLE_KEYS:
                            stack.append((child, (trail, key)))
                elif isinstance(value, list):
                    for index, child in enumerate(value):
                        if isinstance(child, (dict, list)):
                            stack.append((child, (trail, index)))

    def inspect(self, node: Node) -> None:
        value = node.value
        if "$ref" in value:
            return
        if (
            not self.swagger
            and "example" in value
            and "examples" in value
            and (("in" in value and "name" in value) or "schema" in value or "content" in value)
        ):
            self.report(
                node.child("examples") or node,
                "example-and-examples",
                "'example' and 'examples' are mutually exclusive; keep one",
                Severity.ERROR,
            )
        if "properties" in value and isinstance(value.get("required"), list):
            self.required_properties(node)
        if (
            "default" in value
            and isinstance(value.get("enum"), list)
            and value["default"] not in value["enum"]
            and not (value["default"] is None and value.get("nullable") is True)
        ):
            self.report(
                node.child("default") or node,
                "default-not-in-enum",
                f"default {value['default']!r} is not one of the enum values",
                Severity.ERROR if _is_server_variable(node) and self.oas31 else Severity.WARNING,
            )

    def required_properties(self, node: Node) -> None:
        props = node.value.get("properties")
        if not isinstance(props, dict) or any(k in node.value for k in _SCHEMA_LISTS):
            return
        for index, name in enumerate(node.value["required"]):
            if isinstance(name, str) and name not in props:
                self.report(
                    self.at(node, "required", index) or node,
                    "required-not-in-properties",
                    f"required property {name!r} is not defined in 'properties'",
                    Severity.WARNING,
                )

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


_Trail = tuple[Any, str | int] | None
"""A pointer as a linked list ``(parent trail, key)``: cheap to extend, built on demand."""
_SAMPLE_KEYS = frozenset({"example", "examples", "default", "enum", "const"})


def _pointer(trail: _Trail) -> str:
    tokens: list[str] = []
    while trail is not None:
        trail, key = trail
        tokens.append(escape_pointer(key))
    return "".join("/" + t for t in reversed(tokens))


def _is_server_variable(node: Node) -> bool:
    return "/variables/" in node.pointer and node.pointer.startswith(("/servers", "/paths"))


def _identifier(raw: str, style: str) -> str:
    """The Python name generated code will use (``generator.naming`` when present)."""
    try:
        from generator.naming import py_identifier
    except ImportError:  # pragma: no cover - naming lands with the build stage
        words = re.findall(r"[A-Z]+(?=[A-Z][a-z0-9])|[A-Z]?[a-z]+|[A-Z]+|[0-9]+", raw)
        if style == "pascal":
            return "".join(w.capitalize() for w in words) or "Empty"
        return "_".join(w.lower() for w in words) or "empty"
    return py_identifier(raw, "pascal" if style == "pascal" else "snake")


def check_rules(doc: Document) -> list[Diagnostic]:
    """Every semantic problem in an OpenAPI document (its ``$ref``s must have loaded)."""
    return _Rules(doc).run()
