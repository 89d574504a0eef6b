"""End to end through the real brokers on this machine: generated client <-> generated server.

Mosquitto (1883), RabbitMQ (5672), NATS (4222) and Redis (6379) must be
running; under ``CI=true`` a missing broker fails the test instead of skipping
it. Kafka has no broker here: it runs through FastStream's in-memory
``TestKafkaBroker`` (said so in the test name).
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import socket
from collections.abc import Callable
from typing import Any

import pytest

pytestmark = [pytest.mark.broker, pytest.mark.timeout(120)]


def require_broker(port: int) -> None:
    """Skip without the broker on a developer machine; fail under CI=true."""
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=2):
            return
    except OSError:
        message = f"no broker on 127.0.0.1:{port}"
        if os.environ.get("CI") == "true":
            pytest.fail(message + " (CI=true: broker tests must run)")
        pytest.skip(message)


async def arrival(
    received: list[Any], predicate: Callable[[Any], bool], timeout: float = 15.0
) -> Any:
    """The first recorded ``(operation, message, params)`` matching ``predicate``."""
    deadline = asyncio.get_running_loop().time() + timeout
    while asyncio.get_running_loop().time() < deadline:
        for item in received:
            if predicate(item):
                return item
        await asyncio.sleep(0.05)
    raise AssertionError(f"nothing matching arrived within {timeout}s; got {received!r}")


@contextlib.asynccontextmanager
async def started(*brokers: Any) -> Any:
    for broker in brokers:
        await broker.start()
    try:
        await asyncio.sleep(0.5)  # subscriptions settle
        yield
    finally:
        for broker in brokers:
            await broker.stop()


def sides(projects: Any) -> tuple[Any, Any, Any, Any]:
    import sensor_hub.brokers as server
    import sensor_hub.handlers as server_seen
    import sensor_hub_client.brokers as client
    import sensor_hub_client.handlers as client_seen

    server_seen.RECEIVED.clear()
    client_seen.RECEIVED.clear()
    return server, server_seen.RECEIVED, client, client_seen.RECEIVED


def test_mqtt_both_directions_typed_with_topic_parameters(projects: Any) -> None:
    require_broker(1883)
    server, server_seen, client, client_seen = sides(projects)
    from sensor_hub.models import Command as ServerCommand
    from sensor_hub.models import Reading
    from sensor_hub_client.models import Command
    from sensor_hub_client.models import Reading as ClientReading

    async def scenario() -> None:
        async with started(server.mosquitto, client.mosquitto):
            # junk on the topic is refused by the server; a valid reading after it still arrives
            await client.mosquitto.publish({"sensorId": 1}, "sensors/s-9/temperature")
            await client.receive_temperature(
                ClientReading(sensor_id="s-9", value=21.5, unit="C"), sensor_id="s-9"
            )
            _name, message, params = await arrival(
                server_seen, lambda i: i[0] == "receive_temperature"
            )
            assert isinstance(message, Reading)
            assert (message.sensor_id, message.value, message.unit.value) == ("s-9", 21.5, "C")
            assert params == {"sensor_id": "s-9"}
            assert len([i for i in server_seen if i[0] == "receive_temperature"]) == 1

            await server.send_command(
                ServerCommand(sensor_id="s-9", action="reboot"), sensor_id="s-9"
            )
            _, command, params = await arrival(client_seen, lambda i: i[0] == "send_command")
            assert isinstance(command, Command) and command.action.value == "reboot"
            assert params == {"sensor_id": "s-9"}

    asyncio.run(scenario())


def test_amqp_alert_arrives_typed_with_routing_key_parameter(projects: Any) -> None:
    require_broker(5672)
    server, server_seen, client, _ = sides(projects)
    from sensor_hub.models import Alert
    from sensor_hub_client.models import Alert as ClientAlert

    async def scenario() -> None:
        async with started(server.rabbit, client.rabbit):
            alert = ClientAlert(sensor_id="s-2", severity="critical", message="Overheating")
            await client.receive_alert(alert, severity="critical")
            _, message, params = await arrival(server_seen, lambda i: i[0] == "receive_alert")
            assert isinstance(message, Alert)
            assert (message.sensor_id, message.severity.value, message.message) == (
                "s-2",
                "critical",
                "Overheating",
            )
            assert params == {"severity": "critical"}

    asyncio.run(scenario())


def test_nats_humidity_arrives_typed_with_subject_parameter(projects: Any) -> None:
    require_broker(4222)
    server, server_seen, client, _ = sides(projects)
    from sensor_hub.models import Reading
    from sensor_hub_client.models import Reading as ClientReading

    async def scenario() -> None:
        async with started(server.nats, client.nats):
            await client.receive_humidity(
                ClientReading(sensor_id="s-3", value=55.0, unit="%"), sensor_id="s-3"
            )
            _, message, params = await arrival(server_seen, lambda i: i[0] == "receive_humidity")
            assert isinstance(message, Reading) and message.unit.value == "%"
            assert params == {"sensor_id": "s-3"}

    asyncio.run(scenario())


def test_redis_status_arrives_typed_at_the_client(projects: Any) -> None:
    require_broker(6379)
    server, _, client, client_seen = sides(projects)
    from sensor_hub.models import StatusEvent as ServerStatusEvent
    from sensor_hub_client.models import StatusEvent

    async def scenario() -> None:
        async with started(server.redis, client.redis):
            await server.send_status(ServerStatusEvent(sensor_id="s-4", status="offline"))
            _, message, _ = await arrival(client_seen, lambda i: i[0] == "send_status")
            assert isinstance(message, StatusEvent)
            assert (message.sensor_id, message.status.value) == ("s-4", "offline")

    asyncio.run(scenario())


def test_kafka_through_faststream_test_broker_in_memory(projects: Any) -> None:
    """No Kafka broker here: FastStream's TestKafkaBroker carries the record in memory."""
    from faststream.kafka import KafkaMessage, TestKafkaBroker

    server, _, _client, _ = sides(projects)
    from sensor_hub.models import AuditRecord
    from sensor_hub_client import messages as client_messages
    from sensor_hub_client.models import AuditRecord as ClientAuditRecord

    got: list[tuple[Any, bytes | None]] = []

    @server.kafka.subscriber("sensor-audit")  # type: ignore[untyped-decorator]
    async def audit_sink(body: Any, msg: KafkaMessage) -> None:
        got.append((client_messages.AUDIT_OUTBOUND.decode(body).value, msg.raw_message.key))

    async def scenario() -> None:
        async with TestKafkaBroker(server.kafka):
            await server.send_audit(AuditRecord(sensor_id="s-5", action="calibrate", by="op"))

    asyncio.run(scenario())
    assert len(got) == 1
    record, key = got[0]
    assert isinstance(record, ClientAuditRecord) and record.by == "op"
    assert key == b"s-5"  # the x-twinspec-key binding: the record key is the sensorId


REDIS_STREAM_SPEC = """
asyncapi: 3.0.0
info: {title: Stream Log, version: '1.0'}
servers:
  cache: {host: 'localhost:6379', protocol: redis}
channels:
  log:
    address: twinspec-e2e-log
    x-twinspec-redis: {mode: stream}
    messages:
      entry:
        payload:
          type: object
          required: [line]
          properties: {line: {type: string}}
operations:
  sendEntry:
    action: send
    channel: {$ref: '#/channels/log'}
"""


def test_redis_stream_mode_extension(tmp_path: Any) -> None:
    """``x-twinspec-redis: {mode: stream}`` publishes to and reads from a Redis stream."""
    require_broker(6379)
    import importlib
    import sys

    from generator.drive.spec import plan_target

    spec = tmp_path / "log.yaml"
    spec.write_text(REDIS_STREAM_SPEC, encoding="utf-8")
    for target, package in (("stream-server", "e2e_log"), ("stream-client", "e2e_log_client")):
        plan, diagnostics = plan_target(spec, target, package=package)
        assert plan is not None, diagnostics
        for item in plan.files:
            (tmp_path / target / item.path).parent.mkdir(parents=True, exist_ok=True)
            (tmp_path / target / item.path).write_text(item.content, encoding="utf-8")
        source = (tmp_path / target / package / "brokers.py").read_text()
        assert "StreamSub(" in source or "stream=" in source
        sys.path.insert(0, str(tmp_path / target))
    server = importlib.import_module("e2e_log.brokers")
    client = importlib.import_module("e2e_log_client.brokers")
    seen: list[Any] = []

    async def record(message: Any) -> None:
        seen.append(message)

    client.send_entry_cache_handler = record  # what a user's handlers.send_entry would be

    async def scenario() -> None:
        async with started(server.cache, client.cache):
            await server.send_entry(server.messages.ENTRY.validate({"line": "hello stream"}))
            for _ in range(200):
                if seen:
                    break
                await asyncio.sleep(0.05)

    asyncio.run(scenario())
    assert [m.line for m in seen] == ["hello stream"]
