"""AsyncAPI 2.x/3.x ``Document`` -> ``StreamApi`` IR (+ the shared type model).

``build_stream(doc, package)`` reads the document into the 3.x shape
(``asyncapi_shape``), decides which protocol family serves each channel, types
every payload and header schema through the shared ``TypeModelBuilder``, and
returns the IR with Diagnostics for what it had to leave out (unsupported
protocols, schema formats it cannot model). It never raises for a user's input.

The builder assembles the API here; channels are read in ``asyncapi_channels``,
operations in ``asyncapi_operations`` (its base classes), messages by
``_asyncapi_messages.MessageReader`` and servers by ``_asyncapi_servers``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from generator.diagnostics import Diagnostic
from generator.ir.schema import TypeModel
from generator.ir.stream import Channel, Server, StreamApi
from generator.load import Document
from generator.naming import (
    TEMPLATE_NAMES,
    NameAllocator,
    Scope,
    device_safe,
    package_name,
    py_identifier,
)
from generator.translate._asyncapi_messages import MessageReader
from generator.translate._asyncapi_servers import read_servers
from generator.translate._asyncapi_web import (
    CHANNEL_MEMBERS,
    TypedExample,
    group_endpoints,
    with_ws_bindings,
)
from generator.translate._stream_reply_v2 import pair_replies
from generator.translate.asyncapi_channels import ChannelReader
from generator.translate.asyncapi_operations import OperationReader
from generator.translate.asyncapi_shape import Reader, read_shape
from generator.translate.json_values import as_dict, as_text
from generator.translate.schema import TypeModelBuilder

__all__ = ["StreamBuild", "build_stream", "default_package"]


def _printed(*patterns: str) -> Callable[[str], tuple[str, ...]]:
    """The identifiers the stream modules print for a name: ``{U}_INBOUND`` is ``NAME_INBOUND``."""
    return lambda name: tuple(p.format(name, U=name.upper()) for p in patterns)


@dataclass(frozen=True, slots=True)
class StreamBuild:
    """What the stream packs render: the IR and the type model its annotations use."""

    api: StreamApi
    types: TypeModel


class _Builder(ChannelReader, OperationReader):
    """One document's stream IR: names, servers, channels, operations and messages, in order."""

    def __init__(self, doc: Document, package: str | None) -> None:
        self.doc = doc
        info = as_dict(doc.data.get("info"))
        self.title = as_text(info.get("title")) or "AsyncAPI application"
        self.package = device_safe(package) if package else default_package(doc)
        self.env = py_identifier(self.package, "upper")
        self.diagnostics: list[Diagnostic] = []
        assert doc.kind is not None
        self.v2 = doc.kind.major_minor.startswith("2.")
        self.setting_names = NameAllocator(avoid_builtins=False)  # channel_<name>, by wire name
        # One scope for the names the stream modules print: classes and constants never clash.
        self.scope = Scope({"EventStream", *TEMPLATE_NAMES})
        self.types = TypeModelBuilder(
            doc, dialect="asyncapi2" if self.v2 else "asyncapi3", scope=self.scope
        )
        self.messages = MessageReader(doc, self.types, self.v2, self.scope)
        self.class_names = NameAllocator(
            {"EventStream", *TEMPLATE_NAMES}, scope=self.scope, printed=_printed("{}Channel")
        )
        self.reader = Reader(doc)
        self.servers: list[Server] = []
        self.declared: dict[str, Any] = {}
        self.ws_refs: dict[str, tuple[TypedExample | None, TypedExample | None]] = {}

    def build(self) -> StreamBuild:
        shape = read_shape(self.doc)
        if self.v2:
            pair_replies(shape, self.reader)  # 2.x has no reply object: pair by headers and names
        self.diagnostics += shape.diagnostics
        servers, diags = read_servers(
            self.doc, self.env, py_identifier(default_package(self.doc), "upper")
        )
        self.diagnostics += diags
        declared = as_dict(self.doc.data.get("servers"))
        self.servers, self.declared = servers, declared
        channel_names = NameAllocator(  # spec names never shadow template names
            TEMPLATE_NAMES, scope=self.scope, printed=_printed("{U}_INBOUND", "{U}_OUTBOUND")
        )
        channels: dict[str, Channel] = {}
        for key, raw in shape.channels.items():
            families = self.families(raw, servers, declared)
            channels[key] = self.channel(raw, families, channel_names, shape)
        op_names = NameAllocator(
            (*TEMPLATE_NAMES, *CHANNEL_MEMBERS),
            scope=self.scope,
            printed=_printed("{U}_PAYLOAD", "{U}_REPLY"),
        )
        operations = self.operations(shape, channels, op_names)
        channels = {key: self.with_decoders(c, operations) for key, c in channels.items()}
        used_channels = {op.channel for op in operations} | {
            op.reply.channel for op in operations if op.reply and op.reply.channel
        }
        kept = tuple(c for k, c in sorted(channels.items()) if k in used_channels)
        endpoints = group_endpoints(
            (c for k, c in channels.items() if k in used_channels),
            channel_names,
            self.class_names,
            self.messages.tags,
        )
        used_families = sorted({f for op in operations for f in op.families}, key=lambda f: f.value)
        messages = self.messages.finish()
        used_messages = {m for op in operations for m in op.messages} | {
            m for op in operations if op.reply for m in op.reply.messages
        }
        types = self.types.finish()
        messages = self.messages.with_header_fields(messages, types)
        kept = with_ws_bindings(kept, operations, types, self.ws_refs)
        self.diagnostics += self.types.diagnostics
        self.diagnostics += self.messages.diagnostics
        info = as_dict(self.doc.data.get("info"))
        api = StreamApi(
            title=self.title,
            version=as_text(info.get("version")) or "0.0.0",
            description=as_text(info.get("description")),
            asyncapi_version=str(self.doc.data.get("asyncapi")),
            package=self.package,
            servers=tuple(s for s in servers if s.family in used_families),
            channels=kept,
            operations=tuple(operations),
            messages=tuple(m for m in messages if m.key in used_messages),
            families=tuple(used_families),
            endpoints=endpoints,
            default_content_type=as_text(self.doc.data.get("defaultContentType"))
            or "application/json",
        )
        return StreamBuild(api=api, types=types)


def default_package(doc: Document) -> str:
    """The package name a document's title gives (``Chat Service`` -> ``chat_service``)."""
    info = as_dict(doc.data.get("info")) if isinstance(doc.data, dict) else {}
    return package_name(as_text(info.get("title")) or "AsyncAPI application")


def build_stream(doc: Document, package: str | None = None) -> tuple[StreamBuild, list[Diagnostic]]:
    """Build the stream IR of an AsyncAPI ``doc``; Diagnostics for what was left out."""
    builder = _Builder(doc, package)
    result = builder.build()
    return result, builder.diagnostics
