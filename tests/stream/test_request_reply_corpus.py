"""Request/reply from real documents of the corpus, end to end.

- ``forsakringskassan-rimfrost-process``: an AsyncAPI 3 ``reply`` with
  ``address.location: $message.header#/replyTo`` and a reply channel. The
  document names no servers, so the test adds one NATS server (in a temporary
  copy; the corpus file is read, never changed) and runs the generated client
  against the generated server over the NATS broker on this machine, plus a
  requester written by hand from the document.
- ``adeo-kafka-request-reply`` (spec-examples 3.0.0): ``REPLY_TOPIC`` and
  ``REQUEST_ID`` headers, and ``{env}``/``{version}`` in both Kafka topics. Its
  Avro payloads are ``$ref``s to https URLs, which twinspec never fetches: the
  temporary copy replaces those three refs with small JSON schemas. No Kafka
  broker here: each generated side runs against FastStream's in-memory
  ``TestKafkaBroker`` with a hand-written peer that follows the document.
"""

from __future__ import annotations

import asyncio
import shutil
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Annotated, Any

import pytest
import yaml
from faststream import Context

from tests.shared_corpus import CORPUS, HAS_CORPUS, MISSING, needs_corpus
from tests.stream.conftest import generate
from tests.stream.test_brokers_e2e import require_broker

pytestmark = [
    needs_corpus,
    pytest.mark.broker,
    pytest.mark.timeout(120),
    pytest.mark.skipif(not HAS_CORPUS, reason=MISSING),
]

RIMFROST = CORPUS / "asyncapi" / "forsakringskassan-rimfrost-process"
ADEO = CORPUS / "asyncapi" / "spec-examples-3.0.0" / "adeo-kafka-request-reply-asyncapi.yml"

RIMFROST_HANDLERS = '''
"""Test handler: answer each request with a decision for the same case."""

from __future__ import annotations

from .defaults import DefaultHandlers
from .models import HandlaggningRequestMessage, HandlaggningResponseMessage


class Handlers(DefaultHandlers):
    async def handlaggning_request(
        self, message: HandlaggningRequestMessage
    ) -> HandlaggningResponseMessage:
        case = message.data.get("handlaggningId")
        return HandlaggningResponseMessage(data={"handlaggningId": case, "resultat": "GODKAND"})
'''

ADEO_HANDLERS = '''
"""Test handler: the cost is the number of items."""

from __future__ import annotations

from .defaults import DefaultHandlers
from .models import CostingRequestV1, CostingResponse

SEEN: list[dict[str, str]] = []


class Handlers(DefaultHandlers):
    async def request_costing(
        self, message: CostingRequestV1, *, env: str, version: str
    ) -> CostingResponse:
        SEEN.append({"env": env, "version": version})
        return CostingResponse(total=len(message.items))
'''


def _load(root: Path, handlers: str, package: str) -> tuple[ModuleType, ModuleType]:
    server = root / "server"
    client = root / "client"
    (server / package / "handlers.py").write_text(handlers)
    sys.path[:0] = [str(server), str(client)]
    server_brokers = __import__(f"{package}.brokers", fromlist=["x"])
    client_brokers = __import__(f"{package}_client.brokers", fromlist=["x"])
    return server_brokers, client_brokers


@pytest.fixture(scope="module")
def rimfrost(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[ModuleType, ModuleType]]:
    root = tmp_path_factory.mktemp("rimfrost")
    copy = root / "spec"
    shutil.copytree(RIMFROST, copy)
    doc = yaml.safe_load((copy / "asyncapi.yaml").read_text(encoding="utf-8"))
    doc["servers"] = {"nats": {"host": "127.0.0.1:4222", "protocol": "nats"}}
    (copy / "asyncapi.yaml").write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    generate(copy / "asyncapi.yaml", "stream-server", root / "server")
    generate(copy / "asyncapi.yaml", "stream-client", root / "client")
    yield _load(root, RIMFROST_HANDLERS, "rimfrost_process_async_api")
    sys.path[:] = [p for p in sys.path if not p.startswith(str(root))]


def test_rimfrost_reply_to_header_over_nats(rimfrost: tuple[ModuleType, ModuleType]) -> None:
    require_broker(4222)
    server, client = rimfrost
    from faststream.nats import NatsBroker
    from rimfrost_process_async_api_client.models import (  # type: ignore[import-not-found]
        HandlaggningRequestMessage,
        HandlaggningResponseMessage,
    )

    peer = NatsBroker("nats://127.0.0.1:4222")
    seen: list[tuple[Any, str | None]] = []

    @peer.subscriber("rimfrost.peer.inbox")  # type: ignore[untyped-decorator]
    async def inbox(body: Any, message: Annotated[Any, Context("message")]) -> None:
        seen.append((body, message.correlation_id))

    async def scenario() -> None:
        brokers = (server.nats, client.nats, peer)
        for broker in brokers:
            await broker.start()
        try:
            await asyncio.sleep(0.3)
            reply = await client.handlaggning_request(
                HandlaggningRequestMessage(data={"handlaggningId": "case-1"}), timeout=15
            )
            assert isinstance(reply, HandlaggningResponseMessage)
            assert reply.data == {"handlaggningId": "case-1", "resultat": "GODKAND"}
            # the document's own contract: the reply goes to the topic in the replyTo header
            await peer.publish(
                {"data": {"handlaggningId": "case-2"}},
                "handlaggning.requests",
                headers={"replyTo": "rimfrost.peer.inbox"},
                correlation_id="corr-2",
            )
            deadline = asyncio.get_running_loop().time() + 15
            while not seen and asyncio.get_running_loop().time() < deadline:
                await asyncio.sleep(0.05)
        finally:
            for broker in reversed(brokers):
                await broker.stop()

    asyncio.run(scenario())
    assert seen == [({"data": {"handlaggningId": "case-2", "resultat": "GODKAND"}}, "corr-2")]


@pytest.fixture(scope="module")
def adeo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[ModuleType, ModuleType]]:
    root = tmp_path_factory.mktemp("adeo")
    doc = yaml.safe_load(ADEO.read_text(encoding="utf-8"))
    found = doc["components"]["messages"]
    found["costingRequestV1"]["payload"] = {
        "type": "object",
        "required": ["items"],
        "properties": {"items": {"type": "array", "items": {"type": "string"}}},
    }
    found["costingResponse"]["payload"] = {
        "type": "object",
        "required": ["total"],
        "properties": {"total": {"type": "number"}},
    }
    del found["costingResponse"]["bindings"]
    spec = root / "adeo.yaml"
    spec.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    generate(spec, "stream-server", root / "server", package="adeo")
    generate(spec, "stream-client", root / "client", package="adeo")
    yield _load(root, ADEO_HANDLERS, "adeo")
    sys.path[:] = [p for p in sys.path if not p.startswith(str(root))]


REQUESTS = "adeo-dev-case-study-COSTING-REQUEST-V1"  # {env}: the enum's first value; {version}: V1
RESPONSES = "adeo-dev-case-study-COSTING-RESPONSE-V1"


def test_adeo_kafka_request_reply_through_faststream_test_broker_in_memory(
    adeo: tuple[ModuleType, ModuleType],
) -> None:
    """No Kafka broker here: TestKafkaBroker carries each side's records in memory."""
    from faststream.kafka import KafkaMessage, TestKafkaBroker

    server, client = adeo
    server_kafka, client_kafka = server.BROKERS[0], client.BROKERS[0]
    answered: list[tuple[Any, dict[str, Any]]] = []

    @server_kafka.subscriber("adeo-peer-replies")  # type: ignore[untyped-decorator]
    async def peer_inbox(body: Any, msg: KafkaMessage) -> None:
        answered.append((body, dict(msg.headers)))

    asked: list[dict[str, Any]] = []

    @client_kafka.subscriber(REQUESTS, no_reply=True)  # type: ignore[untyped-decorator]
    async def peer_costing(body: Any, msg: KafkaMessage) -> None:
        headers = dict(msg.headers)
        asked.append(headers)
        await client_kafka.publish(
            {"total": 12.5}, headers["REPLY_TOPIC"], headers={"REQUEST_ID": headers["REQUEST_ID"]}
        )

    async def scenario() -> Any:
        async with TestKafkaBroker(server_kafka):
            await server_kafka.publish(
                {"items": ["a", "b", "c"]},
                REQUESTS,
                headers={"REPLY_TOPIC": "adeo-peer-replies", "REQUEST_ID": "req-1"},
            )
        async with TestKafkaBroker(client_kafka):
            from adeo_client.models import CostingRequestV1  # type: ignore[import-not-found]

            return await client.request_costing(CostingRequestV1(items=["x"]), timeout=5)

    reply = asyncio.run(scenario())
    # the server: reply at the REPLY_TOPIC header, with the REQUEST_ID copied
    assert answered == [({"total": 3.0}, answered[0][1])]
    assert answered[0][1]["REQUEST_ID"] == "req-1"
    # the client: REPLY_TOPIC names the document's response topic, REQUEST_ID pairs the reply
    assert asked[0]["REPLY_TOPIC"] == RESPONSES
    assert len(asked[0]["REQUEST_ID"]) == 32
    assert type(reply).__name__ == "CostingResponse" and reply.total == 12.5
    # the address parameters reached the handler, from the settings
    assert sys.modules["adeo.handlers"].SEEN == [{"env": "dev", "version": "V1"}]
