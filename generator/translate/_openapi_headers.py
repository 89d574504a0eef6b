"""The headers a response declares, as typed IR the server sets and the docs show.

``ETag``, ``Last-Modified``, ``Cache-Control`` and any other declared header
becomes a field the handler can set. ``Content-Type`` is ignored, as OpenAPI
says; names that collide after conversion get a suffix.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from generator.diagnostics import escape_pointer
from generator.ir.http import ResponseHeader
from generator.naming import NameAllocator, fresh
from generator.translate._openapi_refs import Located
from generator.translate.json_values import as_dict

if TYPE_CHECKING:
    from generator.translate.openapi_payloads import PayloadReader

__all__ = ["header_text", "response_headers"]


def header_text(value: object) -> str | None:
    """``value`` as a header's text (OpenAPI ``simple`` style); ``None`` for what has none."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float, str)):
        text = str(value)
        return text if text.isprintable() and "\n" not in text else None
    if isinstance(value, list) and all(
        isinstance(v, (int, float, str)) and not isinstance(v, bool) for v in value
    ):
        return ",".join(str(v) for v in value)
    return None


def response_headers(reader: PayloadReader, loc: Located, hint: str) -> tuple[ResponseHeader, ...]:
    """The declared headers of the response at ``loc``, in spec order."""
    names = NameAllocator(reserved=("WIRE",))
    out: list[ResponseHeader] = []
    for wire, raw in as_dict(loc.value.get("headers")).items():
        if not isinstance(wire, str) or not wire or wire.lower() == "content-type":
            continue
        if any(c in wire for c in "\r\n\0:") or not wire.isascii():
            continue  # not a header name any client could send or read
        pointer = loc.pointer + "/headers/" + escape_pointer(wire)
        found = reader.deref(raw, pointer, loc)
        header = as_dict(found.value if found else None)
        schema = header.get("schema")
        at = found or loc
        if isinstance(schema, dict):
            type_ref = reader.types.type_for(schema, at.source, at.pointer + "/schema", hint + wire)
        else:
            type_ref = reader.types.plain("str")
        description = header.get("description")
        example = None
        if header.get("required") is True and isinstance(schema, dict):
            example = header_text(reader.types.example(schema, at.source, at.pointer + "/schema"))
        out.append(
            ResponseHeader(
                wire_name=wire,
                py_name=fresh(names, wire.lower()),  # ETag -> etag, not e_tag
                type=type_ref,
                required=header.get("required") is True,
                description=description if isinstance(description, str) else "",
                example=example,
            )
        )
    return tuple(out)
