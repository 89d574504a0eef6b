"""Two replicas of the generated chat server share a real backplane (Redis, then NATS).

Each replica is its own ``python -m chat_service`` process on a free port,
started and stopped (by PID) here, with a backplane prefix unique to this run so
concurrent runs never share streams or subjects. Clients are plain
``websockets`` / ``httpx`` connections, as a user's would be.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import websockets

from tests.stream.conftest import SPECS, free_port, generate

BACKPLANES = {"redis": ("redis://127.0.0.1:6379/0", 6379), "nats": ("nats://127.0.0.1:4222", 4222)}
API_KEY = "bp-key"
FEED = "bp-feed"

HANDLERS = '''
"""Test handlers: chat messages and posted ticks are re-published to the channel."""

from __future__ import annotations

from .defaults import DefaultHandlers
from .models import ChatMessage, Tick, Typing


class Handlers(DefaultHandlers):
    async def receive_chat(self, message: ChatMessage | Typing, *, room_id: str) -> None:
        from . import web

        if isinstance(message, ChatMessage):
            await web.send_chat(message, room_id=room_id)

    async def publish_tick(self, message: Tick, *, symbol: str) -> None:
        from . import web

        await web.send_tick(message, symbol=symbol)
'''


def cleanup(url: str, prefix: str) -> None:
    """Remove what a run left on the shared server: its Redis keys or its JetStream stream."""

    async def run() -> None:
        if url.startswith("redis"):
            import redis.asyncio as redis

            client = redis.Redis.from_url(url)
            keys = [key async for key in client.scan_iter(match=f"{prefix}:*")]
            if keys:
                await client.delete(*keys)
            await client.aclose()
        else:
            import nats

            nc = await nats.connect(url)
            with contextlib.suppress(Exception):  # the run never made it
                await nc.jetstream().delete_stream(f"{prefix}_events")
            await nc.close()

    asyncio.run(run())


def reachable(port: int) -> bool:
    with socket.socket() as sock:
        sock.settimeout(1)
        return sock.connect_ex(("127.0.0.1", port)) == 0


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = generate(SPECS / "chat.yaml", "stream-server", tmp_path_factory.mktemp("bp") / "chat")
    (out / "chat_service" / "handlers.py").write_text(HANDLERS)
    return out


class Replica:
    """One server process; ``kill`` sends SIGKILL, ``stop`` SIGTERM, both by PID."""

    module = "chat_service"
    env_prefix = "CHAT_SERVICE"

    def __init__(self, project: Path, url: str, prefix: str) -> None:
        self.port = free_port()
        env = dict(
            os.environ,
            PYTHONPATH=str(project),
            **{
                f"{self.env_prefix}_BACKPLANE": url,
                f"{self.env_prefix}_BACKPLANE_PREFIX": prefix,
                f"{self.env_prefix}_API_KEY": API_KEY,
                f"{self.env_prefix}_FEED_TOKEN": FEED,
            },
        )
        self.log = project / f"replica-{self.port}.log"
        self.proc = subprocess.Popen(
            [sys.executable, "-m", self.module, "--port", str(self.port), "--log-level", "warning"],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=self.log.open("w"),
        )
        deadline = time.monotonic() + 30
        while not reachable(self.port):
            assert self.proc.poll() is None, self.log.read_text()
            assert time.monotonic() < deadline, "replica did not start"
            time.sleep(0.05)

    def ws(self, room: str) -> str:
        return f"ws://127.0.0.1:{self.port}/rooms/{room}?token={API_KEY}"

    def http(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def kill(self) -> None:
        os.kill(self.proc.pid, signal.SIGKILL)
        self.proc.wait(10)

    def stop(self) -> None:
        if self.proc.poll() is None:
            os.kill(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                os.kill(self.proc.pid, signal.SIGKILL)
                self.proc.wait(10)


@pytest.fixture(params=sorted(BACKPLANES))
def replicas(request: pytest.FixtureRequest, project: Path) -> Iterator[tuple[Replica, Replica]]:
    url, port = BACKPLANES[request.param]
    if not reachable(port):
        if os.environ.get("CI") == "true":
            pytest.fail(f"{request.param} is not running on 127.0.0.1:{port}")
        pytest.skip(f"{request.param} is not running on 127.0.0.1:{port}")
    prefix = f"twinspec_test_{uuid.uuid4().hex[:12]}"
    a = Replica(project, url, prefix)
    b = Replica(project, url, prefix)
    try:
        yield a, b
    finally:
        a.stop()
        b.stop()
        cleanup(url, prefix)


def chat(author: str, text: str) -> str:
    return json.dumps({"type": "message", "author": author, "text": text})


async def collect(socket_: Any, count: int) -> list[tuple[str, str]]:
    got: list[tuple[str, str]] = []
    while len(got) < count:
        frame = json.loads(await asyncio.wait_for(socket_.recv(), 10))
        got.append((frame["author"], frame["text"]))
    return got


async def nothing_more(socket_: Any, wait: float = 0.5) -> None:
    with pytest.raises(asyncio.TimeoutError):
        await asyncio.wait_for(socket_.recv(), wait)


def test_websocket_messages_reach_every_replica_once_in_order(
    replicas: tuple[Replica, Replica],
) -> None:
    a, b = replicas

    async def scenario() -> None:
        async with (
            websockets.connect(a.ws("lobby")) as on_a,
            websockets.connect(b.ws("lobby")) as on_b,
            websockets.connect(b.ws("kitchen")) as elsewhere,
        ):
            await asyncio.sleep(0.3)  # both replicas subscribed
            count = 40
            for i in range(count):
                await on_a.send(chat("via-a", str(i)))
                await on_b.send(chat("via-b", str(i)))
            for sock in (on_a, on_b):
                got = await collect(sock, 2 * count)
                for sender in ("via-a", "via-b"):
                    texts = [text for author, text in got if author == sender]
                    assert texts == [str(i) for i in range(count)], (sender, texts)
                await nothing_more(sock)
            await nothing_more(elsewhere, 0.2)  # the room parameter still filters

    asyncio.run(scenario())


async def read_sse(lines: AsyncIterator[str], count: int) -> list[tuple[str, int]]:
    """(id, seq) of the next ``count`` events of an open stream's lines."""
    events: list[tuple[str, int]] = []
    event_id = ""
    while len(events) < count:
        line = await asyncio.wait_for(lines.__anext__(), 10)
        if line.startswith("id: "):
            event_id = line[4:]
        elif line.startswith("data: "):
            events.append((event_id, json.loads(line[6:])["seq"]))
    return events


def tick(seq: int) -> dict[str, Any]:
    return {"symbol": "ACME", "price": 1.5, "seq": seq}


def test_sse_resumes_on_the_other_replica_by_last_event_id(
    replicas: tuple[Replica, Replica],
) -> None:
    a, b = replicas
    auth = {"Authorization": f"Bearer {FEED}"}

    async def scenario() -> None:
        async with httpx.AsyncClient(timeout=10) as http:
            async with http.stream("GET", a.http("/ticker/ACME"), headers=auth) as stream:
                lines = stream.aiter_lines()
                await asyncio.sleep(0.3)
                for seq in range(10):  # sent through both replicas
                    target = a if seq % 2 else b
                    answer = await http.post(
                        target.http("/ticker/ACME"), json=tick(seq), headers=auth
                    )
                    assert answer.status_code == 202
                first = await read_sse(lines, 5)
            # Cut off after five events; five more arrive meanwhile, through A.
            for seq in range(10, 15):
                await http.post(a.http("/ticker/ACME"), json=tick(seq), headers=auth)
            resume = {**auth, "Last-Event-ID": first[-1][0]}
            async with http.stream("GET", b.http("/ticker/ACME"), headers=resume) as stream:
                lines = stream.aiter_lines()
                rest = await read_sse(lines, 10)
                await http.post(b.http("/ticker/ACME"), json=tick(15), headers=auth)
                live = await read_sse(lines, 1)
        seqs = [seq for _, seq in first + rest + live]
        assert seqs == list(range(16))
        ids = [event_id for event_id, _ in first + rest + live]
        assert len(set(ids)) == len(ids)
        assert ids == sorted(ids, key=lambda i: tuple(int(p) for p in i.split("-")))

    asyncio.run(scenario())


def test_killing_one_replica_leaves_the_other_serving(replicas: tuple[Replica, Replica]) -> None:
    a, b = replicas

    async def scenario() -> None:
        async with (
            websockets.connect(b.ws("lobby")) as on_b,
            websockets.connect(b.ws("lobby")) as other,
        ):
            async with websockets.connect(a.ws("lobby")) as on_a:
                await asyncio.sleep(0.3)
                await on_a.send(chat("via-a", "before"))
                assert await collect(on_b, 1) == [("via-a", "before")]
                assert await collect(other, 1) == [("via-a", "before")]
                a.kill()
            await on_b.send(chat("via-b", "after"))
            assert await collect(on_b, 1) == [("via-b", "after")]
            assert await collect(other, 1) == [("via-b", "after")]

    asyncio.run(scenario())


def test_unreachable_backplane_is_one_line_and_a_failing_exit(project: Path) -> None:
    url = f"redis://127.0.0.1:{free_port()}/0"
    done = subprocess.run(
        [sys.executable, "-m", "chat_service", "--port", str(free_port())],
        env=dict(os.environ, PYTHONPATH=str(project), CHAT_SERVICE_BACKPLANE=url),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode != 0
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    assert url in lines[0] and "CHAT_SERVICE_BACKPLANE" in lines[0]


PROXY = """
import asyncio, sys

async def pipe(reader, writer):
    try:
        while data := await reader.read(65536):
            writer.write(data)
            await writer.drain()
    except Exception:
        pass
    finally:
        writer.close()

async def handle(reader, writer):
    try:
        up_reader, up_writer = await asyncio.open_connection("127.0.0.1", int(sys.argv[2]))
    except OSError:
        writer.close()
        return
    await asyncio.gather(pipe(reader, up_writer), pipe(up_reader, writer))

async def main():
    server = await asyncio.start_server(handle, "127.0.0.1", int(sys.argv[1]))
    async with server:
        await server.serve_forever()

asyncio.run(main())
"""


class Proxy:
    """A TCP relay to the backplane that the test can cut (SIGKILL) and restore, by PID."""

    def __init__(self, upstream: int) -> None:
        self.port = free_port()
        self.upstream = upstream
        self.proc: subprocess.Popen[bytes] | None = None
        self.start()

    def start(self) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, "-c", PROXY, str(self.port), str(self.upstream)]
        )
        deadline = time.monotonic() + 10
        while not reachable(self.port):
            assert time.monotonic() < deadline, "proxy did not start"
            time.sleep(0.05)

    def cut(self) -> None:
        assert self.proc is not None
        os.kill(self.proc.pid, signal.SIGKILL)
        self.proc.wait(10)


@pytest.mark.parametrize("engine", sorted(BACKPLANES))
def test_losing_the_backplane_keeps_local_clients_and_recovers(project: Path, engine: str) -> None:
    url, port = BACKPLANES[engine]
    if not reachable(port):
        if os.environ.get("CI") == "true":
            pytest.fail(f"{engine} is not running on 127.0.0.1:{port}")
        pytest.skip(f"{engine} is not running on 127.0.0.1:{port}")
    proxy = Proxy(port)
    prefix = f"twinspec_test_{uuid.uuid4().hex[:12]}"
    a = Replica(project, url.replace(str(port), str(proxy.port)), prefix)
    b = Replica(project, url, prefix)

    async def scenario() -> None:
        async with (
            websockets.connect(a.ws("lobby")) as on_a,
            websockets.connect(b.ws("lobby")) as on_b,
        ):
            await asyncio.sleep(0.3)
            await on_b.send(chat("via-b", "before"))
            assert await collect(on_a, 1) == [("via-b", "before")]
            await collect(on_b, 1)
            proxy.cut()
            await asyncio.sleep(1.0)
            await on_a.send(chat("via-a", "alone"))  # A serves its own clients meanwhile
            assert await collect(on_a, 1) == [("via-a", "alone")]
            proxy.start()
            deadline = time.monotonic() + 30
            while True:  # once A is back, B's messages reach A's clients again
                await on_b.send(chat("via-b", "after"))
                await collect(on_b, 1)
                try:
                    frame = json.loads(await asyncio.wait_for(on_a.recv(), 1.0))
                except asyncio.TimeoutError:
                    assert time.monotonic() < deadline, "replica A never reconnected"
                    continue
                assert (frame["author"], frame["text"]) == ("via-b", "after")
                break

    try:
        asyncio.run(scenario())
    finally:
        a.stop()
        b.stop()
        proxy.cut()
        cleanup(url, prefix)
    log = a.log.read_text()
    # Once per outage: a connection that flaps right after the relay returns is a new one.
    assert 1 <= log.count("lost") <= log.count("back after") + 1, log
    assert log.index("lost") < log.index("back after"), log
    assert "back after" in log and "may have been missed" in log, log
    assert "Traceback" not in log, log
