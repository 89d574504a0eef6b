"""Hypothesis strategies for random, hostile OpenAPI 3.x and AsyncAPI 3.0 documents.

The documents are mostly valid in structure (so the build and render stages are
reached, not just the validator), with hostile strings wherever the
specifications allow free text: names, titles, descriptions, enum values,
defaults, examples, addresses. A small share is deliberately broken (a required
field dropped, a wrong type) so the refusal path is fuzzed too.
"""

from __future__ import annotations

import keyword
from typing import Any

from hostile.harness import PAYLOADS
from hypothesis import strategies as st

SHADOWS = [
    *keyword.kwlist,
    *keyword.softkwlist,
    "BaseModel",
    "Field",
    "datetime",
    "typing",
    "Any",
    "Optional",
    "list",
    "dict",
    "str",
    "id",
    "type",
    "self",
    "cls",
    "model_config",
    "model_fields",
    "json",
    "__init__",
    "__class__",
    "_",
    "",
    "1st",
    "user-id",
    "user_id",
    "userId",
    "UserId",
    "名前",
    "🎉",
    "a" * 300,
]
"""Legal names that trip code generators: keywords, builtins, imports, pydantic internals."""

_alphabet = st.characters(
    codec="utf-8",
    categories=("L", "N", "P", "S", "Zs", "Cc"),
    include_characters="\"'\\{}%#\n\r\t$`<>",
)

hostile_text = st.one_of(
    st.sampled_from(sorted(PAYLOADS.values())),
    st.sampled_from(SHADOWS),
    st.text(_alphabet, max_size=24),
)
"""Free text a spec may carry: payloads, shadowing names, random Unicode."""

AVOID_F3 = False
"""Keep tag names free of quotes and backslashes while finding F3 is open (fixed 16:10: False)."""

tag_text = (
    hostile_text.filter(lambda t: '"' not in t and "\\" not in t) if AVOID_F3 else hostile_text
)
"""Tag names: hostile, minus what open defect F3 cannot take yet."""

safe_key = st.from_regex(r"\A[A-Za-z0-9._-]{1,20}\Z")
"""Component keys (the specs restrict them to ``[A-Za-z0-9._-]+``)."""

path_param = st.one_of(
    st.from_regex(r"\A[A-Za-z_][A-Za-z0-9_.-]{0,15}\Z"),
    st.sampled_from([n for n in SHADOWS if n and n.replace("-", "_").isidentifier()]),
)
"""Path template parameter names (validators reject punctuation inside ``{}``)."""

component_key = st.one_of(safe_key, st.sampled_from([n for n in SHADOWS if n.isascii() and n]))


@st.composite
def _string(draw: st.DrawFn) -> dict[str, Any]:
    """A string schema whose default and example satisfy its own constraints."""
    schema: dict[str, Any] = {"type": "string"}
    if draw(st.booleans()):
        schema["description"] = draw(hostile_text)
    shape = draw(st.sampled_from(["free", "enum", "constrained"]))
    if shape == "free":
        for key in ("default", "example"):
            if draw(st.booleans()):
                schema[key] = draw(hostile_text)
    elif shape == "enum":
        schema["enum"] = draw(st.lists(hostile_text, min_size=1, max_size=4, unique=True))
        if draw(st.booleans()):
            schema["default"] = draw(st.sampled_from(schema["enum"]))
    else:
        schema.update(
            draw(
                st.fixed_dictionaries(
                    {},
                    optional={
                        "format": st.sampled_from(
                            ["date-time", "date", "uuid", "byte", "binary", "uri", "email"]
                        ),
                        "maxLength": st.integers(1, 10),
                        "pattern": st.sampled_from(
                            ["^[a-z]+$", '^"""\\\\', "^(?:x|')$", "\\d{2,}"]
                        ),
                    },
                )
            )
        )
    return schema


@st.composite
def _number(draw: st.DrawFn) -> dict[str, Any]:
    """An integer or number schema with a default inside its bounds and enum."""
    schema: dict[str, Any] = {"type": draw(st.sampled_from(["integer", "number"]))}
    if draw(st.booleans()):
        schema["enum"] = draw(st.lists(st.integers(-3, 3), min_size=1, max_size=3, unique=True))
        if draw(st.booleans()):
            schema["default"] = draw(st.sampled_from(schema["enum"]))
    else:
        low, high = draw(st.integers(-5, 5)), draw(st.integers(6, 100))
        schema.update({"minimum": low, "maximum": high})
        if draw(st.booleans()):
            schema["default"] = draw(st.integers(low, high))
    return schema


def _primitive() -> st.SearchStrategy[dict[str, Any]]:
    boolean = st.fixed_dictionaries(
        {"type": st.just("boolean")}, optional={"default": st.booleans()}
    )
    return st.one_of(_string(), _number(), boolean, st.just({}))


def schemas(refs: list[str]) -> st.SearchStrategy[dict[str, Any]]:
    """A JSON Schema, possibly nested, possibly referring to the named ``refs``."""
    leaves = _primitive()
    if refs:
        leaves = st.one_of(leaves, st.sampled_from([{"$ref": r} for r in refs]))

    def extend(children: st.SearchStrategy[dict[str, Any]]) -> st.SearchStrategy[dict[str, Any]]:
        props = st.dictionaries(hostile_text, children, max_size=5)
        obj = st.builds(
            lambda p, req, extra, desc: {
                "type": "object",
                "properties": p,
                **({"required": sorted(p)[:req]} if req and p else {}),
                **({"additionalProperties": extra} if extra is not None else {}),
                **({"description": desc} if desc is not None else {}),
            },
            props,
            st.integers(0, 3),
            st.one_of(st.none(), st.booleans()),
            st.one_of(st.none(), hostile_text),
        )
        array = st.builds(lambda items: {"type": "array", "items": items}, children)
        combined = st.builds(
            lambda kind, parts: {kind: parts},
            st.sampled_from(["allOf", "oneOf", "anyOf"]),
            st.lists(children, min_size=1, max_size=3),
        )
        return st.one_of(obj, obj, array, combined)

    return st.recursive(leaves, extend, max_leaves=8)


@st.composite
def openapi_documents(draw: st.DrawFn) -> dict[str, Any]:
    """A random OpenAPI 3.0 or 3.1 document with hostile text throughout."""
    version = draw(st.sampled_from(["3.0.3", "3.1.0"]))
    names = draw(st.lists(component_key, max_size=4, unique=True))
    refs = [f"#/components/schemas/{name}" for name in names]
    components = {name: draw(schemas(refs)) for name in names}
    paths: dict[str, Any] = {}
    seen_ids: set[str] = set()
    for _ in range(draw(st.integers(1, 3))):
        segment = draw(
            st.text(st.characters(codec="ascii", categories=("L", "N")), min_size=1, max_size=8)
        )
        param = draw(
            st.one_of(
                st.none(),
                path_param,
            )
        )
        path = f"/{segment}" + (f"/{{{param}}}" if param else "")
        item: dict[str, Any] = {}
        for method in draw(
            st.lists(
                st.sampled_from(["get", "post", "put", "delete"]),
                min_size=1,
                max_size=2,
                unique=True,
            )
        ):
            op_id = draw(hostile_text)
            operation: dict[str, Any] = {
                "responses": {
                    draw(st.sampled_from(["200", "201", "default", "404"])): {
                        "description": draw(hostile_text),
                        **(
                            {
                                "content": {
                                    "application/json": {
                                        "schema": draw(schemas(refs)),
                                        "example": draw(hostile_text),
                                    }
                                }
                            }
                            if draw(st.booleans())
                            else {}
                        ),
                    }
                },
                "summary": draw(hostile_text),
                "description": draw(hostile_text),
                "tags": draw(st.lists(tag_text, max_size=2, unique=True)),
            }
            if op_id not in seen_ids and draw(st.booleans()):
                seen_ids.add(op_id)
                operation["operationId"] = op_id
            params = (
                [{"name": param, "in": "path", "required": True, "schema": {"type": "string"}}]
                if param
                else []
            )
            for _ in range(draw(st.integers(0, 2))):
                params.append(
                    {
                        "name": draw(hostile_text),
                        "in": draw(st.sampled_from(["query", "header", "cookie"])),
                        "description": draw(hostile_text),
                        "schema": draw(_primitive()),
                    }
                )
            unique_params = {(p["name"], p["in"]): p for p in params}
            if unique_params:
                operation["parameters"] = list(unique_params.values())
            if method in ("post", "put") and draw(st.booleans()):
                operation["requestBody"] = {
                    "content": {"application/json": {"schema": draw(schemas(refs))}}
                }
            item[method] = operation
        paths[path] = item
    doc: dict[str, Any] = {
        "openapi": version,
        "info": {
            "title": draw(hostile_text),
            "version": draw(hostile_text),
            "description": draw(hostile_text),
        },
        "servers": [
            {
                "url": draw(
                    st.sampled_from(["http://localhost:8000", "/", "https://api.example.com/v1"])
                ),
                "description": draw(hostile_text),
            }
        ],
        "paths": paths,
        "x-" + draw(safe_key): draw(hostile_text),
    }
    if components:
        doc["components"] = {"schemas": components}
    if draw(st.sampled_from([False] * 9 + [True])):
        doc = draw(_break(doc))
    return doc


PROTOCOLS = ["ws", "http", "mqtt", "amqp", "kafka", "nats", "redis"]


@st.composite
def asyncapi_documents(draw: st.DrawFn) -> dict[str, Any]:
    """A random AsyncAPI 3.0 document: servers, channels, messages and operations."""
    protocol = draw(st.sampled_from(PROTOCOLS))
    names = draw(st.lists(safe_key, max_size=3, unique=True))
    refs = [f"#/components/schemas/{name}" for name in names]
    channels: dict[str, Any] = {}
    operations: dict[str, Any] = {}
    for ci, channel_key in enumerate(draw(st.lists(safe_key, min_size=1, max_size=3, unique=True))):
        param = draw(st.one_of(st.none(), safe_key))
        address = draw(
            st.text(st.characters(codec="ascii", categories=("L", "N")), min_size=1, max_size=10)
        )
        address = f"{address}/{{{param}}}" if param else address
        messages = {}
        for message_key in draw(st.lists(safe_key, min_size=1, max_size=3, unique=True)):
            messages[message_key] = {
                "name": draw(hostile_text),
                "title": draw(hostile_text),
                "summary": draw(hostile_text),
                "contentType": "application/json",
                "payload": draw(schemas(refs)),
                **(
                    {"examples": [{"payload": draw(hostile_text), "name": draw(safe_key)}]}
                    if draw(st.booleans())
                    else {}
                ),
            }
        channel: dict[str, Any] = {
            "address": address,
            "messages": messages,
            "description": draw(hostile_text),
        }
        if param:
            channel["parameters"] = {param: {"description": draw(hostile_text)}}
        channels[channel_key] = channel
        for action in draw(
            st.lists(st.sampled_from(["send", "receive"]), min_size=1, max_size=2, unique=True)
        ):
            operations[f"op{ci}{action}"] = {
                "action": action,
                "channel": {"$ref": f"#/channels/{channel_key}"},
                "summary": draw(hostile_text),
                "messages": [{"$ref": f"#/channels/{channel_key}/messages/{m}"} for m in messages],
            }
    doc: dict[str, Any] = {
        "asyncapi": "3.0.0",
        "info": {
            "title": draw(hostile_text),
            "version": draw(hostile_text),
            "description": draw(hostile_text),
        },
        "servers": {
            draw(safe_key): {
                "host": "localhost:" + str(draw(st.integers(1024, 65000))),
                "protocol": protocol,
                "description": draw(hostile_text),
            }
        },
        "channels": channels,
        "operations": operations,
    }
    if names:
        doc["components"] = {"schemas": {name: draw(schemas(refs)) for name in names}}
    if draw(st.sampled_from([False] * 9 + [True])):
        doc = draw(_break(doc))
    return doc


@st.composite
def _break(draw: st.DrawFn, doc: dict[str, Any]) -> dict[str, Any]:
    """The document with one thing wrong: a required field gone or a value of the wrong type."""
    broken = dict(doc)
    how = draw(
        st.sampled_from(["drop-info", "info-list", "paths-string", "title-int", "ref-dangling"])
    )
    if how == "drop-info":
        broken.pop("info")
    elif how == "info-list":
        broken["info"] = [broken["info"]]
    elif how == "paths-string":
        for key in ("paths", "channels"):
            if key in broken:
                broken[key] = draw(hostile_text)
    elif how == "title-int":
        broken["info"] = {**broken["info"], "title": 7}
    else:
        broken["x-dangling"] = {"$ref": "#/components/schemas/" + draw(safe_key) + "-missing"}
    return broken


def _structural_refs(schema: Any) -> set[str]:
    """Component names ``schema`` is made of directly: its own ``$ref`` and its combinators' refs."""
    found: set[str] = set()
    stack = [schema]
    while stack:
        node = stack.pop()
        if not isinstance(node, dict):
            continue
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.startswith("#/components/schemas/"):
            found.add(ref.rsplit("/", 1)[1])
        for key in ("allOf", "oneOf", "anyOf"):
            if isinstance(node.get(key), list):
                stack.extend(node[key])
    return found


def has_structural_cycle(doc: Any) -> bool:
    """Whether a component is made of itself (through ``$ref``/allOf/oneOf/anyOf, not properties).

    Such documents hit defect F2 (openapi-spec-validator recursing for
    minutes) until it was fixed; ``AVOID_F2`` steers the fuzz clear of them
    should a regression need the fuzz to look past it again.
    """
    components = (doc.get("components") or {}).get("schemas") if isinstance(doc, dict) else None
    if not isinstance(components, dict):
        return False
    edges = {name: _structural_refs(schema) for name, schema in components.items()}
    state: dict[str, int] = {}

    def visit(name: str) -> bool:
        if state.get(name) == 1:
            return True
        if state.get(name) == 2 or name not in edges:
            return False
        state[name] = 1
        if any(visit(child) for child in sorted(edges[name])):
            return True
        state[name] = 2
        return False

    return any(visit(name) for name in sorted(edges))


AVOID_F2 = False
"""Skip documents with structural $ref cycles while finding F2 is open (fixed: now False)."""


STRUCTURAL_KEYS = {
    "$ref",
    "$schema",
    "$id",
    "openapi",
    "asyncapi",
    "swagger",
    "type",
    "in",
    "style",
    "action",
    "protocol",
    "contentType",
    "schemaFormat",
    "operationRef",
    "propertyName",
}
"""Keys whose string values are structure, not text: mutating them only tests the validator."""

Path_ = tuple[str | int, ...]


def text_positions(data: Any) -> list[tuple[Path_, str]]:
    """Where a real document holds free text: string values, and the names in ``properties``."""
    found: list[tuple[Path_, str]] = []
    stack: list[tuple[Any, Path_]] = [(data, ())]
    while stack:
        node, path = stack.pop()
        if isinstance(node, dict):
            for key, value in node.items():
                if path and path[-1] == "properties":
                    found.append(((*path, key), "key"))
                if isinstance(value, str) and key not in STRUCTURAL_KEYS:
                    found.append(((*path, key), "value"))
                elif isinstance(value, (dict, list)):
                    stack.append((value, (*path, key)))
        elif isinstance(node, list):
            for index, value in enumerate(node):
                if isinstance(value, str):
                    found.append(((*path, index), "value"))
                elif isinstance(value, (dict, list)):
                    stack.append((value, (*path, index)))
    return sorted(found, key=repr)


def _replace(doc: Any, path: Path_, kind: str, text: str) -> None:
    parent = doc
    for token in path[:-1]:
        parent = parent[token]
    last = path[-1]
    if kind == "value":
        parent[last] = text
        return
    if text in parent:
        return
    parent[text] = parent.pop(last)
    schema = doc
    for token in path[:-2]:
        schema = schema[token]
    required = schema.get("required") if isinstance(schema, dict) else None
    if isinstance(required, list) and last in required:
        schema["required"] = [text if name == last else name for name in required]


def mutations(seed_doc: Any) -> st.SearchStrategy[Any]:
    """``seed_doc`` (a real, valid document) with one to six of its texts made hostile."""
    import copy

    positions = [
        (path, kind)
        for path, kind in text_positions(seed_doc)
        if not (AVOID_F3 and "tags" in path)  # tag names: open defect F3
    ]

    @st.composite
    def mutate(draw: st.DrawFn) -> Any:
        doc = copy.deepcopy(seed_doc)
        chosen = draw(st.lists(st.sampled_from(positions), min_size=1, max_size=6, unique=True))
        for path, kind in sorted(chosen, key=lambda item: -len(item[0])):
            _replace(doc, path, kind, draw(hostile_text))
        return doc

    return mutate()
