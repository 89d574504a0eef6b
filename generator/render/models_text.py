"""The bodies of ``models.py`` classes as finished text, for ``_common/models.jinja``.

A large spec declares thousands of models and enums with tens of thousands of
attributes and members (stripe: 10,685 fields); a Jinja macro call per line
cost most of ``models.py``'s render time. These filters make each class
body's attribute (or member) lines in one Python pass, and the macros print
them, as ``rest_client`` does for the client's methods.
"""

from __future__ import annotations

from generator.ir.schema import EnumDecl, Model

__all__ = ["MODEL_FILTERS", "field_lines", "member_lines"]


def field_lines(model: Model) -> str:
    """Each field's ``name: annotation`` and its default or ``Field(...)``, one indented line each."""
    lines: list[str] = []
    add = lines.append
    for f in model.fields:
        if f.args:
            args = ", ".join([a.name + "=" + a.python for a in f.args])
            add(f"    {f.name}: {f.annotation} = Field({args})\n")
        elif f.default is not None:
            add(f"    {f.name}: {f.annotation} = {f.default.python}\n")
        else:
            add(f"    {f.name}: {f.annotation}\n")
    return "".join(lines)


def member_lines(enum: EnumDecl) -> str:
    """Each member's ``NAME = value``, one indented line each."""
    return "".join([f"    {m.name} = {m.value.python}\n" for m in enum.members])


MODEL_FILTERS = {"field_lines": field_lines, "member_lines": member_lines}
"""The filters ``_common/models.jinja`` uses, registered by ``render.env``."""
