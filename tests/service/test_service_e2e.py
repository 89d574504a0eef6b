"""The `service` target for real: two replicas of the generated orders service share Redis.

A POST to replica A's REST API must reach a WebSocket client of replica B, an
SSE client, and the NATS bus as seen by a plain nats-py subscriber; the REST
model and the event payload are one class. Processes are started here on free
ports and stopped by PID; the backplane prefix is unique to the run.
"""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import websockets

from tests.service.conftest import generate_service
from tests.stream.test_backplane_e2e import Replica as _Replica
from tests.stream.test_backplane_e2e import cleanup, reachable

REDIS, NATS = 6379, 4222


def need(port: int, name: str) -> None:
    if not reachable(port):
        if os.environ.get("CI") == "true":
            pytest.fail(f"{name} is not running on 127.0.0.1:{port}")
        pytest.skip(f"{name} is not running on 127.0.0.1:{port}")


class Replica(_Replica):
    """A ``python -m orders`` process sharing the backplane."""

    module = "orders"
    env_prefix = "ORDERS"


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return generate_service(tmp_path_factory.mktemp("svc") / "orders")


@pytest.fixture
def replicas(project: Path) -> Iterator[tuple[Replica, Replica]]:
    need(REDIS, "redis")
    need(NATS, "nats")
    prefix = f"twinspec_svc_{uuid.uuid4().hex[:12]}"
    a = Replica(project, "redis://127.0.0.1:6379/0", prefix)
    try:
        b = Replica(project, "redis://127.0.0.1:6379/0", prefix)
    except BaseException:
        a.stop()
        raise
    try:
        yield a, b
    finally:
        a.stop()
        b.stop()
        cleanup("redis://127.0.0.1:6379/0", prefix)


def test_a_post_on_one_replica_is_pushed_everywhere(replicas: tuple[Replica, Replica]) -> None:
    import nats

    a, b = replicas

    async def scenario() -> None:
        bus = await nats.connect("nats://127.0.0.1:4222")
        seen: asyncio.Queue[bytes] = asyncio.Queue()

        async def on_bus(msg: nats.aio.msg.Msg) -> None:
            await seen.put(msg.data)

        await bus.subscribe("orders.created", cb=on_bus)
        try:
            async with (
                websockets.connect(f"ws://127.0.0.1:{b.port}/orders/updates") as ws_b,
                httpx.AsyncClient(timeout=10) as http,
                http.stream("GET", f"http://127.0.0.1:{b.port}/orders/feed") as feed,
            ):
                lines = feed.aiter_lines()
                await asyncio.sleep(0.3)
                answer = await http.post(
                    f"http://127.0.0.1:{a.port}/orders", json={"item": "widget", "quantity": 2}
                )
                assert answer.status_code == 201
                placed = answer.json()
                assert placed["status"] == "placed"
                pushed = json.loads(await asyncio.wait_for(ws_b.recv(), 10))
                assert pushed == placed
                while not (line := await asyncio.wait_for(lines.__anext__(), 10)).startswith(
                    "data: "
                ):
                    pass
                assert json.loads(line[6:]) == placed
                on_bus_data = json.loads(await asyncio.wait_for(seen.get(), 10))
                assert on_bus_data == placed
        finally:
            await bus.close()

    asyncio.run(scenario())


def test_rest_body_and_event_payload_are_one_class(project: Path) -> None:
    check = (
        "import typing\n"
        "from orders import emit, models\n"
        "from orders.events import messages, models as event_models\n"
        "assert event_models.Order is models.Order\n"
        "assert typing.get_type_hints(emit.Events.send_order_update)['message'] is models.Order\n"
        "assert type(messages.ORDER_PLACED.example()) is models.Order\n"
        "print('ok')\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", check],
        env=dict(os.environ, PYTHONPATH=str(project)),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.stdout.strip() == "ok", done.stderr
