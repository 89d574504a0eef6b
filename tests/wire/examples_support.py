"""What the generated REST servers serve and the stream demos emit, judged by plain ``jsonschema``.

Independent of the generator's own check: REST examples are looked up in the
bundled spec a server serves at ``/openapi.json`` (by path, method, status and
media type), message examples in the file and pointer the IR names. Validators
follow the document: OpenAPI 3.0 / Swagger 2.0 through ``openapi_schema_validator``
(``nullable``; a response may leave out a required ``writeOnly`` property), 3.1
its 2020-12 dialect, AsyncAPI draft 7 (or the payload's ``schemaFormat``).
Formats are asserted, ``date-time`` with its timezone included.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

import jsonschema
import openapi_schema_validator as oas
import referencing
import referencing.jsonschema

from generator.ir.http import ResponseKind, RestIR
from generator.ir.stream import StreamApi
from generator.load import Document

FORMATS = jsonschema.FormatChecker(formats=())
for _name in ("date-time", "date", "time", "email", "uuid", "ipv4", "ipv6", "regex"):
    FORMATS.checkers[_name] = jsonschema.Draft202012Validator.FORMAT_CHECKER.checkers[_name]
for _name in ("int32", "int64", "byte"):
    FORMATS.checkers[_name] = oas.oas30_format_checker.checkers[_name]


def _swagger_type(validator: Any, types: Any, instance: Any, schema: Any) -> Any:
    if instance is None and schema.get("x-nullable") is True:
        return
    yield from oas.OAS30ReadValidator.VALIDATORS["type"](validator, types, instance, schema)


SWAGGER2 = jsonschema.validators.extend(oas.OAS30ReadValidator, {"type": _swagger_type})


@dataclass(frozen=True)
class Served:
    """One example and the schema it must validate against."""

    label: str
    value: Any
    pointer: str  # in the resource at ``uri``
    uri: str


def _escape(token: str) -> str:
    return token.replace("~", "~0").replace("/", "~1")


def rest_examples(ir: RestIR, version: str) -> Iterator[Served]:
    """Each success response a generated REST server's default handlers answer with."""
    paths = ir.spec.get("paths") or {}
    for op in ir.api.operations:
        success = op.success
        if success is None or success.kind is not ResponseKind.JSON:
            continue
        response = ((paths.get(op.path) or {}).get(op.method) or {}).get("responses", {})
        status = success.status if success.status in response else str(success.status_code)
        base = f"/paths/{_escape(op.path)}/{op.method}/responses/{_escape(status)}"
        entry = response.get(status) or {}
        while isinstance(entry, dict) and "$ref" in entry:  # a shared response object
            target = str(entry["$ref"]).removeprefix("#")
            base = target
            entry = _walk(ir.spec, target)
        if version == "2.0":
            if isinstance(entry, dict) and "schema" in entry:
                yield Served(f"{op.method} {op.path}", success.example, f"{base}/schema", "")
            continue
        content = (entry or {}).get("content") or {}
        if success.media_type in content and "schema" in content[success.media_type]:
            pointer = f"{base}/content/{_escape(success.media_type)}/schema"
            yield Served(f"{op.method} {op.path}", success.example, pointer, "")


def _walk(data: Any, pointer: str) -> Any:
    for token in pointer.split("/")[1:]:
        token = token.replace("~1", "/").replace("~0", "~")
        data = data[int(token)] if isinstance(data, list) else data[token]
    return data


def rest_validator(ir: RestIR, version: str) -> Any:
    """A validator resolving ``$ref``s in the bundled spec (served at ``/openapi.json``)."""
    cls = {"2.0": SWAGGER2, "3.0": oas.OAS30ReadValidator}.get(version, oas.OAS31Validator)
    spec = referencing.jsonschema.DRAFT4 if version in ("2.0", "3.0") else None
    spec = spec or referencing.jsonschema.DRAFT202012
    registry: referencing.Registry[Any] = referencing.Registry().with_resource(
        "urn:spec", spec.create_resource(ir.spec)
    )
    return cls({}, registry=registry, format_checker=FORMATS)


def stream_examples(api: StreamApi, doc: Document) -> Iterator[Served]:
    """Each example payload the stream demo (and ``/_twinspec/emit``) publishes."""
    by_display = {s.display: s for s in (doc.root, *doc.files.values())}
    for message in api.messages:
        if not message.payload_schema:
            continue
        display, _, pointer = message.payload_schema.partition("#")
        uri = by_display[display].path.resolve().as_uri()
        for i, value in enumerate(message.examples):
            yield Served(f"{message.key}[{i}]", value, pointer, uri)


def stream_validator(doc: Document, pointer_hint: str = "") -> Any:
    """Draft 7 over every file of ``doc`` (AsyncAPI's Schema Object)."""
    spec = referencing.jsonschema.DRAFT7
    registry: referencing.Registry[Any] = referencing.Registry().with_resources(
        (s.path.resolve().as_uri(), spec.create_resource(s.data))
        for s in {id(s): s for s in (doc.root, *doc.files.values())}.values()
    )
    return jsonschema.Draft7Validator({}, registry=registry, format_checker=FORMATS)


def errors(validator: Any, served: Served) -> list[str] | None:
    """What ``jsonschema`` finds wrong with ``served.value`` (empty: valid).

    ``None`` when ``jsonschema`` cannot judge: a schema outside JSON Schema (Swagger's
    array-form ``items``), a ``$ref`` to the network, a pattern Python cannot compile.
    """
    uri = served.uri or "urn:spec"
    checker = validator.evolve(schema={"$ref": f"{uri}#{quote(served.pointer, safe='/~')}"})
    try:
        return [f"{e.json_path}: {e.message[:200]}" for e in checker.iter_errors(served.value)]
    except Exception:
        return None
