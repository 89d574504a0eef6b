"""The stream IR: what an AsyncAPI document says, in the 3.x shape, ready to render.

``translate.asyncapi`` turns a 2.x or 3.x document into one ``StreamApi``; the
stream-server and stream-client packs format it and never see the spec dict.

The tree::

    StreamApi
      servers     Server(protocol family, default URL, env var, variables, security)
      messages    Message(payload/headers annotation, wire name, correlation id, examples)
      channels    Channel(address, parameters, transport per family, bindings, messages)
      endpoints   Endpoint(one WebSocket path: the channels sharing it, how frames are routed)
      operations  Operation(action SEND|RECEIVE from the *application's* side,
                            channel, messages, reply, transports)
      types       the shared TypeModel (pydantic models rendered by _common/models.py.jinja)

Names (``py_name``, ``class_name``) are already unique Python identifiers; wire
names stay beside them. Example values are plain JSON data: templates turn them
into literals with ``pyrepr``. Bump ``IR_VERSION`` when a field changes
meaning, since user template overrides depend on this shape.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field

__all__ = [
    "IR_VERSION",
    "Action",
    "Binding",
    "BindingField",
    "BrokerAuth",
    "BrokerAuthKind",
    "Channel",
    "Decoder",
    "Endpoint",
    "Family",
    "HeaderField",
    "Message",
    "Operation",
    "Parameter",
    "Reply",
    "SecurityKind",
    "SecurityScheme",
    "Server",
    "ServerVariable",
    "StreamApi",
    "Transport",
    "WsBinding",
]

IR_VERSION = 1


class Action(str, enum.Enum):
    """What the application does on a channel (AsyncAPI 3 ``action``)."""

    SEND = "send"
    RECEIVE = "receive"


class Family(str, enum.Enum):
    """The protocol families twinspec can serve; a server's ``protocol`` maps to one."""

    WS = "ws"
    HTTP = "http"
    MQTT = "mqtt"
    AMQP = "amqp"
    KAFKA = "kafka"
    NATS = "nats"
    REDIS = "redis"

    @property
    def is_broker(self) -> bool:
        """Brokers go through FastStream; ws and http through Starlette."""
        return self not in (Family.WS, Family.HTTP)


class Transport(str, enum.Enum):
    """How one channel is carried by one family of servers."""

    WEBSOCKET = "websocket"  # bidirectional frames on GET <path>
    SSE = "sse"  # server -> client events on GET <path>; client -> server POST <path>
    BROKER = "broker"  # FastStream subscriber / publisher


@dataclass(frozen=True, slots=True, kw_only=True)
class ServerVariable:
    """A ``{variable}`` in a server URL, with its default and allowed values."""

    name: str
    default: str
    enum: tuple[str, ...] = ()
    description: str = ""


class SecurityKind(str, enum.Enum):
    """Credentials a generated web server checks before it accepts a connection."""

    API_KEY = "api_key"  # httpApiKey: a header, query parameter or cookie
    BEARER = "bearer"  # http bearer, oauth2, openIdConnect: ``Authorization: Bearer <token>``
    BASIC = "basic"  # http basic: ``Authorization: Basic <user:password>``


@dataclass(frozen=True, slots=True, kw_only=True)
class SecurityScheme:
    """One enforceable security scheme of a ws/http server."""

    key: str
    py_name: str
    kind: SecurityKind
    location: str = "header"  # "header" | "query" | "cookie"
    name: str = "Authorization"  # header, query parameter or cookie name
    env_var: str  # where both generated sides read the credential (server: expected value)
    description: str = ""


class BrokerAuthKind(str, enum.Enum):
    """How a generated side authenticates to a broker (FastStream security objects)."""

    PLAIN = "plain"  # userPassword / plain: SASLPlaintext (user name and password)
    SCRAM_SHA_256 = "scramSha256"  # Kafka only: SASLScram256
    SCRAM_SHA_512 = "scramSha512"  # Kafka only: SASLScram512
    X509 = "X509"  # TLS client certificate (RabbitMQ: SASL EXTERNAL)


@dataclass(frozen=True, slots=True, kw_only=True)
class BrokerAuth:
    """The credential a broker server asks for, read from environment variables, never the spec."""

    scheme: str  # the security scheme's name in the document
    kind: BrokerAuthKind
    env_prefix: str  # <PREFIX>_USER / _PASSWORD, or _CERT_FILE / _KEY_FILE / _CA_FILE


@dataclass(frozen=True, slots=True, kw_only=True)
class Server:
    """One entry of ``servers``: where the application listens or which broker it uses."""

    key: str
    py_name: str
    family: Family
    protocol: str  # as written: "wss", "secure-mqtt", "kafka-secure", ...
    url: str  # default URL with variables substituted, e.g. "mqtt://localhost:1883"
    env_var: str  # environment variable that overrides ``url``
    description: str = ""
    variables: tuple[ServerVariable, ...] = ()
    security: tuple[str, ...] = ()  # security scheme types, for README and warnings
    schemes: tuple[SecurityScheme, ...] = ()  # the ones a generated web server enforces (any one)
    auth: BrokerAuth | None = None  # brokers: the credential both generated sides present


@dataclass(frozen=True, slots=True, kw_only=True)
class Parameter:
    """A ``{name}`` in a channel address; a path parameter for ws/SSE, a wildcard for brokers."""

    wire_name: str
    py_name: str
    description: str = ""
    enum: tuple[str, ...] = ()
    default: str | None = None
    example: str  # a value to use in examples and generated tests
    setting: str = ""  # settings.py ``channel_<setting>``: the value where no wildcard serves


@dataclass(frozen=True, slots=True, kw_only=True)
class Binding:
    """Protocol binding options twinspec honours, already reduced to plain values."""

    mqtt_qos: int = 0
    mqtt_retain: bool = False
    amqp_exchange: str = "amq.topic"  # "" is the broker's default exchange (never declared)
    amqp_exchange_type: str = "topic"  # an ExchangeType value
    amqp_exchange_durable: bool = True
    amqp_queue: str = ""
    amqp_durable: bool = False
    kafka_key: str = ""  # payload field whose value becomes the record key
    kafka_partitions: int = 0
    redis_mode: str = "pubsub"  # "pubsub" | "stream" (x-twinspec-redis)
    ws_query: tuple[str, ...] = ()  # query parameters the ws binding declares
    ws_headers: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class HeaderField:
    """One property of a message's headers schema: a typed keyword argument of its publishers.

    ``annotation`` is a builtin scalar (``str``, ``int``, ``float``, ``bool``) or
    ``Any``; a value that is not a string travels as JSON text. ``default`` holds
    the message example's (or the property's) value when ``has_default``.
    """

    wire_name: str
    py_name: str = ""  # allocated per operation (``OpView.header_args``)
    annotation: str = "str"
    required: bool = False
    has_default: bool = False
    default: object = None
    example: object = None  # a valid value (JSON data), for the demo publishers


@dataclass(frozen=True, slots=True, kw_only=True)
class Message:
    """One message type: its payload and headers types and how to correlate it."""

    key: str  # unique key among the document's messages
    py_name: str  # snake_case, unique
    class_name: str  # the Python type that holds it in generated code
    wire_name: str  # name / messageId, used to tell messages apart
    title: str = ""
    summary: str = ""
    content_type: str = "application/json"
    payload: str  # Python annotation of the payload, e.g. "ChatMessage" or "Any"
    payload_is_model: bool = False
    raw: bool = False  # schemaFormat twinspec cannot model: payload kept as raw JSON/bytes
    headers: str | None = None  # annotation of the headers model, if any
    imports: tuple[str, ...] = ()  # import lines the annotations need (models.py names included)
    correlation_path: tuple[str, ...] = ()  # JSON path of the correlation id in the payload
    correlation_in_headers: bool = False
    header_names: tuple[str, ...] = ()  # the properties its headers schema declares (wire names)
    header_fields: tuple[
        HeaderField, ...
    ] = ()  # the same, typed, for publishers' keyword arguments
    examples: tuple[object, ...] = ()  # JSON values of example payloads (never empty)
    const_tags: tuple[tuple[str, object], ...] = ()  # payload properties fixed to one value
    avro: object | None = None  # the Avro schema (JSON data) when the wire is binary Avro
    kafka_key: str | None = None  # annotation of the Kafka record key's type (an Avro key schema)
    kafka_key_avro: object | None = None  # the key's Avro schema when keys travel as binary Avro
    payload_schema: str = ""  # "file#pointer" of the payload schema its examples validate against


@dataclass(frozen=True, slots=True, kw_only=True)
class Decoder:
    """How incoming data on a channel is matched to one of several message types.

    With ``discriminator`` set, the value of that payload property picks the
    message (``tags``: value -> message key); otherwise each message type is
    tried in order and the first that validates wins.
    """

    messages: tuple[str, ...] = ()
    discriminator: str | None = None
    tags: tuple[tuple[object, str], ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class BindingField:
    """One property of a WebSocket binding's ``query`` or ``headers``: a typed keyword argument."""

    py_name: str  # the client's keyword argument
    wire_name: str  # the query parameter or header name
    annotation: str  # its type, ``| None`` included (None: not sent)
    json_text: bool = False  # the text is JSON (``true``, ``5``); else the string is the value
    required: bool = False  # the binding's schema requires it: a required keyword argument
    example: object = None  # a valid value (JSON data), for generated tests and demos


@dataclass(frozen=True, slots=True, kw_only=True)
class WsBinding:
    """A channel's WebSocket binding: typed ``query`` and ``headers`` of the connect request.

    ``query_model``/``headers_model`` are models.py classes ("" when the binding
    declares none); the server validates the connect request against them and
    hands them to ``hook`` (a ``DefaultHandlers`` method) and the receive handlers.
    """

    query_model: str = ""
    query: tuple[BindingField, ...] = ()
    query_example: tuple[tuple[str, str], ...] = ()  # valid (name, text) pairs, for tests
    headers_model: str = ""
    headers: tuple[BindingField, ...] = ()
    headers_example: tuple[tuple[str, str], ...] = ()
    hook: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class Channel:
    """A channel: its address, parameters, messages and how each family carries it."""

    key: str
    py_name: str
    class_name: str
    address: str  # wire address with ``{param}`` placeholders
    pointer: str = ""  # JSON pointer of the channel in the document, for Diagnostics
    path: str  # URL path for ws/SSE (Starlette syntax: ``/rooms/{room_id}``)
    topic: str  # broker address with FastStream ``{param}`` placeholders (Python names)
    segments: tuple[tuple[str, str | None], ...] = ()  # address as (literal, None) / ("", param)
    servers: tuple[str, ...] = ()  # keys of the servers that carry it
    description: str = ""
    parameters: tuple[Parameter, ...] = ()
    messages: tuple[str, ...] = ()  # Message keys
    families: tuple[Family, ...] = ()
    transport_ws: Transport | None = None  # WEBSOCKET or SSE when a ws/http server serves it
    binding: Binding = field(default_factory=Binding)
    inbound: Decoder = field(default_factory=Decoder)  # what the application receives here
    outbound: Decoder = field(default_factory=Decoder)  # what it sends here (replies included)
    ws: WsBinding = field(default_factory=WsBinding)  # typed query/headers of a WebSocket connect


@dataclass(frozen=True, slots=True, kw_only=True)
class Endpoint:
    """One WebSocket path and the channels served on it (several when they share the address).

    ``inbound`` routes each frame the application receives there to one of
    its messages (and so to its channel and operation): by the tag property
    the build chose (``Decoder.discriminator``), else by trying each message.
    A channel alone on its path keeps its own names and decoders.
    """

    path: str  # Starlette path
    address: str  # the channels' address as written
    py_name: str  # the route function / decoder constants stem
    class_name: str  # the client class is ``<class_name>Channel``
    channels: tuple[str, ...]  # Channel keys, in document order
    inbound: Decoder = field(default_factory=Decoder)
    outbound: Decoder = field(default_factory=Decoder)

    @property
    def shared(self) -> bool:
        """Whether several channels share the path."""
        return len(self.channels) > 1


@dataclass(frozen=True, slots=True, kw_only=True)
class Reply:
    """The reply of a request/reply operation: where it goes and what it carries."""

    channel: str | None  # Channel key, None = back on the request's connection/inbox
    messages: tuple[str, ...]
    address_location: str = ""  # runtime expression, e.g. "$message.header#/replyTo"
    address_header: str = ""  # the header the location names (``replyTo``), if it is a header
    address_path: tuple[str, ...] = ()  # the payload path it names, if it is in the payload


@dataclass(frozen=True, slots=True, kw_only=True)
class Operation:
    """An operation from the application's side: it SENDs or RECEIVEs on a channel."""

    key: str
    py_name: str
    action: Action
    channel: str  # Channel key
    messages: tuple[str, ...]
    summary: str = ""
    description: str = ""
    reply: Reply | None = None
    pointer: str = ""  # JSON pointer of the operation in the document, for Diagnostics
    families: tuple[Family, ...] = ()
    binding: Binding = field(default_factory=Binding)  # operation-level: MQTT qos/retain, Kafka key


@dataclass(frozen=True, slots=True, kw_only=True)
class StreamApi:
    """Everything the stream packs render, sorted for deterministic output."""

    title: str
    version: str
    description: str
    asyncapi_version: str
    package: str
    servers: tuple[Server, ...]
    channels: tuple[Channel, ...]
    operations: tuple[Operation, ...]
    messages: tuple[Message, ...]
    families: tuple[Family, ...]
    default_content_type: str = "application/json"
    endpoints: tuple[Endpoint, ...] = ()  # WebSocket paths (SSE channels are served per channel)
    ir_version: int = IR_VERSION

    def channel(self, key: str) -> Channel:
        """The channel called ``key``."""
        return next(c for c in self.channels if c.key == key)

    def message(self, key: str) -> Message:
        """The message called ``key``."""
        return next(m for m in self.messages if m.key == key)
