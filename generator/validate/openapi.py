"""OpenAPI 2.0/3.x validation: openapi-spec-validator's verdict, with located messages.

Two passes, the expensive one only when it can find something:

1. **Structure.** The OpenAPI JSON Schema shipped inside openapi-spec-validator,
   run first by jsonschema-rs (about 100x faster than jsonschema on large
   specs); only when that says "invalid" does the message-rich Python
   jsonschema run, its errors becoming located Diagnostics through
   ``schema_errors`` (oneOf/anyOf collapsed to the branch the document meant).
2. **openapi-spec-validator's own checks** (default values against their
   schemas, schemas against their meta-schema, duplicate operationIds, path
   parameters...). They walk the document through ``$ref``s with
   ``jsonschema-path``; we hand it the files ``generator.load`` already read and
   vetted, so it never opens a file or the network itself, and we note where
   each check stood so its errors get a line in the file that holds the
   problem. They assume a well-formed document, so they run only when pass 1
   and every ``$ref`` are clean. Their slowest part, each schema against its
   meta-schema, is asked of jsonschema-rs first; Python words the failures.

Semantic rules beyond both (``openapi_rules``) run always.
"""

from __future__ import annotations

import dataclasses
import functools
import json
import re
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit
from urllib.request import url2pathname

from generator.diagnostics import Diagnostic, Severity, escape_pointer
from generator.load import Document, Source, resolve_ref
from generator.load.document import split_pointer
from generator.load.refs import RefError

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
    from openapi_spec_validator import schemas

    proxy = {
        "2.0": schemas.schema_v2,
        "3.0": schemas.schema_v30,
        "3.1": schemas.schema_v31,
        "3.2": schemas.schema_v32,
    }[version]
    return dict(proxy)


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
    from jsonschema.validators import validator_for

    from generator.validate.schema_errors import diagnostics_from_errors

    fast = _fast_check(version)
    if fast is not None and fast(doc.data):
        return []
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


class _NotLoaded(LookupError):
    """A ``$ref`` target the loader did not read; the validator may not fetch it."""


def _handlers(doc: Document) -> dict[str, Callable[[str], Any]]:
    def from_loaded(uri: str) -> Any:
        path = Path(url2pathname(unquote(urlsplit(uri).path))).resolve()
        source = doc.files.get(path)
        if source is None:
            raise _NotLoaded(uri)
        return source.data

    def refuse(uri: str) -> Any:
        raise _NotLoaded(uri)

    return {"file": from_loaded, "http": refuse, "https": refuse, "<all_urls>": refuse}


def _keyword_checks(doc: Document, version: str, skip: set[str]) -> list[Diagnostic]:
    """openapi-spec-validator's checks, less the kinds of problem in ``skip``.

    Our rules report those kinds with finer locations; the oracle's copy is kept
    only where no rule found that kind of problem (so the verdict never differs).
    """
    from jsonschema_path import SchemaPath

    validator_cls = _located_validator(version)
    spec = SchemaPath.from_dict(
        doc.data,
        base_uri=doc.root.path.resolve().as_uri(),
        handlers=_handlers(doc),
        resolved_cache_maxsize=128,
    )
    validator = validator_cls(spec)
    out: list[Diagnostic] = []
    try:
        for error in validator.root_validator(validator.schema_path):
            if _KEYWORD_CODES.get(type(error).__name__) not in skip:
                out.append(_keyword_diagnostic(doc, error))
    except (Exception, RecursionError) as exc:  # the library's bug is not the user's
        reason = f"{type(exc).__name__}: {exc}".splitlines()[0][:200]
        out.append(
            doc.diagnostic(
                "",
                "incomplete-check",
                f"openapi-spec-validator stopped before finishing its checks ({reason})",
                Severity.WARNING,
            )
        )
    return out


@functools.cache
def _located_validator(version: str) -> type[Any]:
    """The version's SpecValidator whose keyword checks remember where they were."""
    from jsonschema_path import SchemaPath
    from openapi_spec_validator import (
        OpenAPIV2SpecValidator,
        OpenAPIV30SpecValidator,
        OpenAPIV31SpecValidator,
        OpenAPIV32SpecValidator,
    )
    from openapi_spec_validator.validation.keywords import ValueValidator

    base: type[Any] = {
        "2.0": OpenAPIV2SpecValidator,
        "3.0": OpenAPIV30SpecValidator,
        "3.1": OpenAPIV31SpecValidator,
        "3.2": OpenAPIV32SpecValidator,
    }[version]

    def located(keyword_cls: type[Any]) -> type[Any]:
        suffix: tuple[str, ...] = ("default",) if issubclass(keyword_cls, ValueValidator) else ()

        def __call__(self: Any, *args: Any, **kwargs: Any) -> Iterator[Any]:
            where = next((a for a in args if isinstance(a, SchemaPath)), None)
            for error in keyword_cls.__call__(self, *args, **kwargs):
                if where is not None and getattr(error, "twinspec_parts", None) is None:
                    inner = tuple(getattr(error, "absolute_path", ()) or ())
                    error.twinspec_parts = (*where.parts, *suffix, *inner)
                    error.twinspec_default = bool(suffix)
                yield error

        return type(keyword_cls.__name__, (keyword_cls,), {"__call__": __call__})

    keywords = {name: located(cls) for name, cls in base.keyword_validators.items()}
    schema_cls = keywords["schema"]

    def _validate_schema_meta(self: Any, schema: Any, schema_value: Any) -> Any:
        if _meta_valid_fast(self, schema, schema_value):
            return None
        return schema_cls._validate_schema_meta(self, schema, schema_value)

    keywords["schema"] = type(
        schema_cls.__name__, (schema_cls,), {"_validate_schema_meta": _validate_schema_meta}
    )
    return type(f"Located{base.__name__}", (base,), {"keyword_validators": keywords})


def _meta_valid_fast(checker_owner: Any, schema: Any, schema_value: Any) -> bool:
    """Does jsonschema-rs find ``schema_value`` valid against its meta-schema?

    openapi-spec-validator checks every schema against its meta-schema with
    Python jsonschema, most of its time on large specs. jsonschema-rs answers
    "valid" 50x faster; only a "no" (or a schema jsonschema-rs might read
    differently) goes to the slow check that words the error. Patterns are left
    to Python: the oracle compiles them with ``re``, not as ECMA regexes.
    """
    if _has_pattern(schema_value):
        return False
    try:
        checker = checker_owner._get_schema_checker(schema, schema_value)
    except ValueError:
        return False
    owner = getattr(checker, "__self__", None) or getattr(
        getattr(checker, "func", None), "__self__", None
    )
    meta = getattr(owner, "META_SCHEMA", None)
    if not isinstance(meta, dict):
        return False
    check = _rs_meta_check(json.dumps(meta, sort_keys=True))
    return check is not None and check(schema_value)


@functools.cache
def _rs_meta_check(meta_json: str) -> Callable[[Any], bool] | None:
    try:
        import jsonschema_rs
        from openapi_schema_validator._specifications import REGISTRY
    except ImportError:  # pragma: no cover - both are dependencies
        return None

    def retrieve(uri: str) -> Any:
        return REGISTRY.contents(uri)

    try:
        validator = jsonschema_rs.validator_for(json.loads(meta_json), retriever=retrieve)
    except Exception:  # a meta-schema jsonschema-rs cannot compile: use the slow path
        return None
    check: Callable[[Any], bool] = validator.is_valid
    return check


def _has_pattern(value: Any) -> bool:
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            if "pattern" in item or "patternProperties" in item:
                return True
            stack.extend(v for v in item.values() if isinstance(v, (dict, list)))
        elif isinstance(item, list):
            stack.extend(v for v in item if isinstance(v, (dict, list)))
    return False


def _keyword_diagnostic(doc: Document, error: Any) -> Diagnostic:
    source, pointer = _real_location(doc, getattr(error, "twinspec_parts", ()) or ())
    kind = type(error).__name__
    code = _KEYWORD_CODES.get(kind)
    message = str(getattr(error, "message", error)).splitlines()[0]
    if code == "required-not-in-properties":
        message = message.replace(
            "Required list has not defined properties:",
            "'required' names properties the schema does not define:",
        )
    elif code is None and getattr(error, "twinspec_default", False):
        code = "invalid-default"
        message = f"default value does not match its schema: {message}"
    elif code is None and message.startswith("Duplicate tag name"):
        code = "duplicate-tag"
    elif code is None:
        code = "invalid-schema"
    return doc.diagnostic(pointer, code, message, source=source)


def _real_location(doc: Document, parts: Sequence[object]) -> tuple[Source, str]:
    """Where a path walked through ``$ref``s really lies: the file and the pointer in it."""
    source, pointer, value = doc.root, "", doc.data
    opener = _opener(doc)
    for raw in (*parts, None):
        hops = 0
        while isinstance(value, dict) and isinstance(value.get("$ref"), str) and hops < 100:
            hops += 1
            try:
                target = resolve_ref(
                    value["$ref"], source, doc.root_dir, opener, allow_remote=doc.allow_remote_refs
                )
            except RefError:
                return source, pointer
            source, pointer, value = target.source, target.pointer, target.value
        if raw is None:
            break
        token = str(raw)
        if isinstance(value, dict) and token in value:
            value = value[token]
        elif isinstance(value, list) and token.isdigit() and int(token) < len(value):
            value = value[int(token)]
        else:
            break
        pointer += "/" + escape_pointer(token)
    return source, pointer


def _opener(doc: Document) -> Callable[[Path], Source]:
    def open_loaded(path: Path) -> Source:
        source = doc.files.get(path)
        if source is None:
            raise RefError("unreadable-ref", f"{path.name} was not loaded")
        return source

    return open_loaded
