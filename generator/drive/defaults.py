"""Which operations a user has not implemented yet, read from the code itself.

Two patterns are recognised, with ``ast`` alone (nothing is imported or run):

* a user class inherits a generated one (``class Handlers(DefaultHandlers)``):
  each public method of the generated base it does not define still runs its
  generated default;
* a user file starts as a copy of defaults (one function per operation): each
  function whose code is still exactly twinspec's default is not implemented.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

__all__ = ["Unimplemented", "unimplemented", "untouched"]


@dataclass(frozen=True, slots=True)
class Unimplemented:
    """An operation still on its default: where, which, and why we think so."""

    line: int
    column: int
    name: str
    reason: str


def _parse(text: str) -> ast.Module | None:
    try:
        return ast.parse(text)
    except (SyntaxError, ValueError):
        return None


def _base_names(node: ast.ClassDef) -> list[str]:
    names = []
    for base in node.bases:
        if isinstance(base, ast.Name):
            names.append(base.id)
        elif isinstance(base, ast.Attribute):
            names.append(base.attr)
    return names


def _methods(node: ast.ClassDef) -> list[str]:
    return [
        item.name for item in node.body if isinstance(item, ast.FunctionDef | ast.AsyncFunctionDef)
    ]


def _generated_classes(names: set[str], generated: Iterable[str]) -> dict[str, list[str]]:
    """Public methods of the generated classes called ``names`` (only files that define one are parsed)."""
    found: dict[str, list[str]] = {}
    for text in generated:
        if not any(f"class {name}" in text for name in names):
            continue
        module = _parse(text)
        for node in module.body if module else ():
            if isinstance(node, ast.ClassDef) and node.name in names:
                found[node.name] = [m for m in _methods(node) if not m.startswith("_")]
    return found


def unimplemented(user_text: str, generated: Mapping[str, str]) -> list[Unimplemented] | None:
    """Inherited generated methods each user class leaves to its default.

    ``generated`` maps the folder's generated Python files to their text.
    ``None`` when the user file follows no such pattern (no class inherits a
    generated one), so the caller can fall back to a coarser rule.
    """
    module = _parse(user_text)
    if module is None:
        return None
    classes = [node for node in module.body if isinstance(node, ast.ClassDef)]
    wanted = {name for node in classes for name in _base_names(node)}
    bases = _generated_classes(wanted, generated.values()) if wanted else {}
    if not bases:
        return None
    missing: list[Unimplemented] = []
    for node in classes:
        defined = set(_methods(node))
        for base in _base_names(node):
            missing.extend(
                Unimplemented(
                    node.lineno,
                    node.col_offset + 1,
                    f"{node.name}.{method}",
                    f"it still runs the generated default from {base}",
                )
                for method in bases.get(base, ())
                if method not in defined
            )
    return missing


def _functions(module: ast.Module) -> dict[str, ast.FunctionDef | ast.AsyncFunctionDef]:
    found: dict[str, ast.FunctionDef | ast.AsyncFunctionDef] = {}
    for node in module.body:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            found[node.name] = node
        elif isinstance(node, ast.ClassDef):
            for item in node.body:
                if isinstance(item, ast.FunctionDef | ast.AsyncFunctionDef):
                    found[f"{node.name}.{item.name}"] = item
    return found


def untouched(user_text: str, default_text: str) -> list[Unimplemented]:
    """Functions and methods of the user file whose code is still twinspec's default."""
    user, default = _parse(user_text), _parse(default_text)
    if user is None or default is None:
        return []
    defaults = {name: ast.dump(node) for name, node in _functions(default).items()}
    return [
        Unimplemented(node.lineno, node.col_offset + 1, name, "its body is still the default")
        for name, node in _functions(user).items()
        if defaults.get(name) == ast.dump(node)
    ]
