"""Bounds on what a loaded document may be, so hostile input ends in a Diagnostic.

YAML aliases let a 1 KB file stand for 10^9 nodes (billion laughs). libyaml keeps
aliases as shared objects, so parsing is cheap; every later stage that walks the
data would not be. ``measure`` computes the expanded size and depth in one
iterative pass (memoised by object identity, so shared subtrees cost once) and
detects recursive aliases, which JSON cannot express. ``unrepresentable``
finds values the document may not hold because no JSON text or generated
Python module can: unpaired UTF-16 surrogates, NaN and infinities, integers
beyond a JSON number's range.
"""

from __future__ import annotations

import itertools
import math
import operator
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, Literal

__all__ = [
    "MAX_BYTES",
    "MAX_DEPTH",
    "MAX_NODES",
    "Shape",
    "Unrepresentable",
    "deep_position",
    "long_number_position",
    "measure",
    "plain_shape",
    "surrogate_escape_position",
    "unrepresentable",
]

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
    clean: bool = True
    """False when some value may be unrepresentable: ``unrepresentable`` says which."""


def _children(value: Any) -> list[tuple[str, Any]]:
    if isinstance(value, dict):
        return [(_key_text(k), v) for k, v in value.items()]
    if isinstance(value, list):
        return [(str(i), v) for i, v in enumerate(value)]
    return []


def measure(data: Any) -> Shape:
    """Measure ``data`` without recursion; stop at the first bound crossed."""
    tree = _walk_shape(data)
    if tree is None:
        tree = _tree_shape(data)
    if isinstance(tree, tuple):
        nodes, depth, clean = tree
        return Shape(nodes, depth, "", (), clean)
    shape = _measure_shared(data)
    if shape.problem:
        return shape
    return Shape(shape.nodes, shape.depth, "", (), not unrepresentable(data))


def _tree_shape(
    data: Any, plain: bool = False, renamed: list[int] | None = None
) -> tuple[int, int, bool] | Literal[False] | None:
    """``(nodes, depth, clean)`` of data within bounds that shares no collection, level by level.

    This is the common case (yaml-rs and JSON data never share), and working a
    level at a time with C-level ``len``/``map``/``compress`` costs a fraction
    of the general walk; the same pass pre-checks every key and value for
    ``unrepresentable`` (``clean``). ``None`` when a collection is reached
    twice (aliases, cycles) or a bound is crossed: ``_measure_shared`` finds
    which, and where. With ``plain`` (``plain_shape``) it also checks each
    level is JSON's data, making integer keys strings: ``False`` when not.
    """
    if not isinstance(data, (dict, list)):
        return 1, 0, _describe(data) is None
    dicts: list[Any] = [data] if type(data) is dict else []
    lists: list[Any] = [] if dicts else [data]
    seen: set[int] = set()
    nodes, depth, collections, clean = 1, -1, 0, True
    chain = itertools.chain.from_iterable
    while dicts or lists:
        depth += 1
        collections += len(dicts) + len(lists)
        seen.update(map(id, dicts))
        seen.update(map(id, lists))
        if depth > MAX_DEPTH or len(seen) < collections:
            return None
        nodes += sum(map(len, dicts)) + sum(map(len, lists))
        if nodes > MAX_NODES:
            return None
        if plain and not _plain_keys(dicts, renamed):
            return False
        children = [*chain(map(dict.values, dicts)), *chain(lists)]
        types = list(map(type, children))
        if plain and not _JSON_TYPES.issuperset(types):
            return False
        if clean:  # the keys too: they become names and literals
            keys = list(chain(dicts))
            clean = _level_clean(children, types) and _level_clean(keys, list(map(type, keys)))
        dicts = list(_of_type(children, types, dict))
        lists = list(_of_type(children, types, list))
    return nodes, depth, clean


def _walk_shape(
    data: Any, plain: bool = False, renamed: list[int] | None = None
) -> tuple[int, int, bool] | Literal[False] | None:
    """``_tree_shape`` for data made only of JSON's types, one collection at a time.

    Faster than working level by level on every corpus spec (a fifth of its
    time on DigitalOcean's 2,850 files of 26 values each, about half on
    stripe's one): each level's lists and sets cost more than the values they
    hold. With ``plain``, integer keys become strings as there, and ``False``
    says a key or value is not JSON's. ``None`` for anything else (a shared
    collection, a bound crossed, and without ``plain`` a key that is no
    string or a value of another type): ``_tree_shape`` decides then.
    """
    if type(data) is not dict and type(data) is not list:
        return None
    seen = {id(data)}
    stack: list[Any] = [data]
    levels = [0]  # each collection's depth, beside it on ``stack``
    nodes, depth, clean = 1, 0, True
    while stack:
        value = stack.pop()
        level = levels.pop() + 1  # its children's
        nodes += len(value)
        if type(value) is dict:
            if not _STR.issuperset(map(type, value)):
                if not plain:
                    return None
                if not _plain_keys([value], renamed):
                    return False
            if clean and not all(map(str.isascii, value)):
                clean = not any(map(_SURROGATE.search, value))
            items: Any = value.values()
        else:
            items = value
        for item in items:
            kind = type(item)
            if kind is str:
                if clean and not item.isascii() and _SURROGATE.search(item):
                    clean = False
            elif kind is dict or kind is list:
                if id(item) in seen:
                    return None
                seen.add(id(item))
                stack.append(item)
                levels.append(level)
                if level > depth:
                    depth = level
            elif kind is int:
                if item.bit_length() > _MAX_FLOAT_BITS:
                    clean = False
            elif kind is float:
                if not math.isfinite(item):
                    clean = False
            elif kind is not bool and item is not None:
                return False if plain else None
    if depth > MAX_DEPTH or nodes > MAX_NODES:
        return None
    return nodes, depth, clean


_STR = frozenset({str})
_KEYS = frozenset({str, int})
_JSON_TYPES = frozenset({str, int, float, bool, type(None), dict, list})
"""JSON's types; yaml-rs gives exactly these classes, never subclasses."""


def _plain_keys(dicts: list[dict[Any, Any]], renamed: list[int] | None = None) -> bool:
    """Make one level's integer keys strings in place; ``False`` on any other non-string key.

    Each mapping renamed is counted in ``renamed``: the fast path then checks how they were spelled.
    """
    if _STR.issuperset(map(type, itertools.chain.from_iterable(dicts))):
        return True
    for value in dicts:
        if not _STR.issuperset(map(type, value)):
            if not _KEYS.issuperset(map(type, value)):
                return False
            strings = {str(k): v for k, v in value.items()}
            if len(strings) != len(value):  # 1 and "1" both present
                return False
            value.clear()
            value.update(strings)
            if renamed is not None:
                renamed.append(len(value))
    return True


def plain_shape(
    data: dict[Any, Any], renamed: list[int] | None = None
) -> Shape | Literal[False] | None:
    """yaml-rs's data made JSON's (integer keys as strings) and measured, in one pass.

    ``False`` when it is not JSON's data (a float key, a set...: the full
    loader decides). ``None`` when the pass could not finish (shared, too deep
    or too large): ``make_plain`` and ``measure`` decide and say where. Two
    passes cost about twice one on the 2,850 small files of DigitalOcean's spec.
    """
    tree = _walk_shape(data, plain=True, renamed=renamed)
    if tree is None:
        tree = _tree_shape(data, plain=True, renamed=renamed)
    if not tree:
        return tree
    nodes, depth, clean = tree
    return Shape(nodes, depth, "", (), clean)


def make_plain(data: dict[Any, Any], renamed: list[int] | None = None) -> bool:
    """Make integer keys strings in place; ``False`` on any other non-JSON key or value.

    Types are collected per collection with C-level ``map``/``set``: a Python
    test per value took a third of the fast path's time on stripe's spec.
    """
    stack: list[Any] = [data]
    while stack:
        value = stack.pop()
        if type(value) is dict:
            if not _plain_keys([value], renamed):
                return False
            items = value.values()
        else:
            items = value
        types = set(map(type, items))
        if not types <= _JSON_TYPES:
            return False
        if dict in types or list in types:
            stack += [item for item in items if type(item) is dict or type(item) is list]
    return True


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


# -- values no JSON text or Python module can hold ------------------------------------------

_SURROGATE = re.compile("[\ud800-\udfff]")
_MAX_FLOAT_BITS = sys.float_info.max_exp  # 1024: a wider integer overflows a double
_MAX_REPORTED = 20


@dataclass(frozen=True, slots=True)
class Unrepresentable:
    """A value (or mapping key) the document may not hold, where, and why."""

    path: tuple[str, ...]
    code: str
    message: str


def _describe(value: object) -> tuple[str, str] | None:
    """``(code, message)`` when ``value`` cannot be written as JSON nor generated as Python."""
    if isinstance(value, str):
        found = _SURROGATE.search(value)
        if found is None:
            return None
        return (
            "unpaired-surrogate",
            f"text holds the unpaired UTF-16 surrogate \\u{ord(found.group()):04x}, which is no "
            "character: UTF-8 (every file twinspec writes) cannot hold it",
        )
    if isinstance(value, float) and not math.isfinite(value):
        return (
            "not-a-json-number",
            f"{value!r} is not a JSON number: JSON has no NaN or infinities (a literal like "
            "1e400 overflows to infinity); write the value as a string, or leave it out",
        )
    if isinstance(value, int) and value.bit_length() > _MAX_FLOAT_BITS:
        digits = int(value.bit_length() * math.log10(2)) + 1
        return (
            "number-out-of-range",
            f"an integer of about {digits} digits is beyond the range of a JSON number "
            f"(about ±{sys.float_info.max:.1e}); write it as a string",
        )
    return None


def _of_type(values: list[Any], types: list[type], wanted: type) -> Iterator[Any]:
    """The items of ``values`` whose exact type is ``wanted``, filtered at C speed."""
    return itertools.compress(values, map(operator.is_, types, itertools.repeat(wanted)))


def _level_clean(children: list[Any], types: list[type]) -> bool:
    """Cheap pre-check of one level's keys and values: True when none can be unrepresentable."""
    kinds = set(types)
    if str in kinds:
        wide = itertools.filterfalse(str.isascii, _of_type(children, types, str))
        if any(map(_SURROGATE.search, wide)):
            return False
    if float in kinds and not all(map(math.isfinite, _of_type(children, types, float))):
        return False
    ints = _of_type(children, types, int) if int in kinds else iter(())
    return max(map(int.bit_length, ints), default=0) <= _MAX_FLOAT_BITS


def unrepresentable(data: Any) -> list[Unrepresentable]:
    """The values (and keys) of ``data`` no JSON text or Python module can hold, with paths.

    Up to a bound, depth first in document order; shared and recursive data
    (YAML aliases) are visited once per object. A full walk: run it when
    ``measure`` found the data not ``clean``.
    """
    found: list[Unrepresentable] = []
    seen: set[int] = set()
    stack: list[tuple[tuple[str, ...], Any]] = [((), data)]
    while stack and len(found) < _MAX_REPORTED:
        path, value = stack.pop()
        if isinstance(value, (dict, list)):
            if id(value) in seen:
                continue
            seen.add(id(value))
            items = value.items() if isinstance(value, dict) else enumerate(value)
            kids: list[tuple[tuple[str, ...], Any]] = []
            for key, child in items:
                name = key if type(key) is str else _key_text(key)
                if isinstance(value, dict) and (problem := _describe(key)) is not None:
                    found.append(Unrepresentable((*path, name), *problem))
                kids.append(((*path, name), child))
            stack.extend(reversed(kids))
        elif (problem := _describe(value)) is not None:
            found.append(Unrepresentable(path, *problem))
    return found


def _key_text(key: object) -> str:
    """A mapping key as a pointer token; an integer too long for ``str`` gets a stand-in."""
    try:
        return str(key)
    except ValueError:
        return "<integer>"


def long_number_position(text: str) -> tuple[int, int]:
    """1-based (line, column) of the first digit run longer than Python converts (else (0, 0)).

    For the parser's "Exceeds the limit ... for integer string conversion",
    which carries no position.
    """
    limit = sys.get_int_max_str_digits() or 4300
    found = re.search(f"[0-9]{{{limit + 1}}}", text)
    if found is None:
        return 0, 0
    start = found.start()
    while start and text[start - 1].isdigit():
        start -= 1
    line = text.count("\n", 0, start) + 1
    return line, start - (text.rfind("\n", 0, start) + 1) + 1


_ESCAPED_SURROGATE = re.compile(r"\\[uU](?:0000)?([dD][89a-fA-F][0-9a-fA-F]{2})")


def surrogate_escape_position(text: str) -> tuple[int, int]:
    """1-based (line, column) of the first ``\\uD800``-style escape not part of a pair, else (0, 0)."""
    matches = list(_ESCAPED_SURROGATE.finditer(text))
    paired: set[int] = set()
    for high, low in itertools.pairwise(matches):
        if (
            high.end() == low.start()
            and high.start() not in paired
            and int(high.group(1), 16) < 0xDC00 <= int(low.group(1), 16)
        ):
            paired.update((high.start(), low.start()))
    for found in matches:
        if found.start() not in paired:
            start = found.start()
            return text.count("\n", 0, start) + 1, start - (text.rfind("\n", 0, start) + 1) + 1
    return 0, 0
