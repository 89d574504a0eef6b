"""AsyncAPI 2.x request/reply: paired by headers and names (``translate._stream_reply_v2``).

- The corpus' ``spec-examples-2.6.0/rpc-server.yml`` (the spec's own RPC
  example): ``sum`` on the ``rpc_queue`` queue, its message declaring an AMQP
  ``replyTo`` and a ``correlation_id`` header; the reply is the ``{queue}``
  channel's operation, paired by the shared correlation location. The test
  points its server at RabbitMQ on this machine (a temporary copy; the corpus
  file is only read) and runs the generated client against the generated
  server, plus a requester written from the document alone the way RabbitMQ's
  RPC tutorial does it (default exchange, ``reply_to`` and ``correlation_id``
  properties, no headers).
- A small 2.x document over NATS with a ``replyTo`` header and a
  ``<channel>.reply`` reply channel: both generated sides, and a peer that
  sends the declared headers by hand.
- Pairing rules and the located note when nothing pairs.
"""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Annotated, Any

import pytest
import yaml
from faststream import Context

from generator.load import load
from generator.translate.stream_ir import translate_client, translate_server
from tests.shared_corpus import CORPUS, HAS_CORPUS, MISSING, needs_corpus
from tests.stream.conftest import generate
from tests.stream.test_brokers_e2e import require_broker

pytestmark = [pytest.mark.broker, pytest.mark.timeout(120)]

RPC_SERVER = CORPUS / "asyncapi" / "spec-examples-2.6.0" / "rpc-server.yml"

RPC_HANDLERS = '''
"""Test handler: the sum of the numbers."""

from __future__ import annotations

from .defaults import DefaultHandlers
from .models import PublishMessage, SubscribeMessage


class Handlers(DefaultHandlers):
    async def sum_(self, message: PublishMessage) -> SubscribeMessage:
        return SubscribeMessage(result=sum(message.numbers or []))
'''

NATS_DOC = {
    "asyncapi": "2.6.0",
    "info": {"title": "Greeter V2", "version": "1.0.0"},
    "servers": {"local": {"url": "127.0.0.1:4222", "protocol": "nats"}},
    "channels": {
        "greeter.hello": {
            "publish": {
                "operationId": "hello",
                "message": {"$ref": "#/components/messages/hello"},
            }
        },
        "greeter.hello.reply": {
            "subscribe": {
                "operationId": "helloReply",
                "message": {"$ref": "#/components/messages/greeting"},
            }
        },
    },
    "components": {
        "messages": {
            "hello": {
                "correlationId": {"location": "$message.header#/requestId"},
                "headers": {
                    "type": "object",
                    "properties": {
                        "requestId": {"type": "string"},
                        "replyTo": {"type": "string"},
                    },
                },
                "payload": {
                    "type": "object",
                    "required": ["name"],
                    "properties": {"name": {"type": "string"}},
                },
            },
            "greeting": {
                "correlationId": {"location": "$message.header#/requestId"},
                "payload": {
                    "type": "object",
                    "required": ["text"],
                    "properties": {"text": {"type": "string"}},
                },
            },
        }
    },
}

GREETER_HANDLERS = '''
"""Test handler: greet by name."""

from __future__ import annotations

from .defaults import DefaultHandlers
from .models import Greeting, Hello


class Handlers(DefaultHandlers):
    async def hello(self, message: Hello) -> Greeting:
        return Greeting(text=f"hello {message.name}")
'''


def _sides(root: Path, spec: Path, handlers: str, package: str) -> tuple[ModuleType, ModuleType]:
    generate(spec, "stream-server", root / "server", package=package)
    generate(spec, "stream-client", root / "client", package=package)
    (root / "server" / package / "handlers.py").write_text(handlers)
    sys.path[:0] = [str(root / "server"), str(root / "client")]
    server = __import__(f"{package}.brokers", fromlist=["x"])
    client = __import__(f"{package}_client.brokers", fromlist=["x"])
    return server, client


@pytest.fixture(scope="module")
def rpc(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[ModuleType, ModuleType]]:
    if not HAS_CORPUS:
        pytest.skip(MISSING)
    root = tmp_path_factory.mktemp("rpc-v2")
    doc = yaml.safe_load(RPC_SERVER.read_text(encoding="utf-8"))
    doc["servers"]["production"]["url"] = "127.0.0.1:5672"
    spec = root / "rpc-server.yml"
    spec.write_text(yaml.safe_dump(doc), encoding="utf-8")
    yield _sides(root, spec, RPC_HANDLERS, "rpc_v2")
    sys.path[:] = [p for p in sys.path if not p.startswith(str(root))]


@needs_corpus
def test_corpus_rpc_server_over_rabbitmq(rpc: tuple[ModuleType, ModuleType]) -> None:
    require_broker(5672)
    from faststream.rabbit import RabbitBroker, RabbitQueue

    server, client = rpc
    from rpc_v2_client.models import (  # type: ignore[import-not-found]
        PublishMessage,
        SubscribeMessage,
    )

    peer = RabbitBroker("amqp://guest:guest@127.0.0.1:5672/")
    seen: list[tuple[Any, str | None]] = []

    @peer.subscriber(RabbitQueue("twinspec.rpc.peer.callback", auto_delete=True))  # type: ignore[untyped-decorator]
    async def callback(body: Any, message: Annotated[Any, Context("message")]) -> None:
        seen.append((body, message.correlation_id))

    async def scenario() -> list[SubscribeMessage]:
        brokers = (server.production, client.production, peer)
        for broker in brokers:
            await broker.start()
        try:
            await asyncio.sleep(0.3)
            replies = await asyncio.gather(
                *(client.sum_(PublishMessage(numbers=[n, 1.5]), timeout=15) for n in (1, 2, 3))
            )
            # RabbitMQ's RPC tutorial, from the document: the queue on the default exchange,
            # the reply_to and correlation_id properties, no headers
            await peer.publish(
                {"numbers": [4, 3]},
                routing_key="rpc_queue",
                reply_to="twinspec.rpc.peer.callback",
                correlation_id="tutorial-1",
            )
            deadline = asyncio.get_running_loop().time() + 15
            while not seen and asyncio.get_running_loop().time() < deadline:
                await asyncio.sleep(0.05)
            return list(replies)
        finally:
            for broker in reversed(brokers):
                await broker.stop()

    replies = asyncio.run(scenario())
    assert all(isinstance(r, SubscribeMessage) for r in replies)
    assert [r.result for r in replies] == [2.5, 3.5, 4.5]
    [(body, correlation)] = seen
    assert body == {"result": 7}
    assert correlation == "tutorial-1"


@pytest.fixture(scope="module")
def greeter(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[ModuleType, ModuleType]]:
    root = tmp_path_factory.mktemp("greeter-v2")
    spec = root / "greeter.yaml"
    spec.write_text(yaml.safe_dump(NATS_DOC), encoding="utf-8")
    yield _sides(root, spec, GREETER_HANDLERS, "greeter_v2")
    sys.path[:] = [p for p in sys.path if not p.startswith(str(root))]


def test_reply_to_header_and_reply_channel_over_nats(
    greeter: tuple[ModuleType, ModuleType],
) -> None:
    require_broker(4222)
    from faststream.nats import NatsBroker

    server, client = greeter
    from greeter_v2_client.models import Greeting, Hello  # type: ignore[import-not-found]

    peer = NatsBroker("nats://127.0.0.1:4222")
    seen: list[tuple[Any, dict[str, Any]]] = []
    asked: list[dict[str, Any]] = []

    @peer.subscriber("twinspec.greeter.peer.inbox")  # type: ignore[untyped-decorator]
    async def inbox(body: Any, message: Annotated[Any, Context("message")]) -> None:
        seen.append((body, dict(message.headers or {})))

    @peer.subscriber("greeter.hello", no_reply=True)  # type: ignore[untyped-decorator]
    async def watch(body: Any, message: Annotated[Any, Context("message")]) -> None:
        asked.append(dict(message.headers or {}))

    async def scenario() -> Any:
        brokers = (server.local, client.local, peer)
        for broker in brokers:
            await broker.start()
        try:
            await asyncio.sleep(0.3)
            reply = await client.hello(Hello(name="ada"), timeout=15)
            await peer.publish(
                {"name": "bob"},
                "greeter.hello",
                headers={"replyTo": "twinspec.greeter.peer.inbox", "requestId": "r-9"},
            )
            deadline = asyncio.get_running_loop().time() + 15
            while not seen and asyncio.get_running_loop().time() < deadline:
                await asyncio.sleep(0.05)
            return reply
        finally:
            for broker in reversed(brokers):
                await broker.stop()

    reply = asyncio.run(scenario())
    assert isinstance(reply, Greeting) and reply.text == "hello ada"
    # the generated requester sent the document's headers
    first = asked[0]
    assert first["replyTo"].startswith("greeter_v2_client.client.replies.")
    assert first["requestId"]
    # the generated replier answered where the peer's replyTo said, with its requestId
    [(body, headers)] = seen
    assert body == {"text": "hello bob"}
    assert headers["requestId"] == "r-9"


def _doc(tmp_path: Path, data: dict[str, Any]) -> Any:
    path = tmp_path / "doc.yaml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    return _loaded(path)


def _loaded(path: Path) -> Any:
    doc, diagnostics = load(path)
    assert doc is not None, diagnostics
    return doc


def test_pairing_by_name_folds_the_reply_operation(tmp_path: Path) -> None:
    ir, _ = translate_server(_doc(tmp_path, NATS_DOC), None)
    [view] = ir.views
    assert view.op.key == "hello"
    assert view.reply_channel is not None and view.reply_channel.address == "greeter.hello.reply"
    assert (view.reply_to_header, view.correlation_header) == ("replyTo", "requestId")


@needs_corpus
def test_corpus_rpc_pairs_by_correlation_location() -> None:
    if not HAS_CORPUS:
        pytest.skip(MISSING)
    ir, diagnostics = translate_client(_loaded(RPC_SERVER), None)
    [view] = ir.views
    assert view.reply and view.reply_channel is None  # {queue}: where the request says
    assert view.correlation_header == "correlation_id"
    assert not [d for d in diagnostics if d.code.startswith("stream-reply")]
    # rpc-client.yml: the application asks; its replies keep their own receive handler
    ir, diagnostics = translate_client(_loaded(RPC_SERVER.with_name("rpc-client.yml")), None)
    assert {v.op.key for v in ir.views} == {"requestSum", "receiveSumResult"}
    [note] = [d for d in diagnostics if d.code == "stream-reply-own-handler"]
    assert note.line > 1 and "'receiveSumResult'" in note.message


def test_unpaired_request_is_a_located_info(tmp_path: Path) -> None:
    data = yaml.safe_load(yaml.safe_dump(NATS_DOC))
    data["channels"]["greeter.hello"]["publish"]["x-twinspec-reply"] = "nowhere"
    ir, diagnostics = translate_server(_doc(tmp_path, data), None)
    [note] = [d for d in diagnostics if d.code == "stream-reply-unpaired"]
    assert note.severity.value == "info"
    assert note.line > 1 and "x-twinspec-reply" in note.message and "'nowhere'" in note.message
    assert {v.op.key for v in ir.views} == {"hello", "helloReply"}
    assert all(not v.reply for v in ir.views)


def test_x_twinspec_reply_names_the_reply_channel(tmp_path: Path) -> None:
    data = yaml.safe_load(yaml.safe_dump(NATS_DOC))
    data["channels"]["greeter.answers"] = data["channels"].pop("greeter.hello.reply")
    data["channels"]["greeter.hello"]["publish"]["x-twinspec-reply"] = {
        "channel": "greeter.answers"
    }
    ir, _ = translate_server(_doc(tmp_path, data), None)
    [view] = ir.views
    assert view.reply_channel is not None and view.reply_channel.key == "greeter.answers"
