"""The HTTP IR: what the rest-server and rest-client packs render, nothing more.

The tree (``IR_VERSION`` 1; overriding templates depend on these names)::

    Api
    ├── info: title, version, description, package
    ├── servers: Server(url, description), base_path ("" or "/v1")
    ├── security_schemes: SecurityScheme(wire_name, py_name, kind, location, key_name, scopes,
    │                                    flows, token_url, refresh_url, openid_url)
    ├── tags: Tag(wire_name, module, class_name, operations: Operation...)
    │     Operation(name, method, path, summary, deprecated, tag_module)
    │     ├── parameters: Parameter(wire_name, py_name, location, style, explode, shape, annotation,
    │     │               native, native_annotation, constraints)
    │     ├── body: RequestBody(kind, media_type, annotation, file_fields) | None
    │     ├── success: Response(status, kind, media_type, annotation, headers) | None
    │     ├── errors: Response...                  declared 4xx/5xx/default answers
    │     ├── error_contract: ErrorContract(invalid, unauthenticated, forbidden: Failure,
    │     │                   by_status, by_class, default: ErrorBody(media_type, kind,
    │     │                   template, fills: ErrorFill...))   how failures are answered
    │     └── security: SecurityRequirement(schemes: SchemeUse(py_name, scopes)...)...
    └── events: Event(name, wire_name, origin, body)   webhooks and callbacks

    RestIR    what translate hands both REST packs: ``api``, ``types`` (the finished
              TypeModel of ``ir.schema``) and ``spec``, the bundled document the
              server serves at ``/openapi.json``

Names are Python identifiers already (``py_name``, ``name``, ``module``);
``annotation`` strings are Python type expressions over the models module.
Wire names stay strings and reach code only through the ``pyrepr`` filter.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from generator.ir._fast_init import fast_init, fast_replace
from generator.ir.http_errors import (
    NO_CONTRACT,
    ErrorBody,
    ErrorContract,
    ErrorFill,
    Failure,
    FillKind,
    ItemFill,
)
from generator.ir.http_kinds import BodyKind, ParamLocation, ResponseKind, SchemeKind, Shape, Style
from generator.ir.schema import FieldArg, TypeKind, TypeModel, TypeRef

__all__ = [
    "IR_VERSION",
    "NO_CONTRACT",
    "Api",
    "BodyKind",
    "ErrorBody",
    "ErrorContract",
    "ErrorFill",
    "Event",
    "Failure",
    "FillKind",
    "ItemFill",
    "Operation",
    "ParamLocation",
    "Parameter",
    "RequestBody",
    "Response",
    "ResponseHeader",
    "ResponseKind",
    "RestIR",
    "SchemeKind",
    "SchemeUse",
    "SecurityRequirement",
    "SecurityScheme",
    "Server",
    "Shape",
    "Style",
    "Tag",
]

IR_VERSION = 1


@dataclass(frozen=True, slots=True, kw_only=True)
class Server:
    """One entry of ``servers`` with its variables substituted by their defaults."""

    url: str
    description: str


@dataclass(frozen=True, slots=True, kw_only=True)
class SecurityScheme:
    """A ``securitySchemes`` entry; ``location``/``key_name`` only for API keys."""

    wire_name: str
    py_name: str
    env_var: str
    kind: SchemeKind
    location: ParamLocation | None
    key_name: str
    scopes: tuple[str, ...]
    description: str
    flows: tuple[str, ...] = ()  # OAuth2 flow names as the spec spells them (``clientCredentials``)
    token_url: str = (
        ""  # OAuth2: the token endpoint (clientCredentials, else password, else authorizationCode)
    )
    refresh_url: str = ""  # OAuth2: where refresh tokens are redeemed, when the spec says
    openid_url: str = ""  # OpenID Connect: the discovery document's URL
    http_scheme: str = ""  # HTTP: the scheme name Authorization carries (Basic, OAuth)


@fast_init
@dataclass(frozen=True, slots=True, kw_only=True)
class SchemeUse:
    """One scheme named by a requirement, with the scopes it asks for."""

    py_name: str
    scopes: tuple[str, ...]


@fast_init
@dataclass(frozen=True, slots=True, kw_only=True)
class SecurityRequirement:
    """All of ``schemes`` together; an empty tuple means anonymous access is allowed."""

    schemes: tuple[SchemeUse, ...]


@fast_init
@dataclass(frozen=True, slots=True, kw_only=True)
class Parameter:
    """One parameter: the wire name, its Python name, and how it is serialised."""

    wire_name: str
    py_name: str
    location: ParamLocation
    style: Style
    explode: bool
    shape: Shape
    type: TypeRef
    required: bool
    description: str
    deprecated: bool
    example: object
    default: object  # the schema's ``default`` (JSON), applied when absent; None: none
    encoded: bool = False  # sent as ``content`` (a media type), not by ``style``
    bare: TypeRef | None = None  # ``type`` without ``constraints`` (both set, or neither)
    constraints: tuple[FieldArg, ...] = ()  # ``ge=1``...: FastAPI ``Query(...)`` arguments

    @property
    def annotation(self) -> str:
        """The Python annotation of the value (models qualified as ``models.X``)."""
        return self.type.annotation

    @property
    def native(self) -> bool:
        """Whether FastAPI's own ``Query``/``Path``/``Header`` reads it exactly.

        They split nothing but repeated query keys, so: scalars in their location's
        default style (query ``form``, path and header ``simple``), and exploded
        ``form`` query arrays of scalars. The rest (deepObject, label, matrix,
        delimited, objects, ``explode: false`` arrays, content-encoded values, and
        cookies, which the client percent-encodes and FastAPI's ``Cookie`` would not
        decode) is read by the generated ``runtime.Param``.
        """
        if self.encoded or self.shape is Shape.OBJECT or not _native_type(self.type):
            return False
        if self.location is ParamLocation.COOKIE:
            return False
        if self.location in _NAMED_BY_TOKEN and not _TOKEN.fullmatch(self.wire_name):
            return False  # FastAPI would fail looking up a name no client can send
        if self.default is not None and not _literal_default(self.bare or self.type):
            return False
        if self.shape is Shape.ARRAY:
            return (
                self.location is ParamLocation.QUERY and self.style is Style.FORM and self.explode
            )
        return self.style is _NATIVE_STYLE[self.location]

    @property
    def native_annotation(self) -> str:
        """The annotation inside ``Annotated[..., Query(...)]``: without the constraints
        the ``Query`` carries, ``| None`` when the parameter is optional without a default.

        With a default the value is never None (an absent parameter takes the default),
        and the bare type spares FastAPI walking a union on every request, as a
        hand-written app declares it (issue 14: about 4 % of a GET /books).
        """
        tp = self.bare or self.type
        return (
            tp.annotation if self.required or self.default is not None else tp.optional_annotation
        )


_NATIVE_STYLE = {
    ParamLocation.QUERY: Style.FORM,
    ParamLocation.PATH: Style.SIMPLE,
    ParamLocation.HEADER: Style.SIMPLE,
}
_NAMED_BY_TOKEN = (ParamLocation.HEADER,)
_TOKEN = re.compile(r"[!#$%&'*+.^_`|~0-9A-Za-z-]+")  # RFC 9110 token
_SCALARS = (TypeKind.PRIMITIVE, TypeKind.ENUM, TypeKind.LITERAL)


def _native_type(tp: TypeRef) -> bool:
    """A scalar FastAPI validates from text, or a list of them (no bytes, no unions)."""
    if tp.kind is TypeKind.LIST:
        return (
            len(tp.items) == 1
            and _native_type(tp.items[0])
            and tp.items[0].kind is not TypeKind.LIST
        )
    return tp.kind in _SCALARS and tp.format != "binary"


def _literal_default(tp: TypeRef) -> bool:
    """Whether the spec's default, printed as a Python literal, already has the type."""
    plain = tp.annotation.removesuffix(" | None")
    return tp.kind is TypeKind.LITERAL or plain in ("int", "float", "str", "bool")


@dataclass(frozen=True, slots=True, kw_only=True)
class RequestBody:
    """The request body in the media type twinspec speaks (JSON preferred)."""

    kind: BodyKind
    media_type: str
    type: TypeRef
    required: bool
    file_fields: tuple[str, ...]
    example: object
    media_types: tuple[str, ...] = ()
    """Every declared media type read like ``media_type`` (same kind); others get 415."""

    @property
    def annotation(self) -> str:
        """The Python annotation of the value (models qualified as ``models.X``)."""
        return self.type.annotation

    @property
    def accepted(self) -> tuple[str, ...]:
        """The media types a server accepts for this body (CSRF: never more than declared)."""
        return self.media_types or (self.media_type,)


@dataclass(frozen=True, slots=True, kw_only=True)
class ResponseHeader:
    """A header a response declares (``ETag``, ``Cache-Control``, ...): a typed output of the handler."""

    wire_name: str
    py_name: str
    type: TypeRef
    required: bool
    description: str
    example: str | None = None  # the header's text the default handlers send (required ones)

    @property
    def annotation(self) -> str:
        """The Python annotation of the value."""
        return self.type.annotation


@dataclass(frozen=True, slots=True, kw_only=True)
class Response:
    """A declared response: ``status`` as written (``200``, ``4XX``, ``default``)."""

    status: str
    status_code: int
    kind: ResponseKind
    media_type: str
    type: TypeRef
    description: str
    example: object
    headers: tuple[ResponseHeader, ...] = ()  # declared response headers, spec order

    @property
    def annotation(self) -> str:
        """The Python annotation of the value (models qualified as ``models.X``)."""
        return self.type.annotation


@fast_init
@dataclass(frozen=True, slots=True, kw_only=True)
class Operation:
    """One HTTP operation, with every decision the templates need already made."""

    name: str
    operation_id: str
    method: str
    path: str
    route_path: str  # ``path`` with each ``{wire}`` replaced by ``{py_name}``
    tag_module: str
    summary: str
    description: str
    deprecated: bool
    parameters: tuple[Parameter, ...]
    body: RequestBody | None
    success: Response | None
    errors: tuple[Response, ...]
    security: tuple[SecurityRequirement, ...]
    idempotent: bool
    emits: tuple[str, ...] = ()  # ``x-twinspec-emits``: AsyncAPI operations it triggers (service)
    error_contract: ErrorContract = NO_CONTRACT

    @property
    def secured(self) -> bool:
        """True unless some alternative lets anonymous callers in."""
        return bool(self.security) and all(r.schemes for r in self.security)

    def in_module(self, module: str) -> Operation:
        """This operation, in the tag module ``module`` (known once every tag is read)."""
        return fast_replace(self, tag_module=module)


@dataclass(frozen=True, slots=True, kw_only=True)
class Tag:
    """Operations grouped by their first tag: one router module and one client group."""

    wire_name: str
    module: str
    class_name: str
    description: str
    operations: tuple[Operation, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class Event:
    """A webhook (3.1 ``webhooks``) or callback: a request the API makes to its subscribers."""

    name: str
    wire_name: str
    origin: str  # "webhook" | "callback"
    route: str
    method: str
    summary: str
    body: RequestBody | None


@dataclass(frozen=True, slots=True, kw_only=True)
class Api:
    """Everything both REST packs render from one OpenAPI document."""

    title: str
    version: str
    description: str
    servers: tuple[Server, ...]
    security_schemes: tuple[SecurityScheme, ...]
    tags: tuple[Tag, ...]
    events: tuple[Event, ...]
    base_path: str = (
        ""  # ``""`` or ``/v1``: the first server's path, where the server mounts its routes
    )

    @property
    def operations(self) -> tuple[Operation, ...]:
        """Every operation, in tag order then spec order."""
        return tuple(op for tag in self.tags for op in tag.operations)


@dataclass(frozen=True, slots=True, kw_only=True)
class RestIR:
    """The finished IR of one OpenAPI document: all the rest-server and rest-client packs see."""

    api: Api
    types: TypeModel
    spec: Mapping[str, object]
    """The document with its external ``$ref``s bundled in: JSON data, read-only by contract."""
