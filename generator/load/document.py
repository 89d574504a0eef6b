"""Loaded documents: data plus the means to locate any JSON pointer in its file.

A ``Document`` is the root spec and every file its ``$ref``s reach. Files are
parsed fast (libyaml / stdlib json, no positions); line and column are computed
only when a Diagnostic needs them, by composing the YAML node tree once.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from generator.diagnostics import Diagnostic, Severity
from generator.load.yaml12 import compose

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


@dataclass(eq=False)
class Source:
    """One parsed file: its path, display name, text and data."""

    path: Path
    display: str
    text: str
    data: Any
    is_json: bool
    _tree: yaml.Node | bool | None = field(default=False, repr=False)

    def locate(self, pointer: str) -> tuple[int, int]:
        """1-based (line, column) of the node at ``pointer``, or its nearest located parent."""
        tree = self._node_tree()
        if tree is None:
            return (1, 1) if pointer == "" else (0, 0)
        node: yaml.Node = tree
        key_node: yaml.Node | None = None
        for token in split_pointer(pointer):
            nxt: yaml.Node | None = None
            if isinstance(node, yaml.MappingNode):
                for k, v in node.value:
                    if isinstance(k, yaml.ScalarNode) and k.value == token:
                        key_node, nxt = k, v
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
        else:
            key_node = key_node if key_node is not None else None
        # Point at the key of a mapping entry ("paths:") rather than its value, as editors do.
        target = key_node if key_node is not None and node is not tree else node
        mark = target.start_mark
        return mark.line + 1, mark.column + 1

    def _node_tree(self) -> yaml.Node | None:
        if self._tree is False:
            try:
                self._tree = compose(self.text)
            except (yaml.YAMLError, RecursionError, ValueError):
                self._tree = None
        return self._tree if isinstance(self._tree, yaml.Node) else None


@dataclass(eq=False)
class Document:
    """The root spec and the files its ``$ref``s reached, with located diagnostics."""

    root: Source
    root_dir: Path
    kind: SpecKind | None
    files: dict[Path, Source]
    allow_remote_refs: bool = False
    ref_diagnostics: list[Diagnostic] = field(default_factory=list)
    """What the loader found wrong with ``$ref``s (later stages skip what they would trip on)."""

    @property
    def data(self) -> Any:
        """The root file's data."""
        return self.root.data

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
        return Diagnostic(src.display, line, col, pointer, severity, code, message)

    @staticmethod
    def parse_json(text: str) -> Any:
        """Parse JSON text (kept here so every JSON read goes one way)."""
        return json.loads(text)
