"""OpenAPI rules on schemas and on objects found by walking the document.

``schema-name`` collisions and ``allof-cycle`` over the named schemas;
``example-and-examples``, ``required-not-in-properties`` and ``default-not-in-enum``
on every mapping that could break them, in every loaded file (sample data skipped).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from generator.diagnostics import Severity, escape_pointer
from generator.load.nodes import Node
from generator.validate.openapi_rule_pass import RulePass, python_name

__all__ = ["SchemaRules"]

_SCHEMA_LISTS = ("allOf", "anyOf", "oneOf")


class SchemaRules(RulePass):
    """The schema and object rules (``openapi_rules._Rules`` runs them with the others)."""

    def schema_names(self) -> None:
        holder = self.at(self.root, "definitions" if self.swagger else "components")
        schemas = holder if self.swagger else self.at(holder, "schemas") if holder else None
        if schemas is None:
            return
        by_name: dict[str, str] = {}
        for raw, node in schemas.items():
            name = python_name(raw, "pascal")
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
