"""Write small spec files and load them the way ``twinspec validate`` does."""

from __future__ import annotations

from pathlib import Path

from generator.diagnostics import Diagnostic
from generator.drive.spec import load_and_validate

HEAD = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\n"
"""A valid OpenAPI 3.0 preamble (three lines) for tests that append components."""


def write(folder: Path, name: str, text: str | bytes) -> Path:
    """Write ``text`` to ``folder/name`` (creating folders) and return the path."""
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def problems(path: Path, **options: bool) -> list[Diagnostic]:
    """Every Diagnostic of loading and validating ``path``."""
    _, diagnostics = load_and_validate(path, display=path.name, **options)
    return diagnostics


def where(diagnostics: list[Diagnostic], code: str) -> list[tuple[str, int, int]]:
    """``(file name, line, column)`` of each Diagnostic with ``code``."""
    return [(Path(d.file).name, d.line, d.column) for d in diagnostics if d.code == code]
