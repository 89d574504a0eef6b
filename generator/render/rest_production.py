"""Context the REST packs need for production concerns: error classes, typed response headers.

Kept apart from ``rest.py`` (the pack plans): these are naming decisions made
once, so the templates only print them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from http import HTTPStatus

from generator.ir.http import Api, Operation, ParamLocation, ResponseHeader
from generator.ir.schema import Import
from generator.naming import NameAllocator

__all__ = [
    "HeaderClass",
    "conditional_ops",
    "error_classes",
    "header_classes",
    "header_imports",
    "headers_use_models",
]

_OWN_ERRORS = (400, 401, 403, 404, 405, 406, 412, 413, 415, 422, 500)
"""Statuses the generated server answers by itself: each gets an exception class too."""


def error_classes(api: Api) -> list[tuple[str, int]]:
    """``(class name, status)`` per declared 4xx/5xx status and those the server produces.

    Named for the status phrase (``NotFound``); a status without one is ``Error499``.
    """
    codes = set(_OWN_ERRORS)
    codes.update(
        e.status_code
        for op in api.operations
        for e in op.errors
        if e.status.isdigit() and 400 <= e.status_code <= 599
    )
    out = []
    for code in sorted(codes):
        try:
            words = re.findall(r"[A-Za-z0-9]+", HTTPStatus(code).phrase)
            name = "".join(w[:1].upper() + w[1:] for w in words)
        except ValueError:
            name = ""
        out.append((name if name.isidentifier() else f"Error{code}", code))
    return out


@dataclass(frozen=True, slots=True)
class HeaderClass:
    """The typed response headers of one operation's success: ``headers.<class_name>``."""

    op: Operation
    class_name: str
    headers: tuple[ResponseHeader, ...]


_HEADERS_MODULE_NAMES = ("Any", "ClassVar", "dataclass", "models", "datetime", "date", "WIRE")


def header_classes(api: Api) -> list[HeaderClass]:
    """One class per operation whose success response declares headers, named ``<Op>Headers``."""
    names = NameAllocator(reserved=_HEADERS_MODULE_NAMES)
    return [
        HeaderClass(
            op=op,
            class_name=names.fresh(op.name + "_headers", "pascal"),
            headers=op.success.headers,
        )
        for op in api.operations
        if op.success is not None and op.success.headers
    ]


def header_imports(classes: list[HeaderClass]) -> list[str]:
    """The import lines the headers module needs for its field types."""
    found: set[Import] = set()
    for cls in classes:
        for header in cls.headers:
            found.update(header.type.imports)
    return sorted({imp.line for imp in found})


def headers_use_models(classes: list[HeaderClass]) -> bool:
    """Whether a header's type names a model (the headers module then imports ``models``)."""
    return any("models." in h.annotation for cls in classes for h in cls.headers)


def conditional_ops(api: Api) -> tuple[list[str], list[str]]:
    """Operation ids that get automatic ETags / 304 (GET/HEAD declaring ``ETag``), and that
    check preconditions (unsafe methods declaring ``If-Match`` or ``If-Unmodified-Since``)."""
    etag: list[str] = []
    precondition: list[str] = []
    for op in api.operations:
        declared = {h.wire_name.lower() for h in op.success.headers} if op.success else set()
        if op.method in ("get", "head") and "etag" in declared:
            etag.append(op.name)
        conditions = {
            p.wire_name.lower() for p in op.parameters if p.location is ParamLocation.HEADER
        }
        if op.method not in ("get", "head", "options") and conditions & {
            "if-match",
            "if-unmodified-since",
        }:
            precondition.append(op.name)
    return sorted(etag), sorted(precondition)
