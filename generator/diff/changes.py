"""Found changes, and how they become located Diagnostics.

A change is found once where it is written (a shared schema is compared once
per direction, however many operations use it) and then attributed to every
operation it reaches: one Diagnostic per change and place, naming who is
affected ("clients calling GET /pets and 3 more").
"""

from __future__ import annotations

from dataclasses import dataclass, field

from generator.diagnostics import Diagnostic
from generator.diff.rules import severity_of
from generator.load.nodes import Node

__all__ = ["Change", "Collector"]


@dataclass(frozen=True, slots=True)
class Change:
    """One change of rule ``code``, located at ``at`` (NEW, or OLD for removals)."""

    code: str
    at: Node
    message: str


@dataclass
class Collector:
    """Changes with the readers/callers they affect, grouped by change."""

    _whom: dict[tuple[str, str, str, str], dict[str, None]] = field(default_factory=dict)
    _nodes: dict[tuple[str, str, str, str], Node] = field(default_factory=dict)

    def add(self, change: Change, whom: str) -> None:
        """Record ``change`` as affecting ``whom`` ('' when it speaks for itself)."""
        key = (change.code, change.at.source.display, change.at.pointer, change.message)
        users = self._whom.get(key)
        if users is None:
            users = self._whom[key] = {}
            self._nodes[key] = change.at
        if whom:
            users[whom] = None

    def extend(self, changes: tuple[Change, ...] | list[Change], whom: str) -> None:
        """``add`` each of ``changes``."""
        for change in changes:
            self.add(change, whom)

    def diagnostics(self) -> list[Diagnostic]:
        """One located Diagnostic per change (``file:line:col``, JSON pointer)."""
        out: list[Diagnostic] = []
        for key, users in self._whom.items():
            code, display, pointer, message = key
            node = self._nodes[key]
            line, col = node.source.locate(pointer)
            if users:
                first = next(iter(users))
                more = f" and {len(users) - 1} more" if len(users) > 1 else ""
                message = f"{message}; affects {first}{more}"
            out.append(Diagnostic(display, line, col, pointer, severity_of(code), code, message))
        return out
