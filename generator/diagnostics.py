"""Diagnostics: every problem a user can cause, as a value.

Stages collect ``Diagnostic`` values and return them; nothing a user wrote is
ever reported as a traceback. the CLI (``generator.cli``) formats them (text, json, github).
"""

from __future__ import annotations

import enum
import json
from collections.abc import Iterable
from dataclasses import asdict, dataclass, replace

__all__ = [
    "Diagnostic",
    "Severity",
    "as_warnings",
    "escape_pointer",
    "format_diagnostics",
    "has_errors",
    "join_pointer",
    "sort_unique",
]


class Severity(str, enum.Enum):
    """How bad a problem is. Only errors fail, unless ``--strict``."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


@dataclass(frozen=True, slots=True)
class Diagnostic:
    """One located problem: ``file:line:column``, JSON pointer, severity, code, message.

    ``line`` and ``column`` are 1-based; 0 means "unknown" (the file as a whole).
    ``code`` is stable and kebab-case (``dup-operation-id``); tests and users
    filter on it.
    """

    file: str
    line: int
    column: int
    pointer: str
    severity: Severity
    code: str
    message: str

    def sort_key(self) -> tuple[str, int, int, int, str, str, str]:
        """Order by position, then errors before warnings."""
        rank = {Severity.ERROR: 0, Severity.WARNING: 1, Severity.INFO: 2}[self.severity]
        return (self.file, self.line, self.column, rank, self.code, self.pointer, self.message)

    def to_text(self) -> str:
        """The ``file:line:col: severity [code] message (at pointer)`` form editors parse."""
        where = f"{self.file}:{self.line}:{self.column}" if self.line else self.file
        at = f" (at {self.pointer})" if self.pointer else ""
        return f"{where}: {self.severity.value} [{self.code}] {self.message}{at}"

    def to_github(self) -> str:
        """A GitHub Actions workflow annotation."""
        level = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}[
            self.severity
        ]
        message = f"[{self.code}] {self.message}"
        if self.pointer:
            message += f" (at {self.pointer})"
        message = message.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
        props = f"file={_gh_prop(self.file)}"
        if self.line:
            props += f",line={self.line},col={self.column}"
        props += f",title={_gh_prop(self.code)}"
        return f"::{level} {props}::{message}"

    def to_json(self) -> dict[str, object]:
        """A plain dict for ``--format json``."""
        data = asdict(self)
        data["severity"] = self.severity.value
        return data


def _gh_prop(value: str) -> str:
    return (
        value.replace("%", "%25")
        .replace("\r", "%0D")
        .replace("\n", "%0A")
        .replace(":", "%3A")
        .replace(",", "%2C")
    )


def escape_pointer(token: str | int) -> str:
    """Escape one JSON pointer reference token (RFC 6901)."""
    return str(token).replace("~", "~0").replace("/", "~1")


def join_pointer(parts: Iterable[str | int]) -> str:
    """Build a JSON pointer (``/paths/~1pets/get``) from raw tokens."""
    return "".join("/" + escape_pointer(p) for p in parts)


def sort_unique(diagnostics: Iterable[Diagnostic]) -> list[Diagnostic]:
    """Sort by position and drop exact duplicates."""
    return sorted(set(diagnostics), key=Diagnostic.sort_key)


def as_warnings(diagnostics: Iterable[Diagnostic]) -> list[Diagnostic]:
    """Errors shown as warnings: what ``--allow-invalid`` reports for a spec it generates from."""
    return [
        replace(d, severity=Severity.WARNING) if d.severity is Severity.ERROR else d
        for d in diagnostics
    ]


def has_errors(diagnostics: Iterable[Diagnostic], *, strict: bool = False) -> bool:
    """True when the diagnostics fail a run (warnings too, under ``strict``)."""
    failing = {Severity.ERROR, Severity.WARNING} if strict else {Severity.ERROR}
    return any(d.severity in failing for d in diagnostics)


def format_diagnostics(diagnostics: Iterable[Diagnostic], fmt: str) -> str:
    """Render diagnostics as ``text``, ``json`` or ``github`` output."""
    items = list(diagnostics)
    if fmt == "json":
        return json.dumps([d.to_json() for d in items], indent=2, ensure_ascii=False)
    if fmt == "github":
        return "\n".join(d.to_github() for d in items)
    return "\n".join(d.to_text() for d in items)
