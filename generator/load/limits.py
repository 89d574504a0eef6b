"""Bounds on what a loaded document may be, so hostile input ends in a Diagnostic.

YAML aliases let a 1 KB file stand for 10^9 nodes (billion laughs). libyaml keeps
aliases as shared objects, so parsing is cheap; every later stage that walks the
data would not be. ``measure`` computes the expanded size and depth in one
iterative pass (memoised by object identity, so shared subtrees cost once) and
detects recursive aliases, which JSON cannot express.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

__all__ = ["MAX_BYTES", "MAX_DEPTH", "MAX_NODES", "Shape", "deep_position", "measure"]

MAX_BYTES = 64 * 1024 * 1024
"""Largest file read (the largest real spec in the corpus is 14 MB over many files)."""
MAX_DEPTH = 256
"""Deepest nesting of mappings and lists; real specs stay well under 64."""
MAX_NODES = 5_000_000
"""Most values after alias expansion; stripe's 4 MB spec has about 300,000."""


@dataclass(frozen=True, slots=True)
class Shape:
    """What ``measure`` found: expanded node count, depth, and the first problem's path."""

    nodes: int
    depth: int
    problem: str  # "" | "depth" | "nodes" | "cycle"
    path: tuple[str, ...]


def _children(value: Any) -> list[tuple[str, Any]]:
    if isinstance(value, dict):
        return [(str(k), v) for k, v in value.items()]
    if isinstance(value, list):
        return [(str(i), v) for i, v in enumerate(value)]
    return []


def measure(data: Any) -> Shape:
    """Measure ``data`` without recursion; stop at the first bound crossed."""
    tree = _tree_shape(data)
    if tree is not None:
        return Shape(*tree, "", ())
    return _measure_shared(data)


def _tree_shape(data: Any) -> tuple[int, int] | None:
    """``(nodes, depth)`` of data within bounds that shares no collection, level by level.

    This is the common case (yaml-rs and JSON data never share), and counting a
    level at a time with C-level ``len``/``map`` costs a fraction of the general
    walk. ``None`` when a collection is reached twice (aliases, cycles) or a
    bound is crossed: ``_measure_shared`` finds which, and where.
    """
    if not isinstance(data, (dict, list)):
        return 1, 0
    level: list[Any] = [data]
    seen: set[int] = set()
    nodes, depth, collections = 1, -1, 0
    while level:
        depth += 1
        collections += len(level)
        seen.update(map(id, level))
        if depth > MAX_DEPTH or len(seen) < collections:
            return None
        nodes += sum(map(len, level))
        if nodes > MAX_NODES:
            return None
        level = [
            child
            for value in level
            for child in (value.values() if isinstance(value, dict) else value)
            if isinstance(child, (dict, list))
        ]
    return nodes, depth


def _measure_shared(data: Any) -> Shape:
    """``measure`` for data that may share collections: memoised by identity, path of a problem."""
    sizes: dict[int, int] = {}
    on_path: set[int] = set()
    max_depth = 0
    # Stack of (value, path, children iterator index state)
    stack: list[tuple[Any, tuple[str, ...], list[tuple[str, Any]], int]] = []
    if isinstance(data, (dict, list)):
        stack.append((data, (), _children(data), 0))
        on_path.add(id(data))
    else:
        return Shape(1, 0, "", ())
    while stack:
        value, path, kids, index = stack[-1]
        max_depth = max(max_depth, len(path))
        if len(path) > MAX_DEPTH:
            return Shape(0, len(path), "depth", path)
        if index < len(kids):
            stack[-1] = (value, path, kids, index + 1)
            key, child = kids[index]
            if isinstance(child, (dict, list)):
                cid = id(child)
                if cid in on_path:
                    return Shape(0, max_depth, "cycle", (*path, key))
                if cid not in sizes:
                    on_path.add(cid)
                    stack.append((child, (*path, key), _children(child), 0))
            continue
        stack.pop()
        on_path.discard(id(value))
        total = 1
        for _, child in kids:
            total += sizes.get(id(child), 1) if isinstance(child, (dict, list)) else 1
        sizes[id(value)] = total
        if total > MAX_NODES:
            return Shape(total, max_depth, "nodes", path)
    return Shape(sizes[id(data)], max_depth, "", ())


def deep_position(text: str) -> tuple[int, int]:
    """1-based (line, column) where nesting first goes deeper than ``MAX_DEPTH``.

    Scans parse events (flat, no recursion), so it works where building the
    data recursed too deep; JSON text is YAML too. ``(0, 0)`` if not found.
    """
    import yaml

    loader_cls = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    depth = 0
    try:
        for event in yaml.parse(text, Loader=loader_cls):
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
                start = event.start_mark
                if depth > MAX_DEPTH and start is not None:
                    return start.line + 1, start.column + 1
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
    except yaml.MarkedYAMLError as exc:
        # libyaml looks ahead past deep flow brackets and stops at its own limit
        # (1000) first; count the brackets ourselves.
        found = _deep_bracket(text)
        if found != (0, 0):
            return found
        mark = exc.problem_mark or exc.context_mark
        if mark is not None:
            return mark.line + 1, mark.column + 1
    except yaml.YAMLError:
        pass
    return _deep_bracket(text)


def _deep_bracket(text: str) -> tuple[int, int]:
    """Position of the first ``[``/``{`` nested deeper than ``MAX_DEPTH`` (quotes skipped)."""
    depth = 0
    line, col = 1, 0
    quote = ""
    escaped = False
    for char in text:
        col += 1
        if char == "\n":
            line, col = line + 1, 0
        if quote:
            if escaped:
                escaped = False
            elif char == "\\" and quote == '"':
                escaped = True
            elif char == quote:
                quote = ""
            continue
        if char in "\"'":
            quote = char
        elif char in "[{":
            depth += 1
            if depth > MAX_DEPTH:
                return line, col
        elif char in "]}":
            depth -= 1
    return 0, 0
