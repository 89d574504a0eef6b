"""YAML read the way OpenAPI and AsyncAPI mean it: YAML 1.2, JSON-compatible values.

PyYAML implements YAML 1.1, which turns ``200:`` into an int key, ``2024-01-01``
into a ``date`` and ``on``/``yes`` into booleans. This loader keeps only the
YAML 1.2 core schema resolvers (null, bool, int, float; everything else is a
string), makes every mapping key a string (as written), and turns unknown tags
into their plain value with a warning, the way the common JavaScript loaders do.
libyaml's C parser is used when present (about 1.5x faster on large specs).

What YAML 1.2 accepts is accepted: characters libyaml refuses or breaks lines at
are masked for it (``masking``), and a text whose layout libyaml refuses (a tab
where YAML 1.1 wants indentation, a tab-only line, ``-\t``) is read by yaml-rs, a
YAML 1.2 parser, when it reads it as this loader would (the fast path reads such
texts already; this is for those its guards send here, such as ones with anchors).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any, ClassVar

import yaml

from generator.load.fastyaml import YAML11_VALUE, LoadWarning, load_yaml
from generator.load.masking import first_control, mask, unmask, unmask_node, unmask_text

__all__ = [
    "YAML11_VALUE",
    "LoadWarning",
    "Yaml12Loader",
    "compose",
    "full_load",
    "load_yaml",
    "tagged_load",
]

try:  # libyaml when available
    _BaseLoader: type[yaml.SafeLoader] = yaml.CSafeLoader  # type: ignore[assignment]
except AttributeError:  # pragma: no cover - pure-Python PyYAML
    _BaseLoader = yaml.SafeLoader

_CORE: list[tuple[str, str, str]] = [
    ("tag:yaml.org,2002:null", r"^(?:~|null|Null|NULL|)$", "~nN"),
    ("tag:yaml.org,2002:bool", r"^(?:true|True|TRUE|false|False|FALSE)$", "tTfF"),
    ("tag:yaml.org,2002:int", r"^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$", "-+0123456789"),
    (
        "tag:yaml.org,2002:float",
        r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?"
        r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$",
        "-+0123456789.",
    ),
]


class Yaml12Loader(_BaseLoader):  # type: ignore[misc, valid-type]
    """A safe loader with YAML 1.2 core-schema resolution and string keys."""

    yaml_implicit_resolvers: ClassVar[dict[str | None, list[tuple[str, re.Pattern[str]]]]] = {}
    yaml_constructors: ClassVar[dict[str | None, Callable[..., Any]]] = dict(
        yaml.SafeLoader.yaml_constructors
    )
    yaml_multi_constructors: ClassVar[dict[str, Callable[..., Any]]] = {}

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self.load_warnings: list[LoadWarning] = []

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[str, Any]:
        """Build a mapping with string keys as written; warn on duplicate keys."""
        if not isinstance(node, yaml.MappingNode):  # pragma: no cover - guarded by PyYAML
            raise yaml.constructor.ConstructorError(
                None, None, f"expected a mapping node, but found {node.id}", node.start_mark
            )
        self.flatten_mapping(node)
        mapping: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if isinstance(key_node, yaml.ScalarNode):
                key = key_node.value
                if key_node.tag == "tag:yaml.org,2002:null" and key in (
                    "~",
                    "null",
                    "Null",
                    "NULL",
                ):
                    key = "null"
            else:
                key = yaml.dump(self.construct_object(key_node, deep=True), default_flow_style=True)
                key = key.strip()
                self._warn(key_node, "yaml-complex-key", f"complex mapping key read as {key!r}")
            if key in mapping:
                self._warn(
                    key_node, "yaml-duplicate-key", f"duplicate key {key!r}; the last one wins"
                )
            mapping[key] = self.construct_object(value_node, deep=deep)
        return mapping

    def construct_unknown(self, tag_suffix: str, node: yaml.Node) -> Any:
        """Read an unknown tag as its plain value, as JavaScript loaders do."""
        self._warn(node, "yaml-unknown-tag", f"unknown YAML tag {node.tag!r} ignored")
        if isinstance(node, yaml.MappingNode):
            return self.construct_mapping(node, deep=True)
        if isinstance(node, yaml.SequenceNode):
            return self.construct_sequence(node, deep=True)
        return self.construct_scalar(node)

    def construct_yaml11_value(self, node: yaml.Node) -> Any:
        """``=`` is YAML 1.1's value key; OpenAPI means the string."""
        self._warn(node, *YAML11_VALUE)
        return self.construct_scalar(node)

    def _warn(self, node: yaml.Node, code: str, message: str) -> None:
        mark = node.start_mark
        self.load_warnings.append((mark.line + 1, mark.column + 1, code, message))


for _tag, _pattern, _first in _CORE:
    # "" registers the empty plain scalar (``name:``), which is null in YAML 1.2.
    _starts = [*_first, ""] if _tag.endswith(":null") else list(_first)
    Yaml12Loader.add_implicit_resolver(_tag, re.compile(_pattern), _starts)
Yaml12Loader.add_multi_constructor("", Yaml12Loader.construct_unknown)
Yaml12Loader.add_constructor("tag:yaml.org,2002:value", Yaml12Loader.construct_yaml11_value)
# A plain ``=`` (published specs have ``- =`` in enums) gets the same treatment.
Yaml12Loader.add_implicit_resolver("tag:yaml.org,2002:value", re.compile(r"^=$"), ["="])
for _tag in ("timestamp", "binary", "omap", "pairs", "set"):
    # Explicit YAML 1.1 types: keep the text, as JSON would.
    Yaml12Loader.add_constructor(f"tag:yaml.org,2002:{_tag}", Yaml12Loader.construct_unknown)


def _construct_int(loader: Yaml12Loader, node: yaml.ScalarNode) -> int:
    text = str(loader.construct_scalar(node))
    if text.startswith("0o"):
        return int(text[2:], 8)
    if text.startswith("0x"):
        return int(text[2:], 16)
    return int(text)


Yaml12Loader.add_constructor("tag:yaml.org,2002:int", _construct_int)


def full_load(text: str) -> tuple[Any, list[LoadWarning]]:
    """``load_yaml`` by libyaml and PyYAML alone: located errors and warnings."""
    control = first_control(text)
    if control is not None:
        line, column, char = control
        raise yaml.MarkedYAMLError(
            problem=f"control character U+{ord(char):04X} is not allowed in YAML"
            f" (write it as the escape \\x{ord(char):02x} inside a double-quoted string)",
            problem_mark=yaml.Mark("<text>", 0, line - 1, column - 1, None, 0),
        )
    masked, changed = mask(text)
    loader = Yaml12Loader(masked)
    try:
        data = loader.get_single_data()
    finally:
        loader.dispose()
    if not changed:
        return data, loader.load_warnings
    warnings = [(ln, col, code, unmask_text(msg)) for ln, col, code, msg in loader.load_warnings]
    return unmask(data), warnings


class _PositionLoader(_BaseLoader):  # type: ignore[misc, valid-type]
    """Composes the node tree only: no tag resolution, which positions do not need."""

    yaml_implicit_resolvers: ClassVar[dict[str | None, list[tuple[str, re.Pattern[str]]]]] = {}
    yaml_path_resolvers: ClassVar[dict[Any, Any]] = {}


def compose(text: str) -> yaml.Node | None:
    """The node tree with positions (used only to locate diagnostics).

    A text whose tabs libyaml refuses by their layout (YAML 1.2 allows them; the
    loader read it through yaml-rs) is composed with those tabs swapped one for one
    (``_relaxed``), so its diagnostics keep their lines and columns.
    """
    try:
        return _compose(text)
    except yaml.YAMLError:
        if "\t" not in text or _TAB_SENTINEL in text:
            raise
        node = _compose(_relaxed(text))
        back = {ord(_TAB_SENTINEL): "\t"}
        stack: list[Any] = [node] if node is not None else []
        while stack:
            current = stack.pop()
            if isinstance(current, yaml.ScalarNode):
                current.value = current.value.translate(back)
            elif isinstance(current, yaml.SequenceNode):
                stack += current.value
            elif isinstance(current, yaml.MappingNode):
                stack += [part for pair in current.value for part in pair]
        return node


def _compose(text: str) -> yaml.Node | None:
    masked, changed = mask(text)
    loader = _PositionLoader(masked)
    try:
        node: yaml.Node | None = loader.get_single_node()
    finally:
        loader.dispose()
    return unmask_node(node) if changed else node


_TAB_SENTINEL = "\U00100009"
"""What a leading tab becomes for libyaml in ``_relaxed`` (content of a block scalar)."""
_TABBED_LINE = re.compile(r"^([ \t]*)((?:[-?:][ \t]+)*)(.?)", re.M)
"""A line's indentation, its run of ``-``/``?``/``:`` indicators, and the character after."""


def _relaxed(text: str) -> str:
    """``text`` with each tab libyaml refuses by its layout swapped one for one.

    A tab in a line's leading whitespace becomes ``_TAB_SENTINEL`` where content
    follows (YAML 1.2 reads it as content: a block scalar's line) and a space on a
    blank or comment line; a tab after a leading ``-``/``?``/``:`` indicator (a
    separator) becomes a space. Lines and columns stay where they were.
    """

    def swap(found: re.Match[str]) -> str:
        lead, indicators, after = found.groups()
        blank = after in ("", "#", "\r") and not indicators
        lead = lead.replace("\t", " " if blank else _TAB_SENTINEL)
        return lead + indicators.replace("\t", " ") + after

    return _TABBED_LINE.sub(swap, text)


def tagged_load(text: str) -> tuple[Any, list[LoadWarning]] | None:
    """A text with tags (or anchors) whose layout libyaml refuses, read as YAML 1.2 reads it.

    yaml-rs decides: it must read ``text``, and libyaml must read the same data from
    ``text`` with its refused tabs swapped (``_relaxed``, positions unchanged), whose
    tag and duplicate-key warnings are then kept. ``None``: not so (the caller gives
    libyaml's located error).
    """
    from generator.load.guards import shallow

    try:
        import yaml_rs
    except ImportError:  # pragma: no cover - yaml-rs is a dependency
        return None
    if "\t" not in text or _TAB_SENTINEL in text or not shallow(text) or first_control(text):
        return None
    try:
        expected = yaml_rs.loads(
            text,
            parse_datetime=False,
            duplicate_key_policy=yaml_rs.DuplicateKeyPolicy.LastWins,
        )
        data, warnings = full_load(_relaxed(text))
    except Exception:  # either refused it: libyaml's own error stands
        return None
    back = {ord(_TAB_SENTINEL): "\t"}
    data = _untab(data, back)
    try:
        same = json.dumps(data, ensure_ascii=False) == json.dumps(expected, ensure_ascii=False)
    except (TypeError, ValueError):  # a value JSON cannot hold (a set from !!set): no decision
        return None
    if not same:
        return None
    return data, [(ln, col, code, msg.translate(back)) for ln, col, code, msg in warnings]


def _untab(data: Any, back: dict[int, str]) -> Any:
    """``data`` with ``_TAB_SENTINEL`` turned back into tabs in every string, key or value.

    In place, without recursion (nesting may be deep); shared collections once.
    """
    if isinstance(data, str):
        return data.translate(back)
    seen: set[int] = set()
    stack: list[Any] = [data]
    while stack:
        value = stack.pop()
        if id(value) in seen:
            continue
        seen.add(id(value))
        if isinstance(value, dict):
            items = [(k.translate(back) if isinstance(k, str) else k, v) for k, v in value.items()]
            value.clear()
            value.update(items)
            entries: Any = list(value.items())
        elif isinstance(value, list):
            entries = list(enumerate(value))
        else:
            continue
        for key, item in entries:
            if isinstance(item, str):
                value[key] = item.translate(back)
            elif isinstance(item, (dict, list)):
                stack.append(item)
    return data
