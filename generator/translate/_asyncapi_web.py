"""WebSocket endpoints and frame routing, decided once at generation time.

AsyncAPI lets several channels share one address (the Kraken API puts seven
channels on ``/``). twinspec serves each WebSocket address once: an
``Endpoint`` groups its channels, and its decoders route every frame to one
message, and so to its channel and operation:

1. by a *tag* property: one that every candidate message fixes (``const``, an
   ``enum``, a ``oneOf``/``anyOf`` whose branches all fix it, or the payload's
   ``discriminator`` naming its schema) to values no other candidate shares;
2. otherwise by validating the frame against each candidate in turn (the
   models are strict, so a frame of one type rarely passes for another).

``tag_properties`` reads the tags of one payload schema; ``routing_decoder``
picks the property; ``group_endpoints`` groups the channels; ``share_sse_paths``
gives SSE channels on one path one stream (its first channel's key). ``binding_fields``
types a channel's ``bindings.ws`` ``query``/``headers``: the client's keyword
arguments and the server's validated connect inputs.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping
from dataclasses import replace
from typing import Any

from generator.ir.schema import Alias, Declaration, EnumDecl, Model, TypeKind, TypeModel, TypeRef
from generator.ir.stream import (
    BindingField,
    Channel,
    Decoder,
    Endpoint,
    Operation,
    Transport,
    WsBinding,
)
from generator.ir.stream_views import WebChannelView
from generator.naming import TEMPLATE_NAMES, NameAllocator

__all__ = [
    "CHANNEL_MEMBERS",
    "CLIENT_KWARGS",
    "TypedExample",
    "binding_fields",
    "const_properties",
    "group_endpoints",
    "routing_decoder",
    "share_sse_paths",
    "tag_properties",
    "with_ws_bindings",
]

CLIENT_KWARGS = ("self", "base_url", "last_event_id", "credential", "backoff", "query", "headers")
"""Keyword arguments of a client channel class beside its address and binding parameters."""

CHANNEL_MEMBERS = ("url", "headers", "hint", "backoff", "connection", "open", "close")
"""What a stream client's ``<Channel>Channel`` class holds beside one method per operation:
names no operation and no connect handler may take."""

TypedExample = tuple[TypeRef, object]
"""A binding schema's type and a valid example value of it (JSON data)."""

Follow = Callable[[Any], Any]
"""Resolves a ``$ref`` (or returns the value itself); None when it cannot."""

_SCALARS = (str, int, bool)
_MAX_DEPTH = 8


def _scalars(values: Any) -> tuple[object, ...]:
    if not isinstance(values, list) or not values:
        return ()
    if not all(isinstance(v, _SCALARS) for v in values):
        return ()
    return tuple(dict.fromkeys(values))


def _discriminator(schema: dict[str, Any]) -> str:
    found = schema.get("discriminator")
    if isinstance(found, dict):
        found = found.get("propertyName")
    return found if isinstance(found, str) else ""


def const_properties(schema: Any, follow: Follow) -> dict[str, object]:
    """Properties an object schema (with its ``allOf``) fixes to one ``const``/one-item ``enum``."""
    return {
        prop: values[0]
        for prop, values in tag_properties(schema, follow, branches=False).items()
        if len(values) == 1
    }


def tag_properties(
    schema: Any, follow: Follow, name: str = "", depth: int = 0, *, branches: bool = True
) -> dict[str, tuple[object, ...]]:
    """Properties of an object schema limited to a few scalar values, with those values.

    ``name`` is the schema's component name: the value of a ``discriminator``
    property that has no ``const``/``enum`` of its own (OpenAPI's rule).
    ``branches=False`` reads ``allOf`` and ``properties`` only, not ``oneOf``/``anyOf``.
    """
    out: dict[str, tuple[object, ...]] = {}
    if not isinstance(schema, dict) or depth > _MAX_DEPTH:
        return out
    for part in schema.get("allOf") or []:
        resolved = follow(part)
        if resolved is not None:
            out.update(tag_properties(resolved, follow, "", depth + 1, branches=branches))
    props = schema.get("properties")
    if isinstance(props, dict):
        for prop, raw in props.items():
            resolved = follow(raw)
            if not isinstance(resolved, dict):
                continue
            if "const" in resolved and isinstance(resolved["const"], _SCALARS):
                out[prop] = (resolved["const"],)
            elif values := _scalars(resolved.get("enum")):
                out[prop] = values
    found = (
        [follow(b) for b in (schema.get("oneOf") or schema.get("anyOf") or [])] if branches else []
    )
    if found and all(isinstance(b, dict) for b in found):
        tables = [tag_properties(b, follow, "", depth + 1) for b in found]
        for prop in set.intersection(*(set(t) for t in tables)) - set(out):
            out[prop] = tuple(dict.fromkeys(v for t in tables for v in t[prop]))
    discriminator = _discriminator(schema)
    if discriminator and discriminator not in out and name:
        out[discriminator] = (name,)
    return out


def routing_decoder(
    keys: Iterable[str], tags: Callable[[str], Mapping[str, tuple[object, ...]]]
) -> Decoder:
    """How a frame is matched to one of the messages ``keys``, in the order given.

    The tag property is the first (by name) that every message fixes, to
    values no two messages share; without one, the decoder tries each message.
    """
    ordered = tuple(dict.fromkeys(keys))
    if len(ordered) < 2:
        return Decoder(messages=ordered)
    tables = [tags(k) for k in ordered]
    for prop in sorted(set.intersection(*(set(t) for t in tables))):
        pairs = [(value, key) for key, t in zip(ordered, tables, strict=True) for value in t[prop]]
        if len({(type(v).__name__, v) for v, _ in pairs}) == len(pairs):
            return Decoder(messages=ordered, discriminator=prop, tags=tuple(pairs))
    return Decoder(messages=ordered)


def group_endpoints(
    channels: Iterable[Channel],
    names: NameAllocator,
    class_names: NameAllocator,
    tags: Callable[[str], Mapping[str, tuple[object, ...]]],
) -> tuple[Endpoint, ...]:
    """One ``Endpoint`` per WebSocket path: a channel alone keeps its names, shared ones get new.

    ``channels`` come in document order; an endpoint lists them so, and its
    decoders route over every message its channels carry in each direction.
    """
    groups: dict[str, list[Channel]] = {}
    for channel in channels:
        if channel.transport_ws is Transport.WEBSOCKET:
            groups.setdefault(channel.path, []).append(channel)
    endpoints: list[Endpoint] = []
    for path, members in groups.items():
        if len(members) == 1:
            only = members[0]
            endpoints.append(
                Endpoint(
                    path=path,
                    address=only.address,
                    py_name=only.py_name,
                    class_name=only.class_name,
                    channels=(only.key,),
                    inbound=only.inbound,
                    outbound=only.outbound,
                )
            )
            continue
        stem = " ".join(w for w in path.replace("{", " ").replace("}", " ").split("/") if w)
        stem = stem or "root"
        endpoints.append(
            Endpoint(
                path=path,
                address=members[0].address,
                py_name=names.allocate(stem),
                class_name=class_names.allocate(stem, "pascal"),
                channels=tuple(c.key for c in members),
                inbound=routing_decoder((k for c in members for k in c.inbound.messages), tags),
                outbound=routing_decoder((k for c in members for k in c.outbound.messages), tags),
            )
        )
    return tuple(endpoints)


def share_sse_paths(web: Iterable[WebChannelView]) -> list[WebChannelView]:
    """``web``, each SSE channel with the stream of its path: the first SSE channel there.

    AsyncAPI lets several channels share one address; an SSE client opens one
    stream per URL, so the path serves one stream carrying every channel's
    events (``event:`` names the message), with one id sequence and one replay
    buffer, and a client keeps the events its channel's messages name.
    """
    first: dict[str, str] = {}
    out: list[WebChannelView] = []
    for view in web:
        if view.transport is Transport.SSE:
            stream = first.setdefault(view.channel.path, view.channel.key)
            view = replace(view, stream=stream)
        out.append(view)
    return out


_JSON_TEXT_KINDS = (TypeKind.LIST, TypeKind.TUPLE, TypeKind.DICT, TypeKind.MODEL)
_JSON_TEXT_TYPES = frozenset({"bool", "int", "float"})


def _json_text(ref: TypeRef, declared: Mapping[str, Declaration]) -> bool:
    """Whether a query/header value of type ``ref`` is read as JSON text (``true``, ``5``, ``[1]``).

    Strings (and dates, UUIDs, string enums, read from their JSON strings) are
    taken as written; so is anything else that does not parse as JSON.
    """
    if ref.kind in _JSON_TEXT_KINDS:
        return True
    if ref.kind is TypeKind.ENUM:
        decl = declared.get(ref.name)
        return isinstance(decl, EnumDecl) and decl.base != "str"
    if ref.kind is TypeKind.ALIAS:
        decl = declared.get(ref.name)
        return isinstance(decl, Alias) and _json_text(decl.type, declared)
    if ref.kind is TypeKind.UNION:
        return any(
            _json_text(item, declared) for item in ref.items if item.kind is not TypeKind.NONE
        )
    base = ref.annotation.split("[", 1)[0].removesuffix(" | None").strip()
    return base in _JSON_TEXT_TYPES or ref.annotation.startswith(("bool", "int", "float"))


def binding_fields(
    ref: TypeRef | None, types: TypeModel, names: NameAllocator
) -> tuple[str, tuple[BindingField, ...]]:
    """The model of a ws binding's ``query``/``headers`` schema and one keyword argument per property.

    ``("", ())`` when the schema is not an object model twinspec typed.
    """
    if ref is None or ref.kind is not TypeKind.MODEL:
        return "", ()
    declared = {d.name: d for d in types.declarations}
    model = declared.get(ref.name)
    if not isinstance(model, Model):
        return "", ()
    fields = tuple(
        BindingField(
            py_name=names.allocate(f.wire_name),
            wire_name=f.wire_name,
            annotation=(
                f.type.annotation
                if f.type.nullable or f.required
                else f"{f.type.annotation} | None"
            ),
            json_text=_json_text(f.type, declared),
            required=f.required,
        )
        for f in model.fields
    )
    return model.name, fields


def with_ws_bindings(
    channels: tuple[Channel, ...],
    operations: list[Operation],
    types: TypeModel,
    refs: Mapping[str, tuple[TypedExample | None, TypedExample | None]],
) -> tuple[Channel, ...]:
    """``channels``, those whose ws binding declares typed query/headers with their ``WsBinding``.

    ``refs``: by channel key, the types of the binding's ``query`` and ``headers``.
    The connect handler is ``connect_<channel>`` (made unique among the operations).
    """
    hooks = NameAllocator((*TEMPLATE_NAMES, *CHANNEL_MEMBERS, *(op.py_name for op in operations)))
    out: list[Channel] = []
    for channel in channels:
        query_found, headers_found = refs.get(channel.key, (None, None))
        if channel.transport_ws is not Transport.WEBSOCKET or not (query_found or headers_found):
            out.append(channel)
            continue
        kwargs = NameAllocator((*CLIENT_KWARGS, *(p.py_name for p in channel.parameters)))
        query_model, query = binding_fields(query_found and query_found[0], types, kwargs)
        headers_model, headers = binding_fields(headers_found and headers_found[0], types, kwargs)
        query, headers = _with_examples(query, query_found), _with_examples(headers, headers_found)
        ws = WsBinding(
            query_model=query_model,
            query=query,
            query_example=_texts(query, query_found),
            headers_model=headers_model,
            headers=headers,
            headers_example=_texts(headers, headers_found),
            hook=hooks.allocate("connect " + channel.py_name) if query or headers else "",
        )
        out.append(replace(channel, ws=ws))
    return tuple(out)


def _texts(
    fields: tuple[BindingField, ...], found: TypedExample | None
) -> tuple[tuple[str, str], ...]:
    """The example's values of ``fields`` as text: strings as they are, the rest as JSON."""
    example = found[1] if found else None
    if not isinstance(example, dict):
        return ()
    return tuple(
        (f.wire_name, value if isinstance(value, str) else json.dumps(value, separators=(",", ":")))
        for f in fields
        if (value := example.get(f.wire_name)) is not None
    )


def _with_examples(
    fields: tuple[BindingField, ...], found: TypedExample | None
) -> tuple[BindingField, ...]:
    example = found[1] if found else None
    if not isinstance(example, dict):
        return fields
    return tuple(replace(f, example=example.get(f.wire_name)) for f in fields)
