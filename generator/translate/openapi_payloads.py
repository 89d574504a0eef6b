"""What an OpenAPI operation carries: request bodies, responses and their examples,
and the webhook and callback events an API sends (their bodies read the same way).

``PayloadReader`` is the part of the OpenAPI builder (``translate.openapi``)
that reads payloads; the builder sets up the document, type sink and names.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from typing import Any

from generator.diagnostics import Diagnostic, Severity, escape_pointer, join_pointer
from generator.ir.http import BodyKind, Event, RequestBody, Response, ResponseKind
from generator.load import Document
from generator.naming import NameAllocator, fresh
from generator.translate._openapi_headers import response_headers
from generator.translate._openapi_media import body_kind, pick_media, response_kind
from generator.translate._openapi_refs import Located, deref
from generator.translate._openapi_types import TypeSink
from generator.translate.examples import Candidate
from generator.translate.json_values import as_dict, as_text
from generator.translate.openapi_status import status_code

__all__ = ["METHODS", "PayloadReader"]

METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")


class PayloadReader:
    """Bodies, responses and events of ``doc``, typed through ``types``; problems are warnings."""

    doc: Document
    types: TypeSink
    diagnostics: list[Diagnostic]
    event_names: NameAllocator
    _response_memo: dict[tuple[int, str, int, str], Response]
    """Responses by (source, status, content): those shared by many operations (a ``$ref``,
    or Swagger 2.0's copies) are read once, if reading one declared and warned about nothing."""

    def warn(self, located: Located | None, pointer: str, code: str, message: str) -> None:
        source = located.source if located else self.doc.root
        self.diagnostics.append(
            self.doc.diagnostic(pointer, code, message, Severity.WARNING, source=source)
        )

    def deref(self, value: Any, pointer: str, base: Located | None = None) -> Located | None:
        return deref(self.doc, value, base.source if base else self.doc.root, pointer)

    # ------------------------------------------------------------------ bodies

    def body(self, raw: Any, pointer: str, base: Located, hint: str) -> RequestBody | None:
        loc = self.deref(raw, pointer, base)
        if loc is None or not isinstance(loc.value, dict):
            return None
        content = as_dict(loc.value.get("content"))
        media = pick_media(sorted(content, key=list(content).index))
        if media is None:
            return None
        entry = as_dict(content[media])
        kind = body_kind(media)
        schema_ptr = loc.pointer + join_pointer(("content", media, "schema"))
        schema = entry.get("schema")
        file_fields: tuple[str, ...] = ()
        if kind in (BodyKind.BINARY, BodyKind.TEXT):
            type_ref = self.types.plain("bytes" if kind is BodyKind.BINARY else "str")
        elif schema is None:
            type_ref = self.types.plain("Any" if kind is BodyKind.JSON else "dict[str, Any]")
        else:
            type_ref = self.types.type_for(schema, loc.source, schema_ptr, hint)
            if kind is not BodyKind.JSON:
                file_fields = self.file_fields(schema, loc, schema_ptr)
        return RequestBody(
            kind=kind,
            media_type=media,
            type=type_ref,
            required=loc.value.get("required") is True,
            file_fields=file_fields,
            example=self.example(entry, schema, loc, schema_ptr, served=False),
            media_types=tuple(m for m in content if body_kind(m) is kind),
        )

    def file_fields(self, schema: Any, base: Located, pointer: str) -> tuple[str, ...]:
        loc = deref(self.doc, schema, base.source, pointer)
        props = as_dict(as_dict(loc.value if loc else None).get("properties"))
        found = []
        for name, prop in props.items():
            target = deref(self.doc, prop, loc.source, "") if loc else None
            value = as_dict(target.value if target else None)
            if value.get("format") in ("binary", "base64") or "contentMediaType" in value:
                found.append(name)
        return tuple(found)

    def example(
        self,
        entry: dict[str, Any],
        schema: Any,
        loc: Located,
        schema_ptr: str,
        *,
        served: bool = True,
    ) -> object:
        """The media type's own example when it validates against the schema, else one made from it.

        A response example (``served``) that JSON Schema refuses is a located
        ``example-invalid`` warning; a request example is only checked against
        the model (JSON Schema would refuse one that rightly leaves out a
        required ``readOnly`` property).
        """
        at = schema_ptr.removesuffix("/schema")
        candidates: list[Candidate] = []
        if "example" in entry:
            written = f"{at}/example"
            if self.doc.kind is not None and self.doc.kind.version == "2.0":  # upgraded from 2.0
                response, _, media = at.rpartition("/content/")
                written = f"{response}/examples/{media}"
            candidates.append(Candidate(entry["example"], loc.source, written))
        examples = as_dict(entry.get("examples"))
        for name in examples:
            found = self.deref(examples[name], f"{at}/examples/{escape_pointer(str(name))}", loc)
            if found is not None and "value" in as_dict(found.value):
                candidates.append(
                    Candidate(found.value["value"], found.source, f"{found.pointer}/value")
                )
            break
        if schema is None:
            return candidates[0].value if candidates else None
        fitting = (
            self.types.vet(candidates, schema, loc.source, schema_ptr)
            if served
            else [
                c.value
                for c in candidates
                if self.types.conforms(c.value, schema, loc.source, schema_ptr)
            ]
        )
        return fitting[0] if fitting else self.types.example(schema, loc.source, schema_ptr)

    # ------------------------------------------------------------------ responses

    def responses(self, op: Located, op_name: str) -> tuple[Response | None, tuple[Response, ...]]:
        raw = as_dict(as_dict(op.value).get("responses"))
        ordered = sorted(raw, key=_status_order)
        success: Response | None = None
        errors: list[Response] = []
        for status in ordered:
            code = status_code(status)
            if code is None:
                self.warn(
                    op,
                    op.pointer + join_pointer(("responses", status)),
                    "bad-status",
                    f"response status {status!r} is not an HTTP status; skipped",
                )
                continue
            is_ok = 200 <= code < 300 or (
                status == "default" and success is None and not any(_ok(s) for s in raw)
            )
            resp = self.response(
                raw[status],
                op.pointer + join_pointer(("responses", status)),
                op,
                f"{op_name}_{status}_response",
                status,
                200 if status == "default" and is_ok else code,
            )
            if resp is None:
                continue
            if is_ok:
                success = success or resp
            elif code >= 300:
                errors.append(resp)
        return success, tuple(errors)

    def response(
        self, raw: Any, pointer: str, base: Located, hint: str, status: str, code: int
    ) -> Response | None:
        """The response ``raw``; memoised by content like ``ParameterReader.parameter``."""
        loc = self.deref(raw, pointer, base)
        if loc is None or not isinstance(loc.value, dict):
            return None
        key = (id(loc.source), status, code, repr(loc.value))
        made = self._response_memo.get(key)
        if made is None:
            before = (len(self.diagnostics), self.types.footprint())
            made = self._response(loc, hint, status, code)
            if before == (len(self.diagnostics), self.types.footprint()):
                self._response_memo[key] = made
        return made

    def _response(self, loc: Located, hint: str, status: str, code: int) -> Response:
        content = as_dict(loc.value.get("content"))
        media = pick_media(list(content), response=True)
        kind, type_ref, example = ResponseKind.EMPTY, self.types.plain("None"), None
        if media is not None:
            entry = as_dict(content[media])
            kind = response_kind(media)
            schema = entry.get("schema")
            schema_ptr = loc.pointer + join_pointer(("content", media, "schema"))
            at = loc
            if kind is ResponseKind.EVENT_STREAM:
                found = self.event_data(entry, loc, media)
                schema, schema_ptr, at, entry = found.value, found.pointer, found, {}
            if kind is ResponseKind.BINARY:
                type_ref = self.types.plain("bytes")
            elif kind is ResponseKind.TEXT:
                type_ref = self.types.plain("str")
            elif schema is None:
                type_ref = self.types.plain("Any")
            else:
                type_ref = self.types.type_for(schema, at.source, schema_ptr, hint)
            example = self.example(entry, schema, at, schema_ptr)
        return Response(
            status=status,
            status_code=code,
            kind=kind,
            media_type=media or "",
            type=type_ref,
            description=as_text(loc.value.get("description")),
            example=example,
            headers=response_headers(self, loc, hint),
        )

    def event_data(self, entry: dict[str, Any], loc: Located, media: str) -> Located:
        """The schema of each event's ``data`` in a ``text/event-stream`` response.

        A schema describing the event itself (3.2 ``itemSchema``, or a 3.1
        ``schema`` with a ``data`` property carrying ``contentSchema``) yields that
        ``contentSchema``; any other schema is taken as the data's own schema.
        """
        key = "itemSchema" if "itemSchema" in entry else "schema"
        pointer = loc.pointer + join_pointer(("content", media, key))
        schema = entry.get(key)
        event = deref(self.doc, schema, loc.source, pointer) if schema is not None else None
        data = as_dict(
            as_dict(as_dict(event.value if event else None).get("properties")).get("data")
        )
        if event is not None and "contentSchema" in data:
            at = event.pointer + "/properties/data/contentSchema"
            return Located(data["contentSchema"], event.source, at)
        if event is not None and "properties" in as_dict(event.value) and data:
            return Located(None, loc.source, pointer)  # an event object whose data is text
        return Located(schema, loc.source, pointer)

    # ------------------------------------------------------------------ events

    def events(self) -> Iterator[Event]:
        data = as_dict(self.doc.data)
        for wire, raw in as_dict(data.get("webhooks")).items():
            yield from self.event(wire, raw, join_pointer(("webhooks", wire)), "webhook")
        for path, raw_item in as_dict(data.get("paths")).items():
            item = self.deref(raw_item, join_pointer(("paths", path)))
            if item is None or not isinstance(item.value, dict):
                continue
            for method in METHODS:
                op = as_dict(item.value.get(method))
                callbacks = as_dict(op.get("callbacks"))
                if not callbacks:  # most operations: nothing to name
                    continue
                op_id = as_text(op.get("operationId")) or f"{method}_{path}"
                for cb_name, cb_raw in callbacks.items():
                    cb_ptr = item.pointer + join_pointer((method, "callbacks", cb_name))
                    cb = self.deref(cb_raw, cb_ptr, item)
                    for expr, cb_item in as_dict(cb.value if cb else None).items():
                        yield from self.event(
                            f"{op_id} {cb_name}",
                            cb_item,
                            cb_ptr + join_pointer((expr,)),
                            "callback",
                        )

    def event(self, wire: str, raw: Any, pointer: str, origin: str) -> Iterator[Event]:
        item = self.deref(raw, pointer)
        if item is None or not isinstance(item.value, dict):
            return
        for method in METHODS:
            op = as_dict(item.value.get(method))
            if not op:
                continue
            name = fresh(self.event_names, f"{wire}_{method}" if method != "post" else wire)
            body = None
            if "requestBody" in op:
                at = Located(op, item.source, item.pointer + join_pointer((method,)))
                body = self.body(
                    op["requestBody"], at.pointer + "/requestBody", at, f"{name}_event"
                )
                if body is not None and body.kind in (BodyKind.FORM, BodyKind.MULTIPART):
                    # Receivers take form-encoded events as text; senders send them as is.
                    body = replace(body, kind=BodyKind.TEXT, type=self.types.plain("str"))
            yield Event(
                name=name,
                wire_name=wire,
                origin=origin,
                route="/" + name.replace("_", "-"),
                method=method,
                summary=as_text(op.get("summary")) or as_text(op.get("description")),
                body=body,
            )


def _ok(status: str) -> bool:
    return status.startswith("2")


def _status_order(status: str) -> tuple[int, str]:
    code = status_code(status)
    return (code if code is not None and status != "default" else 1000, status)
