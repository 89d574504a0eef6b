"""How a diff is shown and judged: text, json, github, markdown; the exit verdict.

``--allow CODE`` accepts a rule knowingly: its changes are still listed, as
``info`` marked "allowed", and never fail the run.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import replace

from generator.diagnostics import Diagnostic, Severity, format_diagnostics

__all__ = ["apply_allow", "fails", "render", "summary"]

_RANK = {Severity.INFO: 0, Severity.WARNING: 1, Severity.ERROR: 2}
_HEADINGS = (
    (Severity.ERROR, "Breaking changes"),
    (Severity.WARNING, "Potentially breaking changes"),
    (Severity.INFO, "Compatible changes"),
)


def apply_allow(changes: Iterable[Diagnostic], allowed: Iterable[str]) -> list[Diagnostic]:
    """Changes of an allowed rule shown as ``info`` and marked, so they never fail."""
    codes = set(allowed)
    return [
        replace(d, severity=Severity.INFO, message=f"{d.message} (allowed)")
        if d.code in codes and d.severity is not Severity.INFO
        else d
        for d in changes
    ]


def fails(changes: Iterable[Diagnostic], fail_on: str) -> bool:
    """True when a change is at least as severe as ``fail_on`` (``error`` or ``warning``)."""
    floor = _RANK[Severity(fail_on)]
    return any(_RANK[d.severity] >= floor for d in changes)


def render(changes: Sequence[Diagnostic], fmt: str, title: str = "API changes") -> str:
    """The changes as ``text``, ``json``, ``github`` annotations or a ``markdown`` changelog."""
    if fmt != "markdown":
        return format_diagnostics(changes, fmt)
    lines = [f"## {title}", ""]
    if not changes:
        return "\n".join([*lines, "No changes.", ""])
    for severity, heading in _HEADINGS:
        group = [d for d in changes if d.severity is severity]
        if not group:
            continue
        lines += [f"### {heading}", ""]
        for d in group:
            where = f"{d.file}:{d.line}" if d.line else d.file
            lines.append(f"- `{d.code}` {_md(d.message)} ({_md(where)})")
        lines.append("")
    return "\n".join(lines)


def _md(text: str) -> str:
    """Text safe inside a Markdown list item (no stray emphasis, links or HTML)."""
    for char in "\\`*_[]<>|":
        text = text.replace(char, "\\" + char)
    return text.replace("\n", " ")


def summary(changes: Sequence[Diagnostic]) -> str:
    """``3 breaking, 1 potentially breaking, 12 compatible change(s)``."""
    counts = {s: sum(1 for d in changes if d.severity is s) for s in Severity}
    return (
        f"{counts[Severity.ERROR]} breaking, {counts[Severity.WARNING]} potentially breaking, "
        f"{counts[Severity.INFO]} compatible change(s)"
    )
