"""Channel-address parameters on broker topics, end to end, and the settings that keep them.

``tests/data/stream/topic_params.yaml`` puts ``{env}`` in a NATS subject, a
RabbitMQ routing key and a Redis channel (``twinspec.orders.{env}.created``),
an MQTT topic (``twinspec/{env}/readings``) and a Kafka topic with two
parameters (``twinspec-orders-{env}-audit-{version}``). The wildcard brokers
subscribe with their wildcard and hand the handler the value the publisher
chose; Kafka, which has none, subscribes to the address its settings give
(in FastStream's in-memory ``TestKafkaBroker``: no Kafka broker here), and the
generator says so in a located note instead of dropping the operation.
"""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from generator.drive.spec import plan_target
from tests.stream.conftest import RECORDING_HANDLERS, generate
from tests.stream.test_brokers_e2e import arrival, require_broker, started

pytestmark = [pytest.mark.broker, pytest.mark.timeout(120)]

SPEC = Path(__file__).resolve().parents[1] / "data" / "stream" / "topic_params.yaml"


@pytest.fixture(scope="module")
def sides(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[tuple[ModuleType, ModuleType, list[Any]]]:
    """Server and client ``brokers`` modules; the server's handlers record what arrives."""
    root = tmp_path_factory.mktemp("topic-params")
    server = generate(SPEC, "stream-server", root / "server")
    client = generate(SPEC, "stream-client", root / "client")
    (server / "order_feed" / "handlers.py").write_text(RECORDING_HANDLERS)
    sys.path[:0] = [str(server), str(client)]
    import order_feed.brokers as server_brokers  # type: ignore[import-not-found]
    import order_feed.handlers as seen  # type: ignore[import-not-found]
    import order_feed_client.brokers as client_brokers  # type: ignore[import-not-found]

    yield server_brokers, client_brokers, seen.RECEIVED
    sys.path.remove(str(server))
    sys.path.remove(str(client))


def test_kafka_parameters_are_a_located_note_naming_the_settings() -> None:
    plan, diagnostics = plan_target(SPEC, "stream-server")
    assert plan is not None
    notes = [d for d in diagnostics if d.code == "stream-address-setting"]
    assert len(notes) == 1
    note = notes[0]
    assert (note.pointer, note.line, note.severity.value) == ("/channels/audit", 27, "info")
    assert "ORDER_FEED_CHANNEL_ENV (default 'dev')" in note.message
    assert "ORDER_FEED_CHANNEL_VERSION (default 'v1')" in note.message
    assert not [d for d in diagnostics if d.code == "stream-unsupported-address"]
    settings = next(f.content for f in plan.files if f.path.endswith("settings.py"))
    assert 'os.environ.get("ORDER_FEED_CHANNEL_VERSION", "v1")' in settings


@pytest.mark.parametrize(
    ("names", "operation"),
    [(("nats", "rabbit", "redis"), "order_created"), (("mosquitto",), "reading")],
)
def test_wildcard_subscription_hands_the_parameter_to_the_handler(
    names: tuple[str, ...], operation: str, sides: tuple[ModuleType, ModuleType, list[Any]]
) -> None:
    """A publish goes out on every broker carrying the channel; each server subscription hears it."""
    ports = {"nats": 4222, "rabbit": 5672, "redis": 6379, "mosquitto": 1883}
    for name in names:
        require_broker(ports[name])
    server, client, seen = sides
    seen.clear()
    from order_feed.models import Order
    from order_feed_client.models import Order as ClientOrder

    def arrived(order_id: str) -> list[Any]:
        return [i for i in seen if i[1].id == order_id]

    async def scenario() -> None:
        brokers = [getattr(m, n) for n in names for m in (server, client)]
        async with started(*brokers):
            send = getattr(client, operation)
            await send(ClientOrder(id="o-1", total=9.5), env="prod")
            await send(ClientOrder(id="o-2"))  # no argument: the setting's value
            for order_id in ("o-1", "o-2"):
                await arrival(seen, lambda i, o=order_id: len(arrived(o)) == len(names))

    asyncio.run(scenario())
    first = arrived("o-1")
    assert all(isinstance(i[1], Order) and i[1].total == 9.5 for i in first)
    assert [i[2] for i in first] == [{"env": "prod"}] * len(names)
    assert [i[2] for i in arrived("o-2")] == [{"env": "dev"}] * len(names)
    assert {i[0] for i in seen} == {operation}


def test_kafka_topic_from_settings_through_faststream_test_broker_in_memory(
    sides: tuple[ModuleType, ModuleType, list[Any]],
) -> None:
    """No Kafka broker here: TestKafkaBroker carries the records in memory, one side at a time."""
    from faststream.kafka import TestKafkaBroker

    server, client, seen = sides
    seen.clear()
    from order_feed_client.models import Order as ClientOrder

    topics: list[tuple[str, Any]] = []

    def spy(topic: str) -> None:
        async def heard(body: Any) -> None:
            topics.append((topic, body))

        client.kafka.subscriber(topic)(heard)

    spy("twinspec-orders-prod-audit-v2")
    spy("twinspec-orders-dev-audit-v1")

    async def scenario() -> None:
        async with TestKafkaBroker(server.kafka):
            # the server subscribes to the topic its settings name, and hands the handler their values
            await server.kafka.publish({"id": "k-1"}, "twinspec-orders-dev-audit-v1")
            await arrival(seen, lambda i: i[1].id == "k-1")
        async with TestKafkaBroker(client.kafka):
            # the client's publisher takes typed parameters, defaulting to its settings
            await client.order_audited(ClientOrder(id="k-2"), env="prod", version="v2")
            await client.order_audited(ClientOrder(id="k-3"))

    asyncio.run(scenario())
    assert [(i[0], i[1].id, i[2]) for i in seen] == [
        ("order_audited", "k-1", {"env": "dev", "version": "v1"})
    ]
    assert topics == [
        ("twinspec-orders-prod-audit-v2", {"id": "k-2"}),
        ("twinspec-orders-dev-audit-v1", {"id": "k-3"}),
    ]
