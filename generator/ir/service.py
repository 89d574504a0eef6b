"""The service IR: an OpenAPI + AsyncAPI pair as one application, or its client.

::

    ServiceIR
    ├── rest          RestIR of the OpenAPI document (its TypeModel is the one type model)
    ├── events        StreamIR of the AsyncAPI document, its types reduced to what REST lacks
    ├── methods       EventMethod...: ``Events.<name>``, one per send operation the app serves
    ├── emitting      Emitting...: REST operations with ``x-twinspec-emits``, and their events
    ├── asyncapi      the AsyncAPI document as JSON data (served at /asyncapi.json)
    └── api_first     whether the OpenAPI document was given first (labels follow the order)
"""

from __future__ import annotations

from dataclasses import dataclass

from generator.ir.http import Operation, RestIR
from generator.ir.stream import Parameter
from generator.ir.stream_views import StreamIR

__all__ = ["Emitting", "EventMethod", "ServiceIR"]


@dataclass(frozen=True, slots=True, kw_only=True)
class EventMethod:
    """``Events.<name>``: one AsyncAPI send operation, to every destination of its channel."""

    name: str
    key: str
    annotation: str
    summary: str
    web: bool  # WebSocket/SSE clients (every replica, through the backplane)
    broker: bool  # the brokers the channel is on
    parameters: tuple[Parameter, ...]
    examples: tuple[str, ...]  # the ``messages`` constants whose example() it emits
    imports: tuple[str, ...]  # import lines its annotation needs (relative to the events package)


@dataclass(frozen=True, slots=True, kw_only=True)
class Emitting:
    """A REST operation whose default handler emits the examples of linked events."""

    op: Operation
    events: tuple[EventMethod, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class ServiceIR:
    """The finished IR of a pair for one side ("server" or "client")."""

    rest: RestIR
    events: StreamIR
    package: str
    methods: tuple[EventMethod, ...]
    emitting: tuple[Emitting, ...]
    asyncapi: object
    api_first: bool
