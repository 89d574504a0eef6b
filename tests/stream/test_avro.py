"""Avro payloads: typed from the Avro schema, and binary Avro on the wire when the content type says so.

``tests/data/avro/orders-avro.yaml`` is a Kafka document whose message is a
binary Avro record (``contentType: application/vnd.apache.avro``) with logical
types, an enum, nested records, an array, a map and unions. Kafka has no broker
here: the end-to-end test runs through FastStream's in-memory ``TestKafkaBroker``.
"""

from __future__ import annotations

import asyncio
import datetime
import decimal
import importlib
import io
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from generator.drive.spec import plan_target
from tests.shared_corpus import CORPUS, needs_corpus
from tests.stream.conftest import write_plan

DATA = Path(__file__).resolve().parents[1] / "data" / "avro"
ORDERS = DATA / "orders-avro.yaml"


def _avro_schema() -> Any:
    document = yaml.safe_load(ORDERS.read_text(encoding="utf-8"))
    return document["components"]["messages"]["orderPlaced"]["payload"]["schema"]


@pytest.fixture(scope="module")
def orders(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Any, Any]]:
    """The generated server and client of the Avro document, imported (brokers modules)."""
    root = tmp_path_factory.mktemp("avro-orders")
    for target, package in (
        ("stream-server", "avro_orders"),
        ("stream-client", "avro_orders_client"),
    ):
        plan, diagnostics = plan_target(ORDERS, target, package=package)
        assert plan is not None, [d.to_text() for d in diagnostics]
        assert not [d for d in diagnostics if d.code.startswith(("avro", "stream-raw"))]
        write_plan(plan, root / target)
        sys.path.insert(0, str(root / target))
    try:
        yield (
            importlib.import_module("avro_orders.brokers"),
            importlib.import_module("avro_orders_client.brokers"),
        )
    finally:
        for target in ("stream-server", "stream-client"):
            sys.path.remove(str(root / target))


def test_avro_record_becomes_typed_models(orders: tuple[Any, Any]) -> None:
    server, _ = orders
    from avro_orders import models

    fields = models.OrderPlaced.model_fields
    assert fields["order_id"].annotation is uuid.UUID
    assert fields["placed_at"].annotation is datetime.datetime
    assert fields["delivery_date"].annotation == datetime.date | None
    assert fields["lines"].annotation == list[models.OrderLine]
    assert fields["customer"].annotation == models.Customer | None
    assert fields["attributes"].annotation == dict[str, str]
    assert [m.value for m in models.OrderStatus] == ["PLACED", "PAID", "SHIPPED"]
    assert models.OrderPlaced.__doc__ == "An order was placed."
    # Avro ints are 32-bit, records have exactly their fields, fields without default are required
    good = {
        "orderId": str(uuid.uuid4()),
        "placedAt": "2026-01-02T03:04:05.678Z",
        "total": "12.50",
        "status": "PAID",
        "lines": [{"sku": "a", "quantity": 2}],
    }
    message = server.messages.ORDER_PLACED.validate(good)
    assert message.attributes == {} and message.customer is None
    for bad in (
        {**good, "lines": [{"sku": "a", "quantity": 2**31}]},
        {**good, "extra": 1},
        {k: v for k, v in good.items() if k != "status"},
        {**good, "status": "LOST"},
        {**good, "total": "12,50"},
    ):
        with pytest.raises(ValueError):
            server.messages.ORDER_PLACED.validate(bad)


def test_avro_binary_round_trip_through_the_in_memory_kafka_broker(
    orders: tuple[Any, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The generated client publishes a typed record; the server's handler gets it typed."""
    from fastavro import parse_schema, schemaless_reader
    from faststream.kafka import KafkaMessage, TestKafkaBroker

    server, client = orders
    from avro_orders import models
    from avro_orders_client import models as client_models

    seen: list[Any] = []
    wire: list[tuple[bytes, str | None]] = []

    async def handler(message: Any) -> None:  # what a user's handlers.receive_order_placed does
        seen.append(message)

    monkeypatch.setattr(server, "receive_order_placed_kafka_handler", handler)
    monkeypatch.setattr(client, "kafka", server.kafka)  # the client's records reach the server

    @server.kafka.subscriber("orders.placed", group_id="wire-tap")  # type: ignore[untyped-decorator]
    async def tap(msg: KafkaMessage) -> None:
        wire.append((msg.body, msg.headers.get("content-type")))

    order_id = uuid.uuid4()
    sent = client_models.OrderPlaced(
        order_id=order_id,
        placed_at=datetime.datetime(2026, 1, 2, 3, 4, 5, 678000, tzinfo=datetime.timezone.utc),
        delivery_date=datetime.date(2026, 1, 9),
        total="1234.50",
        status=client_models.OrderStatus.PAID,
        lines=[client_models.OrderLine(sku="sku-1", quantity=3, note="gift")],
        attributes={"channel": "web"},
        customer=client_models.Customer(id=2**40, email="a@example.com"),
    )

    async def scenario() -> None:
        async with TestKafkaBroker(server.kafka):
            await client.receive_order_placed(sent)

    asyncio.run(scenario())
    assert len(seen) == 1
    got = seen[0]
    assert isinstance(got, models.OrderPlaced)
    assert got.order_id == order_id
    assert got.placed_at == sent.placed_at
    assert got.delivery_date == datetime.date(2026, 1, 9)
    assert got.total == "1234.50"
    assert got.status is models.OrderStatus.PAID
    assert [(line.sku, line.quantity, line.note) for line in got.lines] == [("sku-1", 3, "gift")]
    assert got.attributes == {"channel": "web"}
    assert got.customer is not None and got.customer.id == 2**40
    # on the wire: Avro's binary encoding (read back here by fastavro alone), not JSON
    assert len(wire) == 1
    body, content_type = wire[0]
    assert content_type == "application/vnd.apache.avro"
    assert not body.lstrip().startswith(b"{")
    record = schemaless_reader(io.BytesIO(body), parse_schema(_avro_schema()), None)
    assert record["orderId"] == order_id
    assert record["total"] == decimal.Decimal("1234.50")
    assert record["status"] == "PAID"
    assert record["customer"] == {"id": 2**40, "email": "a@example.com"}


def test_bytes_that_are_not_the_record_are_refused_not_raised(orders: tuple[Any, Any]) -> None:
    server, _ = orders
    decoder = server.messages.PLACED_INBOUND
    with pytest.raises(server.messages.DecodeError, match="orderPlaced"):
        decoder.decode(b"\x02\x00garbage")


def test_avro_json_wire_needs_no_avro_codec(tmp_path: Path) -> None:
    """An Avro schema on a JSON message: typed models, JSON on the wire, no fastavro needed."""
    text = ORDERS.read_text(encoding="utf-8").replace(
        "contentType: application/vnd.apache.avro", "contentType: application/json"
    )
    spec = tmp_path / "orders-json.yaml"
    spec.write_text(text, encoding="utf-8")
    plan, diagnostics = plan_target(spec, "stream-server")
    assert plan is not None, diagnostics
    files = {str(f.path): f.content for f in plan.files}
    assert not any(path.endswith("/avro.py") for path in files)
    assert "fastavro" not in files["pyproject.toml"]
    models = next(content for path, content in files.items() if path.endswith("/models.py"))
    assert "class OrderPlaced(" in models and "order_id: uuid.UUID" in models


def test_invalid_avro_schema_is_a_located_warning(tmp_path: Path) -> None:
    spec = tmp_path / "bad.yaml"
    spec.write_text(
        "asyncapi: 2.6.0\ninfo: {title: Bad, version: '1'}\n"
        "channels:\n  c:\n    subscribe:\n      message:\n"
        "        schemaFormat: application/vnd.apache.avro;version=1.9.0\n"
        "        payload: {type: record, name: R, fields: [{name: a, type: Nope}]}\n",
        encoding="utf-8",
    )
    plan, diagnostics = plan_target(spec, "stream-server")
    assert plan is not None
    found = [d for d in diagnostics if d.code == "avro-schema"]
    assert len(found) == 1 and found[0].line == 8, diagnostics  # the payload's line
    assert not [d for d in diagnostics if d.code == "stream-raw-payload"]
    assert "not a valid Avro schema" in found[0].message and "Nope" in found[0].message


@needs_corpus
def test_corpus_avro_documents_get_typed_models() -> None:
    """The corpus' streetlights Avro document (3.0 multi-format payload and headers)."""
    spec = CORPUS / "asyncapi" / "spec-json-schemas-testdocs-3.0.0" / "streetlights-avro.json"
    # its Avro-ReferencedSchema names a file the corpus does not ship: generate despite it
    plan, _ = plan_target(spec, "stream-server", allow_invalid=True)
    assert plan is not None
    models = next(f.content for f in plan.files if str(f.path).endswith("/models.py"))
    for line in (
        "class User(ApiModel):",
        "email_addresses: list[EmailAddress]",
        "class OAuthStatus(",
        "class UserSignedUpHeaders(ApiModel):",
        "application_instance_id: str",
    ):
        assert line in models
    messages = next(f.content for f in plan.files if str(f.path).endswith("/messages.py"))
    assert "MessageType[User]" in messages


@pytest.mark.parametrize("suffix", ["", "+json", "+yaml"])
def test_asyncapi_2_message_schema_format_is_typed(tmp_path: Path, suffix: str) -> None:
    """2.x: ``message.schemaFormat`` names Avro and ``payload`` is the Avro schema itself."""
    spec = tmp_path / "v2.yaml"
    spec.write_text(
        "asyncapi: 2.6.0\ninfo: {title: Users, version: '1'}\n"
        "channels:\n  users:\n    subscribe:\n      message:\n"
        f"        schemaFormat: application/vnd.apache.avro{suffix};version=1.9.0\n"
        "        contentType: avro/binary\n"
        "        payload:\n"
        "          type: record\n          name: UserCreated\n"
        "          fields:\n"
        "            - {name: id, type: long}\n"
        "            - {name: tags, type: {type: array, items: string}}\n",
        encoding="utf-8",
    )
    plan, diagnostics = plan_target(spec, "stream-server")
    assert plan is not None, diagnostics
    files = {str(f.path): f.content for f in plan.files}
    models = next(c for p, c in files.items() if p.endswith("/models.py"))
    assert "class UserCreated(ApiModel):" in models and "tags: list[str]" in models
    messages = next(c for p, c in files.items() if p.endswith("/messages.py"))
    assert "MessageType[UserCreated]" in messages
    assert "avro=AvroCodec(" in messages  # contentType avro/binary: binary Avro on the wire
    assert '"fastavro>=1.9,<2"' in files["pyproject.toml"]


def test_hostile_avro_text_stays_data(tmp_path: Path) -> None:
    """Avro names, docs, symbols and defaults carrying code never become code (canary stays off)."""
    from tests.hostile.harness import (
        PAYLOADS,
        compile_errors,
        import_and_serve,
        materialise,
        ruff_check,
        write_spec,
    )

    fields = [
        {"name": f"f{i}", "doc": text, "type": "string", "default": text}
        for i, text in enumerate(PAYLOADS.values())
    ]
    fields.append({"name": 'x"; import os #', "type": "int"})
    schema = {
        "type": "record",
        "name": 'R"""x',
        "doc": PAYLOADS["triple-double"],
        "fields": fields,
    }
    doc = {
        "asyncapi": "3.0.0",
        "info": {"title": "Hostile Avro", "version": "1"},
        "servers": {"k": {"host": "localhost:9092", "protocol": "kafka"}},
        "channels": {
            "c": {
                "address": "c",
                "messages": {
                    "m": {
                        "contentType": "application/vnd.apache.avro",
                        "payload": {
                            "schemaFormat": "application/vnd.apache.avro;version=1.9.0",
                            "schema": schema,
                        },
                    }
                },
            }
        },
        "operations": {"r": {"action": "receive", "channel": {"$ref": "#/channels/c"}}},
    }
    spec = write_spec(tmp_path, "hostile.yaml", doc)
    # validate refuses the names; generating anyway (allow_invalid) must still be safe
    plan, diagnostics = plan_target(spec, "stream-server", allow_invalid=True)
    assert plan is not None, [d.to_text() for d in diagnostics]
    assert compile_errors(plan) == {}
    out = tmp_path / "out"
    materialise(plan, out)
    assert ruff_check(out).returncode == 0
    result = import_and_serve(out, tmp_path / "canary")
    assert not result.canary_fired, result.describe()
    assert any(name.endswith(".avro") for name in result.imported), result.describe()
