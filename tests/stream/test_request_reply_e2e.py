"""Request/reply over the real brokers: generated client -> generated server -> reply, correlated.

``tests/data/stream/request_reply.yaml`` declares two requests: ``add`` (AsyncAPI 3
``reply.address.location: $message.header#/replyTo``, correlation ID in the
``correlationId`` header) and ``echo`` (a fixed reply channel, correlation ID in
the payload's ``requestId``). Each test starts the generated server's and the
generated client's broker for one family (Mosquitto, RabbitMQ, NATS, Redis on
this machine; under ``CI=true`` a missing broker fails) and checks: typed
replies to concurrent requests each reach their own caller, and a requester
written by hand from the document (not generated) gets its reply at the address
it named with its correlation ID copied. Kafka has no broker here: its test
runs each side against FastStream's in-memory ``TestKafkaBroker`` and says so.
"""

from __future__ import annotations

import asyncio
import dataclasses
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Annotated, Any

import pytest
from faststream import Context

from tests.stream.conftest import generate
from tests.stream.test_brokers_e2e import require_broker

pytestmark = [pytest.mark.broker, pytest.mark.timeout(120)]

SPEC = Path(__file__).resolve().parents[1] / "data" / "stream" / "request_reply.yaml"

SERVER_HANDLERS = '''
"""Test handlers: add the numbers, shout the text back."""

from __future__ import annotations

from .defaults import DefaultHandlers
from .models import Echo, Echoed, Result, Sum


class Handlers(DefaultHandlers):
    async def add(self, message: Sum) -> Result:
        return Result(result=sum(message.numbers))

    async def echo(self, message: Echo) -> Echoed:
        return Echoed(request_id=message.request_id or "", text=message.text.upper())
'''

PORTS = {"mosquitto": 1883, "rabbit": 5672, "nats": 4222, "redis": 6379}


@pytest.fixture(scope="module")
def sides(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[ModuleType, ModuleType]]:
    """The generated server's and client's ``brokers`` modules (server with the handlers above)."""
    root = tmp_path_factory.mktemp("request-reply")
    server = generate(SPEC, "stream-server", root / "server")
    client = generate(SPEC, "stream-client", root / "client")
    (server / "calculator" / "handlers.py").write_text(SERVER_HANDLERS)
    sys.path[:0] = [str(server), str(client)]
    import calculator.brokers as server_brokers  # type: ignore[import-not-found]
    import calculator_client.brokers as client_brokers  # type: ignore[import-not-found]

    yield server_brokers, client_brokers
    sys.path.remove(str(server))
    sys.path.remove(str(client))


def only(module: ModuleType, server: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Make ``module`` use broker ``server`` alone (as ``--servers NAME`` would)."""
    settings = dataclasses.replace(module.SETTINGS, servers=frozenset({server}))
    monkeypatch.setattr(module, "SETTINGS", settings)


def raw_broker(name: str) -> Any:
    """A plain FastStream broker of the family, written by hand: the spec-following peer."""
    if name == "mosquitto":
        from faststream.mqtt import MQTTBroker

        return MQTTBroker("mqtt://127.0.0.1:1883")
    if name == "rabbit":
        from faststream.rabbit import RabbitBroker

        return RabbitBroker("amqp://guest:guest@127.0.0.1:5672/")
    if name == "nats":
        from faststream.nats import NatsBroker

        return NatsBroker("nats://127.0.0.1:4222")
    from faststream.redis import RedisBroker

    return RedisBroker("redis://127.0.0.1:6379")


def subscribe(broker: Any, name: str, address: str) -> Any:
    """``broker``'s subscriber decorator for ``address`` (a private queue for RabbitMQ)."""
    if name == "rabbit":
        from faststream.rabbit import RabbitQueue

        return broker.subscriber(RabbitQueue(address, auto_delete=True))
    if name == "redis":
        return broker.subscriber(channel=address)
    return broker.subscriber(address)


async def publish(broker: Any, name: str, data: Any, address: str, **fields: Any) -> None:
    """Publish ``data`` on the document's request address the way the family routes it."""
    if name == "rabbit":
        from faststream.rabbit import RabbitExchange

        await broker.publish(
            data, routing_key=address, exchange=RabbitExchange("amq.topic"), **fields
        )
    elif name == "redis":
        await broker.publish(data, channel=address, **fields)
    else:
        await broker.publish(data, address, **fields)


async def native_request(broker: Any, name: str, data: Any, address: str) -> Any:
    """FastStream's own ``request()``: the broker's reply-to field (MQTT 5 response topic,
    AMQP direct reply-to, a NATS inbox, FastStream's Redis envelope), no document headers."""
    if name == "rabbit":
        from faststream.rabbit import RabbitExchange

        return await broker.request(
            data, routing_key=address, exchange=RabbitExchange("amq.topic"), timeout=10
        )
    if name == "redis":
        return await broker.request(data, channel=address, timeout=10)
    return await broker.request(data, address, timeout=10)


@pytest.mark.parametrize("name", sorted(PORTS))
def test_generated_client_and_server_request_reply(
    name: str, sides: tuple[ModuleType, ModuleType], monkeypatch: pytest.MonkeyPatch
) -> None:
    require_broker(PORTS[name])
    server, client = sides
    only(server, name, monkeypatch)
    only(client, name, monkeypatch)
    from calculator.models import Result
    from calculator_client.models import Echo, Echoed, Sum
    from calculator_client.models import Result as ClientResult

    settled: list[str] = []
    settle = client._settle
    monkeypatch.setattr(client, "_settle", lambda c, d: (settled.append(c), settle(c, d)))
    peer = raw_broker(name)
    seen: list[tuple[Any, dict[str, Any], str | None]] = []
    private = f"twinspec.peer.replies.{name}"

    @subscribe(peer, name, private)  # type: ignore[untyped-decorator]
    async def peer_inbox(body: Any, message: Annotated[Any, Context("message")]) -> None:
        seen.append((body, dict(message.headers or {}), message.correlation_id))

    async def scenario() -> None:
        brokers = (getattr(server, name), getattr(client, name), peer)
        for broker in brokers:
            await broker.start()
        try:
            await asyncio.sleep(0.5)  # subscriptions settle
            # 1. three typed requests at once: each caller gets the sum of its own numbers
            sums = await asyncio.gather(
                *(client.add(Sum(numbers=[n, 10]), timeout=15) for n in (1, 2, 3))
            )
            assert all(isinstance(s, ClientResult) for s in sums)
            assert [s.result for s in sums] == [11, 12, 13]
            assert len(set(settled)) == 3  # three distinct correlation IDs came back
            # 2. correlation in the payload, reply on the fixed reply channel
            echoed = await client.echo(Echo(request_id="req-42", text="hello"), timeout=15)
            assert isinstance(echoed, Echoed)
            assert (echoed.request_id, echoed.text) == ("req-42", "HELLO")
            # 3. a requester written from the document alone: replyTo and correlationId headers
            await publish(
                peer,
                name,
                {"numbers": [20, 22]},
                "twinspec.calc.sums",
                headers={"replyTo": private, "correlationId": "peer-7"},
            )
            deadline = asyncio.get_running_loop().time() + 15
            while not seen and asyncio.get_running_loop().time() < deadline:
                await asyncio.sleep(0.05)
            assert seen, "no reply at the address the request's replyTo header named"
            body, headers, native = seen[0]
            assert Result.model_validate(body).result == 42
            assert headers.get("correlationId") == "peer-7"
            assert native == "peer-7"  # the broker's own correlation field too
            # 4. FastStream's own request/reply: answered at the broker's reply-to field
            response = await native_request(peer, name, {"numbers": [2, 3]}, "twinspec.calc.sums")
            assert Result.model_validate(await response.decode()).result == 5
        finally:
            for broker in reversed(brokers):
                await broker.stop()

    asyncio.run(scenario())


def test_kafka_request_reply_each_side_through_faststream_test_broker_in_memory(
    sides: tuple[ModuleType, ModuleType], monkeypatch: pytest.MonkeyPatch
) -> None:
    """No Kafka broker here: FastStream's TestKafkaBroker carries each side's records in memory.

    The server answers a hand-written request at its ``replyTo`` header with the
    correlation ID copied; the client's typed request is answered by a
    hand-written replier that follows the document.
    """
    from faststream.kafka import KafkaMessage, TestKafkaBroker

    server, client = sides
    only(server, "kafka", monkeypatch)
    only(client, "kafka", monkeypatch)
    from calculator_client.models import Result, Sum

    got: list[tuple[Any, dict[str, Any]]] = []

    @server.kafka.subscriber("twinspec.peer.kafka.replies")  # type: ignore[untyped-decorator]
    async def peer_inbox(body: Any, msg: KafkaMessage) -> None:
        got.append((body, dict(msg.headers)))

    asked: list[dict[str, Any]] = []

    @client.kafka.subscriber("twinspec.calc.sums", no_reply=True)  # type: ignore[untyped-decorator]
    async def peer_replier(body: Any, msg: KafkaMessage) -> None:
        headers = dict(msg.headers)
        asked.append(headers)
        await client.kafka.publish(
            {"result": sum(body["numbers"])},
            headers["replyTo"],
            headers={"correlationId": headers["correlationId"]},
        )

    async def scenario() -> None:
        async with TestKafkaBroker(server.kafka):
            await server.kafka.publish(
                {"numbers": [1, 2]},
                "twinspec.calc.sums",
                headers={"replyTo": "twinspec.peer.kafka.replies", "correlationId": "k-1"},
            )
        async with TestKafkaBroker(client.kafka):
            reply = await client.add(Sum(numbers=[5, 6]), timeout=5)
            assert isinstance(reply, Result) and reply.result == 11

    asyncio.run(scenario())
    assert len(got) == 1
    assert got[0][0] == {"result": 3}
    assert got[0][1]["correlationId"] == "k-1"
    # the client named the document's reply channel in replyTo and sent a correlation ID
    assert asked[0]["replyTo"] == "twinspec.calc.sums.replies"
    assert uuid.UUID(asked[0]["correlationId"])


@pytest.mark.parametrize("name", ["nats", "rabbit"])
def test_generated_processes_answer_the_demo_requests(
    name: str, sides: tuple[ModuleType, ModuleType]
) -> None:
    """``python -m calculator`` and ``python -m calculator_client --send-examples``, as a user runs them."""
    import subprocess
    import threading

    require_broker(PORTS[name])
    server_module, client_module = sides
    server_dir = Path(server_module.__file__).parents[1]
    client_dir = Path(client_module.__file__).parents[1]
    server = subprocess.Popen(
        [sys.executable, "-m", "calculator", "--servers", name],
        cwd=server_dir,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    client: subprocess.Popen[str] | None = None
    try:
        assert server.stdout is not None
        ready = threading.Event()

        def watch_server() -> None:
            assert server.stdout is not None
            subscribed = 0
            for line in server.stdout:
                subscribed += "waiting for messages" in line
                if subscribed == 2:  # add and echo
                    ready.set()

        threading.Thread(target=watch_server, daemon=True).start()
        assert ready.wait(30), "the generated server did not subscribe"
        client = subprocess.Popen(
            [
                sys.executable,
                *("-m", "calculator_client", "--servers", name),
                "--send-examples",
                "--log-level=info",
            ],
            cwd=client_dir,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        replies: list[str] = []
        done = threading.Event()

        def watch_client() -> None:
            assert client is not None and client.stdout is not None
            for line in client.stdout:
                if ": reply " in line:
                    replies.append(line.strip())
                    if len(replies) == 2:
                        done.set()

        threading.Thread(target=watch_client, daemon=True).start()
        assert done.wait(30), f"replies logged: {replies}"
        # the server's handlers above: the sum of the example's numbers, the example text shouted
        assert any("add: reply Result(result=" in r for r in replies)
        assert any("echo: reply Echoed(" in r for r in replies)
    finally:
        for process in (client, server):
            if process is not None:
                process.terminate()
                process.wait(timeout=15)


def test_redis_requests_queue_for_pooled_connections(
    sides: tuple[ModuleType, ModuleType], monkeypatch: pytest.MonkeyPatch
) -> None:
    """300 requests at once over real Redis, past the pool's 100 connections.

    redis-py's default pool fails the 101st concurrent command with
    ``MaxConnectionsError``; the generated brokers use a ``BlockingConnectionPool``,
    so the surplus waits for a connection and every caller gets its own reply.
    """
    require_broker(PORTS["redis"])
    server, client = sides
    only(server, "redis", monkeypatch)
    only(client, "redis", monkeypatch)
    from calculator_client.models import Sum

    assert client.SETTINGS.redis_max_connections == 100

    async def scenario() -> list[Any]:
        for broker in (server.redis, client.redis):
            await broker.start()
        try:
            await asyncio.sleep(0.3)
            return list(
                await asyncio.gather(
                    *(client.add(Sum(numbers=[n, 1]), timeout=60) for n in range(300))
                )
            )
        finally:
            for broker in (client.redis, server.redis):
                await broker.stop()

    results = asyncio.run(scenario())
    assert [r.result for r in results] == [n + 1 for n in range(300)]
