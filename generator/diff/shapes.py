"""Reading one schema's shape: its types, bounds, properties (``allOf`` merged) and alternatives.

``schema`` compares two shapes; these helpers only read one (or pair up the
alternatives of two), following ``$ref``s through the document's follower.
"""

from __future__ import annotations

import json
from typing import Any

from generator.load.nodes import Node, RefFollower

__all__ = [
    "BOUNDS",
    "LOWER",
    "UPPER",
    "bound",
    "canon",
    "covers",
    "flag",
    "label",
    "match",
    "object_view",
    "show",
    "tighter",
    "types",
    "variants",
]

MAX_ALLOF = 32
"""Most ``allOf`` parts merged into one object view."""

UPPER = ("maximum", "maxLength", "maxItems", "maxProperties")
LOWER = ("minimum", "minLength", "minItems", "minProperties")
BOUNDS = frozenset(
    (*UPPER, *LOWER, "exclusiveMaximum", "exclusiveMinimum", "uniqueItems", "multipleOf")
)
MAX_ALLOF = 32


def canon(value: Any) -> str:
    return json.dumps(value, sort_keys=True, default=str)


def types(schema: dict[str, Any]) -> frozenset[str] | None:
    """The JSON types a schema allows (``None``: any), ``nullable`` folded in as ``null``."""
    raw = schema.get("type")
    if isinstance(raw, str):
        found = {raw}
    elif isinstance(raw, list):
        found = {t for t in raw if isinstance(t, str)}
    elif "properties" in schema:
        found = {"object"}
    elif "items" in schema:
        found = {"array"}
    else:
        return None
    if schema.get("nullable") is True:
        found.add("null")
    return frozenset(found)


def covers(wide: frozenset[str] | None, narrow: frozenset[str] | None) -> bool:
    if wide is None:
        return True
    if narrow is None:
        return False
    return all(t in wide or (t == "integer" and "number" in wide) for t in narrow)


def show(types: frozenset[str] | None) -> str:
    return "any" if types is None else "|".join(sorted(types))


def bound(schema: dict[str, Any], key: str) -> tuple[float, bool] | None:
    """A bound and whether it is exclusive (3.0 booleans and 3.1 numbers alike)."""
    exclusive_key = {"maximum": "exclusiveMaximum", "minimum": "exclusiveMinimum"}.get(key)
    value = schema.get(key)
    exclusive = False
    if exclusive_key is not None:
        flag = schema.get(exclusive_key)
        if isinstance(flag, bool):
            exclusive = flag
        elif isinstance(flag, (int, float)):
            if not isinstance(value, (int, float)) or isinstance(value, bool):
                return (float(flag), True)
            strict_wins = flag <= value if key == "maximum" else flag >= value
            return (float(flag), True) if strict_wins else (float(value), False)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return (float(value), exclusive)
    return None


def tighter(old: tuple[float, bool] | None, new: tuple[float, bool] | None, upper: bool) -> int:
    """1 when ``new`` allows less than ``old``, -1 when more, 0 when the same."""
    if old == new:
        return 0
    if old is None:
        return 1
    if new is None:
        return -1
    if old[0] != new[0]:
        less = new[0] < old[0] if upper else new[0] > old[0]
        return 1 if less else -1
    return 1 if new[1] else -1


def flag(node: Node | None, key: str, refs: RefFollower) -> bool:
    found = refs.deref(node) if node is not None else None
    return found is not None and isinstance(found.value, dict) and found.value.get(key) is True


def object_view(
    node: Node, refs: RefFollower
) -> tuple[dict[str, list[Node]], set[str], Node | None]:
    """Properties, required names and ``additionalProperties``, ``allOf`` parts merged in.

    A property declared by several ``allOf`` parts keeps every declaration (all apply).
    """
    props: dict[str, list[Node]] = {}
    required: set[str] = set()
    extra: Node | None = None
    pending, seen = [node], 0
    while pending and seen < MAX_ALLOF:
        part = refs.deref(pending.pop(0))
        seen += 1
        if part is None or not isinstance(part.value, dict):
            continue
        declared = part.child("properties")
        if declared is not None:
            for name, child in declared.items():
                props.setdefault(name, []).append(child)
        names = part.value.get("required")
        if isinstance(names, list):
            required.update(n for n in names if isinstance(n, str))
        if extra is None and "additionalProperties" in part.value:
            extra = part.child("additionalProperties")
        all_of = part.child("allOf")
        if all_of is not None:
            pending.extend(all_of.elements())
    return props, required, extra


def variants(node: Node, key: str, refs: RefFollower) -> list[tuple[str, Node]]:
    """``(name, resolved node)`` of each alternative; the name is the component's, if any."""
    group = node.child(key)
    if group is None:
        return []
    out: list[tuple[str, Node]] = []
    for index, item in enumerate(group.elements()):
        name = ""
        if isinstance(item.value, dict) and isinstance(item.value.get("$ref"), str):
            name = item.value["$ref"].rsplit("/", 1)[-1]
        resolved = refs.deref(item)
        if resolved is not None:
            if not name and isinstance(resolved.value, dict):
                name = str(resolved.value.get("title", ""))
            out.append((name or f"#{index}", resolved))
    return out


def match(
    olds: list[tuple[str, Node]], news: list[tuple[str, Node]]
) -> tuple[list[tuple[Node, Node]], list[Node], list[Node]]:
    """Pair alternatives by name, then the rest in order when as many remain on each side."""
    by_name = {name: n for name, n in news}
    pairs: list[tuple[Node, Node]] = []
    left_o: list[Node] = []
    used: set[str] = set()
    for name, o in olds:
        if name in by_name and name not in used and not name.startswith("#"):
            pairs.append((o, by_name[name]))
            used.add(name)
        else:
            left_o.append(o)
    left_n = [n for name, n in news if name not in used or name.startswith("#")]
    if len(left_o) == len(left_n):
        return pairs + list(zip(left_o, left_n, strict=True)), [], []
    return pairs, left_o, left_n


def label(node: Node) -> str:
    value = node.value
    if isinstance(value, dict):
        title = value.get("title")
        if isinstance(title, str) and title:
            return repr(title)
        head, _, name = node.pointer.rpartition("/")
        if head in ("/components/schemas", "/definitions"):
            return repr(name)
        allowed = types(value)
        if allowed is not None:
            return f"of type {show(allowed)}"
    return f"at {node.pointer}"
