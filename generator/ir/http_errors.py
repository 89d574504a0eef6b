"""The error contract of an HTTP operation: which status and which declared body each failure gets.

Decided by translate from the operation's declared responses (``translate/_openapi_errors.py``);
the rest-server pack writes it out as ``contracts.py``.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from generator.ir._fast_init import fast_init
from generator.ir.http_kinds import ResponseKind

__all__ = [
    "NO_CONTRACT",
    "ErrorBody",
    "ErrorContract",
    "ErrorFill",
    "Failure",
    "FillKind",
    "ItemFill",
]


class FillKind(str, enum.Enum):
    """What the server writes into one field of a declared error body when it answers."""

    STATUS = "status"  # the HTTP status, as an integer
    STATUS_TEXT = "status_text"  # the HTTP status, as text ("400")
    TITLE = "title"  # the status phrase ("Bad Request")
    DETAIL = "detail"  # the failure in one sentence
    CODE = "code"  # a word for the failure ("invalid_request", "unauthorized", ...)
    INSTANCE = "instance"  # the request's path
    ERRORS = "errors"  # one item per invalid field (strings, or objects of ``ItemFill``s)


@dataclass(frozen=True, slots=True, kw_only=True)
class ItemFill:
    """A property of each item of an ``ERRORS`` list, and what it holds.

    ``part`` is ``location`` (``query.limit``), ``location_list`` (``["query", "limit"]``),
    ``message`` or ``type`` (pydantic's error type, ``int_parsing``).
    """

    name: str
    part: str
    max_length: int | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class ErrorFill:
    """One field of an error body the server fills from the failure (``path`` of property names)."""

    path: tuple[str, ...]
    kind: FillKind
    max_length: int | None = None  # text is cut to the schema's ``maxLength``
    max_items: int | None = None  # ``ERRORS``: at most this many items
    item_fields: tuple[ItemFill, ...] = ()  # ``ERRORS`` of objects; empty: a list of strings
    item_template: object = None  # ``ERRORS`` of objects: an item valid for the schema


@dataclass(frozen=True, slots=True, kw_only=True)
class ErrorBody:
    """How one declared error response is written: ``template`` with ``fills`` applied.

    ``template`` is JSON valid against the declared schema (the spec's example,
    or one synthesised from it); each fill only ever writes values the schema
    accepts, so the answer stays valid. ``kind`` TEXT sends the detail as text,
    EMPTY no body.
    """

    declared: str  # the response key it comes from: "400", "4XX", "default"
    media_type: str
    kind: ResponseKind
    template: object
    fills: tuple[ErrorFill, ...]


@fast_init
@dataclass(frozen=True, slots=True, kw_only=True)
class Failure:
    """The status a kind of failure gets, and the declared body for it (None: RFC 9457)."""

    status: int
    body: ErrorBody | None


@dataclass(frozen=True, slots=True, kw_only=True)
class ErrorContract:
    """What an operation answers when a request fails, decided from its declared responses.

    ``invalid`` is a request that fails validation (400 when the operation
    declares 400 and not 422, else 422); ``unauthenticated`` missing or invalid
    credentials (401); ``forbidden`` refused ones (403). Each takes a declared
    status where the operation has one (401 and 403 stand in for each other).
    Any other status a handler or the framework answers is looked up in
    ``by_status``, then ``by_class`` (``4XX`` is 4), then ``default``.
    """

    invalid: Failure
    unauthenticated: Failure
    forbidden: Failure
    by_status: tuple[tuple[int, ErrorBody], ...] = ()
    by_class: tuple[tuple[int, ErrorBody], ...] = ()
    default: ErrorBody | None = None

    @property
    def declared(self) -> bool:
        """Whether the operation declares any error answer (else RFC 9457 problems throughout)."""
        return bool(self.by_status or self.by_class or self.default is not None)


NO_CONTRACT = ErrorContract(
    invalid=Failure(status=422, body=None),
    unauthenticated=Failure(status=401, body=None),
    forbidden=Failure(status=403, body=None),
)
"""The contract of an operation that declares no error response."""
