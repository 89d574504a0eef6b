"""OpenAPI 2.0/3.x validation: openapi-spec-validator's verdict, with located messages.

Two passes, the expensive one only when it can find something:

1. **Structure.** The OpenAPI JSON Schema shipped inside openapi-spec-validator,
   run first by jsonschema-rs (about 100x faster than jsonschema on large
   specs); only when that says "invalid" does the message-rich Python
   jsonschema run, its errors becoming located Diagnostics through
   ``schema_errors`` (oneOf/anyOf collapsed to the branch the document meant).
2. **openapi-spec-validator's own checks** (default values against their
   schemas, schemas against their meta-schema, duplicate operationIds, path
   parameters...), walked by ``openapi_keywords`` over the files the loader
   already read and vetted (so nothing is opened or fetched), each finding
   located in the file that holds the problem. They assume a well-formed
   document, so they run only when pass 1 and every ``$ref`` are clean.

Semantic rules beyond both (``openapi_rules``) run always.
"""

from __future__ import annotations

import dataclasses
import functools
import re
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from generator.diagnostics import Diagnostic, Severity
from generator.load import Document
from generator.load.document import split_pointer
from generator.load.nodes import Node, RefFollower

if TYPE_CHECKING:
    from generator.validate.openapi_keywords import KeywordError

__all__ = ["validate_openapi"]

_VERSIONS = ("2.0", "3.0", "3.1", "3.2")

# openapi-spec-validator error class -> our code, for its non-schema checks.
_KEYWORD_CODES = {
    "DuplicateOperationIDError": "duplicate-operation-id",
    "UnresolvableParameterError": "path-parameter-unresolved",
    "ParameterDuplicateError": "duplicate-parameter",
    "ExtraParametersError": "required-not-in-properties",
}
# Our rules report these problems with finer locations; the oracle's copy is
# skipped when a rule found the same kind of problem.
_COVERED_BY_RULES = {
    "duplicate-operation-id": ("duplicate-operation-id",),
    "path-parameter-unresolved": ("path-param-undeclared", "path-param-not-in-template"),
    "duplicate-parameter": ("duplicate-parameter",),
}


def validate_openapi(doc: Document) -> list[Diagnostic]:
    """Schema errors, openapi-spec-validator's checks and the semantic rules."""
    from generator.validate.openapi_rules import check_rules

    assert doc.kind is not None
    version = doc.kind.major_minor if doc.kind.major_minor in _VERSIONS else "3.1"
    found = _structure(doc, version)
    ruled = check_rules(doc)
    broken_refs = any(d.severity is Severity.ERROR for d in doc.ref_diagnostics)
    codes = {d.code for d in ruled if d.severity is Severity.ERROR}
    if not found and not broken_refs and "allof-cycle" not in codes:  # it would recurse forever
        covered = {k for k, ours in _COVERED_BY_RULES.items() if codes.intersection(ours)}
        found = _keyword_checks(doc, version, skip=covered)
    return [*found, *ruled]


# -- pass 1: the OpenAPI JSON Schema ---------------------------------------------------


@functools.cache
def _oas_schema(version: str) -> dict[str, Any]:
    """openapi-spec-validator's bundled JSON Schema for ``version``.

    Read from the package's data files, not through ``import
    openapi_spec_validator``, which costs a third of a second (pydantic-settings,
    requests, jsonschema-path) that a valid document never needs.
    """
    import importlib.util
    import json
    from pathlib import Path

    spec = importlib.util.find_spec("openapi_spec_validator")
    assert spec is not None and spec.submodule_search_locations, "a declared dependency"
    package = Path(next(iter(spec.submodule_search_locations)))
    text = (package / "resources" / "schemas" / f"v{version}" / "schema.json").read_text("utf-8")
    schema: dict[str, Any] = json.loads(text)
    return schema


@functools.cache
def _fast_check(version: str) -> Callable[[Any], bool] | None:
    """jsonschema-rs's ``is_valid`` for the version's schema, or ``None`` without it."""
    try:
        import jsonschema_rs
    except ImportError:  # pragma: no cover - jsonschema-rs is a dependency
        return None
    check: Callable[[Any], bool] = jsonschema_rs.validator_for(_oas_schema(version)).is_valid
    return check


def _structure(doc: Document, version: str) -> list[Diagnostic]:
    fast = _fast_check(version)
    if fast is not None and fast(doc.data):
        return []  # valid: jsonschema (~0.06 CPU-s to import) is not needed
    from jsonschema.validators import validator_for

    from generator.validate.schema_errors import diagnostics_from_errors

    schema = _oas_schema(version)
    validator = validator_for(schema)(schema)
    found = diagnostics_from_errors(doc, validator.iter_errors(doc.data), code_prefix="schema")
    return [_phrase(doc, d) for d in _misplaced_refs(doc, found)]


def _misplaced_refs(doc: Document, found: list[Diagnostic]) -> list[Diagnostic]:
    """One clear Diagnostic where a ``$ref`` stands in for an object OpenAPI wants inline.

    Specs written for bundlers (``$ref`` as a whole operation) otherwise get two
    puzzling errors per object: "unknown field '$ref'" and "missing 'responses'".
    """
    sites = {
        d.pointer.removesuffix("/$ref")
        for d in found
        if d.code == "schema-unknown-field" and d.pointer.endswith("/$ref")
    }
    sites |= {
        d.pointer
        for d in found
        if d.code == "schema-wrong-type"
        and d.file == doc.root.display
        and _is_ref(_walk(doc.data, split_pointer(d.pointer)))
    }
    if not sites:
        return found
    out: list[Diagnostic] = []
    for d in found:
        if d.pointer in sites and d.code == "schema-missing-field":
            continue
        if (d.code == "schema-unknown-field" and d.pointer.removesuffix("/$ref") in sites) or (
            d.code == "schema-wrong-type" and d.pointer in sites
        ):
            d = dataclasses.replace(
                d,
                code="schema-ref-not-allowed",
                message="a $ref is not allowed here; this object must be written inline"
                " (bundle the spec first, e.g. with `redocly bundle`)",
            )
        out.append(d)
    return out


_EITHER_REF = re.compile(r"^needs exactly one of the fields ('[^']+'), '\$ref'")


def _phrase(doc: Document, diagnostic: Diagnostic) -> Diagnostic:
    """Name the object a schema error is about: "response '200' is missing ...".

    Also reads "needs exactly one of 'description', '$ref'" (a Response Object
    or a Reference) as the missing field when the object is evidently not a
    Reference.
    """
    message = _EITHER_REF.sub(r"missing required field \1", diagnostic.message)
    tokens = split_pointer(diagnostic.pointer)
    if diagnostic.code.endswith("unknown-field") and tokens:
        tokens = tokens[:-1]
    subject = _subject(doc.data, tokens) if diagnostic.file == doc.root.display else ""
    if subject:
        joiner = " is " if message.startswith("missing") else ": "
        message = subject + joiner + message
    return dataclasses.replace(diagnostic, message=message)


def _subject(data: Any, tokens: list[str]) -> str:
    """A reader's name for the object at ``tokens`` ("operation GET /pets"), or ""."""
    if not tokens:
        return "the document"
    *parent, last = tokens
    grand = parent[-1] if parent else ""
    if len(tokens) == 3 and tokens[0] in ("paths", "webhooks") and last in _METHODS:
        return f"operation {last.upper()} {tokens[1]}"
    if len(tokens) == 2 and tokens[0] in ("paths", "webhooks"):
        return f"path item {last!r}"
    named = {
        "responses": "response",
        "properties": "property",
        "schemas": "schema",
        "definitions": "schema",
        "securitySchemes": "security scheme",
        "securityDefinitions": "security scheme",
        "content": "media type",
        "headers": "header",
        "parameters": "parameter",
        "links": "link",
        "requestBodies": "request body",
        "variables": "server variable",
    }
    if grand in ("parameters", "tags", "servers") and last.isdigit():
        value = _walk(data, tokens)
        name = value.get("name") or value.get("url") if isinstance(value, dict) else None
        kind = grand[:-1]
        return f"{kind} {name!r}" if isinstance(name, str) else f"{kind} {int(last) + 1}"
    if grand in named:
        return f"{named[grand]} {last!r}"
    if last in ("info", "requestBody", "components", "license", "contact"):
        return {"requestBody": "request body"}.get(last, last)
    return ""


def _is_ref(value: Any) -> bool:
    return isinstance(value, dict) and isinstance(value.get("$ref"), str)


def _walk(data: Any, tokens: list[str]) -> Any:
    for token in tokens:
        if isinstance(data, dict):
            data = data.get(token)
        elif isinstance(data, list) and token.isdigit() and int(token) < len(data):
            data = data[int(token)]
        else:
            return None
    return data


_METHODS = frozenset({"get", "put", "post", "delete", "options", "head", "patch", "trace", "query"})


# -- pass 2: openapi-spec-validator's checks, located ----------------------------------


def _keyword_checks(doc: Document, version: str, skip: set[str]) -> list[Diagnostic]:
    """openapi-spec-validator's checks, less the kinds of problem in ``skip``.

    Our rules report those kinds with finer locations; the oracle's copy is kept
    only where no rule found that kind of problem (so the verdict never differs).
    """
    from generator.validate.openapi_keywords import keyword_errors

    refs = doc.refs
    out: list[Diagnostic] = []
    try:
        for error in keyword_errors(doc, version):
            if _KEYWORD_CODES.get(error.kind) not in skip:
                out.append(_keyword_diagnostic(doc, refs, error))
    except (Exception, RecursionError) as exc:  # a check tripped on what it cannot read
        reason = f"{type(exc).__name__}: {exc}".splitlines()[0][:200]
        out.append(
            doc.diagnostic(
                "",
                "incomplete-check",
                f"openapi-spec-validator's checks stopped before finishing ({reason})",
                Severity.WARNING,
            )
        )
    return out


def _keyword_diagnostic(doc: Document, refs: RefFollower, error: KeywordError) -> Diagnostic:
    where = _descend(refs, error.node, error.inner)
    code = _KEYWORD_CODES.get(error.kind)
    message = error.message.splitlines()[0] if error.message else error.kind
    if code == "required-not-in-properties":
        message = message.replace(
            "Required list has not defined properties:",
            "'required' names properties the schema does not define:",
        )
    elif code is None and error.check == "default":
        code = "invalid-default"
        message = f"default value does not match its schema: {message}"
    elif code is None and message.startswith("Duplicate tag name"):
        code = "duplicate-tag"
    elif code is None:
        code = "invalid-schema"
    return doc.diagnostic(where.pointer, code, message, source=where.source)


def _descend(refs: RefFollower, node: Node, parts: Sequence[object]) -> Node:
    """Where the path ``parts`` below ``node`` really lies, through ``$ref``s in any file."""
    for raw in parts:
        resolved = refs.deref(node)
        if resolved is None:
            return node
        token = str(raw)
        list_index = isinstance(resolved.value, list) and token.isdigit()
        child = resolved.child(int(token) if list_index else token)
        if child is None:
            return resolved
        node = child
    return refs.deref(node) or node
