"""A module's import block and ``__all__`` as ruff's fixes would leave them.

ruff's check pass fixes the import block (``I001``, ``F401``) and ``__all__``
(``RUF022``); a file it fixes is linted a second time, which for stripe's
3.4 MB ``models.py`` doubles the check's cost (0.14 -> 0.075 s CPU without a
fix). So the block is written as isort (ruff's defaults, line length 100)
writes it: sections (standard library, third party, then relative) one blank
line apart, ``import x`` lines before ``from x import ...`` lines, each module
once, its names constants, classes, then the rest. A template whose imports
depend on what the module ends up using (the rest-client's ``client.py``)
renders its body first and keeps only the imports whose names occur in it
(``used_in``), as ``F401`` would. Only the order is decided here: ruff still
checks and fixes every file, so a case this gets wrong costs the second lint,
never a different byte (``used_in`` keeps every name the body mentions, even in
a string, so it never drops an import ruff would keep).
"""

from __future__ import annotations

import sys
from collections.abc import Iterable

from generator.ir.schema import Import, export_order, name_kind, natural_key

__all__ = [
    "IMPORT_FILTERS",
    "export_order",
    "import_lines",
    "parse_imports",
    "ruff_exports",
    "used_in",
]

_LINE_LENGTH = 100


def ruff_exports(names: Iterable[str]) -> list[str]:
    """``names`` in ``RUF022``'s order (``export_order``; ``TypeModel.exports`` is already in it)."""
    return sorted(names, key=export_order)


def _member(name: str) -> tuple[object, ...]:
    return name_kind(name), natural_key(name.lower()), natural_key(name)


def _module(name: str) -> tuple[object, ...]:
    bare = name.lstrip(".")  # furthest-to-closest: ``from .. import`` before ``from . import``
    return -(len(name) - len(bare)), natural_key(bare.lower()), natural_key(bare)


def parse_imports(lines: Iterable[str]) -> list[Import]:
    """The ``Import`` of each name that ``import a, b`` or ``from m import a, b`` lines bind.

    Only the plain forms ``Import.line`` writes (no ``as``, no parentheses), else ``ValueError``.
    """
    found: list[Import] = []
    for line in lines:
        words = line.replace(",", " ").split()
        if words[:1] == ["import"] and len(words) > 1 and "as" not in words:
            found.extend(Import(module=module) for module in words[1:])
        elif words[:1] == ["from"] and words[2:3] == ["import"] and len(words) > 3:
            if "as" in words or "(" in line:
                raise ValueError(f"not a plain import: {line!r}")
            found.extend(Import(module=words[1], name=name) for name in words[3:])
        else:
            raise ValueError(f"not a plain import: {line!r}")
    return found


def _identifier(char: str) -> bool:
    return char == "_" or char.isalnum()


def _occurs(name: str, text: str, *, attribute: bool) -> bool:
    """True if ``name`` is a whole word in ``text`` (followed by ``.`` if ``attribute``).

    ``str.find`` from hit to hit: no regular expression scans a 4 MB module character by character.
    """
    start = text.find(name)
    while start >= 0:
        end = start + len(name)
        if start == 0 or not _identifier(text[start - 1]):
            if attribute:
                if text.startswith(".", end):
                    return True
            elif end == len(text) or not _identifier(text[end]):
                return True
        start = text.find(name, start + 1)
    return False


def used_in(imports: Iterable[Import], text: str, *, attribute: bool = False) -> list[Import]:
    """The ``imports`` whose bound name occurs in ``text`` as a word (what ``F401`` leaves, or more).

    A name only a docstring or an attribute mentions stays, and ruff removes it;
    a name ``text`` never mentions is surely unused, so nothing ruff keeps goes.
    ``attribute``: the names are modules the text only uses as ``name.attribute``
    (a path ``/models/`` in a docstring does not count).
    """
    seen: dict[str, bool] = {}
    kept: list[Import] = []
    for i in imports:
        name = i.name or i.module.partition(".")[0]
        if name not in seen:
            seen[name] = _occurs(name, text, attribute=attribute)
        if seen[name]:
            kept.append(i)
    return kept


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
    relative: list[Import] = []
    for i in imports:
        top = i.module.partition(".")[0]
        if not top:
            relative.append(i)
        else:
            (stdlib if top in sys.stdlib_module_names else others).append(i)
    sections = [_section(part) for part in (stdlib, others, relative) if part]
    lines: list[str] = []
    for n, section in enumerate(sections):
        if n:
            lines.append("")
        lines.extend(section)
    return lines


IMPORT_FILTERS = {
    "import_lines": import_lines,
    "parse_imports": parse_imports,
    "ruff_exports": ruff_exports,
    "used_in": used_in,
}
"""The filters ``_common/models.py.jinja`` and the rest-client pack use, registered by ``render.env``."""
