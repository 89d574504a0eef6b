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

import re
from collections.abc import Callable
from typing import Any, ClassVar

import yaml

from generator.load.masking import first_control, mask, unmask, unmask_node, unmask_text

__all__ = ["YAML11_VALUE", "LoadWarning", "Yaml12Loader", "compose", "full_load", "load_yaml"]

try:  # libyaml when available
    _BaseLoader: type[yaml.SafeLoader] = yaml.CSafeLoader  # type: ignore[assignment]
except AttributeError:  # pragma: no cover - pure-Python PyYAML
    _BaseLoader = yaml.SafeLoader

LoadWarning = tuple[int, int, str, str]
"""(line, column, code, message) of a problem the loader tolerated."""

YAML11_VALUE = (
    "yaml11-value",
    "'=' is read as the string '='; YAML 1.1 tools (PyYAML, openapi-spec-validator)"
    " fail on it: quote it",
)
"""(code, message) of the warning on a plain ``=`` (``fastyaml`` gives it too)."""

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


def load_yaml(text: str) -> tuple[Any, list[LoadWarning]]:
    """Parse one YAML document into plain JSON-compatible data.

    Raises ``yaml.YAMLError`` for malformed text (the caller makes a Diagnostic).
    yaml-rs reads it when it reads it the same way (see ``fastyaml``).
    """
    from generator.load.fastyaml import fast_load, yaml12_load

    fast = fast_load(text)
    if fast is not None:
        return fast
    try:
        return full_load(text)
    except yaml.YAMLError:
        # libyaml's YAML 1.1 rules refused it: yaml-rs decides whether YAML 1.2 reads it.
        read = yaml12_load(text)
        if read is None:
            raise
        return read


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
    """The node tree with positions (used only on the error path)."""
    masked, changed = mask(text)
    loader = _PositionLoader(masked)
    try:
        node: yaml.Node | None = loader.get_single_node()
    finally:
        loader.dispose()
    return unmask_node(node) if changed else node
