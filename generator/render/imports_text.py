"""``models.py``'s import block and ``__all__`` in the order ruff's fixes would leave them.

ruff's check pass fixes the import block (``I001``, ``F401``) and ``__all__``
(``RUF022``); a file it fixes is linted a second time, which for stripe's
3.4 MB ``models.py`` doubles the check's cost (0.14 -> 0.075 s CPU without a
fix). So the block is written as isort (ruff's defaults, line length 100)
writes it: sections (standard library, then third party) one blank line apart,
``import x`` lines before ``from x import ...`` lines, each module once, its
names constants, classes, then the rest. Only the order is decided here: ruff
still checks and fixes every file, so a case this gets wrong costs the second
lint, never a different byte.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable

from generator.ir.schema import Import, export_order, name_kind, natural_key

__all__ = ["IMPORT_FILTERS", "export_order", "import_lines", "ruff_exports"]

_LINE_LENGTH = 100


def ruff_exports(names: Iterable[str]) -> list[str]:
    """``names`` in ``RUF022``'s order (``export_order``; ``TypeModel.exports`` is already in it)."""
    return sorted(names, key=export_order)


def _member(name: str) -> tuple[object, ...]:
    return name_kind(name), natural_key(name.lower()), natural_key(name)


def _module(name: str) -> tuple[object, ...]:
    return natural_key(name.lower()), natural_key(name)


def _section(imports: list[Import]) -> list[str]:
    modules = sorted({i.module for i in imports if not i.name}, key=_module)
    lines = [f"import {module}" for module in modules]
    names: dict[str, set[str]] = {}
    for i in imports:
        if i.name:
            names.setdefault(i.module, set()).add(i.name)
    for module in sorted(names, key=_module):
        members = sorted(names[module], key=_member)
        line = f"from {module} import {', '.join(members)}"
        if len(line) > _LINE_LENGTH:
            line = f"from {module} import (\n" + "".join(f"    {m},\n" for m in members) + ")"
        lines.append(line)
    return lines


def import_lines(imports: Iterable[Import]) -> list[str]:
    """The import block's lines (a wrapped statement is one item; ``""`` between sections)."""
    stdlib: list[Import] = []
    others: list[Import] = []
    for i in imports:
        top = i.module.partition(".")[0]
        (stdlib if top in sys.stdlib_module_names else others).append(i)
    sections = [_section(part) for part in (stdlib, others) if part]
    lines: list[str] = []
    for n, section in enumerate(sections):
        if n:
            lines.append("")
        lines.extend(section)
    return lines


IMPORT_FILTERS = {"import_lines": import_lines, "ruff_exports": ruff_exports}
"""The filters ``_common/models.py.jinja`` uses, registered by ``render.env``."""
