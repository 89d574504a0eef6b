"""An operation's error contract: the status, media type and body of each kind of failure.

Decided here, at generation time, from the responses the operation declares
(the rule is documented in ``templates/rest-server/ERRORS.md``):

- invalid input: 422 when 422 is declared, else 400 when 400 is, else 422;
- missing or invalid credentials: 401, or 403 when only 403 is declared;
- refused credentials: 403, or 401 when only 401 is declared;

and each status takes the body of its own response, else of its class
(``4XX``), else ``default``; with none of them, the RFC 9457 problem. A body
is the declared schema's example (synthesised when the spec gives none) with
the fields the failure can fill (``_error_fills``), kept only when the result
still validates against the schema for every status it may be sent with.
"""

from __future__ import annotations

from typing import Any

from generator.diagnostics import escape_pointer
from generator.ir.http import (
    ErrorBody,
    ErrorContract,
    ErrorFill,
    Failure,
    FillKind,
    ItemFill,
    ResponseKind,
)
from generator.load import Document
from generator.load.document import Source
from generator.translate._error_fills import (
    SampleFailure,
    SchemaView,
    apply_fills,
    envelopes,
    fills_of,
    free_text,
    type_uri_ok,
)
from generator.translate._openapi_media import pick_media, response_kind
from generator.translate._openapi_refs import Located
from generator.translate._openapi_types import TypeSink
from generator.translate.json_values import as_dict
from generator.translate.openapi_status import status_code, status_key

__all__ = ["ErrorContracts"]

_PROBLEM_FILLS = (
    ErrorFill(path=("title",), kind=FillKind.TITLE),
    ErrorFill(path=("status",), kind=FillKind.STATUS),
    ErrorFill(path=("detail",), kind=FillKind.DETAIL),
    ErrorFill(
        path=("errors",),
        kind=FillKind.ERRORS,
        item_fields=(
            ItemFill(name="loc", part="location_list"),
            ItemFill(name="msg", part="message"),
            ItemFill(name="type", part="type"),
        ),
        item_template={},
    ),
)
_PROBLEM_TEMPLATE = {"type": "about:blank", "title": "Error", "status": 500, "detail": "Error"}
_SAMPLES = {
    "default": (400, 401, 403, 404, 422, 500),
    "4": (400, 401, 403, 404, 422),
    "5": (500, 503),
}


class ErrorContracts:
    """Error contracts of one document's operations; shared responses are worked out once."""

    def __init__(self, doc: Document, types: TypeSink) -> None:
        """Read responses of ``doc``, their types and examples through ``types``."""
        self.doc = doc
        self.types = types
        self.view = SchemaView(doc)
        self._bodies: dict[tuple[int, str, str], ErrorBody] = {}
        self._shapes: dict[tuple[int, int, str, tuple[int, ...]], tuple[Any, object, Any]] = {}

    def of(self, op: Located) -> ErrorContract:
        """The contract of the operation ``op`` (its ``responses`` as declared)."""
        responses = as_dict(as_dict(op.value).get("responses"))
        by_status: dict[int, ErrorBody] = {}
        by_class: dict[int, ErrorBody] = {}
        default: ErrorBody | None = None
        for status in sorted(responses, key=str):
            key = status_key(str(status))
            if key is None or (key[0] != "default" and (status_code(str(status)) or 0) < 400):
                continue  # no error
            pointer = op.pointer + "/responses/" + escape_pointer(str(status))
            body = self.body(responses[status], pointer, op.source, str(status), key)
            if body is None:
                continue
            if key[0] == "code":
                by_status[key[1]] = body
            elif key[0] == "class":
                by_class[key[1]] = body
            else:
                default = body

        def covered(code: int) -> bool:
            return code in by_status or code // 100 in by_class or default is not None

        def failure(code: int) -> Failure:
            return Failure(
                status=code, body=by_status.get(code) or by_class.get(code // 100) or default
            )

        invalid = 422 if 422 in by_status else 400 if 400 in by_status else 422
        unauthenticated = 401 if covered(401) or 403 not in by_status else 403
        forbidden = 403 if covered(403) or 401 not in by_status else 401
        return ErrorContract(
            invalid=failure(invalid),
            unauthenticated=failure(unauthenticated),
            forbidden=failure(forbidden),
            by_status=tuple(sorted(by_status.items())),
            by_class=tuple(sorted(by_class.items())),
            default=default,
        )

    def body(
        self, raw: Any, pointer: str, source: Source, declared: str, key: tuple[str, int]
    ) -> ErrorBody | None:
        """How the response at ``pointer`` is written (memoised by the response it resolves to)."""
        loc = self.doc.refs.follow(raw, source, pointer)
        if loc is None or not isinstance(loc.value, dict):
            return None
        memo = (id(loc.value), loc.pointer, declared)
        if memo not in self._bodies:
            self._bodies[memo] = self._make(loc, declared, key)
        return self._bodies[memo]

    def _make(self, loc: Located, declared: str, key: tuple[str, int]) -> ErrorBody:
        content = as_dict(loc.value.get("content"))
        media = pick_media(list(content), response=True)
        if media is None:
            return ErrorBody(
                declared=declared, media_type="", kind=ResponseKind.EMPTY, template=None, fills=()
            )
        kind = response_kind(media)
        schema = as_dict(content[media]).get("schema")
        if kind is not ResponseKind.JSON:
            return self._text(loc, media, declared, schema)
        if schema is None:
            return ErrorBody(
                declared=declared,
                media_type=media,
                kind=kind,
                template=dict(_PROBLEM_TEMPLATE),
                fills=_PROBLEM_FILLS,
            )
        schema_ptr = loc.pointer + "/content/" + escape_pointer(media) + "/schema"
        statuses = (key[1],) if key[0] == "code" else _SAMPLES[str(key[1] or "default")]
        template, fills = self._shape(schema, loc.source, schema_ptr, statuses)
        return ErrorBody(
            declared=declared, media_type=media, kind=kind, template=template, fills=fills
        )

    def _text(self, loc: Located, media: str, declared: str, schema: Any) -> ErrorBody:
        """A text answer: the failure's sentence when any text fits the schema, else its example."""
        fills: tuple[ErrorFill, ...] = (ErrorFill(path=(), kind=FillKind.DETAIL),)
        template: object = None
        if schema is not None:
            pointer = loc.pointer + "/content/" + escape_pointer(media) + "/schema"
            resolved, _where = self.view.resolve(schema, loc.source, pointer)
            ok, longest = free_text(resolved)
            if ok:
                fills = (ErrorFill(path=(), kind=FillKind.DETAIL, max_length=longest),)
            else:
                made = self.types.example(schema, loc.source, pointer)
                template, fills = (made if isinstance(made, str) else ""), ()
        return ErrorBody(
            declared=declared,
            media_type=media,
            kind=ResponseKind.TEXT,
            template=template,
            fills=fills,
        )

    def _shape(
        self, schema: Any, source: Source, pointer: str, statuses: tuple[int, ...]
    ) -> tuple[object, tuple[ErrorFill, ...]]:
        """The template and the fills that keep it valid for every one of ``statuses``.

        Memoised by the schema its ``$ref`` chain ends at (operations share an
        error schema): the example is memoised the same way and the checks are
        pure. The entry keeps the schema alive, so its ``id`` stays unique.
        """
        found = self.doc.refs.follow(schema, source, pointer)
        if found is None:
            return self._shape_of(schema, source, pointer, statuses)
        key = (id(found.value), id(found.source), found.pointer, statuses)
        if key not in self._shapes:
            made = self._shape_of(schema, source, pointer, statuses)
            self._shapes[key] = (found.value, made[0], made[1])
        _kept, template, fills = self._shapes[key]
        return template, fills

    def _shape_of(
        self, schema: Any, source: Source, pointer: str, statuses: tuple[int, ...]
    ) -> tuple[object, tuple[ErrorFill, ...]]:
        template = self.types.example(schema, source, pointer)
        resolved, where = self.view.resolve(schema, source, pointer)
        if not isinstance(template, dict) or not self.view.is_object(resolved):
            return template, ()

        def synth(part: Any, at: Source) -> object:
            return self.types.example(part, at, "")

        def valid(value: object) -> bool:
            return self.types.conforms(value, schema, source, pointer)

        shaped = envelopes(self.view, resolved, where, dict(template), synth)
        if "type" in shaped or _declares(self.view, resolved, where, "type"):
            candidate = {**shaped, "type": "about:blank"}
            if _type_ok(self.view, resolved, where) and valid(candidate):
                shaped = candidate
        if not valid(shaped):
            shaped = template if isinstance(template, dict) else {}
        samples = [SampleFailure(status=s) for s in statuses]
        samples.append(SampleFailure(status=statuses[0], errors=()))
        kept: list[ErrorFill] = []
        for fill in fills_of(self.view, resolved, where, synth):
            trial = (*kept, fill)
            if all(valid(apply_fills(shaped, trial, sample)) for sample in samples):
                kept.append(fill)
        return shaped, tuple(kept)


def _declares(view: SchemaView, schema: dict[str, Any], source: Source, name: str) -> bool:
    return any(prop == name for prop, _s, _w in view.properties(schema, source))


def _type_ok(view: SchemaView, schema: dict[str, Any], source: Source) -> bool:
    return all(
        type_uri_ok(prop) for name, prop, _w in view.properties(schema, source) if name == "type"
    )
