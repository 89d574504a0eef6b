"""Which fields of a declared error schema the server fills from a failure, and how.

An error schema names its fields in many ways (RFC 9457 ``title``/``detail``,
``message``, ``code``, ``errors: [{field, message}]``, ``{"error": {...}}``). A
field is filled only when every value the server could write is valid for it:
free text (no ``enum``/``pattern``/``format``; cut to ``maxLength``), a status
integer whose bounds admit 400-599, a list whose items are free text or objects
whose named properties are. Everything else keeps the template's value, which
is valid for the schema already. ``apply_fills`` is the generation-time twin of
the generated ``contracts.fill``: the builder checks its result against the
schema before it keeps a fill.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from http import HTTPStatus
from typing import Any

from generator.ir.http import ErrorFill, FillKind, ItemFill
from generator.load import Document
from generator.load.document import Source

__all__ = [
    "SampleFailure",
    "SchemaView",
    "Synth",
    "apply_fills",
    "envelopes",
    "fills_of",
    "type_uri_ok",
]

_MAX_DEPTH = 2  # ``{"error": {"message": ...}}`` nests once; deeper envelopes keep their template

_STATUS = {"status", "statuscode", "httpstatus", "httpstatuscode", "httpcode"}
_TITLE = {"title", "error", "errortitle", "summary"}
_DETAIL = {
    "detail",
    "details",
    "message",
    "msg",
    "description",
    "errordescription",
    "errormessage",
    "errordetail",
    "reason",
    "errorsummary",
}
_CODE = {"code", "errorcode", "errortype", "kind"}
_INSTANCE = {"instance"}
_ERRORS = {
    "errors",
    "details",
    "violations",
    "invalidparams",
    "fielderrors",
    "validationerrors",
    "issues",
    "problems",
    "causes",
    "errordetails",
}
_NESTED = {"error", "errors", "fault", "problem", "err"}
_ITEM_LOCATION = {"field", "loc", "location", "path", "pointer", "name", "param", "parameter"}
_ITEM_LOCATION |= {"property", "source", "target", "attribute", "key", "propertypath"}
_ITEM_MESSAGE = {"message", "msg", "detail", "description", "reason", "error", "title"}
_ITEM_TYPE = {"type", "code", "kind", "errortype", "errorcode"}
_URI_FORMATS = {"uri", "uri-reference", "iri", "iri-reference"}


Synth = Callable[[Any, Source], object]
"""Makes a value valid for a schema (read in a source): the examples synthesiser."""


def _key(name: str) -> str:
    return name.lower().replace("_", "").replace("-", "")


def _types(schema: dict[str, Any]) -> set[str]:
    raw = schema.get("type")
    if isinstance(raw, str):
        return {raw}
    if isinstance(raw, list):
        return {t for t in raw if isinstance(t, str)}
    return set()


def _int(value: object) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


class SchemaView:
    """Schemas of ``doc`` with ``$ref`` followed and ``allOf`` members' properties merged."""

    def __init__(self, doc: Document) -> None:
        """Read schemas of ``doc``."""
        self.doc = doc

    def resolve(self, schema: Any, source: Source, pointer: str) -> tuple[dict[str, Any], Source]:
        """``schema`` itself, ``{}`` when its ``$ref`` dangles or it is no object."""
        found = self.doc.refs.follow(schema, source, pointer)
        if found is None or not isinstance(found.value, dict):
            return {}, source
        return found.value, found.source

    def properties(
        self, schema: dict[str, Any], source: Source, depth: int = 0
    ) -> Iterator[tuple[str, dict[str, Any], Source]]:
        """``(name, resolved schema, its source)`` of every property, ``allOf`` members' too."""
        props = schema.get("properties")
        for name, raw in (props if isinstance(props, dict) else {}).items():
            resolved, where = self.resolve(raw, source, "")
            yield name, resolved, where
        members = schema.get("allOf")
        if depth < 4 and isinstance(members, list):
            for member in members:
                resolved, where = self.resolve(member, source, "")
                yield from self.properties(resolved, where, depth + 1)

    def is_object(self, schema: dict[str, Any]) -> bool:
        """An object schema with properties to fill (no union to pick a branch of)."""
        if "oneOf" in schema or "anyOf" in schema:
            return False
        kinds = _types(schema)
        return ("object" in kinds or not kinds) and ("properties" in schema or "allOf" in schema)


def free_text(schema: dict[str, Any]) -> tuple[bool, int | None]:
    """Whether any non-empty text is valid (then the ``maxLength`` to cut it to)."""
    kinds = _types(schema)
    if kinds - {"string", "null"} or (kinds and "string" not in kinds):
        return False, None
    if not kinds and any(k in schema for k in ("properties", "items", "allOf", "oneOf", "anyOf")):
        return False, None
    if any(k in schema for k in ("enum", "const", "pattern", "format", "not")):
        return False, None
    shortest = _int(schema.get("minLength")) or 0
    longest = _int(schema.get("maxLength"))
    if shortest > 1 or (longest is not None and longest < 8):
        return False, None
    return True, longest


def _number(value: object) -> float | None:
    return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else None


def status_int(schema: dict[str, Any]) -> bool:
    """Whether every HTTP error status (400-599) is a valid value."""
    kinds = _types(schema)
    if not kinds & {"integer", "number"} or kinds - {"integer", "number", "null"}:
        return False
    if any(k in schema for k in ("enum", "const", "multipleOf", "not", "oneOf", "anyOf")):
        return False
    low, high = _number(schema.get("minimum")), _number(schema.get("maximum"))
    ex_low, ex_high = schema.get("exclusiveMinimum"), schema.get("exclusiveMaximum")
    if low is not None and (low > 400 or (ex_low is True and low >= 400)):
        return False
    if high is not None and (high < 599 or (ex_high is True and high <= 599)):
        return False
    ex_low_n, ex_high_n = _number(ex_low), _number(ex_high)
    return not (
        (ex_low_n is not None and ex_low_n >= 400) or (ex_high_n is not None and ex_high_n <= 599)
    )


def _text_fill(path: tuple[str, ...], kind: FillKind, schema: dict[str, Any]) -> ErrorFill | None:
    ok, longest = free_text(schema)
    return ErrorFill(path=path, kind=kind, max_length=longest) if ok else None


def _item_fills(view: SchemaView, items: dict[str, Any], source: Source) -> tuple[ItemFill, ...]:
    found: list[ItemFill] = []
    for name, schema, _where in view.properties(items, source):
        key = _key(name)
        part = ""
        if key in _ITEM_LOCATION:
            part = "location"
            if "array" in _types(schema):
                item_schema, _ = view.resolve(schema.get("items"), source, "")
                part = "location_list" if free_text(item_schema)[0] else ""
        elif key in _ITEM_MESSAGE:
            part = "message"
        elif key in _ITEM_TYPE:
            part = "type"
        if not part:
            continue
        if part == "location_list":
            found.append(ItemFill(name=name, part=part))
            continue
        ok, longest = free_text(schema)
        if ok:
            found.append(ItemFill(name=name, part=part, max_length=longest))
    return tuple(found)


def _errors_fill(
    view: SchemaView, path: tuple[str, ...], schema: dict[str, Any], source: Source, synth: Synth
) -> ErrorFill | None:
    if "array" not in _types(schema) or schema.get("uniqueItems") is True:
        return None
    items, where = view.resolve(schema.get("items"), source, "")
    min_items = _int(schema.get("minItems")) or 0
    if min_items > 1:
        return None
    max_items = _int(schema.get("maxItems"))
    ok, longest = free_text(items)
    if ok:
        return ErrorFill(path=path, kind=FillKind.ERRORS, max_length=longest, max_items=max_items)
    if not view.is_object(items):
        return None
    item_fields = _item_fills(view, items, where)
    if not item_fields:
        return None
    return ErrorFill(
        path=path,
        kind=FillKind.ERRORS,
        max_items=max_items,
        item_fields=item_fields,
        item_template=synth(schema.get("items"), source),
    )


def fills_of(
    view: SchemaView,
    schema: dict[str, Any],
    source: Source,
    synth: Synth,
    path: tuple[str, ...] = (),
) -> list[ErrorFill]:
    """Every field of the object ``schema`` the server can fill, nested envelopes included.

    ``synth(schema, source)`` makes a valid value of a schema (for list items).
    """
    found: list[ErrorFill] = []
    seen: set[str] = set()
    for name, prop, where in view.properties(schema, source):
        if name in seen:
            continue
        seen.add(name)
        key, at = _key(name), (*path, name)
        fill: ErrorFill | None = None
        if key in _STATUS and status_int(prop):
            fill = ErrorFill(path=at, kind=FillKind.STATUS)
        elif key in _STATUS:
            fill = _text_fill(at, FillKind.STATUS_TEXT, prop)
        elif key == "code" and status_int(prop):
            fill = ErrorFill(path=at, kind=FillKind.STATUS)
        elif key in _ERRORS and "array" in _types(prop):
            fill = _errors_fill(view, at, prop, where, synth)
        elif key in _NESTED and view.is_object(prop) and len(path) < _MAX_DEPTH - 1:
            found.extend(fills_of(view, prop, where, synth, at))
            continue
        elif key in _TITLE:
            fill = _text_fill(at, FillKind.TITLE, prop)
        elif key in _DETAIL:
            fill = _text_fill(at, FillKind.DETAIL, prop)
        elif key in _CODE:
            fill = _text_fill(at, FillKind.CODE, prop)
        elif key in _INSTANCE:
            fill = _text_fill(at, FillKind.INSTANCE, prop)
        if fill is not None:
            found.append(fill)
    return found


def envelopes(
    view: SchemaView, schema: dict[str, Any], source: Source, template: dict[str, Any], synth: Synth
) -> dict[str, Any]:
    """``template`` with every nested error object (``{"error": {...}}``) present, so fills reach it."""
    for name, prop, where in view.properties(schema, source):
        if (
            _key(name) in _NESTED
            and view.is_object(prop)
            and not isinstance(template.get(name), dict)
        ):
            made = synth(prop, where)
            if isinstance(made, dict):
                template[name] = made
    return template


def type_uri_ok(schema: dict[str, Any]) -> bool:
    """Whether ``about:blank`` (RFC 9457's default problem type) is valid for a ``type`` field."""
    kinds = _types(schema)
    if kinds and "string" not in kinds:
        return False
    if any(k in schema for k in ("enum", "const", "pattern", "not")):
        return False
    fmt = schema.get("format")
    return fmt is None or fmt in _URI_FORMATS


@dataclass(frozen=True, slots=True)
class SampleFailure:
    """A failure as the generated server would describe it (for checking fills)."""

    status: int
    detail: str = "the request does not match the spec: query.limit " + "x" * 400
    errors: tuple[tuple[tuple[str, ...], str, str], ...] = (
        (("query", "limit"), "Input should be a valid integer", "int_parsing"),
        (("body", "name"), "Field required", "missing"),
    )
    instance: str = "/pets/1"


def _cut(text: str, longest: int | None) -> str:
    return text if longest is None else text[:longest]


def _phrase(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Error"


def _item(fill: ErrorFill, loc: tuple[str, ...], msg: str, kind: str) -> object:
    if not fill.item_fields:
        return _cut(".".join(loc) + ": " + msg, fill.max_length)
    item = dict(fill.item_template) if isinstance(fill.item_template, dict) else {}
    parts = {"location": ".".join(loc), "message": msg, "type": kind}
    for field in fill.item_fields:
        if field.part == "location_list":
            item[field.name] = list(loc)
        else:
            item[field.name] = _cut(parts[field.part], field.max_length)
    return item


def _value(fill: ErrorFill, failure: SampleFailure) -> object:
    if fill.kind is FillKind.STATUS:
        return failure.status
    if fill.kind is FillKind.STATUS_TEXT:
        return str(failure.status)
    if fill.kind is FillKind.TITLE:
        return _cut(_phrase(failure.status), fill.max_length)
    if fill.kind is FillKind.CODE:
        return _cut(_phrase(failure.status).lower().replace(" ", "_"), fill.max_length)
    if fill.kind is FillKind.INSTANCE:
        return _cut(failure.instance, fill.max_length)
    if fill.kind is FillKind.ERRORS:
        items = [_item(fill, *error) for error in failure.errors]
        return items[: fill.max_items] if fill.max_items is not None else items
    return _cut(failure.detail, fill.max_length)


def apply_fills(template: object, fills: tuple[ErrorFill, ...], failure: SampleFailure) -> object:
    """``template`` with each fill written for ``failure`` (a copy; nested objects copied too)."""
    if not isinstance(template, dict):
        return template
    out: dict[str, Any] = dict(template)
    for fill in fills:
        if fill.kind is FillKind.ERRORS and not failure.errors:
            continue  # nothing located (an auth failure): the template's list stays
        target = out
        for name in fill.path[:-1]:
            inner = target.get(name)
            target[name] = dict(inner) if isinstance(inner, dict) else {}
            target = target[name]
        target[fill.path[-1]] = _value(fill, failure)
    return out
