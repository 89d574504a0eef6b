"""Stream views: the ``StreamApi`` seen from one side, as the stream packs render it.

The server RECEIVEs what the document's receive operations name and SENDs the
rest; the client mirrors it. These views fix that direction once (translate
makes them, ``translate.stream_ir``), so templates only print::

    StreamIR                  what translate hands a stream pack (one side)
    ├── api, types            the StreamApi and its TypeModel (``ir.stream``, ``ir.schema``)
    ├── side                  "server" | "client"
    ├── views: OpView...      every operation with its channel, messages, reply, annotations
    ├── web: WebChannelView...   channels the Starlette app serves (WebSocket/SSE), with the
    │                            operations this side receives (inbound) and sends (outbound)
    ├── endpoints: WebEndpointView...  WebSocket paths: the channels sharing one, their
    │                            operations, and the routing decoders (``Endpoint``) that
    │                            send each frame to its message's operation
    └── routes: RouteView...  one operation on one broker: a subscriber (inbound) or publisher

``annotation`` strings are Python type expressions over the generated models
and messages modules. Operations a broker cannot carry are left out of
``routes`` with a warning Diagnostic.
"""

from __future__ import annotations

from dataclasses import dataclass

from generator.ir.schema import TypeModel
from generator.ir.stream import (
    Channel,
    Endpoint,
    HeaderField,
    Message,
    Operation,
    SecurityScheme,
    Server,
    StreamApi,
    Transport,
)

__all__ = ["OpView", "RouteView", "StreamIR", "WebChannelView", "WebEndpointView"]


@dataclass(frozen=True, slots=True, kw_only=True)
class OpView:
    """An operation with everything its generated code needs at hand."""

    op: Operation
    channel: Channel
    messages: tuple[Message, ...]
    annotation: str  # union of the payload annotations
    reply: tuple[Message, ...] = ()
    reply_annotation: str = ""
    reply_channel: Channel | None = None
    correlation: tuple[str, ...] = ()
    # request/reply over brokers (``translate._stream_reply``): where each side puts what
    correlation_header: str = ""  # request header carrying the correlation ID
    correlation_path: tuple[str, ...] = ()  # request payload path carrying it (not in a header)
    reply_to_header: str = ""  # request header carrying the reply address
    reply_to_path: tuple[str, ...] = ()  # request payload path carrying it
    reply_correlation_header: str = ""  # reply header the correlation ID is copied to
    reply_correlation_path: tuple[str, ...] = ()  # reply payload path it is copied to
    header_args: tuple[HeaderField, ...] = ()  # declared headers the publisher takes as keywords

    @property
    def const(self) -> str:
        """Name stem of the operation's module-level constants."""
        return self.op.py_name.upper()

    @property
    def key_message(self) -> Message | None:
        """The first message with a typed Kafka key (``Message.kafka_key``): its key type is the
        publisher's ``key=`` argument and the handler's ``key``."""
        return next((m for m in self.messages if m.kafka_key), None)

    @property
    def avro(self) -> bool:
        """Whether every message of the operation travels as binary Avro (``Message.avro``)."""
        return bool(self.messages) and all(m.avro is not None for m in self.messages)


@dataclass(frozen=True, slots=True, kw_only=True)
class WebChannelView:
    """A channel served by the Starlette app: inbound ops call handlers, outbound ops publish."""

    channel: Channel
    transport: Transport
    inbound: tuple[OpView, ...]  # operations whose messages the *application* receives here
    outbound: tuple[OpView, ...]  # operations whose messages the application sends here
    receive_annotation: str  # union of what this side receives on the channel
    schemes: tuple[SecurityScheme, ...] = ()  # credentials any one of which opens the channel


@dataclass(frozen=True, slots=True, kw_only=True)
class WebEndpointView:
    """One WebSocket path: every channel served there, as one route and one client connection.

    A frame is decoded by ``endpoint.inbound`` (server) or ``endpoint.outbound``
    (client) and handed to the first operation listing its message; a frame
    matching no message gets the error frame.
    """

    endpoint: Endpoint
    channels: tuple[WebChannelView, ...]
    inbound: tuple[OpView, ...]  # operations the application receives on the path
    outbound: tuple[OpView, ...]  # operations the application sends on the path
    receive_annotation: str  # union of what this side receives on the path
    schemes: tuple[SecurityScheme, ...] = ()

    @property
    def transport(self) -> Transport:
        """Always a WebSocket: SSE channels are served one by one (``WebChannelView``)."""
        return Transport.WEBSOCKET

    @property
    def first(self) -> WebChannelView:
        """The first channel on the path (its parameters are every channel's: same address)."""
        return self.channels[0]


@dataclass(frozen=True, slots=True, kw_only=True)
class RouteView:
    """One operation on one broker: a subscriber (inbound) or a publisher (outbound)."""

    view: OpView
    server: Server
    inbound: bool
    settled: bool = False  # address parameters come from settings (Kafka, Redis streams)


@dataclass(frozen=True, slots=True, kw_only=True)
class StreamIR:
    """The finished IR of one AsyncAPI document for one side: all a stream pack sees."""

    api: StreamApi
    types: TypeModel
    side: str  # "server" | "client"
    views: tuple[OpView, ...]
    web: tuple[WebChannelView, ...]
    routes: tuple[RouteView, ...]
    endpoints: tuple[WebEndpointView, ...] = ()
