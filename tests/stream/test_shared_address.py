"""Channels sharing one WebSocket address: the corpus' Kraken request/reply document, end to end.

Kraken puts seven channels on ``/``. The generated server serves them on that
one address and routes each frame by its ``event`` property to the operation
of its message; the generated client sends every operation's request on one
connection and routes incoming frames to its handlers. Real uvicorn server on
a free port, the generated client, raw ``websockets`` for frames no client sends.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import websockets

from tests.shared_corpus import CORPUS, HAS_CORPUS, MISSING, needs_corpus
from tests.stream._live import generated_pair, run_generated_tests, serving

pytestmark = [
    pytest.mark.timeout(300),
    needs_corpus,
    pytest.mark.skipif(not HAS_CORPUS, reason=MISSING),
]

KRAKEN = (
    "asyncapi/spec-examples-3.0.0/kraken-websocket-request-reply-multiple-channels-asyncapi.yml"
)

SERVER_HANDLERS = '''
"""Test handlers: answer every request with a reply that quotes what was asked."""

from __future__ import annotations

from .defaults import DefaultHandlers
from .models import Ping, Pong, Subscribe, SubscriptionStatusSuccess, Unsubscribe, SubscriptionStatusError


class Handlers(DefaultHandlers):
    async def receive_ping(self, message: Ping) -> Pong:
        return Pong(event="pong", reqid=message.reqid)

    async def subscribe(self, message: Subscribe) -> SubscriptionStatusSuccess:
        name = message.subscription.name.value if message.subscription else "none"
        return SubscriptionStatusSuccess(event="subscriptionStatus", channel_id=7, channel_name=name)

    async def unsubscribe(self, message: Unsubscribe) -> SubscriptionStatusError:
        return SubscriptionStatusError(event="subscriptionStatus", error_message="not subscribed")
'''

CLIENT_HANDLERS = '''
"""Test handlers: record what the server pushes."""

from __future__ import annotations

from typing import Any

from .defaults import DefaultHandlers

RECEIVED: list[tuple[str, Any]] = []


class Handlers(DefaultHandlers):
    async def heartbeat(self, message: Any) -> None:
        RECEIVED.append(("heartbeat", message))

    async def system_status(self, message: Any) -> None:
        RECEIVED.append(("system_status", message))
'''


@pytest.fixture(scope="module")
def kraken(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, Path]]:
    spec = CORPUS / KRAKEN
    root = tmp_path_factory.mktemp("kraken")
    with generated_pair(spec, root, SERVER_HANDLERS, CLIENT_HANDLERS) as pair:
        yield pair


def run(coro: Any) -> Any:
    return asyncio.run(asyncio.wait_for(coro, timeout=60))


def test_every_request_on_the_shared_address_gets_its_reply(kraken: tuple[Path, Path]) -> None:
    from kraken_websockets_api import web as server_web  # type: ignore[import-not-found]
    from kraken_websockets_api_client import web  # type: ignore[import-not-found]
    from kraken_websockets_api_client.models import (  # type: ignore[import-not-found]
        Name,
        Ping,
        Pong,
        Subscribe,
        SubscribeSubscription,
        SubscriptionStatusError,
        SubscriptionStatusSuccess,
        Unsubscribe,
        UnsubscribeSubscription,
    )

    async def scenario(base: str) -> None:
        async with web.RootChannel(f"ws://{base}") as root:
            pong = await root.receive_ping(Ping(event="ping", reqid=41))
            assert isinstance(pong, Pong) and pong.reqid == 41
            subscribed = await root.subscribe(
                Subscribe(
                    event="subscribe",
                    reqid=42,
                    subscription=SubscribeSubscription(name=Name.TICKER),
                )
            )
            assert isinstance(subscribed, SubscriptionStatusSuccess)
            assert (subscribed.channel_name, subscribed.reqid) == ("ticker", 42)
            refused = await root.unsubscribe(
                Unsubscribe(
                    event="unsubscribe",
                    reqid=43,
                    subscription=UnsubscribeSubscription(name=Name.BOOK),
                )
            )
            assert isinstance(refused, SubscriptionStatusError)
            assert (refused.error_message, refused.reqid) == ("not subscribed", 43)

    with serving(server_web.app) as (base, _call):
        run(scenario(base))


def test_server_pushes_reach_the_clients_handlers_by_message_type(
    kraken: tuple[Path, Path],
) -> None:
    from kraken_websockets_api import web as server_web
    from kraken_websockets_api.models import Heartbeat, Status, SystemStatus
    from kraken_websockets_api_client import handlers, web
    from kraken_websockets_api_client.models import Heartbeat as ClientHeartbeat
    from kraken_websockets_api_client.models import SystemStatus as ClientSystemStatus

    handlers.RECEIVED.clear()

    async def scenario(base: str, call: Any) -> None:
        async with web.RootChannel(f"ws://{base}") as root:
            serving_task = asyncio.create_task(root.serve())
            await asyncio.sleep(0.3)  # registered on the server
            # a heartbeat without its (optional) event: the const is written, so it is routed
            assert call(server_web.heartbeat(Heartbeat())) == 1
            status = SystemStatus(event="systemStatus", connection_id=9, status=Status.ONLINE)
            assert call(server_web.system_status(status)) == 1
            for _ in range(100):
                if len(handlers.RECEIVED) >= 2:
                    break
                await asyncio.sleep(0.05)
            serving_task.cancel()
        kinds = [(name, type(message)) for name, message in handlers.RECEIVED]
        assert kinds == [("heartbeat", ClientHeartbeat), ("system_status", ClientSystemStatus)]
        assert handlers.RECEIVED[1][1].connection_id == 9

    with serving(server_web.app) as (base, call):
        run(scenario(base, call))


def test_a_frame_of_no_channel_gets_the_error_frame_and_one_log_line(
    kraken: tuple[Path, Path], caplog: pytest.LogCaptureFixture
) -> None:
    from kraken_websockets_api import web as server_web

    async def scenario(base: str) -> list[Any]:
        answers = []
        async with websockets.connect(f"ws://{base}/") as raw:
            for frame in ({"event": "trade", "reqid": 5}, {"event": "ping", "reqid": "five"}):
                await raw.send(json.dumps(frame))
                answers.append(json.loads(await asyncio.wait_for(raw.recv(), 5)))
            await raw.send(json.dumps({"event": "ping", "reqid": 6}))  # still served
            answers.append(json.loads(await asyncio.wait_for(raw.recv(), 5)))
        return answers

    with caplog.at_level(logging.INFO), serving(server_web.app) as (base, _call):
        unknown, invalid, pong = run(scenario(base))
    assert unknown["error"]["code"] == "invalid-message"
    assert "'event'" in unknown["error"]["message"] and "'trade'" in unknown["error"]["message"]
    assert unknown["error"]["correlationId"] == 5
    assert invalid["error"]["code"] == "invalid-message"
    assert pong["event"] == "pong" and pong["reqid"] == 6
    rejected = [r for r in caplog.records if "rejected a frame" in r.getMessage()]
    assert len(rejected) == 2
    assert all(r.exc_info is None and "\n" not in r.getMessage() for r in rejected)


def test_the_generated_test_suites_of_kraken_pass(
    kraken: tuple[Path, Path], tmp_path: Path
) -> None:
    for project in kraken:
        result = run_generated_tests(project, tmp_path / project.name)
        assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-2000:]
        assert " passed" in result.stdout and "skipped" not in result.stdout
