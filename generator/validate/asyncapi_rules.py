"""Semantic rules for AsyncAPI documents: what the JSON Schemas cannot say.

Each rule has its own stable code (``asyncapi-...``) and reports at the node
that is wrong, in the file that holds it. The rules on references (channel not in
root, message not in channel, unknown server, unknown security scheme, scopes not
allowed) live in ``asyncapi_references``; this module runs them all:

- ``asyncapi-channel-not-in-root``: a 3.x operation's channel is not one of the
  document's ``channels`` (the specification requires exactly that).
- ``asyncapi-message-not-in-channel``: a 3.x operation (or reply) lists a message
  that is not one of its channel's messages.
- ``asyncapi-undeclared-parameter`` / ``asyncapi-unused-parameter``: a ``{name}``
  in a channel address (3.x) or channel name (2.x) without a ``parameters``
  entry, and the other way round.
- ``asyncapi-duplicate-operation-id`` / ``asyncapi-duplicate-message-id`` (2.x).
- ``asyncapi-duplicate-tag``: two tags with the same name in one list.
- ``asyncapi-unknown-security-scheme``: a 2.x security requirement names a
  scheme that ``components.securitySchemes`` does not define.
- ``asyncapi-unknown-server``: a 2.x channel lists a server that does not exist.
- ``asyncapi-undeclared-server-variable``: a ``{name}`` in a server's url (2.x)
  or host/pathname (3.x) without a ``variables`` entry; ``asyncapi-unused-server-variable``
  (warning) for a variable the server never uses.
- ``asyncapi-security-scopes-not-allowed``: a 2.x security requirement lists scopes
  for a scheme that is neither oauth2 nor openIdConnect (the array must be empty).
- ``asyncapi-bad-template``: a channel address/name or server url with an
  unclosed ``{``, a stray ``}`` or an empty ``{}``.
- ``asyncapi-bad-runtime-expression``: a ``location`` (correlation id, parameter,
  reply address) that is not ``$message.header#/pointer`` or ``$message.payload#/pointer``.
- ``asyncapi-name-collision`` (warning): operations, messages or schemas whose
  names become the same Python identifier (the generator would rename one).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from generator.diagnostics import Diagnostic, Severity, escape_pointer
from generator.load import Document
from generator.naming import Style, py_identifier
from generator.validate._asyncapi_walk import Node, Walker
from generator.validate.asyncapi_references import (
    channel_servers,
    operation_channels,
    report,
    security_requirements,
)

__all__ = ["check_rules"]

_TEMPLATE_PARAMETER = re.compile(r"\{([^{}]*)\}")
_RUNTIME_EXPRESSION = re.compile(r"^\$message\.(header|payload)#(/([^/~]|~[01])*)*$")
_RUNTIME_PREFIX = re.compile(r"^\$message\.(header|payload)#")
"""The part the schema checks; the rule reports what follows it."""


def check_rules(doc: Document) -> list[Diagnostic]:
    """Every semantic problem in ``doc``."""
    if doc.kind is None or not isinstance(doc.data, dict):
        return []
    walker = Walker(doc)
    nodes = list(walker.objects())
    out: list[Diagnostic] = []
    out += _parameters(doc, nodes, walker.v3)
    out += _tags(doc, walker, nodes)
    out += _runtime_expressions(doc, walker, nodes)
    out += _name_collisions(doc, nodes, walker.v3)
    out += _server_variables(doc, nodes, walker.v3)
    if walker.v3:
        out += operation_channels(doc, walker, nodes)
    else:
        out += _duplicate_ids(doc, nodes)
        out += security_requirements(doc, nodes)
        out += channel_servers(doc, nodes)
    return out


# --- channels and their parameters, server variables ----------------------------------


def _parameters(doc: Document, nodes: list[Node], v3: bool) -> Iterator[Diagnostic]:
    for node in nodes:
        if node.kind != "channel":
            continue
        if v3:
            address = node.value.get("address")
            where = node.child("address")
        else:
            address = node.name
            where = node.pointer
        if not isinstance(address, str):
            continue
        problem = _template_problem(address)
        if problem:
            yield report(doc, node, where, "asyncapi-bad-template", f"channel address {problem}")
        in_address = _TEMPLATE_PARAMETER.findall(address)
        declared = node.value.get("parameters")
        declared = declared if isinstance(declared, dict) else {}
        for name in dict.fromkeys(in_address):
            if name not in declared:
                yield report(
                    doc,
                    node,
                    where,
                    "asyncapi-undeclared-parameter",
                    f"channel address {address!r} uses parameter {{{name}}}, "
                    f"which is not declared in 'parameters'",
                )
        if not v3 and node.source is doc.root and node.pointer.startswith("/components/"):
            continue  # 2.x component channels are named by key, not by address
        for name in declared:
            if name not in in_address:
                yield report(
                    doc,
                    node,
                    f"{node.child('parameters')}/{escape_pointer(name)}",
                    "asyncapi-unused-parameter",
                    f"parameter {name!r} does not appear in the channel address {address!r}",
                )


def _template_problem(template: str) -> str:
    """What is wrong with the ``{name}`` placeholders of ``template`` ("" when nothing)."""
    depth = 0
    for index, char in enumerate(template):
        if char == "{":
            if depth:
                return f"{template!r} opens a '{{' inside another at position {index + 1}"
            depth = 1
        elif char == "}":
            if not depth:
                return f"{template!r} has a '}}' without a '{{' at position {index + 1}"
            depth = 0
    if depth:
        return f"{template!r} has a '{{' that is never closed"
    if "{}" in template:
        return f"{template!r} has an empty '{{}}' placeholder"
    return ""


def _server_variables(doc: Document, nodes: list[Node], v3: bool) -> Iterator[Diagnostic]:
    """Server URL templates and ``variables`` must match."""
    for node in nodes:
        if node.kind != "server":
            continue
        fields = ("host", "pathname") if v3 else ("url",)
        used: dict[str, str] = {}
        for field in fields:
            template = node.value.get(field)
            if isinstance(template, str):
                problem = _template_problem(template)
                if problem:
                    yield report(
                        doc,
                        node,
                        node.child(field),
                        "asyncapi-bad-template",
                        f"server {field} {problem}",
                    )
                for name in _TEMPLATE_PARAMETER.findall(template):
                    used.setdefault(name, field)
        variables = node.value.get("variables")
        declared = variables if isinstance(variables, dict) else {}
        for name, field in used.items():
            if name not in declared:
                yield report(
                    doc,
                    node,
                    node.child(field),
                    "asyncapi-undeclared-server-variable",
                    f"server {field} uses variable {{{name}}}, which is not declared in 'variables'",
                )
        for name in declared:
            if name not in used:
                yield report(
                    doc,
                    node,
                    f"{node.child('variables')}/{escape_pointer(name)}",
                    "asyncapi-unused-server-variable",
                    f"server variable {name!r} is not used in the server's {' or '.join(fields)}",
                    Severity.WARNING,
                )


# --- identifiers ---------------------------------------------------------------------


def _duplicate_ids(doc: Document, nodes: list[Node]) -> Iterator[Diagnostic]:
    """2.x: operationId and messageId must each be unique in the document."""
    for kind, field, code in (
        ("operation", "operationId", "asyncapi-duplicate-operation-id"),
        ("message", "messageId", "asyncapi-duplicate-message-id"),
    ):
        first: dict[str, Node] = {}
        for node in nodes:
            value = node.value.get(field) if node.kind == kind else None
            if not isinstance(value, str):
                continue
            if value in first:
                other = first[value]
                yield report(
                    doc,
                    node,
                    node.child(field),
                    code,
                    f"{field} {value!r} is already used at {other.source.display}:"
                    f"{other.source.locate(other.child(field))[0]} ({other.pointer})",
                )
            else:
                first[value] = node


def _name_collisions(doc: Document, nodes: list[Node], v3: bool) -> Iterator[Diagnostic]:
    """Names that become the same Python identifier (the generator would have to rename one)."""
    groups: list[tuple[str, list[tuple[str, Node, str]]]] = []
    operations: list[tuple[str, Node, str]] = []
    for node in nodes:
        if node.kind != "operation":
            continue
        if v3 and node.name and node.source is doc.root and node.pointer.startswith("/operations/"):
            operations.append((node.name, node, node.pointer))
        elif not v3 and isinstance(node.value.get("operationId"), str):
            operations.append((node.value["operationId"], node, node.child("operationId")))
    groups.append(("operation", operations))
    components = doc.data.get("components")
    if isinstance(components, dict):
        for field, label in (("schemas", "schema"), ("messages", "message")):
            mapping = components.get(field)
            if isinstance(mapping, dict):
                root = Node("components", doc.root, "/components", components)
                entries = [
                    (name, root, f"/components/{field}/{escape_pointer(name)}") for name in mapping
                ]
                groups.append((label, entries))
    for label, entries in groups:
        style: Style = "snake" if label == "operation" else "pascal"
        seen: dict[str, str] = {}
        for raw, node, pointer in entries:
            python = py_identifier(raw, style)
            if python in seen and seen[python] != raw:
                yield report(
                    doc,
                    node,
                    pointer,
                    "asyncapi-name-collision",
                    f"{label} {raw!r} and {seen[python]!r} both become the Python name "
                    f"{python!r}; the generator will rename one of them",
                    Severity.WARNING,
                )
            else:
                seen.setdefault(python, raw)


# --- tags, runtime expressions --------------------------------------------------------


def _tags(doc: Document, walker: Walker, nodes: list[Node]) -> Iterator[Diagnostic]:
    """Tag names must be unique within one list."""
    for node in nodes:
        if node.kind == "root" and walker.v3:
            continue  # 3.x keeps tags under info
        tags = node.value.get("tags")
        if not isinstance(tags, list):
            continue
        seen: set[str] = set()
        for index, value in enumerate(tags):
            tag = walker.node("tag", node.source, f"{node.child('tags')}/{index}", value)
            name = tag.value.get("name") if tag is not None else None
            if not isinstance(name, str):
                continue
            if name in seen:
                yield report(
                    doc,
                    node,
                    f"{node.child('tags')}/{index}/name",
                    "asyncapi-duplicate-tag",
                    f"tag {name!r} appears more than once in this list",
                )
            seen.add(name)


def _runtime_expressions(doc: Document, walker: Walker, nodes: list[Node]) -> Iterator[Diagnostic]:
    """``location`` fields must be ``$message.header#/...`` or ``$message.payload#/...``."""
    places: list[tuple[Node, str]] = []
    for node in nodes:
        if node.kind == "message" or node.kind == "trait":
            places.append((node, "correlationId"))
        elif node.kind == "channel":
            parameters = node.value.get("parameters")
            if isinstance(parameters, dict):
                for name in parameters:
                    places.append((node, f"parameters/{escape_pointer(name)}"))
        elif node.kind == "operation" and walker.v3:
            reply = walker.node("reply", node.source, node.child("reply"), node.value.get("reply"))
            if reply is not None:
                places.append((reply, "address"))
    components = doc.data.get("components")
    if isinstance(components, dict):
        root = Node("components", doc.root, "/components", components)
        for field in ("correlationIds", "parameters", "replyAddresses"):
            mapping = components.get(field)
            if isinstance(mapping, dict):
                places.extend((root, f"{field}/{escape_pointer(name)}") for name in mapping)
    seen: set[tuple[int, str]] = set()
    for holder, path in places:
        value: Any = holder.value
        for token in path.split("/"):
            value = (
                value.get(token.replace("~1", "/").replace("~0", "~"))
                if isinstance(value, dict)
                else None
            )
        target = walker.node("expression", holder.source, f"{holder.pointer}/{path}", value)
        if target is None or (id(target.source), target.pointer) in seen:
            continue
        seen.add((id(target.source), target.pointer))
        location = target.value.get("location")
        if (
            isinstance(location, str)
            and _RUNTIME_PREFIX.match(location)
            and not _RUNTIME_EXPRESSION.match(location)
        ):
            yield report(
                doc,
                target,
                target.child("location"),
                "asyncapi-bad-runtime-expression",
                f"location {location!r} is not a runtime expression of the form "
                "'$message.header#/json/pointer' or '$message.payload#/json/pointer'",
            )
