"""Declared message headers are sent: typed keyword arguments of the generated publishers.

A small document over NATS (the broker on this machine): the server publishes
``alerts`` whose headers schema requires ``tenant`` (no example: a required
keyword) and ``priority`` (an integer; the message example gives 5, so it
defaults to that), and declares an optional ``trace``. A plain NATS subscriber
written by hand checks what arrives. (The Adeo corpus document's required
``REQUESTER_ID``/``REQUESTER_CODE`` are checked in test_request_reply_corpus.py.)
"""

from __future__ import annotations

import asyncio
import inspect
import sys
from collections.abc import Iterator
from types import ModuleType
from typing import Annotated, Any

import pytest
import yaml
from faststream import Context

from tests.stream.conftest import generate
from tests.stream.test_brokers_e2e import require_broker

pytestmark = [pytest.mark.broker, pytest.mark.timeout(120)]

DOC = {
    "asyncapi": "3.0.0",
    "info": {"title": "Alerting", "version": "1.0.0"},
    "servers": {"local": {"host": "127.0.0.1:4222", "protocol": "nats"}},
    "channels": {
        "alerts": {
            "address": "twinspec.headers.alerts",
            "messages": {"alert": {"$ref": "#/components/messages/alert"}},
        }
    },
    "operations": {
        "sendAlert": {
            "action": "send",
            "channel": {"$ref": "#/channels/alerts"},
            "messages": [{"$ref": "#/channels/alerts/messages/alert"}],
        }
    },
    "components": {
        "messages": {
            "alert": {
                "headers": {
                    "type": "object",
                    "required": ["tenant", "priority"],
                    "properties": {
                        "tenant": {"type": "string"},
                        "priority": {"type": "integer"},
                        "trace": {"type": "string"},
                    },
                },
                "payload": {
                    "type": "object",
                    "required": ["text"],
                    "properties": {"text": {"type": "string"}},
                },
                "examples": [{"headers": {"priority": 5}, "payload": {"text": "disk full"}}],
            }
        }
    },
}


@pytest.fixture(scope="module")
def alerting(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ModuleType]:
    root = tmp_path_factory.mktemp("alerting")
    spec = root / "alerting.yaml"
    spec.write_text(yaml.safe_dump(DOC), encoding="utf-8")
    generate(spec, "stream-server", root / "server", package="alerting")
    sys.path.insert(0, str(root / "server"))
    yield __import__("alerting.brokers", fromlist=["x"])
    sys.path[:] = [p for p in sys.path if not p.startswith(str(root))]


def test_publisher_takes_declared_headers_as_typed_keywords(alerting: ModuleType) -> None:
    parameters = inspect.signature(alerting.send_alert).parameters
    assert parameters["tenant"].default is inspect.Parameter.empty  # required, no example
    assert parameters["tenant"].kind is inspect.Parameter.KEYWORD_ONLY
    assert parameters["priority"].default == 5  # the message example's value
    assert parameters["trace"].default is None  # optional: not sent unless given
    from alerting.models import Alert  # type: ignore[import-not-found]

    with pytest.raises(TypeError, match="tenant"):
        asyncio.run(alerting.send_alert(Alert(text="x")))


def test_declared_headers_reach_a_plain_nats_subscriber(alerting: ModuleType) -> None:
    require_broker(4222)
    from alerting.models import Alert
    from faststream.nats import NatsBroker

    peer = NatsBroker("nats://127.0.0.1:4222")
    seen: list[tuple[Any, dict[str, Any]]] = []

    @peer.subscriber("twinspec.headers.alerts")  # type: ignore[untyped-decorator]
    async def watch(body: Any, message: Annotated[Any, Context("message")]) -> None:
        seen.append((body, dict(message.headers or {})))

    async def scenario() -> None:
        for broker in (alerting.local, peer):
            await broker.start()
        try:
            await asyncio.sleep(0.3)
            await alerting.send_alert(Alert(text="disk full"), tenant="acme")
            await alerting.send_alert(Alert(text="cpu hot"), tenant="acme", priority=1, trace="t-1")
            deadline = asyncio.get_running_loop().time() + 15
            while len(seen) < 2 and asyncio.get_running_loop().time() < deadline:
                await asyncio.sleep(0.05)
        finally:
            for broker in (peer, alerting.local):
                await broker.stop()

    asyncio.run(scenario())
    by_text = {body["text"]: headers for body, headers in seen}
    first, second = by_text["disk full"], by_text["cpu hot"]
    assert (first["tenant"], first["priority"]) == ("acme", "5")  # an integer as JSON text
    assert "trace" not in first
    assert (second["priority"], second["trace"]) == ("1", "t-1")
