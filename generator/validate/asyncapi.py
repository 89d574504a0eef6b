"""AsyncAPI validation (placeholder until the schemas land)."""

from __future__ import annotations

from generator.diagnostics import Diagnostic
from generator.load import Document

__all__ = ["validate_asyncapi"]


def validate_asyncapi(doc: Document) -> list[Diagnostic]:
    """Schema and semantic errors of an AsyncAPI document."""
    return []
