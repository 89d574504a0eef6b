"""OpenAPI 2.0/3.x validation: openapi-spec-validator, mapped to located Diagnostics."""

from __future__ import annotations

from generator.diagnostics import Diagnostic, join_pointer
from generator.load import Document

__all__ = ["validate_openapi"]


def validate_openapi(doc: Document) -> list[Diagnostic]:
    """Schema errors of an OpenAPI document (semantic rules live beside this)."""
    from openapi_spec_validator import (
        OpenAPIV2SpecValidator,
        OpenAPIV30SpecValidator,
        OpenAPIV31SpecValidator,
    )
    from openapi_spec_validator import validate as _unused  # noqa: F401
    from openapi_spec_validator.validation.validators import SpecValidator  # noqa: F401

    assert doc.kind is not None
    cls = {"2.0": OpenAPIV2SpecValidator, "3.0": OpenAPIV30SpecValidator}.get(
        doc.kind.major_minor, OpenAPIV31SpecValidator
    )
    out: list[Diagnostic] = []
    validator = cls(doc.data, base_uri=doc.root.path.as_uri())
    for error in validator.iter_errors():
        path = list(getattr(error, "absolute_path", []) or [])
        out.append(
            doc.diagnostic(join_pointer(path), "schema", str(getattr(error, "message", error)))
        )
    return out
