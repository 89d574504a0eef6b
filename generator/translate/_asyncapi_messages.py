"""AsyncAPI messages -> ``Message`` IR: payload/headers types, correlation IDs, examples.

A message is keyed by where it is defined, so the same component message on
two channels is one type. Avro payloads and headers are typed through
``translate.avro``; payloads in a schema format twinspec cannot model become
raw payloads with a warning, never a crash.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from generator.diagnostics import Diagnostic, Severity, join_pointer
from generator.ir.schema import TypeModel, TypeRef
from generator.ir.stream import Message
from generator.load import Document
from generator.load.document import unescape_pointer
from generator.naming import TEMPLATE_NAMES, NameAllocator, Scope
from generator.translate._asyncapi_headers import HeaderSource, header_fields
from generator.translate._asyncapi_web import const_properties, tag_properties
from generator.translate._stream_reply import location
from generator.translate.asyncapi_shape import Located, Reader, merge_traits
from generator.translate.avro import AvroTyped, AvroTypes, avro_binary, is_avro_format
from generator.translate.example_jsonschema import dialect_of_format
from generator.translate.examples import Candidate, example_value, synthesize, vet
from generator.translate.schema import TypeModelBuilder

__all__ = ["MessageReader"]

_JSON_FORMATS = (
    "application/vnd.aai.asyncapi",
    "application/schema+json",
    "application/schema+yaml",
    "application/vnd.oai.openapi",
)


def _is_json_schema_format(fmt: str) -> bool:
    return not fmt or fmt.lower().startswith(_JSON_FORMATS)


def _import_lines(ref: TypeRef) -> list[str]:
    lines = [i.line for i in ref.imports]
    lines += [f"from .models import {name}" for name in ref.declarations]
    return lines


_AVRO_ONLY = {"record": "fields", "error": "fields", "enum": "symbols", "fixed": "size"}


def _looks_avro(found: Located) -> bool:
    """Is a Kafka key schema Avro rather than JSON Schema (an ``.avsc`` file, a record, ...)?"""
    value = found.value
    if found.source.path.suffix.lower() == ".avsc":
        return True
    kind = value.get("type") if isinstance(value, dict) else None
    return isinstance(kind, str) and _AVRO_ONLY.get(kind, "") in value


def _upper(name: str) -> tuple[str, ...]:
    return (name.upper(),)


class MessageReader:
    """Collects messages channel by channel and types them once each."""

    def __init__(self, doc: Document, types: TypeModelBuilder, v2: bool, scope: Scope) -> None:
        """Read messages of ``doc`` into ``types`` (the shared type model builder)."""
        self.doc = doc
        self.types = types
        self.v2 = v2
        self.diagnostics: list[Diagnostic] = []
        self._reader = Reader(doc)
        self.avro = AvroTypes(doc, types, self.diagnostics)
        self._by_ident: dict[tuple[str, str], Message] = {}
        self._consts: dict[str, dict[str, object]] = {}
        self._tags: dict[str, dict[str, tuple[object, ...]]] = {}
        self._keys: dict[tuple[str, str], str] = {}
        self._headers_seen: dict[str, HeaderSource] = {}
        # printed as ``X = MessageType(...)``: checked against classes and other constants
        self._names = NameAllocator(TEMPLATE_NAMES, scope=scope, printed=_upper)
        self._classes = NameAllocator(TEMPLATE_NAMES)

    def key_of(self, channel: str, message: str) -> str:
        """The message key for message ``message`` of channel ``channel``."""
        return self._keys.get((channel, message), "")

    def tags(self, key: str) -> dict[str, tuple[object, ...]]:
        """Payload properties of message ``key`` fixed to a few scalar values (routing by type)."""
        return self._tags.get(key, {})

    def add(
        self, channel: str, mkey: str, at: Located, components: dict[tuple[str, str], str]
    ) -> None:
        """Register message ``mkey`` of ``channel`` defined at ``at``."""
        known = self._by_ident.get(at.ident)
        if known is not None:
            self._keys[(channel, mkey)] = known.key
            return
        raw_name = components.get(at.ident) or mkey
        key = raw_name
        taken = {m.key for m in self._by_ident.values()}
        n = 2
        while key in taken:
            key, n = f"{raw_name}{n}", n + 1
        message = self._read(key, at)
        self._by_ident[at.ident] = message
        self._keys[(channel, mkey)] = key

    def _follow(self, value: Any, at: Located) -> Located | None:
        return self._reader.follow(value, at.source, at.pointer)

    def _follow_value(self, at: Located) -> Any:
        def inner(value: Any) -> Any:
            located = self._follow(value, at)
            return located.value if located is not None else None

        return inner

    def _read(self, key: str, at: Located) -> Message:
        obj = merge_traits(at.value, lambda v: self._follow(v, at))
        py_name = self._names.allocate(key)
        class_name = self._classes.allocate(key, "pascal")
        wire = obj.get("name") if self.v2 else None
        wire = obj.get("messageId") or wire or obj.get("name") or key
        payload_at = Located(obj.get("payload"), at.source, at.pointer + "/payload")
        fmt = str(obj.get("schemaFormat") or "")
        if (
            not self.v2
            and isinstance(payload_at.value, dict)
            and "schemaFormat" in payload_at.value
        ):
            fmt = str(payload_at.value.get("schemaFormat") or "")
            payload_at = Located(
                payload_at.value.get("schema"), at.source, payload_at.pointer + "/schema"
            )
        resolved = (
            self._follow(payload_at.value, payload_at) if payload_at.value is not None else None
        )
        raw = False
        imports: list[str] = ["from typing import Any"]
        payload_annotation = "Any"
        payload_is_model = False
        content_type = str(
            obj.get("contentType") or self.doc.data.get("defaultContentType") or "application/json"
        )
        avro_schema: object | None = None
        typed = (
            self.avro.type_for(
                resolved.value, resolved.source, resolved.pointer, class_name, f"message {key!r}"
            )
            if is_avro_format(fmt) and resolved is not None
            else None
        )
        if typed is not None:
            payload_annotation = typed.ref.annotation
            payload_is_model = typed.ref.is_model
            imports.extend(_import_lines(typed.ref))
            avro_schema = typed.parsed if avro_binary(content_type) else None
            resolved = typed.json_schema  # examples and constants read it as JSON Schema
        elif not _is_json_schema_format(fmt):
            raw = True
            if not is_avro_format(fmt):  # a refused Avro schema was reported already
                self.diagnostics.append(
                    self.doc.diagnostic(
                        at.pointer,
                        "stream-raw-payload",
                        f"message {key!r}: schemaFormat {fmt!r} cannot be modelled yet;"
                        " its payload is passed through as raw JSON",
                        Severity.WARNING,
                        at.source,
                    )
                )
        elif payload_at.value is not None:
            ref = self.types.type_for(
                payload_at.value, payload_at.source, payload_at.pointer, class_name
            )
            payload_annotation = ref.annotation
            payload_is_model = ref.is_model
            imports.extend(_import_lines(ref))
        self._consts[key] = (
            const_properties(resolved.value, self._follow_value(payload_at))
            if resolved and not raw
            else {}
        )
        component = unescape_pointer(resolved.pointer.rpartition("/")[2]) if resolved else ""
        self._tags[key] = (
            tag_properties(
                resolved.value,
                self._follow_value(payload_at),
                component if resolved and "/schemas/" in resolved.pointer else "",
            )
            if resolved and not raw
            else {}
        )
        headers: str | None = None
        headers_ref: TypeRef | None = None
        if isinstance(obj.get("headers"), dict):
            headers_ref = self._headers(key, class_name, obj["headers"], at)
            headers = headers_ref.annotation
            imports.extend(_import_lines(headers_ref))
        header_names: tuple[str, ...] = ()
        located_headers = self._follow(obj.get("headers"), at) if obj.get("headers") else None
        if located_headers is not None and isinstance(located_headers.value, dict):
            props = located_headers.value.get("properties")
            header_names = tuple(sorted(props)) if isinstance(props, dict) else ()
            if headers_ref is not None and isinstance(props, dict):
                self._headers_seen[key] = self._header_source(headers_ref, obj, located_headers)
        key_typed = self._avro_key(key, class_name, obj, at)  # declared in models.py
        key_type = key_typed.ref if key_typed is not None else None
        if key_type is not None:
            imports.extend(_import_lines(key_type))
        correlation_path: tuple[str, ...] = ()
        in_headers = False
        corr = self._follow(obj.get("correlationId"), at) if obj.get("correlationId") else None
        where = corr.value.get("location") if corr and isinstance(corr.value, dict) else None
        if isinstance(where, str):  # the same reading as request/reply pairing's
            part, correlation_path = location(where)
            in_headers = part == "header"
        return Message(
            key=key,
            py_name=py_name,
            class_name=class_name,
            wire_name=str(wire),
            title=str(obj.get("title") or ""),
            summary=str(obj.get("summary") or obj.get("description") or ""),
            content_type=content_type,
            payload=payload_annotation,
            payload_is_model=payload_is_model,
            raw=raw,
            headers=headers,
            imports=tuple(sorted(set(imports))),
            correlation_path=correlation_path,
            correlation_in_headers=in_headers,
            header_names=header_names,
            examples=self._examples(obj, resolved, raw, at, fmt),
            payload_schema=(
                f"{resolved.source.display}#{resolved.pointer}"
                if resolved is not None and not raw and typed is None
                else ""
            ),
            const_tags=tuple(sorted(self._consts[key].items())) if payload_is_model else (),
            avro=avro_schema,
            kafka_key=key_type.annotation if key_type is not None else None,
            kafka_key_avro=(
                key_typed.parsed if key_typed is not None and avro_binary(content_type) else None
            ),
        )

    def _avro_key(
        self, key: str, class_name: str, obj: dict[str, Any], at: Located
    ) -> AvroTyped | None:
        """The type of a Kafka binding ``key`` written as an Avro schema (a record, enum...)."""
        bindings = self._follow(obj.get("bindings"), at) if obj.get("bindings") else None
        kafka = (
            bindings.value.get("kafka") if bindings and isinstance(bindings.value, dict) else None
        )
        if not isinstance(kafka, dict) or "key" not in kafka:
            return None
        pointer = f"{bindings.pointer if bindings else at.pointer}/kafka/key"
        found = self._follow(kafka["key"], Located(kafka["key"], at.source, pointer))
        if found is None or not _looks_avro(found):
            return None
        return self.avro.type_for(
            found.value, found.source, found.pointer, f"{class_name}Key", f"message {key!r} key"
        )

    def _headers(self, key: str, class_name: str, value: Any, at: Located) -> TypeRef:
        """The headers' type: a JSON Schema, or a 3.x multi-format schema (Avro or JSON Schema)."""
        headers_at = Located(value, at.source, at.pointer + "/headers")
        found = self._follow(value, headers_at)
        inner = found.value if found is not None else None
        if found is not None and isinstance(inner, dict) and "schemaFormat" in inner:
            fmt = str(inner.get("schemaFormat") or "")
            schema_at = self._follow(
                inner.get("schema"), Located(inner, found.source, found.pointer + "/schema")
            )
            if schema_at is not None and is_avro_format(fmt):
                typed = self.avro.type_for(
                    schema_at.value,
                    schema_at.source,
                    schema_at.pointer,
                    f"{class_name}Headers",
                    f"message {key!r} headers",
                )
                if typed is not None:
                    return typed.ref
            elif schema_at is not None and _is_json_schema_format(fmt):
                headers_at = schema_at
        return self.types.type_for(
            headers_at.value, headers_at.source, headers_at.pointer, f"{class_name}Headers"
        )

    def _examples(
        self, obj: dict[str, Any], schema: Located | None, raw: bool, at: Located, fmt: str
    ) -> tuple[object, ...]:
        """The message's examples that validate against its payload schema; else one made from it.

        Each example JSON Schema refuses is a located ``example-invalid`` warning.
        """
        candidates = [
            Candidate(item["payload"], at.source, f"{at.pointer}/examples/{i}/payload")
            for i, item in enumerate(obj.get("examples") or [])
            if isinstance(item, dict) and "payload" in item
        ]
        if raw or schema is None:
            return tuple(c.value for c in candidates) or ({},)
        dialect = dialect_of_format(fmt, "draft7")
        fitting, found = vet(
            self.types, candidates, schema.value, schema.source, schema.pointer, dialect=dialect
        )
        self.diagnostics.extend(found)
        if not fitting:
            made = synthesize(
                self.types, schema.value, schema.source, schema.pointer, dialect=dialect
            )
            self.diagnostics.extend(made.diagnostics)
            fitting.append(made.value)
        return tuple(fitting)

    def _header_source(self, ref: TypeRef, obj: dict[str, Any], at: Located) -> HeaderSource:
        """The examples and property schemas of a message's JSON Schema headers."""
        props: dict[str, Any] = {}
        for name, prop in at.value.get("properties", {}).items():
            found = self._follow(
                prop, Located(prop, at.source, at.pointer + join_pointer(["properties", name]))
            )
            props[name] = found.value if found is not None else None
        examples = [
            item["headers"]
            for item in obj.get("examples") or []
            if isinstance(item, dict) and isinstance(item.get("headers"), dict)
        ]
        made = example_value(self.types, at.value, at.source, at.pointer)
        return HeaderSource(ref, examples, props, made)

    def finish(self) -> list[Message]:
        """Every message, sorted by key."""
        return sorted(self._by_ident.values(), key=lambda m: m.key)

    def with_header_fields(self, messages: list[Message], types: TypeModel) -> list[Message]:
        """``messages`` with their typed headers (``header_fields``), once ``types`` is finished."""
        return [
            dataclasses.replace(
                m, header_fields=header_fields(self._headers_seen.get(m.key), types)
            )
            for m in messages
        ]
