"""Server-sent events in the rest-client: typed events with id/event/retry, resumed after a drop.

The server (generated, with a user handler) sends ticks 1..6. On the first
connection it drops the socket after tick 3 (an exception mid-stream: no
terminating chunk). The client reconnects after the server's ``retry`` with
``Last-Event-ID: 3`` and gets 4..6; the stream then ends cleanly and the
iterator stops. No tick is lost or repeated.
"""

from __future__ import annotations

import asyncio
import importlib
import sys
from collections.abc import Iterator
from types import ModuleType

import pytest
import yaml

from tests.rest.prod_support import run_server
from tests.rest.rest_support import generate

SPEC = {
    "openapi": "3.1.0",
    "info": {"title": "Ticks", "version": "1"},
    "servers": [{"url": "http://127.0.0.1:8000"}],
    "paths": {
        "/ticks": {
            "get": {
                "operationId": "ticks",
                "parameters": [
                    {"name": "Last-Event-ID", "in": "header", "schema": {"type": "string"}},
                    {"name": "drop", "in": "query", "schema": {"type": "boolean", "default": True}},
                ],
                "responses": {
                    "200": {
                        "description": "ticks",
                        "content": {
                            "text/event-stream": {
                                "schema": {
                                    "type": "object",
                                    "required": ["data"],
                                    "properties": {
                                        "id": {"type": "string"},
                                        "event": {"type": "string"},
                                        "data": {
                                            "type": "string",
                                            "contentMediaType": "application/json",
                                            "contentSchema": {"$ref": "#/components/schemas/Tick"},
                                        },
                                    },
                                }
                            }
                        },
                    }
                },
            }
        }
    },
    "components": {
        "schemas": {
            "Tick": {"type": "object", "required": ["n"], "properties": {"n": {"type": "integer"}}}
        }
    },
}

HANDLERS = '''
from collections.abc import AsyncIterator

from fastapi.responses import Response

from . import models, runtime
from .default_handlers import DefaultHandlers

CONNECTIONS: list[str | None] = []


class Handlers(DefaultHandlers):
    async def ticks(
        self, *, last_event_id: str | None, drop: bool | None
    ) -> Response | AsyncIterator[models.Tick | runtime.ServerEvent[models.Tick]]:
        CONNECTIONS.append(last_event_id)
        start = int(last_event_id or 0) + 1

        async def stream() -> AsyncIterator[models.Tick | runtime.ServerEvent[models.Tick]]:
            for n in range(start, 7):
                name = "tick" if last_event_id is None else f"after-{last_event_id}"
                yield runtime.ServerEvent(models.Tick(n=n), id=str(n), event=name, retry=50)
                if drop and n == 3 and last_event_id is None:
                    raise ConnectionAbortedError("the connection drops")

        return stream()
'''


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[ModuleType, str]]:
    root = tmp_path_factory.mktemp("sse")
    spec = root / "ticks.yaml"
    spec.write_text(yaml.safe_dump(SPEC), encoding="utf-8")
    server = generate(spec, "rest-server", root / "server", package="tk_server")
    (server / "tk_server" / "handlers.py").write_text(HANDLERS, encoding="utf-8")
    client = generate(spec, "rest-client", root / "client", package="tk_client")
    sys.path.insert(0, str(client))
    try:
        with run_server(server, "tk_server", probe="/openapi.json") as port:
            yield importlib.import_module("tk_client"), f"http://127.0.0.1:{port}"
    finally:
        sys.path.remove(str(client))


def test_no_event_is_lost_across_a_drop(stack: tuple[ModuleType, str]) -> None:
    pkg, url = stack
    with pkg.Client(url) as api:
        stream = api.ticks()
        seen = list(stream.events())
    assert [e.data.n for e in seen] == [1, 2, 3, 4, 5, 6]
    assert [e.id for e in seen] == ["1", "2", "3", "4", "5", "6"]
    # the second connection carried Last-Event-ID: 3 (the server names its events after it)
    assert [e.event for e in seen] == ["tick"] * 3 + ["after-3"] * 3
    assert {e.retry for e in seen} == {50}
    assert stream.last_event_id == "6"


def test_async_stream_resumes_and_iterates_typed_data(stack: tuple[ModuleType, str]) -> None:
    pkg, url = stack

    async def run() -> list[int]:
        async with pkg.AsyncClient(url) as api:
            return [tick.n async for tick in api.ticks()]

    assert asyncio.run(run()) == [1, 2, 3, 4, 5, 6]


def test_close_stops_the_stream(stack: tuple[ModuleType, str]) -> None:
    pkg, url = stack
    with pkg.Client(url) as api:
        stream = api.ticks(drop=False)
        first = next(stream)
        stream.close()
        assert first.n == 1
        assert list(stream) == []  # closed: nothing more, no reconnection
