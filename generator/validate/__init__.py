"""Stage 2: ``Document`` -> ``list[Diagnostic]``.

Dispatches on the detected specification: OpenAPI documents go through
openapi-spec-validator (errors mapped to located Diagnostics), AsyncAPI
documents through twinspec's own JSON Schemas; both are followed by semantic
rules the schemas cannot express.
"""

from __future__ import annotations

from generator.diagnostics import Diagnostic, sort_unique
from generator.load import Document

__all__ = ["validate"]


def validate(doc: Document) -> list[Diagnostic]:
    """Every problem in ``doc``, sorted by position and de-duplicated."""
    if doc.kind is None:
        return []
    if doc.kind.family == "asyncapi":
        from generator.validate.asyncapi import validate_asyncapi

        return sort_unique(validate_asyncapi(doc))
    from generator.validate.openapi import validate_openapi

    return sort_unique(validate_openapi(doc))
