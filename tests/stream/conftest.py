"""Generated stream projects for the end-to-end tests: made once per session, imported in-process.

Server and client of ``specs/chat.yaml`` and ``specs/sensors.yaml`` are written
to a temporary folder. The tests then replace each server's user-owned
``handlers.py`` (as a user would) with handlers that echo or record, so what
arrives can be asserted.
"""

from __future__ import annotations

import os
import socket
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

import pytest

from generator.drive.spec import plan_target
from generator.render.plan import WritePlan

REPO = Path(__file__).resolve().parents[2]
SPECS = REPO / "specs"

API_KEY = "e2e-api-key"

CHAT_SERVER_HANDLERS = '''
"""Test handlers: echo chat messages to the room, answer pings with their requestId."""

from __future__ import annotations

from .defaults import DefaultHandlers
from .models import ChatMessage, Ping, Pong, Typing


class Handlers(DefaultHandlers):
    async def receive_chat(self, message: ChatMessage | Typing, *, room_id: str) -> None:
        from . import web

        if isinstance(message, ChatMessage):
            if message.text == "boom":
                raise RuntimeError("secret internal detail")
            await web.send_chat(message, room_id=room_id)

    async def ping(self, message: Ping) -> Pong:
        if message.request_id == "boom":
            raise RuntimeError("secret internal detail")
        return Pong(type_="pong", request_id=message.request_id, server_time="now")
'''

RECORDING_HANDLERS = '''
"""Test handlers: record every typed message with its address parameters."""

from __future__ import annotations

from typing import Any

from .defaults import OPERATIONS, DefaultHandlers

RECEIVED: list[tuple[str, Any, dict[str, str]]] = []


def _recorder(name: str) -> Any:
    async def record(self: Any, message: Any, **params: str) -> None:
        RECEIVED.append((name, message, params))

    return record


Handlers = type("Handlers", (DefaultHandlers,), {n: _recorder(n) for n in OPERATIONS})
'''


def write_plan(plan: WritePlan, out: Path) -> None:
    """Write every file of ``plan`` under ``out``."""
    for item in plan.files:
        target = out / item.path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(item.content, encoding="utf-8")


def generate(spec: Path, target: str, out: Path, package: str | None = None) -> Path:
    """Generate ``target`` from ``spec`` into ``out``; fail on any error."""
    plan, diagnostics = plan_target(spec, target, package=package)
    assert plan is not None, [d.to_text() for d in diagnostics]
    write_plan(plan, out)
    return out


@dataclass(frozen=True)
class Projects:
    """Where the generated example projects are."""

    root: Path
    chat_server: Path
    chat_client: Path
    sensors_server: Path
    sensors_client: Path


@pytest.fixture(scope="session")
def projects(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Projects]:
    """The four example projects, generated once, with test handlers, on ``sys.path``."""
    root = tmp_path_factory.mktemp("stream-projects")
    found = Projects(
        root=root,
        chat_server=generate(SPECS / "chat.yaml", "stream-server", root / "chat-server"),
        chat_client=generate(SPECS / "chat.yaml", "stream-client", root / "chat-client"),
        sensors_server=generate(SPECS / "sensors.yaml", "stream-server", root / "sensors-server"),
        sensors_client=generate(SPECS / "sensors.yaml", "stream-client", root / "sensors-client"),
    )
    (found.chat_server / "chat_service" / "handlers.py").write_text(CHAT_SERVER_HANDLERS)
    (found.sensors_server / "sensor_hub" / "handlers.py").write_text(RECORDING_HANDLERS)
    (found.sensors_client / "sensor_hub_client" / "handlers.py").write_text(RECORDING_HANDLERS)
    # Credentials for specs/chat.yaml's schemes: the server expects them, the client sends them.
    os.environ["CHAT_SERVICE_API_KEY"] = API_KEY
    os.environ["CHAT_SERVICE_FEED_TOKEN"] = "e2e-feed-token"
    # specs/sensors.yaml's RabbitMQ server asks for userPassword: the local development account.
    os.environ["SENSOR_HUB_RABBIT_USER"] = "guest"
    os.environ["SENSOR_HUB_RABBIT_PASSWORD"] = "guest"
    paths = [
        str(p)
        for p in (found.chat_server, found.chat_client, found.sensors_server, found.sensors_client)
    ]
    sys.path[:0] = paths
    yield found
    for path in paths:
        sys.path.remove(path)


def free_port() -> int:
    """A free TCP port on 127.0.0.1."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class RunningServer:
    """A generated app served by uvicorn in a thread of this process."""

    base: str  # "127.0.0.1:PORT"
    web: ModuleType
    loop_call: object


@pytest.fixture(scope="session")
def chat(projects: Projects) -> Iterator[RunningServer]:
    """The generated chat server on a free port (small send queue, so slow clients drop fast)."""
    import asyncio

    os.environ["CHAT_SERVICE_SEND_QUEUE"] = "16"
    os.environ["CHAT_SERVICE_EMIT_EXAMPLES"] = "1"
    os.environ["CHAT_SERVICE_HEARTBEAT"] = "5"
    import uvicorn
    from chat_service import web  # type: ignore[import-not-found]

    port = free_port()
    config = uvicorn.Config(
        web.app, host="127.0.0.1", port=port, log_level="warning", ws_max_size=4 * 1_048_576
    )
    server = uvicorn.Server(config)
    loop = asyncio.new_event_loop()

    def serve() -> None:
        asyncio.set_event_loop(loop)
        loop.run_until_complete(server.serve())

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        assert time.monotonic() < deadline, "server did not start"
        time.sleep(0.02)

    def call(coro: object) -> object:
        return asyncio.run_coroutine_threadsafe(coro, loop).result(timeout=10)  # type: ignore[arg-type]

    yield RunningServer(base=f"127.0.0.1:{port}", web=web, loop_call=call)
    server.should_exit = True
    thread.join(timeout=10)
