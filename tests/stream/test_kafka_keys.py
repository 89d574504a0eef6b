"""Avro-typed Kafka record keys: a typed ``key=`` on publishers, a typed ``key`` for handlers.

``tests/data/stream/keyed_avro.yaml`` declares a Kafka message whose binding
``key`` is an Avro record (``OrderKey``: an enum and a long). Its content type is
binary Avro, so the key travels as binary Avro too; the ``json`` variant (a copy
declaring ``application/json``) sends it as JSON text. No Kafka broker here: each
side runs against FastStream's in-memory ``TestKafkaBroker``, with a peer
written from the document with fastavro.
"""

from __future__ import annotations

import asyncio
import importlib
import io
import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.stream.conftest import generate

pytestmark = pytest.mark.timeout(120)

SPEC = Path(__file__).resolve().parents[1] / "data" / "stream" / "keyed_avro.yaml"
DOC = yaml.safe_load(SPEC.read_text(encoding="utf-8"))
KEY_SCHEMA = DOC["components"]["messages"]["orderPlaced"]["bindings"]["kafka"]["key"]
ORDER_SCHEMA = DOC["components"]["messages"]["orderPlaced"]["payload"]["schema"]
TOPIC = "twinspec.keyed.orders"

HANDLERS = '''
"""Test handler: record each order with its typed key."""

from __future__ import annotations

from typing import Any

from .defaults import DefaultHandlers
from .models import Order, OrderKey

SEEN: list[tuple[Any, Any]] = []


class Handlers(DefaultHandlers):
    async def place_order(self, message: Order, *, key: OrderKey | None = None) -> None:
        SEEN.append((message, key))
'''


@pytest.fixture(scope="module", params=["avro", "json"])
def keyed(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[Any, Any, str]]:
    wire = str(request.param)
    root = tmp_path_factory.mktemp(f"keyed-{wire}")
    spec = SPEC
    if wire == "json":
        doc = yaml.safe_load(SPEC.read_text(encoding="utf-8"))
        doc["defaultContentType"] = "application/json"
        spec = root / "keyed.yaml"
        spec.write_text(yaml.safe_dump(doc), encoding="utf-8")
    package = f"keyed_{wire}"
    generate(spec, "stream-server", root / "server", package=package)
    generate(spec, "stream-client", root / "client", package=package)
    (root / "server" / package / "handlers.py").write_text(HANDLERS)
    sys.path[:0] = [str(root / "server"), str(root / "client")]
    yield (
        importlib.import_module(f"{package}.brokers"),
        importlib.import_module(f"{package}_client.brokers"),
        wire,
    )
    sys.path[:] = [p for p in sys.path if not p.startswith(str(root))]


def _avro_write(schema: Any, data: Any) -> bytes:
    from fastavro import parse_schema, schemaless_writer

    out = io.BytesIO()
    schemaless_writer(out, parse_schema(schema), data)
    return out.getvalue()


def _avro_read(schema: Any, wire: bytes) -> Any:
    from fastavro import parse_schema, schemaless_reader

    return schemaless_reader(io.BytesIO(wire), parse_schema(schema), None)


def test_typed_key_through_faststream_test_broker_in_memory(keyed: tuple[Any, Any, str]) -> None:
    from faststream.kafka import KafkaMessage, TestKafkaBroker

    server, client, wire = keyed
    package = server.__name__.split(".")[0]
    models = sys.modules[f"{package}_client.models"]
    seen = sys.modules[f"{package}.handlers"].SEEN

    sent: list[tuple[bytes | None, bytes]] = []

    @client.kafka.subscriber(TOPIC)  # type: ignore[untyped-decorator]
    async def peer(body: Any, msg: KafkaMessage) -> None:
        sent.append((msg.raw_message.key, msg.body))

    def encode_key(data: Any) -> bytes:
        return _avro_write(KEY_SCHEMA, data) if wire == "avro" else json.dumps(data).encode()

    def encode_order(data: Any) -> Any:
        return _avro_write(ORDER_SCHEMA, data) if wire == "avro" else data

    headers = {"content-type": "application/vnd.apache.avro"} if wire == "avro" else {}

    async def scenario() -> None:
        async with TestKafkaBroker(client.kafka):
            order = models.Order(item="tea", quantity=2)
            await client.place_order(order, key=models.OrderKey(region="EU", id=7))
            await client.place_order(order)  # no key: a record without one
        async with TestKafkaBroker(server.kafka):
            for key in ({"region": "US", "id": 9}, None):
                await server.kafka.publish(
                    encode_order({"item": "cake", "quantity": 1}),
                    TOPIC,
                    key=None if key is None else encode_key(key),
                    headers=headers,
                )
            # a key that is not the key schema's: refused, the handler is not called
            await server.kafka.publish(
                encode_order({"item": "bad", "quantity": 1}),
                TOPIC,
                key=b"\xff\xff" if wire == "avro" else b'{"region": "MARS"}',
                headers=headers,
            )

    asyncio.run(scenario())
    # the client: the key on the wire as the content type says (read with fastavro / json)
    (first_key, _), (second_key, _) = sent
    assert first_key is not None
    decoded = _avro_read(KEY_SCHEMA, first_key) if wire == "avro" else json.loads(first_key)
    assert decoded == {"region": "EU", "id": 7}
    assert not second_key  # None on a real broker; TestKafkaBroker records it as b""
    # the server's handler: a typed OrderKey, or None for a record without a key
    assert [(m.item, k) for m, k in seen][1:] == [("cake", None)]
    key = seen[0][1]
    assert type(key).__name__ == "OrderKey"
    assert (key.region.value, key.id) == ("US", 9)
    assert len(seen) == 2


def test_a_request_carries_its_typed_key(tmp_path: Path) -> None:
    """The keyed message as a request (a copy adding a reply): ``key=`` reaches the wire too."""
    from faststream.kafka import KafkaMessage, TestKafkaBroker

    doc = yaml.safe_load(SPEC.read_text(encoding="utf-8"))
    doc["channels"]["receipts"] = {
        "address": "twinspec.keyed.receipts",
        "messages": {"receipt": {"$ref": "#/components/messages/receipt"}},
    }
    doc["components"]["messages"]["receipt"] = {
        "contentType": "application/json",
        "payload": {"type": "object", "properties": {"ok": {"type": "boolean"}}},
    }
    doc["operations"]["placeOrder"]["reply"] = {"channel": {"$ref": "#/channels/receipts"}}
    spec = tmp_path / "keyed-request.yaml"
    spec.write_text(yaml.safe_dump(doc), encoding="utf-8")
    generate(spec, "stream-client", tmp_path / "client", package="keyed_request")
    sys.path.insert(0, str(tmp_path / "client"))
    try:
        client = importlib.import_module("keyed_request_client.brokers")
        models = importlib.import_module("keyed_request_client.models")
        keys: list[Any] = []

        @client.kafka.subscriber(TOPIC, no_reply=True)  # type: ignore[untyped-decorator]
        async def replier(body: Any, msg: KafkaMessage) -> None:
            keys.append(_avro_read(KEY_SCHEMA, msg.raw_message.key))
            await client.kafka.publish(
                {"ok": True}, "twinspec.keyed.receipts", correlation_id=msg.correlation_id
            )

        async def scenario() -> Any:
            async with TestKafkaBroker(client.kafka):
                return await client.place_order(
                    models.Order(item="tea", quantity=1),
                    key=models.OrderKey(region="US", id=3),
                    timeout=5,
                )

        reply = asyncio.run(scenario())
    finally:
        sys.path.remove(str(tmp_path / "client"))
    assert keys == [{"region": "US", "id": 3}]
    assert reply.ok is True
