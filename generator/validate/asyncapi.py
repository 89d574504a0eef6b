"""AsyncAPI 2.0-2.6 / 3.0 / 3.1 validation: twinspec's own JSON Schemas, then semantic rules.

The schemas (``asyncapi_schema.py``) mark every place a Reference Object may
stand with ``refOr``. The validator class here implements that keyword: a
``$ref`` is followed through ``generator.load`` (across files, cycle-safe) and
the value it leads to is validated against the schema expected where the
``$ref`` was written, with errors located in the file that holds the value.
Refs that do not resolve were already reported by the loader and are skipped.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

from jsonschema import Draft7Validator, ValidationError, validators
from jsonschema.protocols import Validator

from generator.diagnostics import Diagnostic
from generator.load import Document, Source, open_in
from generator.load.refs import RefError, resolve_ref
from generator.validate.asyncapi_rules import check_rules
from generator.validate.asyncapi_schema import schema_for
from generator.validate.schema_errors import ReferencedErrors, diagnostics_from_errors

__all__ = ["schema_diagnostics", "validate_asyncapi"]

_MAX_REF_HOPS = 64


@dataclass
class _RefContext:
    """What the ``refOr`` keyword needs while one document is validated."""

    doc: Document
    sources: list[Source]
    results: dict[tuple[int, str, int], list[ValidationError]] = field(default_factory=dict)
    active: set[tuple[int, str, int]] = field(default_factory=set)
    failures: list[Diagnostic] = field(default_factory=list)


_CONTEXT: ContextVar[_RefContext | None] = ContextVar("twinspec_asyncapi_refs", default=None)


def _resolve(ctx: _RefContext, ref: str) -> tuple[Source, str, Any] | None:
    """Follow ``ref`` (and any chain of refs after it) from the current file."""
    source = ctx.sources[-1]
    for _ in range(_MAX_REF_HOPS):
        try:
            target = resolve_ref(
                ref,
                source,
                ctx.doc.root_dir,
                open_in(ctx.doc, ctx.failures),
                allow_remote=ctx.doc.allow_remote_refs,
                ref_map=ctx.doc.ref_map,
            )
        except RefError:
            return None  # the loader reported it, located at the $ref
        value = target.value
        if isinstance(value, dict) and isinstance(value.get("$ref"), str):
            source, ref = target.source, value["$ref"]
            continue
        return target.source, target.pointer, value
    return None


def _ref_keyword(
    validator: Any, subschema: Any, instance: Any, schema: dict[str, Any], *, required: bool
) -> Iterator[ValidationError]:
    """``refOr``/``refTarget``: validate what a ``$ref`` leads to, else the value itself."""
    is_ref = isinstance(instance, dict) and "$ref" in instance
    if not is_ref:
        if not required:
            yield from validator.descend(instance, subschema)
        return
    siblings = schema.get("refSiblings")
    if siblings is not None:
        yield from validator.descend(instance, siblings)
    ref = instance["$ref"]
    ctx = _CONTEXT.get()
    if not isinstance(ref, str):
        yield ValidationError(
            "$ref must be a string",
            validator="type",
            validator_value="string",
            instance=ref,
            path=["$ref"],
        )
        return
    if ctx is None:
        return
    resolved = _resolve(ctx, ref)
    if resolved is None:
        return
    source, pointer, value = resolved
    key = (id(source), pointer, id(subschema))
    if key in ctx.active:
        return  # a cycle: assume valid, as the outer visit decides
    errors = ctx.results.get(key)
    if errors is None:
        ctx.active.add(key)
        ctx.sources.append(source)
        try:
            errors = list(validator.evolve(schema=subschema).iter_errors(value))
        finally:
            ctx.sources.pop()
            ctx.active.discard(key)
        ctx.results[key] = errors
    if errors:
        yield ReferencedErrors(source, pointer, errors)


def _ref_or(
    validator: Validator, subschema: Any, instance: Any, schema: dict[str, Any]
) -> Iterator[ValidationError]:
    return _ref_keyword(validator, subschema, instance, schema, required=False)


def _ref_target(
    validator: Validator, subschema: Any, instance: Any, schema: dict[str, Any]
) -> Iterator[ValidationError]:
    return _ref_keyword(validator, subschema, instance, schema, required=True)


_AsyncAPIValidator = validators.extend(  # type: ignore[no-untyped-call]
    Draft7Validator, {"refOr": _ref_or, "refTarget": _ref_target}
)


@functools.cache
def _validator(major_minor: str) -> Validator:
    """One validator per AsyncAPI version, built on first use."""
    schema = schema_for(major_minor)
    validator: Validator = _AsyncAPIValidator(schema)
    return validator


def schema_diagnostics(doc: Document) -> list[Diagnostic]:
    """Structural errors: the document against twinspec's schema for its version."""
    if doc.kind is None:
        return []
    ctx = _RefContext(doc=doc, sources=[doc.root])
    token = _CONTEXT.set(ctx)
    try:
        errors = list(_validator(doc.kind.major_minor).iter_errors(doc.data))
    except RecursionError:
        message = "the document nests too deeply to validate"
        return [doc.diagnostic("", "too-deep", message)]
    finally:
        _CONTEXT.reset(token)
    return diagnostics_from_errors(doc, errors)


def validate_asyncapi(doc: Document) -> list[Diagnostic]:
    """Schema and semantic errors of an AsyncAPI document."""
    return [*schema_diagnostics(doc), *check_rules(doc)]
