"""Fan-out of the generated stream server beside minimal hand-written servers, in the same run.

    python benchmarks/stream.py [--sizes 100,1000,5000] [--sse-sizes 100,1000]
    python benchmarks/stream.py --backplane --sizes 100,1000   # Redis and NATS vs in-memory

WebSocket: one publisher and N subscribers in one room of the generated
``specs/chat.yaml`` server (its user handler echoes each chat message to the
room through the generated ``send_chat``), against a minimal ``websockets``
server that broadcasts every frame to every connection. SSE: N streams of the
generated ticker channel (a POSTed tick is re-published through ``send_tick``)
against a minimal Starlette server that writes each POSTed body to every
stream. Each server runs as its own process (``python -m chat_service`` with
its defaults, or the baseline under uvicorn / websockets); the clients run
here. Messages go out in bursts of ``--burst``; the next burst waits until every
subscriber has the last one (or ``--timeout``), so "lost" counts deliveries
that never came. Reported: deliveries per second, p50/p99 latency (send ->
receive, same clock), lost deliveries, and the generated/baseline ratio.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SECRET = "bench-secret"
"""The credential of both security schemes of specs/chat.yaml (baselines ignore it)."""
sys.path.insert(0, str(REPO))

ECHO_HANDLERS = '''
"""Benchmark handlers: echo chat messages to the room, re-publish posted ticks."""

from __future__ import annotations

from .models import ChatMessage, Tick, Typing


async def receive_chat(message: ChatMessage | Typing, *, room_id: str) -> None:
    from . import web

    if isinstance(message, ChatMessage):
        await web.send_chat(message, room_id=room_id)


async def publish_tick(message: Tick, *, symbol: str) -> None:
    from . import web

    await web.send_tick(message, symbol=symbol)
'''

BASELINE_WS = """
import asyncio, sys
from websockets.asyncio.server import broadcast, serve

CLIENTS = set()

async def handler(ws):
    CLIENTS.add(ws)
    try:
        async for message in ws:
            broadcast(CLIENTS, message)
    finally:
        CLIENTS.discard(ws)

async def main(port):
    async with serve(handler, "127.0.0.1", port, max_size=None, ping_interval=None):
        await asyncio.Future()

asyncio.run(main(int(sys.argv[1])))
"""

BASELINE_SSE = """
import asyncio, sys
import uvicorn
from starlette.applications import Starlette
from starlette.responses import Response, StreamingResponse
from starlette.routing import Route

QUEUES = set()

async def events(request):
    queue = asyncio.Queue()
    QUEUES.add(queue)

    async def stream():
        try:
            while True:
                yield "data: " + await queue.get() + "\\n\\n"
        finally:
            QUEUES.discard(queue)

    return StreamingResponse(stream(), media_type="text/event-stream")

async def post(request):
    body = (await request.body()).decode()
    for queue in QUEUES:
        queue.put_nowait(body)
    return Response(status_code=202)

app = Starlette(routes=[
    Route("/ticker/{symbol}", events, methods=["GET"]),
    Route("/ticker/{symbol}", post, methods=["POST"]),
])
uvicorn.run(app, host="127.0.0.1", port=int(sys.argv[1]), log_level="warning")
"""


@dataclass
class Result:
    """One measured run."""

    label: str
    n: int
    delivered: int
    lost: int
    seconds: float
    latencies_ms: list[float]

    @property
    def rate(self) -> float:
        return self.delivered / self.seconds if self.seconds else 0.0

    def pct(self, q: float) -> float:
        if not self.latencies_ms:
            return float("nan")
        ordered = sorted(self.latencies_ms)
        return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def generate_chat(root: Path) -> Path:
    from generator.drive.spec import plan_target

    plan, diagnostics = plan_target(REPO / "specs" / "chat.yaml", "stream-server")
    assert plan is not None, diagnostics
    for item in plan.files:
        (root / item.path).parent.mkdir(parents=True, exist_ok=True)
        (root / item.path).write_text(item.content, encoding="utf-8")
    (root / "chat_service" / "handlers.py").write_text(ECHO_HANDLERS, encoding="utf-8")
    return root


@contextlib.contextmanager
def server(  # type: ignore[no-untyped-def]
    args: list[str], port: int, cwd: Path | None = None, extra: dict[str, str] | None = None
):
    env = dict(
        os.environ,
        PYTHONPATH=str(cwd) if cwd else "",
        CHAT_SERVICE_API_KEY=SECRET,
        CHAT_SERVICE_FEED_TOKEN=SECRET,
        **(extra or {}),
    )
    with tempfile.TemporaryFile() as log:  # never a pipe: a full pipe would stall the server
        proc = subprocess.Popen([sys.executable, *args], cwd=cwd, env=env, stdout=log, stderr=log)
        deadline = time.monotonic() + 30
        while True:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                    break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    log.seek(0)
                    raise RuntimeError(
                        f"server did not start: {log.read().decode()[-2000:]}"
                    ) from None
                time.sleep(0.05)
        try:
            yield proc
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()


async def measure(
    label: str,
    n: int,
    total: int,
    burst: int,
    timeout: float,
    subscribe: Callable[[Callable[[int], None]], Awaitable[list[asyncio.Task[None]]]],
    publish: Callable[[int], Awaitable[None]],
) -> Result:
    """Drive ``total`` messages in bursts; every subscriber reports send stamps it receives."""
    latencies: list[float] = []
    counts: dict[int, int] = {}
    delivered = 0
    waiter: asyncio.Future[None] | None = None
    target = 0

    def on_receive(stamp: int) -> None:
        nonlocal delivered
        latencies.append((time.time_ns() - stamp) / 1e6)
        counts[stamp] = counts.get(stamp, 0) + 1
        delivered += 1
        if waiter is not None and not waiter.done() and delivered >= target:
            waiter.set_result(None)

    tasks = await subscribe(on_receive)
    await asyncio.sleep(1.0)
    start = time.perf_counter()
    lost = 0
    sent = 0
    while sent < total:
        batch = min(burst, total - sent)
        target = delivered + batch * n
        waiter = asyncio.get_running_loop().create_future()
        for _ in range(batch):
            await publish(time.time_ns())
        sent += batch
        try:
            await asyncio.wait_for(waiter, timeout)
        except TimeoutError:
            lost += target - delivered
    seconds = time.perf_counter() - start
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)
    return Result(label, n, delivered, lost, seconds, latencies)


async def ws_run(
    label: str, url: str | list[str], n: int, total: int, burst: int, timeout: float
) -> Result:
    """N subscribers spread round-robin over ``url`` (one or several replicas); the
    publisher sends through the first."""
    import websockets

    urls = [url] if isinstance(url, str) else url
    url = urls[0]
    sockets = []

    async def subscribe(on_receive: Callable[[int], None]) -> list[asyncio.Task[None]]:
        async def reader(ws: websockets.ClientConnection) -> None:
            async for frame in ws:
                on_receive(int(json.loads(frame)["text"]))

        for i in range(0, n, 50):
            sockets.extend(
                await asyncio.gather(
                    *(
                        websockets.connect(
                            urls[(i + j) % len(urls)],
                            max_size=None,
                            ping_interval=None,
                            open_timeout=60,
                        )
                        for j in range(min(50, n - i))
                    )
                )
            )
        return [asyncio.create_task(reader(ws)) for ws in sockets]

    publisher = await websockets.connect(url, max_size=None, ping_interval=None)

    async def drain_publisher() -> None:
        async for _ in publisher:  # the publisher is in the room too; it is not counted
            pass

    drain = asyncio.create_task(drain_publisher())

    async def publish(stamp: int) -> None:
        await publisher.send(json.dumps({"type": "message", "author": "bench", "text": str(stamp)}))

    try:
        return await measure(label, n, total, burst, timeout, subscribe, publish)
    finally:
        drain.cancel()
        await publisher.close()
        await asyncio.gather(*(ws.close() for ws in sockets), return_exceptions=True)


async def sse_run(
    label: str, host: str, port: int, n: int, total: int, burst: int, timeout: float
) -> Result:
    import httpx

    writers: list[asyncio.StreamWriter] = []

    async def subscribe(on_receive: Callable[[int], None]) -> list[asyncio.Task[None]]:
        async def reader(r: asyncio.StreamReader) -> None:
            while True:
                line = await r.readline()
                if not line:
                    return
                if line.startswith(b"data:"):
                    on_receive(int(json.loads(line[5:])["seq"]))

        tasks = []
        for _ in range(n):
            r, w = await asyncio.open_connection(host, port)
            w.write(
                f"GET /ticker/ACME HTTP/1.1\r\nHost: {host}:{port}\r\nAccept: text/event-stream\r\n"
                f"Authorization: Bearer {SECRET}\r\n\r\n".encode()
            )
            writers.append(w)
            tasks.append(asyncio.create_task(reader(r)))
        return tasks

    client = httpx.AsyncClient(
        base_url=f"http://{host}:{port}", headers={"Authorization": f"Bearer {SECRET}"}
    )

    async def publish(stamp: int) -> None:
        answer = await client.post(
            "/ticker/ACME", json={"symbol": "ACME", "price": 1.0, "seq": stamp}
        )
        answer.raise_for_status()

    try:
        return await measure(label, n, total, burst, timeout, subscribe, publish)
    finally:
        await client.aclose()
        for w in writers:
            w.close()


def report(pairs: list[tuple[Result, Result]], kind: str) -> None:
    print(f"\n{kind} fan-out (1 publisher, N subscribers)")
    print(
        f"{'N':>6} {'server':<10} {'deliveries/s':>13} {'p50 ms':>8} {'p99 ms':>8} {'lost':>6} {'ratio':>6}"
    )
    for generated, baseline in pairs:
        for r in (generated, baseline):
            ratio = (
                f"{generated.rate / baseline.rate:.2f}" if r is generated and baseline.rate else ""
            )
            print(
                f"{r.n:>6} {r.label:<10} {r.rate:>13,.0f} {r.pct(0.5):>8.1f} {r.pct(0.99):>8.1f} "
                f"{r.lost:>6} {ratio:>6}"
            )


async def engine_ceiling(engine: str, url: str, count: int = 20_000, replicas: int = 2) -> float:
    """Messages/s one Redis or NATS server relays from one publisher to ``replicas`` subscribers
    (a ~200-byte envelope, as the backplane sends): the engine's side of the per-message cost."""
    import uuid

    body = json.dumps(["r" * 32, "room", {"room_id": "bench"}, "x" * 120, ""]).encode()
    subject = f"bench_{uuid.uuid4().hex[:8]}"
    got = [0] * replicas
    done = asyncio.Event()
    if engine == "redis":
        import redis.asyncio as redis

        pub = redis.Redis.from_url(url)
        subs = [redis.Redis.from_url(url).pubsub() for _ in range(replicas)]
        for sub in subs:
            await sub.subscribe(subject)

        async def drain(i: int) -> None:
            deadline = time.monotonic() + 60
            while got[i] < count and time.monotonic() < deadline:
                message = await subs[i].get_message(timeout=1)
                if message is not None and message["type"] == "message":
                    got[i] += 1

        readers = [asyncio.create_task(drain(i)) for i in range(replicas)]
        start = time.perf_counter()
        for i in range(0, count, 256):
            async with pub.pipeline(transaction=False) as pipe:
                for _ in range(min(256, count - i)):
                    pipe.publish(subject, body)
                await pipe.execute()
        await asyncio.gather(*readers)
        seconds = time.perf_counter() - start
        await pub.aclose()
    else:
        import nats

        pub = await nats.connect(url)
        conns = [await nats.connect(url) for _ in range(replicas)]

        def counter(i: int) -> Callable[[object], Awaitable[None]]:
            async def on(msg: object) -> None:
                got[i] += 1
                if all(g >= count for g in got):
                    done.set()

            return on

        for i, conn in enumerate(conns):
            await conn.subscribe(subject, cb=counter(i), pending_msgs_limit=count + 1)
        await pub.flush()
        start = time.perf_counter()
        for _ in range(count):
            await pub.publish(subject, body)
        await pub.flush()
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(done.wait(), 30)
        seconds = time.perf_counter() - start
        for conn in (pub, *conns):
            await conn.close()
    return min(got) / seconds


def backplane_mode(
    project: Path, sizes: list[int], deliveries: int, burst: int, timeout: float
) -> None:
    """One publisher, N WebSocket subscribers split over two replicas sharing Redis or NATS,
    against the same N on one process with in-memory fan-out, in the same run."""
    import uuid

    engines = {"redis": "redis://127.0.0.1:6379/0", "nats": "nats://127.0.0.1:4222"}
    print("engine ceiling (1 publisher -> 2 subscriber connections, ~200-byte envelopes)")
    for engine, backplane in engines.items():
        rate = asyncio.run(engine_ceiling(engine, backplane))
        print(f"  {engine:<6} {rate:>10,.0f} messages/s to each of 2 replicas")
    rows: list[tuple[int, str, Result]] = []
    cmd = ["-m", "chat_service", "--log-level", "warning", "--port"]
    for n in sizes:
        total = max(burst, deliveries // n)
        port = free_port()
        with server([*cmd, str(port)], port, cwd=project):
            url = f"ws://127.0.0.1:{port}/rooms/bench?token={SECRET}"
            single = asyncio.run(ws_run("in-memory", url, n, total, burst, timeout))
        rows.append((n, "1 process", single))
        for engine, backplane in engines.items():
            extra = {
                "CHAT_SERVICE_BACKPLANE": backplane,
                "CHAT_SERVICE_BACKPLANE_PREFIX": f"bench_{uuid.uuid4().hex[:8]}",
            }
            a, b = free_port(), free_port()
            with (
                server([*cmd, str(a)], a, cwd=project, extra=extra),
                server([*cmd, str(b)], b, cwd=project, extra=extra),
            ):
                urls = [f"ws://127.0.0.1:{p}/rooms/bench?token={SECRET}" for p in (a, b)]
                rows.append(
                    (
                        n,
                        f"2 x {engine}",
                        asyncio.run(ws_run(engine, urls, n, total, burst, timeout)),
                    )
                )
        print(
            f"\nbackplane fan-out, N = {n} (1 publisher; WebSocket subscribers split over 2 replicas)"
        )
        print(
            f"{'setup':<12} {'deliveries/s':>13} {'p50 ms':>8} {'p99 ms':>8} {'lost':>6} {'vs 1 process':>13}"
        )
        for size, setup, r in rows:
            if size == n:
                print(
                    f"{setup:<12} {r.rate:>13,.0f} {r.pct(0.5):>8.1f} {r.pct(0.99):>8.1f} {r.lost:>6} "
                    f"{r.rate / single.rate if single.rate else 0:>13.2f}"
                )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", default="100,1000,5000", help="WebSocket subscriber counts")
    parser.add_argument("--sse-sizes", default="100,1000", help="SSE subscriber counts")
    parser.add_argument("--deliveries", type=int, default=200_000, help="target deliveries per run")
    parser.add_argument("--burst", type=int, default=10)
    parser.add_argument("--timeout", type=float, default=30.0)
    parser.add_argument(
        "--backplane",
        action="store_true",
        help="instead: 2 replicas over Redis and over NATS vs 1 in-memory process (--sizes)",
    )
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="twinspec-bench-") as tmp:
        project = generate_chat(Path(tmp))
        if args.backplane:
            sizes = [int(x) for x in args.sizes.split(",") if x]
            backplane_mode(project, sizes, args.deliveries, args.burst, args.timeout)
            return
        baseline_ws = Path(tmp) / "baseline_ws.py"
        baseline_ws.write_text(BASELINE_WS)
        baseline_sse = Path(tmp) / "baseline_sse.py"
        baseline_sse.write_text(BASELINE_SSE)

        ws_pairs = []
        for n in (int(x) for x in args.sizes.split(",") if x):
            total = max(args.burst, args.deliveries // n)
            results = []
            for label, cmd in (
                ("generated", ["-m", "chat_service", "--log-level", "warning", "--port"]),
                ("baseline", [str(baseline_ws)]),
            ):
                port = free_port()
                with server([*cmd, str(port)], port, cwd=project):
                    url = f"ws://127.0.0.1:{port}/rooms/bench?token={SECRET}"
                    results.append(
                        asyncio.run(ws_run(label, url, n, total, args.burst, args.timeout))
                    )
            ws_pairs.append((results[0], results[1]))
            report([ws_pairs[-1]], "WebSocket")

        sse_pairs = []
        for n in (int(x) for x in args.sse_sizes.split(",") if x):
            total = max(args.burst, args.deliveries // n)
            results = []
            for label, cmd in (
                ("generated", ["-m", "chat_service", "--log-level", "warning", "--port"]),
                ("baseline", [str(baseline_sse)]),
            ):
                port = free_port()
                with server([*cmd, str(port)], port, cwd=project):
                    results.append(
                        asyncio.run(
                            sse_run(label, "127.0.0.1", port, n, total, args.burst, args.timeout)
                        )
                    )
            sse_pairs.append((results[0], results[1]))
            report([sse_pairs[-1]], "SSE")
        print(f"\nsingle runs on {os.cpu_count()} cores; clients and server share the machine")


if __name__ == "__main__":
    main()
