"""openapi-spec-validator's walk over an OpenAPI document, over plain data.

The oracle walks with jsonschema-path; this is the same walk, in the same order,
over the loader's dicts, each ``$ref`` followed once (``doc.refs``): tags (and 3.2
tag parents), paths and operations (operationIds, parameters against the path
template), responses, and every schema (meta-schema, ``required`` against what an
``allOf`` defines, ``default`` values). The value checks themselves are
``openapi_keywords._ValueChecks``; ``openapi_keywords.keyword_errors`` runs the walk.
"""

from __future__ import annotations

import string
from collections.abc import Iterator
from typing import Any

from generator.load import Document
from generator.load.nodes import Node
from generator.validate.openapi_keywords import KeywordError, _keys, _ValueChecks

__all__ = ["KeywordWalk"]

_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")


class KeywordWalk:
    """One pass; the dedupe sets mirror the oracle's (a schema is checked once by identity)."""

    def __init__(self, doc: Document, version: str) -> None:
        self.doc = doc
        self.version = version
        self.refs = doc.refs
        self.methods = (*_METHODS, "query") if version == "3.2" else _METHODS
        self.operation_ids: list[Any] = []
        self.meta_checked: set[int] = set()
        self.visited: set[int] = set()
        self._values: _ValueChecks | None = None

    # -- reading through refs ---------------------------------------------------------

    def get(self, node: Node | None, key: str | int) -> Node | None:
        """``node[key]`` with ``$ref``s followed on both sides, as jsonschema-path reads."""
        node = self.refs.deref(node)
        return None if node is None else self.refs.deref(node.child(key))

    def has(self, node: Node, key: str) -> bool:
        resolved = self.refs.deref(node)
        return resolved is not None and isinstance(resolved.value, dict) and key in resolved.value

    def elements(self, node: Node | None) -> Iterator[Node]:
        node = self.refs.deref(node)
        for child in node.elements() if node is not None else ():
            resolved = self.refs.deref(child)
            if resolved is not None:
                yield resolved

    def entries(self, node: Node | None) -> Iterator[tuple[str, Node]]:
        node = self.refs.deref(node)
        for key, child in node.items() if node is not None else ():
            resolved = self.refs.deref(child)
            if resolved is not None:
                yield key, resolved

    def value(self, node: Node | None, key: str) -> Any:
        """``get(node, key).value``, without making a ``Node`` for a plain value (most are)."""
        node = self.refs.deref(node)
        if node is None:
            return None
        container = node.value
        if isinstance(container, dict):
            if key not in container:
                return None
            raw = container[key]
            if not (isinstance(raw, dict) and "$ref" in raw):
                return raw
        found = self.get(node, key)
        return None if found is None else found.value

    # -- the document -----------------------------------------------------------------

    def root(self, spec: Node) -> Iterator[KeywordError]:
        tags = self.get(spec, "tags")
        if tags is not None:
            yield from self.tags(tags)
        paths = self.get(spec, "paths")
        if paths is not None:
            for url, path_item in self.entries(paths):
                yield from self.path(url, path_item)
        schemas = self.get(self.get(spec, "components"), "schemas")
        if schemas is not None:
            for _, schema in self.entries(schemas):
                yield from self.schema(schema)

    def tags(self, tags: Node) -> Iterator[KeywordError]:
        names = [self.value(tag, "name") for tag in self.elements(tags)]
        seen: set[Any] = set()
        for name in names:
            if name in seen:
                yield KeywordError("OpenAPIValidationError", f"Duplicate tag name '{name}'", tags)
            seen.add(name)
        if self.version == "3.2":
            yield from self.tag_parents(tags)

    def tag_parents(self, tags: Node) -> Iterator[KeywordError]:
        parents: dict[Any, Any] = {}
        for tag in self.elements(tags):
            parents[self.value(tag, "name")] = self.value(tag, "parent")
        for name, parent in parents.items():
            if parent is not None and parent not in parents:
                yield KeywordError(
                    "OpenAPIValidationError",
                    f"Tag '{name}' references unknown parent tag '{parent}'",
                    tags,
                )
        reported: set[str] = set()
        for start in parents:
            trail: list[Any] = []
            current = start
            while current not in trail:
                trail.append(current)
                current = parents.get(current)
                if current is None or current not in parents:
                    break
            else:
                cycle = " -> ".join(map(str, [*trail[trail.index(current) :], current]))
                if cycle not in reported:
                    reported.add(cycle)
                    yield KeywordError(
                        "OpenAPIValidationError", f"Circular tag hierarchy detected: {cycle}", tags
                    )

    def path(self, url: str, item: Node) -> Iterator[KeywordError]:
        shared = self.get(item, "parameters")
        if shared is not None:
            yield from self.parameters(shared)
        for field, operation in self.entries(item):
            if field in self.methods:
                yield from self.operation(url, field, operation, shared)
            elif field == "additionalOperations" and self.version == "3.2":
                for name, extra in self.entries(operation):
                    yield from self.operation(url, name, extra, shared)

    def operation(
        self, url: str, name: str, operation: Node, shared: Node | None
    ) -> Iterator[KeywordError]:
        if self.has(operation, "operationId"):
            operation_id = self.value(operation, "operationId")
            if operation_id is not None and operation_id in self.operation_ids:
                yield KeywordError(
                    "DuplicateOperationIDError",
                    f"Operation ID '{operation_id}' for '{name}' in '{url}' is not unique",
                    operation,
                )
            self.operation_ids.append(operation_id)
        responses = self.get(operation, "responses")
        if responses is not None:
            for _, response in self.entries(responses):
                yield from self.response(response)
        names: list[Any] = []
        own = self.get(operation, "parameters")
        if own is not None:
            yield from self.parameters(own)
            names += self.path_parameter_names(own)
        if shared is not None:
            names += self.path_parameter_names(shared)
        declared = set(names)
        templated = {field for _, field, _, _ in string.Formatter().parse(url) if field}
        for missing in sorted(templated - declared) + sorted(declared - templated):
            message = (
                f"Path parameter '{missing}' for '{name}' operation in '{url}' was not resolved"
            )
            yield KeywordError("UnresolvableParameterError", message, operation)

    def path_parameter_names(self, parameters: Node) -> list[Any]:
        return [
            self.value(p, "name")
            for p in self.elements(parameters)
            if self.value(p, "in") == "path"
        ]

    def parameters(self, parameters: Node) -> Iterator[KeywordError]:
        seen: set[tuple[Any, Any]] = set()
        for parameter in self.elements(parameters):
            schema = self.get(parameter, "schema")
            if schema is not None:
                yield from self.schema(schema)
            if self.version == "2.0" and self.has(parameter, "default"):
                yield from self.values.default(parameter, self.value(parameter, "default"))
            key = (self.value(parameter, "name"), self.value(parameter, "in"))
            if key in seen:
                yield KeywordError(
                    "ParameterDuplicateError", f"Duplicate parameter '{key[0]}'", parameters
                )
            seen.add(key)

    def response(self, response: Node) -> Iterator[KeywordError]:
        if self.version == "2.0":
            schema = self.get(response, "schema")
            if schema is not None:
                yield from self.schema(schema)
            return
        for _, media_type in self.entries(self.get(response, "content")):
            schema = self.get(media_type, "schema")
            if schema is not None:
                yield from self.schema(schema)

    # -- schemas ----------------------------------------------------------------------

    @property
    def values(self) -> _ValueChecks:
        if self._values is None:
            self._values = _ValueChecks(self.doc, self.version)
        return self._values

    def schema(
        self, node: Node, require_properties: bool = True, meta_checked: bool = False
    ) -> Iterator[KeywordError]:
        value = node.value
        if not isinstance(value, (dict, bool)):
            message = f"{value!r} is not of type 'object', 'boolean'"
            yield KeywordError("OpenAPIValidationError", message, node)
            return
        identity = id(value)
        if not meta_checked and identity not in self.meta_checked:
            self.meta_checked.add(identity)
            failure = self.values.meta(node)
            if failure is not None:
                yield failure
                return
        if identity in self.visited or not isinstance(value, dict):
            return
        self.visited.add(identity)
        # ``node`` is resolved (no ``$ref``), so a keyword it lacks has nothing to read: most
        # schemas have few of these, and ``get`` makes a ``Node`` per keyword it finds
        nested: set[Any] = set()
        if "allOf" in value:
            for inner in self.elements(self.get(node, "allOf")):
                yield from self.schema(inner, require_properties=False, meta_checked=True)
                nested |= self.collect_properties(inner, set())
        for keyword in ("anyOf", "oneOf"):
            if keyword in value:
                for inner in self.elements(self.get(node, keyword)):
                    yield from self.schema(inner, require_properties=False, meta_checked=True)
        for keyword in ("not", "items"):
            inner_node = self.get(node, keyword) if keyword in value else None
            if inner_node is not None:
                yield from self.schema(inner_node, require_properties=False, meta_checked=True)
        if "properties" in value:
            for _, prop in self.entries(self.get(node, "properties")):
                yield from self.schema(prop, require_properties=False, meta_checked=True)
        if require_properties and "allOf" in value:
            required = value.get("required") or []
            defined = _keys(self.get(node, "properties"))
            extra = sorted(set(required) - defined - nested, key=str)
            if extra:
                message = f"Required list has not defined properties: {extra}"
                yield KeywordError("ExtraParametersError", message, node)
        if "default" in value:
            default = value["default"]
            if default is not None or value.get("nullable", False) is not True:
                yield from self.values.default(node, default)

    def collect_properties(self, node: Node, seen: set[int]) -> set[Any]:
        """Every property name reachable through ``allOf``/``anyOf``/``oneOf``/``items``/``not``.

        The oracle's version recurses without end on a cycle through ``items``;
        ``seen`` stops that here.
        """
        if id(node.value) in seen or not isinstance(node.value, dict):
            return set()
        seen.add(id(node.value))
        value = node.value  # resolved, as in ``schema``: absent keywords are skipped unread
        names = _keys(self.get(node, "properties")) if "properties" in value else set()
        for keyword in ("allOf", "anyOf", "oneOf"):
            if keyword in value:
                for inner in self.elements(self.get(node, keyword)):
                    names |= self.collect_properties(inner, seen)
        for keyword in ("items", "not"):
            inner_node = self.get(node, keyword) if keyword in value else None
            if inner_node is not None:
                names |= self.collect_properties(inner_node, seen)
        return names
