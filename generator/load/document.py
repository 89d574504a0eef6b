"""Loaded documents: data plus the means to locate any JSON pointer in its file.

A ``Document`` is the root spec and every file its ``$ref``s reach. Files are
parsed fast (libyaml / stdlib json, no positions); line and column are computed
only when a Diagnostic needs them, by composing the YAML node tree once.
"""

from __future__ import annotations

import functools
import json
import os
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from generator.diagnostics import Diagnostic, Severity

if TYPE_CHECKING:
    import yaml

    from generator.load.nodes import RefFollower
    from generator.load.refs import RefMap
from generator.load.lines import LineCounter, LineIndex

__all__ = ["Document", "Source", "SpecKind", "split_pointer", "unescape_pointer"]


def unescape_pointer(token: str) -> str:
    """Undo RFC 6901 escaping of one reference token."""
    return token.replace("~1", "/").replace("~0", "~")


def split_pointer(pointer: str) -> list[str]:
    """``/a/b~1c`` -> ``["a", "b/c"]``."""
    if not pointer:
        return []
    return [unescape_pointer(t) for t in pointer.lstrip("/").split("/")] if pointer != "/" else [""]


@dataclass(frozen=True, slots=True)
class SpecKind:
    """Which specification a document follows: ``openapi`` 3.1.0, ``swagger`` 2.0, ``asyncapi`` 3.0.0."""

    family: str  # "openapi" | "asyncapi"
    version: str  # as written, e.g. "2.0", "3.1.0"

    @property
    def major_minor(self) -> str:
        """``3.1.0`` -> ``3.1``."""
        return ".".join(self.version.split(".")[:2])

    def __str__(self) -> str:
        name = "Swagger" if self.family == "openapi" and self.major_minor == "2.0" else self.family
        return f"{name} {self.version}"


_BLOCK_LOCATE_FROM = 256 * 1024
"""Texts larger than this are located block by block (composing stripe whole takes 1.5 s)."""
_BLOCK_LEVELS = 12
"""Keys found by indentation before composing (``/components/schemas/Pet/properties/id``):
only the smallest block is composed (a diff of stripe locates hundreds of nodes deep in paths)."""


_Entries = dict[str, tuple["yaml.Node", "yaml.Node"]]
"""A mapping node's ``key -> (key node, value node)``, the last of duplicate keys winning.

PyYAML is imported only where positions are needed: a generate run that loads through
yaml-rs and reports nothing located never pays its import."""


def _position(
    tree: yaml.Node,
    tokens: list[str],
    *,
    top_key: bool = False,
    entries: dict[int, _Entries] | None = None,
) -> tuple[int, int]:
    """Walk ``tokens`` down ``tree``; the position of the key (or item) reached.

    Points at the key of a mapping entry (``paths:``) rather than its value, as
    editors do; ``top_key`` says the tree's own first key is ``tokens[0]``.
    ``entries`` memoises each mapping's keys by node identity (only for a tree
    kept alive with it): hundreds of problems under ``paths`` each scanned it.
    """
    import yaml

    node: yaml.Node = tree
    key_node: yaml.Node | None = None
    for token in tokens:
        nxt: yaml.Node | None = None
        if isinstance(node, yaml.MappingNode):
            if entries is None:
                for k, v in node.value:
                    if isinstance(k, yaml.ScalarNode) and k.value == token:
                        key_node, nxt = k, v
            else:
                keys = entries.get(id(node))
                if keys is None:
                    keys = entries[id(node)] = {
                        k.value: (k, v) for k, v in node.value if isinstance(k, yaml.ScalarNode)
                    }
                key_node, nxt = keys.get(token, (key_node, None))
            if nxt is None:
                break
        elif isinstance(node, yaml.SequenceNode) and token.isdigit():
            idx = int(token)
            if idx >= len(node.value):
                break
            key_node, nxt = None, node.value[idx]
        else:
            break
        node = nxt
    target = key_node if key_node is not None and (node is not tree or top_key) else node
    mark = target.start_mark
    return mark.line + 1, mark.column + 1


_scanstring: Callable[[str, int], tuple[str, int]] = json.decoder.scanstring  # type: ignore[attr-defined]
_skip_value: Callable[[str, int], tuple[Any, int]] = json.JSONDecoder(
    object_pairs_hook=len
).scan_once  # type: ignore[attr-defined]
"""Read one JSON value for where it ends (``StopIteration`` when none starts there): its
objects become their length, not dicts (0.7x the time over kubernetes' 3.7 MB)."""
_SPACE = re.compile(r"[ \t\n\r]*")


def _skip(text: str, at: int, comma: bool = False) -> int:
    """``at`` moved past whitespace (and one comma, when ``comma``)."""
    found = _SPACE.match(text, at)
    at = found.end() if found else at
    if comma and text.startswith(",", at):
        return _skip(text, at + 1)
    return at


_Members = dict[str, tuple[int, int]] | list[int]
"""An object's ``key -> (key offset, value offset)``, or an array's item offsets."""


def _members(text: str, at: int) -> _Members:
    """Index the object or array starting at ``at`` (each value skipped at C speed).

    Raises ``ValueError`` or ``StopIteration`` where the text is not JSON."""
    if text.startswith("{", at):
        keys: dict[str, tuple[int, int]] = {}
        at = _skip(text, at + 1)
        while not text.startswith("}", at):
            key, after = _scanstring(text, at + 1)
            value = _skip(text, _skip(text, after) + 1)
            keys[key] = (at, value)  # the last of duplicate keys wins, as in json.loads
            at = _skip(text, _skip_value(text, value)[1], comma=True)
        return keys
    items: list[int] = []
    at = _skip(text, at + 1)
    while not text.startswith("]", at):
        items.append(at)
        at = _skip(text, _skip_value(text, at)[1], comma=True)
    return items


def _json_position(text: str, tokens: list[str], index: dict[int, _Members]) -> int | None:
    """The offset of ``tokens`` in JSON text, without building a tree.

    Same convention as the composed tree: a mapping entry's key, a list's item,
    the nearest parent when a token is missing. ``index`` memoises the objects
    walked, so each is skipped through once however many problems it holds.
    """
    at = mark = _skip(text, 0)
    try:
        for token in tokens:
            if not text.startswith(("{", "["), at):
                break
            if at not in index:
                index[at] = _members(text, at)
            members = index[at]
            if isinstance(members, dict):
                if token not in members:
                    break
                mark, at = members[token]
            elif token.isdigit() and int(token) < len(members):
                mark = at = members[int(token)]
            else:
                break
    except (ValueError, IndexError, StopIteration):
        return None
    return mark


def _key_of(line: str) -> str | None:
    """The key a ``key: ...`` line starts with (plain or simply quoted), else ``None``.

    An explicit key, ``? key`` on one line (twilio writes its longest paths so),
    counts when it is plain and simple; ``LineIndex.child_keys`` checks that its
    ``: value`` line follows.
    """
    text = line.lstrip(" ")
    if text.startswith("? "):
        key = text[2:].strip()
        simple = key and key[0] not in "-?[]{},&*!|>%@`#:\"'" and not key.endswith(":")
        return key if simple and ": " not in key and " #" not in key else None
    if text[0] in "\"'":
        close = text.find(text[0], 1)
        if close < 0 or not text[close + 1 :].startswith(":"):
            return None
        key = text[1:close]
        return None if "\\" in key or text[0] in key else key
    if text[0] in "-?[]{},&*!|>%@`#":
        return None
    colon = text.find(": ")
    if colon < 0:
        text = text.rstrip()
        colon = len(text) - 1 if text.endswith(":") else -1
    if colon <= 0 or " #" in text[:colon]:
        return None
    return text[:colon].rstrip()


@dataclass(eq=False)
class Source:
    """One parsed file: its path, display name, text and data."""

    path: Path
    display: str
    text: str
    data: Any
    is_json: bool
    _tree: yaml.Node | bool | None = field(default=False, repr=False)
    _index: LineIndex | None = field(default=None, repr=False)
    _line_counter: LineCounter | None = field(default=None, repr=False)
    _block_trees: dict[tuple[int, int], yaml.Node | None] = field(default_factory=dict, repr=False)
    _blocks: dict[tuple[int, int], dict[str, tuple[int, int, int]] | None] = field(
        default_factory=dict, repr=False
    )
    _json_index: dict[int, _Members] = field(default_factory=dict, repr=False)
    _entries: dict[int, _Entries] = field(default_factory=dict, repr=False)

    @functools.cached_property
    def folder(self) -> str:
        """The folder holding the file, as text: relative ``$ref``s in it start there."""
        return os.path.dirname(self.path)

    def locate(self, pointer: str) -> tuple[int, int]:
        """1-based (line, column) of the node at ``pointer``, or its nearest located parent.

        Large YAML files are not composed whole for this: the first keys of the
        pointer are found by indentation and only that block is composed
        (``_locate_in_block``); anything unusual falls back to the whole tree.
        """
        tokens = split_pointer(pointer)
        if tokens and self._tree is False and len(self.text) > _BLOCK_LOCATE_FROM:
            if self.is_json:
                offset = _json_position(self.text, tokens, self._json_index)
                found = None if offset is None else self._counter().position(offset)
            else:
                found = self._locate_in_block(tokens)
            if found is not None:
                return found
        tree = self._node_tree()
        if tree is None:
            return (1, 1) if pointer == "" else (0, 0)
        return _position(tree, tokens, entries=self._entries)

    def _counter(self) -> LineCounter | LineIndex:
        """Positions of offsets: the line index when built already, else a counter."""
        if self._index is not None:
            return self._index
        if self._line_counter is None:
            self._line_counter = LineCounter(self.text)
        return self._line_counter

    def _lines(self) -> LineIndex:
        if self._index is None:
            self._index = LineIndex(self.text)
        return self._index

    def _locate_in_block(self, tokens: list[str]) -> tuple[int, int] | None:
        lines = self._lines().lines
        start, end, indent, consumed = 0, len(lines), -1, 0
        for token in tokens[:_BLOCK_LEVELS]:
            children = self._children(start + (consumed > 0), end, indent)
            if children is None or token not in children:
                break
            start, indent, end = children[token]
            consumed += 1
        if consumed == 0:
            return None
        import yaml

        from generator.load.yaml12 import compose

        if (start, end) not in self._block_trees:
            try:
                self._block_trees[start, end] = compose("\n".join(lines[start:end]) + "\n")
            except (yaml.YAMLError, RecursionError, ValueError):
                self._block_trees[start, end] = None
        tree = self._block_trees[start, end]
        if not isinstance(tree, yaml.MappingNode):
            return None
        line, column = _position(tree, tokens[consumed - 1 :], top_key=True, entries=self._entries)
        return line + start, column

    def _children(
        self, start: int, end: int, indent: int
    ) -> dict[str, tuple[int, int, int]] | None:
        """``key -> (line index, indentation, end of its block)`` for one block (memoised)."""
        memo = self._blocks.get((start, indent))
        if memo is not None or (start, indent) in self._blocks:
            return memo
        lines = self._lines()
        found = lines.child_keys(start, end, indent, _key_of)
        children: dict[str, tuple[int, int, int]] | None = None
        if found is not None:
            children = {}
            for index, (key, line, ind) in enumerate(found):
                if index + 1 < len(found):
                    stop = found[index + 1][1]
                else:
                    stop = lines.block_end(line + 1, ind, end)
                children[key] = (line, ind, stop)
        self._blocks[(start, indent)] = children
        return children

    def _node_tree(self) -> yaml.Node | None:
        import yaml

        from generator.load.yaml12 import compose

        if self._tree is False:
            try:
                self._tree = compose(self.text)
            except (yaml.YAMLError, RecursionError, ValueError):
                self._tree = None
        return self._tree if isinstance(self._tree, yaml.Node) else None


def _no_map() -> RefMap:
    from generator.load.refs import NO_MAP  # refs imports this module

    return NO_MAP


@dataclass(eq=False)
class Document:
    """The root spec and the files its ``$ref``s reached, with located diagnostics."""

    root: Source
    root_dir: Path
    kind: SpecKind | None
    files: dict[Path, Source]
    allow_remote_refs: bool = False
    ref_map: RefMap = field(default_factory=lambda: _no_map())
    """URL prefixes whose network refs resolve from local folders (``--ref-map``)."""
    ref_diagnostics: list[Diagnostic] = field(default_factory=list)
    """What the loader found wrong with ``$ref``s (later stages skip what they would trip on)."""
    _refs: Any = field(default=None, repr=False, compare=False)

    @property
    def data(self) -> Any:
        """The root file's data."""
        return self.root.data

    @property
    def refs(self) -> RefFollower:
        """The document's ``$ref`` follower (``generator.load.nodes``), shared by every stage."""
        if self._refs is None:
            from generator.load.nodes import RefFollower

            self._refs = RefFollower(self)
        follower: RefFollower = self._refs
        return follower

    def forget_refs(self) -> None:
        """Drop the ``$ref`` follower (rebuilt when next asked for).

        It points back at this document, so a document dropped with its
        follower is a cycle only a full collection frees; a stage done with a
        document it made (Swagger 2.0's upgraded copy) breaks it here.
        """
        self._refs = None

    def diagnostic(
        self,
        pointer: str,
        code: str,
        message: str,
        severity: Severity = Severity.ERROR,
        source: Source | None = None,
    ) -> Diagnostic:
        """A Diagnostic located at ``pointer`` in ``source`` (default: the root file)."""
        src = source or self.root
        line, col = src.locate(pointer)
        if line < 1:  # not composable: the file's start, never an unlocated diagnostic
            line, col = 1, 1
        return Diagnostic(src.display, line, col, pointer, severity, code, message)

    @staticmethod
    def parse_json(text: str) -> Any:
        """Parse JSON text (kept here so every JSON read goes one way)."""
        return json.loads(text)
