"""Inline top-level types that are not models (``type: array, items: {type: integer}``,
``type: integer``) are as strict on the wire as models: a REST body or a broker message
of ``["1"]`` or ``"5"`` is refused; parameters stay lax (they are parsed from text).

REST runs in-process through FastAPI's ``TestClient`` (raw JSON bytes, so nothing on our
side coerces); messages go through FastStream's in-memory ``TestKafkaBroker`` (no Kafka
broker on this machine) as raw JSON bytes, and the handler sees only what validates.
"""

from __future__ import annotations

import asyncio
import importlib
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from generator.drive.spec import plan_target
from tests.rest.rest_support import write_plan

OPENAPI = """\
openapi: 3.0.3
info: {title: Inline Bodies, version: '1'}
paths:
  /numbers:
    post:
      operationId: postNumbers
      parameters:
        - {name: limit, in: query, schema: {type: integer}}
      requestBody:
        required: true
        content:
          application/json:
            schema: {type: array, items: {type: integer}}
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {type: array, items: {type: integer}}
  /count:
    post:
      operationId: postCount
      requestBody:
        required: true
        content:
          application/json:
            schema: {type: integer}
      responses:
        '204': {description: ok}
  /maybe:
    post:
      operationId: postMaybe
      requestBody:
        required: true
        content:
          application/json:
            schema: {type: integer, nullable: true}
      responses:
        '204': {description: ok}
"""

ASYNCAPI = """\
asyncapi: 3.0.0
info: {title: Inline Messages, version: '1'}
servers:
  bus: {host: 'localhost:9092', protocol: kafka}
channels:
  numbers:
    address: numbers
    messages:
      numbers: {payload: {type: array, items: {type: integer}}}
  count:
    address: count
    messages:
      count: {payload: {type: integer}}
operations:
  receiveNumbers:
    action: receive
    channel: {$ref: '#/channels/numbers'}
  receiveCount:
    action: receive
    channel: {$ref: '#/channels/count'}
"""


@pytest.fixture(scope="module")
def rest(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    root: Path = tmp_path_factory.mktemp("strict-inline-rest")
    spec = root / "inline.yaml"
    spec.write_text(OPENAPI, encoding="utf-8")
    plan, diagnostics = plan_target(spec, "rest-server", package="inline_rest")
    assert plan is not None, [d.to_text() for d in diagnostics]
    write_plan(plan, root / "server")
    sys.path.insert(0, str(root / "server"))
    try:
        app = importlib.import_module("inline_rest.app").create_app()
        with TestClient(app) as client:
            yield client
    finally:
        sys.path.remove(str(root / "server"))


def _post(client: TestClient, path: str, body: str) -> int:
    answer = client.post(path, content=body.encode(), headers={"content-type": "application/json"})
    return answer.status_code


@pytest.mark.parametrize(
    ("path", "body", "status"),
    [
        ("/numbers", "[1, 2]", 200),
        ("/numbers", "[]", 200),
        ("/numbers", '["1"]', 422),  # a string for an integer
        ("/numbers", "[true]", 422),  # a boolean for an integer
        ("/numbers", "[1.5]", 422),  # a fraction for an integer
        ("/numbers", "null", 422),  # not nullable
        ("/numbers", '{"0": 1}', 422),  # an object is no array
        ("/count", "5", 204),
        ("/count", '"5"', 422),
        ("/count", "true", 422),
        ("/count", "null", 422),
        ("/maybe", "null", 204),  # nullable: true
        ("/maybe", "7", 204),
        ("/maybe", '"7"', 422),
    ],
)
def test_rest_inline_body_checks_json_types(
    rest: TestClient, path: str, body: str, status: int
) -> None:
    assert _post(rest, path, body) == status, (path, body)


def test_rest_parameters_stay_lax_from_text(rest: TestClient) -> None:
    assert _post(rest, "/numbers?limit=5", "[1]") == 200
    answer = rest.post("/numbers?limit=five", json=[1])
    assert answer.status_code == 422 and "limit" in answer.text


@pytest.fixture(scope="module")
def stream(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    root: Path = tmp_path_factory.mktemp("strict-inline-stream")
    spec = root / "inline.yaml"
    spec.write_text(ASYNCAPI, encoding="utf-8")
    plan, diagnostics = plan_target(spec, "stream-server", package="inline_stream")
    assert plan is not None, [d.to_text() for d in diagnostics]
    write_plan(plan, root / "server")
    sys.path.insert(0, str(root / "server"))
    try:
        yield importlib.import_module("inline_stream.brokers")
    finally:
        sys.path.remove(str(root / "server"))


def _delivered(brokers: Any, monkeypatch: pytest.MonkeyPatch, topic: str, body: str) -> list[Any]:
    """What the generated handler of ``topic`` receives when ``body`` arrives as raw JSON."""
    from faststream.kafka import TestKafkaBroker

    seen: list[Any] = []

    async def handler(message: Any) -> None:
        seen.append(message)

    name = f"receive_{topic}_bus_handler"
    assert hasattr(brokers, name), sorted(n for n in dir(brokers) if n.endswith("_handler"))
    monkeypatch.setattr(brokers, name, handler)

    async def scenario() -> None:
        async with TestKafkaBroker(brokers.bus) as broker:
            await broker.publish(body.encode(), topic, headers={"content-type": "application/json"})

    asyncio.run(scenario())
    return seen


@pytest.mark.parametrize(
    ("topic", "body", "expected"),
    [
        ("numbers", "[1, 2]", [[1, 2]]),
        ("numbers", '["1"]', []),
        ("numbers", "[true]", []),
        ("numbers", "[1.5]", []),
        ("numbers", "null", []),
        ("count", "5", [5]),
        ("count", '"5"', []),
        ("count", "null", []),
    ],
)
def test_stream_inline_message_checks_json_types(
    stream: Any, monkeypatch: pytest.MonkeyPatch, topic: str, body: str, expected: list[Any]
) -> None:
    got = _delivered(stream, monkeypatch, topic, body)
    assert got == expected, (topic, body, got)
    assert all(type(v) is type(e) for v, e in zip(got, expected, strict=True))
