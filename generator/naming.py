"""Spec names -> Python names: valid, deterministic, never colliding.

Every name a template prints comes from here, so a hostile or merely odd spec
name (a keyword, ``1st``, ``user-id`` next to ``user_id``, emoji, 300 letters)
always becomes a usable identifier. The wire name is kept by the caller (as a
pydantic alias, a Literal, ...); this module only makes the Python side.

API (stable; other stages build on it):

- ``py_identifier(raw, style="snake"|"pascal"|"upper"|"keep") -> str``
- ``NameAllocator(reserved=()).allocate(raw, style) -> str``: same raw, same
  name; distinct raws that clash get ``_2``, ``_3``... in call order.
- ``package_name(title) -> str``: an import/distribution package name.
- ``fresh(names, raw) -> str``: a new name on every call, even for the same raw
  (two parameters called ``id``, a duplicated operationId), in call order.
- ``WINDOWS_DEVICE_NAMES``: file stems no module or package may take;
  ``device_safe(package)`` renames a package that would take one.
"""

from __future__ import annotations

import builtins
import functools
import hashlib
import keyword
import re
import sys
import unicodedata
from collections.abc import Callable, Iterable
from typing import Literal

__all__ = [
    "APP_MODULE_NAMES",
    "BUILTIN_NAMES",
    "MAX_IDENTIFIER",
    "TEMPLATE_NAMES",
    "WINDOWS_DEVICE_NAMES",
    "NameAllocator",
    "Scope",
    "Style",
    "device_safe",
    "fresh",
    "package_name",
    "py_identifier",
]

Style = Literal["snake", "pascal", "upper", "keep"]

MAX_IDENTIFIER = 60
"""Longest identifier produced; longer names are cut and get a short stable hash."""

BUILTIN_NAMES: frozenset[str] = frozenset(n for n in dir(builtins) if not n.startswith("_"))
"""Names a generated module must not shadow."""

_SOFT_KEYWORDS = frozenset({"match", "case", "type", "_"})
_AMBIGUOUS = frozenset({"l", "O", "I"})  # E741: easily misread as 1 and 0
_WORD = re.compile(r"[A-Z]+(?=[A-Z][a-z0-9])|[A-Z]?[a-z0-9]+|[A-Z]+")
_NOT_IDENT = re.compile(r"[^A-Za-z0-9_]")
_UNDERSCORES = re.compile(r"_+")


def _ascii(raw: str) -> str:
    """Transliterate to ASCII; characters with no ASCII form become ``x<hex>`` words."""
    if raw.isascii():
        return raw
    out: list[str] = []
    for ch in raw:
        if ch.isascii():
            out.append(ch)
            continue
        decomposed = unicodedata.normalize("NFKD", ch)
        kept = "".join(c for c in decomposed if c.isascii())
        out.append(kept if kept.strip() else f" x{ord(ch):x} ")
    return "".join(out)


def _words(raw: str) -> list[str]:
    """Split ``getHTTPResponse_code-2`` into ``get HTTP Response code 2``.

    One scan of the whole text: a word is letters and digits only, and the one lookahead
    reads letters and digits, so any other character separates words.
    """
    return _WORD.findall(_ascii(raw))


def _shorten(name: str, raw: str) -> str:
    if len(name) <= MAX_IDENTIFIER:
        return name
    digest = hashlib.sha256(raw.encode("utf-8", "surrogatepass")).hexdigest()[:8]
    return f"{name[: MAX_IDENTIFIER - 9].rstrip('_')}_{digest}"


@functools.lru_cache(maxsize=65536)
def py_identifier(raw: str, style: Style = "snake") -> str:
    """A valid, non-keyword ASCII Python identifier for ``raw``, deterministic.

    ``snake`` (fields, functions), ``pascal`` (classes), ``upper`` (enum
    members, constants) or ``keep`` (only made valid). Never starts with an
    underscore (pydantic treats those as private), never a keyword or soft
    keyword; builtins are left to ``NameAllocator``. Memoised: a large spec
    asks for the same few thousand names over and over.
    """
    words = _words(raw)
    if style == "keep":
        name = _UNDERSCORES.sub("_", _NOT_IDENT.sub("_", _ascii(raw)).strip("_"))
    elif style == "pascal":
        # an all-capitals word (``HTTP``) stays as it is
        name = "".join([w if w.isupper() else w.capitalize() for w in words])
    elif style == "upper":
        name = "_".join([w.upper() for w in words])
    else:
        name = "_".join([w.lower() for w in words])
    if not name:
        name = {"snake": "empty", "keep": "empty", "pascal": "Empty", "upper": "EMPTY"}[style]
    if name[0].isdigit():
        name = {"snake": "v_", "keep": "v_", "pascal": "V", "upper": "V_"}[style] + name
    name = _shorten(name, raw)
    if keyword.iskeyword(name) or name in _SOFT_KEYWORDS:
        name += "_"
    return name


class Scope:
    """The names one generated module binds, as printed (case-converted, suffixed).

    Several allocators (schema classes, message, operation and channel
    constants) feed one module; each asks the scope before handing out a name,
    so ``ADDED`` (a class), ``added`` (a message printed as ``ADDED``) and
    ``added_payload`` (a message) next to ``added`` (an operation printed as
    ``ADDED_PAYLOAD``) can never bind one name twice, whatever the order.
    """

    def __init__(self, reserved: Iterable[str] = ()) -> None:
        """``reserved``: the names the template itself binds in that module."""
        self.names: set[str] = set(_never(frozenset(reserved), True))

    def free(self, printed: Iterable[str]) -> bool:
        """Whether none of ``printed`` is bound yet."""
        return self.names.isdisjoint(printed)


@functools.lru_cache(maxsize=64)
def _never(reserved: frozenset[str], builtin: bool) -> frozenset[str]:
    """``reserved`` with the names no allocator hands out (and the builtins): made once per
    set, as every model allocates its field names against the same few hundred."""
    return reserved | _AMBIGUOUS | (BUILTIN_NAMES if builtin else frozenset())


def _as_is(name: str) -> tuple[str, ...]:
    return (name,)


class NameAllocator:
    """Hands out unique identifiers in one namespace, deterministically.

    The same raw string always gets the same name; a raw string whose name is
    taken (by another raw, a builtin or ``reserved``) gets ``_2``, ``_3``...
    in call order, so allocate in a sorted or document order. With a ``scope``,
    a name is also refused when any of ``printed(name)`` (the identifiers the
    module prints for it) is bound there, and those are bound once given.
    """

    def __init__(
        self,
        reserved: Iterable[str] = (),
        *,
        avoid_builtins: bool = True,
        scope: Scope | None = None,
        printed: Callable[[str], Iterable[str]] = _as_is,
    ) -> None:
        """``reserved`` names are never handed out (imports, framework attributes)."""
        self._reserved = _never(frozenset(reserved), avoid_builtins)
        self._taken: set[str] = set()  # handed out or reserved since (``_reserved`` apart)
        self._given: dict[tuple[str, str], str] = {}
        self._scope = scope
        self._printed = printed

    def allocate(self, raw: str, style: Style = "snake") -> str:
        """The unique name for ``raw`` in this namespace."""
        key = (raw, style)
        if key in self._given:
            return self._given[key]
        name = self.fresh(raw, style)
        self._given[key] = name
        return name

    def fresh(self, raw: str, style: Style = "snake") -> str:
        """A new unique name derived from ``raw``, even if ``raw`` was allocated before."""
        base = py_identifier(raw, style)
        if base in self._reserved:
            base += "_"
        name = base
        counter = 2
        while not self._free(name):
            name = f"{base.rstrip('_')}_{counter}"
            counter += 1
        self.reserve(name)
        return name

    def _free(self, name: str) -> bool:
        if name in self._reserved or name in self._taken:
            return False
        return self._scope is None or self._scope.free(self._printed(name))

    def reserve(self, name: str) -> None:
        """Mark ``name`` as used without a raw string."""
        self._taken.add(name)
        if self._scope is not None:
            self._scope.names.update(self._printed(name))

    def __contains__(self, name: object) -> bool:
        """Whether ``name`` is already used (here, or any of its printed forms in the scope)."""
        return isinstance(name, str) and not self._free(name)


def package_name(title: str) -> str:
    """A valid import package (and distribution) name from a spec title.

    ``Swagger Petstore (v2)`` -> ``swagger_petstore_v2``. Never a keyword,
    builtin or standard-library top-level module name.
    """
    name = py_identifier(title, "snake")
    if name == "empty":
        name = "api"
    if name in BUILTIN_NAMES or name in sys.stdlib_module_names or name in {"test", "tests"}:
        name += "_api"
    return device_safe(name)


def device_safe(package: str) -> str:
    """``package``, or ``package_api`` when it is a Windows device name (``con``, ``LPT1``...).

    The one rule for every target, whether the name comes from the title or
    from ``--package``: a ``con/`` folder cannot be created or checked out on
    Windows, so it is renamed like a builtin rather than refused.
    """
    return f"{package}_api" if package.lower() in WINDOWS_DEVICE_NAMES else package


WINDOWS_DEVICE_NAMES: tuple[str, ...] = (
    "con",
    "prn",
    "aux",
    "nul",
    *(f"com{i}" for i in range(10)),
    *(f"lpt{i}" for i in range(10)),
)
"""File stems Windows treats as devices: ``con.py`` cannot be written or checked out there."""


TEMPLATE_NAMES: frozenset[str] = frozenset(
    {
        'ASGIApp', 'Annotated', 'Any', 'ApiError', 'ApiModel', 'AsyncClient', 'AsyncIterator',
        'AuthScheme', 'Awaitable', 'BROKERS', 'Backoff', 'Backplane', 'BackplaneError',
        'BaseModel', 'BeforeValidator', 'BodyLimit', 'BodyReader', 'BodySpec', 'BrokerUnavailable',
        'CLOSE_GOING_AWAY', 'CLOSE_NORMAL', 'CLOSE_POLICY', 'CLOSE_TOO_BIG', 'CONNECT_TIMEOUT_VARIABLE',
        'Callable', 'Client', 'DriverNoise', 'gc', 'start_broker', 'where',
        'ClientConnection', 'ConfigDict', 'CoreSchema', 'Credentials', 'DEFAULT_BASE_URL',
        'DecodeError', 'Decoded', 'Decoder', 'DefaultHandlers', 'EMITTERS', 'EMITTER_SERVERS',
        'EXAMPLES', 'Endpoint', 'Envelope', 'Event', 'FastAPI', 'FrameHandler', 'Generic',
        'GetCoreSchemaHandler', 'Guard', 'HANDLERS', 'HTMLResponse', 'HTTPException',
        'HandlerFailed', 'Handlers', 'Hub', 'Iterator', 'JSONResponse', 'KEEP_ALIVE', 'Lazy',
        'Literal', 'MAX_BODY_BYTES', 'MAX_ERRORS', 'MESSAGES', 'MQTTBroker', 'Mapping', 'Message',
        'MessageType', 'NOT_NULL', 'OPEN_GETS', 'OPERATIONS', 'Param', 'ParamSpec', 'Params',
        'Path', 'PydanticCustomError', 'QoS', 'REPLICA', 'Receive', 'Receiver', 'RedactQuery',
        'Request', 'RequestValidationError', 'Response', 'Retry', 'SCHEMES', 'SECRET',
        'SECRET_QUERY_NAMES', 'SERVERS', 'SERVERS_VARIABLE', 'SETTINGS', 'SPEC_JSON',
        'SSE_COALESCE', 'SSE_HEADERS', 'STARTED', 'Scheme', 'Scope', 'Self', 'Send', 'Sequence',
        'JSON_TYPES', '_JsonTypes', '_OPAQUE_KEYS', '_STRICT_TYPES',
        'CLOSE_INVALID_REQUEST', 'CLOSE_REFUSED', 'CONST_TAGS', 'M', 'connect_inputs', 'given',
        'refuse', 'text_inputs', 'text_values',
        'ServerEvent', 'Serving', 'Settings', 'StreamError', 'StreamingResponse', 'SubscriberNotFound', 'T',
        'TestClient', 'TestMQTTBroker', 'TracebackType', 'TypeAdapter', 'TypeVar', 'URLS',
        'UploadFile', 'ValidationError', 'ValidationInfo', 'WebSocket', 'WebSocketConnection',
        '_AsyncSession', '_CONTROL', '_FINITE', '_FORBIDDEN', '_FROM_ARRAY', '_FROM_TEXT',
        '_HANDLERS', '_JSON_TYPE_MARK', '_NOT_COOKIE_OCTET', '_Session', '_URL_SAFE', '__all__',
        '__version__', '_authenticate', '_authorization', '_body', '_check_header',
        '_cookie_credential', '_demo', '_error_body', '_essence', '_event_lines', '_events',
        '_float', '_has', '_int', '_integer', '_invalid', '_items', '_joined', '_json',
        '_json_types', '_list_fields', '_literal', '_missing', '_not_a_number', '_not_json',
        '_not_null', '_not_null_keys', '_off_the_wire', '_page_text', '_page_url', '_pairs',
        '_path_value', '_plain', '_query_items', '_redoc', '_refused', '_retryable', '_scalar',
        '_split', '_swagger_ui', '_text', '_unquoted', '_values', '_where', 'accept',
        'annotations', 'api_error_handler', 'app', 'argparse', 'asyncio', 'backplane', 'base64',
        'binascii', 'brokers', 'build_request', 'cast', 'check', 'contextlib', 'core_schema',
        'correlation_id', 'create_app', 'credential', 'credentials', 'dataclass', 'dataclasses',
        'defaults', 'demo_interval', 'deque', 'docs_page', 'dump', 'dump_text', 'emit_all',
        'emit_examples', 'emit_on_request', 'encode_event', 'enum', 'error_frame', 'events',
        'events_async', 'example_reply', 'field', 'frame_size', 'from_json', 'functools',
        'get_args', 'get_origin', 'get_redoc_html', 'get_swagger_ui_html', 'guard', 'handlers',
        'handlers_of', 'hmac', 'html', 'httpx', 'hub', 'internal_error', 'json', 'lifespan',
        'load', 'logger', 'logging', 'main', 'make_backplane', 'media_accepted', 'messages',
        'model_validator', 'models', 'event_order', 'os', 'parse_args', 'pytest', 'quote', 'random',
        'read_body', 'redact_query_logs', 'redoc_page', 'rejected', 'reply', 'run', 'runtime',
        'security', 'segment', 'send', 'send_async', 'show', 'specificity', 'start', 'stop',
        'test_client_closes_cleanly', 'test_emit_unknown_operation_is_404',
        'test_examples_validate', 'test_parameterless_gets_answer',
        'test_publishers_accept_examples', 'test_serves_its_spec', 'time', 'to_json',
        'to_jsonable_python', 'unquote', 'unquote_plus', 'urlsplit', 'uuid', 'uvicorn', 'verify',
        'web', 'websockets', 'wire_adapter', 'with_correlation',
        # brokers.py request/reply and address-parameter settings
        'Context', 'StreamMessage', 'UNUSABLE', 'setting', '_INSTANCE', '_PENDING', '_settle',
        '_ASKING', '_ask', '_REQUESTS',
        # stream docs pages served offline (docs.py)
        'DOCS_ASSETS', 'StaticFiles',
    }
)  # fmt: skip
"""The module-level names the template packs define or import (imports, helpers, constants,
the application object, TypeVars) in every module that binds spec-derived names unqualified
(``models.py``, ``messages.py``, and modules doing ``from .models import ...``): a spec name
must never be given one of them. Modules that use ``models.X`` cannot be shadowed.

Declared, so generation needs no template parsing; ``tests/hostile/test_template_names.py``
extracts the names from freshly rendered output of every target and fails when one is missing.
"""


APP_MODULE_NAMES: frozenset[str] = frozenset(
    {
        'Any', 'BASE_PATH', 'DOCS_ASSETS', 'DefaultHandlers', 'FastAPI', 'HTMLResponse', 'Handlers',
        'JSONResponse', 'Path', 'Request', 'RequestValidationError', 'Response', 'SPEC_JSON',
        'StarletteHTTPException', 'StaticFiles', 'conditional', 'contracts', 'create_app',
        'fastapi_offline', 'json', 'quote', 'runtime', 'served_spec',
    }
)  # fmt: skip
"""What the rest-server ``app.py`` binds beside ``from .routers import <tag modules>``: no tag
module takes one (``tests/hostile/test_names_rest.py`` extracts them from a fresh render)."""


def fresh(names: NameAllocator, raw: str) -> str:
    """A name for ``raw`` that no earlier call took, even when two raws sanitise alike."""
    base = py_identifier(raw)
    name = base
    if name in names and name in BUILTIN_NAMES:
        name = base + "_"  # ``id`` -> ``id_``, as PEP 8 suggests
    counter = 2
    while name in names:
        name = f"{base}_{counter}"
        counter += 1
    names.reserve(name)
    return name
