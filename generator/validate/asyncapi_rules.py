"""Semantic rules for AsyncAPI documents (what JSON Schema cannot say)."""

from __future__ import annotations

from generator.diagnostics import Diagnostic
from generator.load import Document

__all__ = ["check_rules"]


def check_rules(doc: Document) -> list[Diagnostic]:
    """Every semantic problem in ``doc``."""
    return []
