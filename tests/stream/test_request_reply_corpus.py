"""Request/reply from real documents of the corpus, end to end.

- ``forsakringskassan-rimfrost-process``: an AsyncAPI 3 ``reply`` with
  ``address.location: $message.header#/replyTo`` and a reply channel. The
  document names no servers, so the test adds one NATS server (in a temporary
  copy; the corpus file is read, never changed) and runs the generated client
  against the generated server over the NATS broker on this machine, plus a
  requester written by hand from the document.
- ``adeo-kafka-request-reply`` (spec-examples 3.0.0): ``REPLY_TOPIC`` and
  ``REQUEST_ID`` headers, ``{env}``/``{version}`` in both Kafka topics, and
  binary Avro payloads behind https ``$ref``s, which a ref map resolves to the
  local stand-ins in ``tests/data/ref_map/adeo``. No Kafka broker here: each
  generated side runs against FastStream's in-memory ``TestKafkaBroker`` with a
  peer written from the document with fastavro.
"""

from __future__ import annotations

import asyncio
import shutil
import sys
import uuid
from collections.abc import Iterator
from decimal import Decimal
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
"""Test handler: the cost is the number of items; the address parameters are recorded."""

from __future__ import annotations

from .defaults import DefaultHandlers
from .models import CostingRequestPayload, CostingResponsePayload, CostingStatus

SEEN: list[dict[str, str]] = []


class Handlers(DefaultHandlers):
    async def request_costing(
        self, message: CostingRequestPayload, *, env: str, version: str
    ) -> CostingResponsePayload:
        SEEN.append({"env": env, "version": version})
        return CostingResponsePayload(status=CostingStatus.OK, cost=f"{len(message.items)}.00")
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
    [(body, correlation)] = seen
    assert body["data"] == {"handlaggningId": "case-2", "resultat": "GODKAND"}
    assert correlation == "corr-2"


ADEO_AVRO = Path(__file__).resolve().parents[1] / "data" / "ref_map" / "adeo"
"""Local stand-ins for the Adeo document's published .avsc files (the avro engineer's test data)."""


@pytest.fixture(scope="module", params=["json", "avro"])
def adeo(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[ModuleType, ModuleType, str]]:
    """Both sides of the Adeo document, its https refs mapped to local files.

    As published it names no content type, so its Avro-modelled payloads travel
    as JSON; the ``avro`` variant is a copy declaring ``defaultContentType:
    application/vnd.apache.avro``, so they travel as binary Avro.
    """
    from generator.drive.spec import plan_target
    from generator.load.refs import RefMap
    from tests.stream.conftest import write_plan

    wire = str(request.param)
    root = tmp_path_factory.mktemp(f"adeo-{wire}")
    spec = ADEO
    if wire == "avro":
        doc = yaml.safe_load(ADEO.read_text(encoding="utf-8"))
        doc["defaultContentType"] = "application/vnd.apache.avro"
        spec = root / "adeo.yaml"
        spec.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    ref_map = RefMap.of(
        [
            ("https://www.asyncapi.com/resources/casestudies/adeo/", ADEO_AVRO),
            (
                "https://deploy-preview-921--asyncapi-website.netlify.app/resources/casestudies/adeo/",
                ADEO_AVRO,
            ),
        ]
    )
    for target, side in (("stream-server", "server"), ("stream-client", "client")):
        plan, diagnostics = plan_target(spec, target, package=f"adeo_{wire}", ref_map=ref_map)
        assert plan is not None, [d.to_text() for d in diagnostics]
        write_plan(plan, root / side)
    yield (*_load(root, ADEO_HANDLERS, f"adeo_{wire}"), wire)
    sys.path[:] = [p for p in sys.path if not p.startswith(str(root))]


REQUESTS = "adeo-dev-case-study-COSTING-REQUEST-V1"  # {env}: the enum's first value; {version}: V1
RESPONSES = "adeo-dev-case-study-COSTING-RESPONSE-V1"


def _avro(name: str) -> Any:
    import json

    from fastavro import parse_schema

    return parse_schema(json.loads((ADEO_AVRO / name).read_text(encoding="utf-8")))


def _write(schema: Any, data: Any) -> bytes:
    import io

    from fastavro import schemaless_writer

    out = io.BytesIO()
    schemaless_writer(out, schema, data)
    return out.getvalue()


def _read(schema: Any, wire: bytes) -> Any:
    import io

    from fastavro import schemaless_reader

    return schemaless_reader(io.BytesIO(wire), schema)


def test_adeo_request_reply_through_faststream_test_broker_in_memory(
    adeo: tuple[ModuleType, ModuleType, str],
) -> None:
    """No Kafka broker here: TestKafkaBroker carries each side's records in memory.

    The peers are written from the document alone (fastavro for binary Avro):
    ``REPLY_TOPIC`` and ``REQUEST_ID`` headers, payloads as the content type says.
    """
    from faststream.kafka import KafkaMessage, TestKafkaBroker

    server, client, wire = adeo
    server_kafka, client_kafka = server.BROKERS[0], client.BROKERS[0]
    request_schema = _avro("CostingRequestPayload.avsc")
    response_schema = _avro("CostingResponsePayload.avsc")

    def encode(schema: Any, data: Any) -> Any:
        if wire == "avro":
            return _write(schema, data)
        return {k: str(v) if isinstance(v, Decimal) else v for k, v in data.items()}

    def decode(schema: Any, body: bytes) -> Any:
        import json

        return _read(schema, body) if wire == "avro" else json.loads(body)

    answered: list[tuple[Any, dict[str, Any]]] = []

    @server_kafka.subscriber("adeo-peer-replies")  # type: ignore[untyped-decorator]
    async def peer_inbox(body: Any, msg: KafkaMessage) -> None:
        answered.append((decode(response_schema, msg.body), dict(msg.headers)))

    asked: list[tuple[Any, dict[str, Any]]] = []

    @client_kafka.subscriber(REQUESTS, no_reply=True)  # type: ignore[untyped-decorator]
    async def peer_costing(body: Any, msg: KafkaMessage) -> None:
        headers = dict(msg.headers)
        asked.append((decode(request_schema, msg.body), headers))
        reply = {"status": "OK", "cost": Decimal("12.50"), "currency": "EUR"}
        await client_kafka.publish(
            encode(response_schema, reply),
            headers["REPLY_TOPIC"],
            headers={"REQUEST_ID": headers["REQUEST_ID"]},
        )

    item = {"productId": "p-1", "quantity": 2, "warehouseCode": None}
    at = 1_700_000_000_000 if wire == "avro" else "2023-11-14T22:13:20Z"
    request = {"items": [item, item], "requestedAt": at}

    async def scenario() -> Any:
        async with TestKafkaBroker(server_kafka):
            await server_kafka.publish(
                encode(request_schema, request),
                REQUESTS,
                headers={"REPLY_TOPIC": "adeo-peer-replies", "REQUEST_ID": "req-1"},
            )
        async with TestKafkaBroker(client_kafka):
            models = sys.modules[f"adeo_{wire}_client.models"]
            CostingRequestItem = models.CostingRequestItem
            CostingRequestPayload = models.CostingRequestPayload

            typed = CostingRequestPayload(
                items=[CostingRequestItem(product_id="p-9", quantity=1)],
                requested_at="2026-01-01T00:00:00Z",
            )
            return await client.request_costing(typed, requester_code="BU-7", timeout=5)

    reply = asyncio.run(scenario())
    # the server: an Avro reply at the REPLY_TOPIC header, with the REQUEST_ID copied
    [(body, headers)] = answered
    assert (body["status"], Decimal(body["cost"])) == ("OK", Decimal("2.00"))
    assert headers["REQUEST_ID"] == "req-1"
    assert sys.modules[f"adeo_{wire}.handlers"].SEEN == [{"env": "dev", "version": "V1"}]
    # the client: an Avro request naming the document's response topic, and its typed reply
    [(sent, headers)] = asked
    assert sent["items"][0]["productId"] == "p-9"
    assert headers["REPLY_TOPIC"] == RESPONSES
    # the required headers the document declares: REQUESTER_CODE given, REQUESTER_ID its example
    assert (headers["REQUESTER_CODE"], headers["REQUESTER_ID"]) == ("BU-7", "svc-ecollect-app")
    assert uuid.UUID(headers["REQUEST_ID"])
    assert type(reply).__name__ == "CostingResponsePayload"
    assert (reply.status.value, reply.cost) == ("OK", "12.50")
