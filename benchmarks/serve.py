"""Generated REST servers and client against hand-written FastAPI and plain httpx, in one run.

    python benchmarks/serve.py [--examples generated_examples] [--duration 5] [--connections 32]

Servers: the generated petstore and bookstore ``rest-server`` projects (default
handlers: the spec's example replies) and their hand-written twins in
``benchmarks/handwritten.py`` (same routes, models, constraints, replies), each
one uvicorn worker pinned to CPU 0 with ``taskset``; the load generator is
``wrk`` (Debian package ``wrk``) pinned to CPU 1, one thread, ``--connections``
connections, the median of ``--reps`` runs of ``--duration`` seconds per endpoint
after a one-second warm-up. Generated and hand-written runs alternate (g h, h g,
g h), so a noisy neighbour hurts both alike. Every endpoint is checked to answer the same status
on both servers first (the 422 rows are invalid input on purpose).

Besides wrk's requests/s and p50/p99 (wall clock: on a shared, overloaded
machine they measure the scheduler as much as the code; a process that blocks
often, e.g. on a worker thread, is favoured), each row gives the server's CPU
time per request (``/proc/<pid>/stat`` before and after the run, over wrk's
request count) and the resulting requests per CPU-second ratio, which does not
depend on the neighbours, and the garbage collector's collections per 1000
requests and full collections (each a pause of tens of milliseconds with the
whole app on the heap: they decide the p99), counted inside each server.

Client: calls per CPU second of the generated client against plain httpx doing the
same request (``raise_for_status()`` and ``.json()``), against the hand-written
petstore, alternating batches; this process runs on CPU 1, the server on CPU 0.

``--inprocess N`` measures instead the code alone: each app's ASGI callable is
called N times per round with a fixed scope (no sockets, no HTTP parsing, no
uvicorn), CPU microseconds per request by ``time.process_time``, the fastest
of ``--client-rounds`` alternating rounds; the client is timed the same way
against an ``httpx.MockTransport`` serving fixed replies.

``--instructions N`` runs each server under valgrind's callgrind and counts the
instructions it executes per request over N sequential keep-alive requests:
slow (about 10 s a server), but the one number here that a busy machine does
not move; the 422 fix was found and checked with it. ``--cache-sim`` adds
callgrind's simulated cache and branch misses per request (I1/D1, ``LL_BYTES``,
mispredicts): what a bigger code or data footprint costs that the instruction
count hides.
With ``--client-calls`` (the default) it also counts the client: instructions
per call of the generated petstore client and of plain httpx, each in its own
process over ``httpx.MockTransport``, after 100 warm-up calls (``--specs ""``
for the client alone).

``--pairs N`` (one endpoint at a time with ``--only 422``) replaces the medians
of separate runs with N back-to-back generated/hand-written pairs of
``--duration`` seconds, each ratio taken within its pair (neighbours' load
drifts over seconds): median and quartiles of requests/s, p99, CPU per request
and ``busy`` (share of the run the server was on the CPU). Use it to tell a
gap in the code (CPU ratio) from one in waiting (busy ratio).
Then the client the same way: ``--pairs`` pairs of ``--client-calls``-call
rounds, generated and plain httpx back to back against one server, calls per
second by client CPU and by wall clock, ratio per pair (``--specs ""`` for the
client alone).

``--examples`` points at another copy of generated_examples/; ``--before DIR``
serves a second copy (for example main's, from ``git archive``) in the same
rotation, so before and after share one run and its neighbours.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import os
import re
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

REPO = Path(__file__).resolve().parents[1]
HERE = Path(__file__).resolve().parent
KEY = "bench-key"


@dataclass(frozen=True)
class Endpoint:
    """One benchmarked request."""

    label: str
    method: str
    path: str
    status: int
    body: str = ""
    headers: tuple[tuple[str, str], ...] = ()


ENDPOINTS: dict[str, tuple[Endpoint, ...]] = {
    "petstore": (
        Endpoint("GET /pets?limit=10", "GET", "/pets?limit=10", 200),
        Endpoint("GET /pets/1", "GET", "/pets/1", 200),
        Endpoint("GET /pets?limit=0 (422)", "GET", "/pets?limit=0", 422),
        Endpoint("POST /pets", "POST", "/pets", 201, '{"name": "Rex", "tag": "dog"}'),
    ),
    "bookstore": (
        Endpoint("GET /books?limit=10", "GET", "/books?limit=10&genre=fiction", 200),
        Endpoint("GET /books/1", "GET", "/books/1", 200),
        Endpoint("GET /books?limit=500 (422)", "GET", "/books?limit=500", 422),
        Endpoint(
            "POST /books (API key)",
            "POST",
            "/books",
            201,
            '{"title": "Dune", "isbn": "9780000000001"}',
            (("X-API-Key", KEY),),
        ),
    ),
}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


_RUNNER = """
import gc, signal, sys
app_dir, app, port, factory, stats = sys.argv[1:]
sys.path.insert(0, app_dir)
done = [0, 0, 0]
gc.callbacks.append(lambda phase, info: phase == "stop" and done.__setitem__(info["generation"], done[info["generation"]] + 1))
signal.signal(signal.SIGUSR1, lambda *_: open(stats, "w").write(" ".join(map(str, done))))
import uvicorn
uvicorn.run(app, port=int(port), log_level="warning", access_log=False, factory=factory == "1")
"""
"""uvicorn with the garbage collector's collections counted (written to ``stats`` on SIGUSR1)."""


@dataclass(frozen=True)
class Server:
    url: str
    pid: int
    stats: Path

    def cpu_seconds(self) -> float:
        """User + system CPU time of the server process so far (all its threads)."""
        fields = Path(f"/proc/{self.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def collections(self) -> tuple[int, int]:
        """Garbage collections so far: all generations, and full (generation 2) ones."""
        self.stats.unlink(missing_ok=True)
        os.kill(self.pid, signal.SIGUSR1)
        for _ in range(100):
            with contextlib.suppress(FileNotFoundError, ValueError):
                done = [int(n) for n in self.stats.read_text().split()]
                if len(done) == 3:
                    return sum(done), done[2]
            time.sleep(0.01)
        raise RuntimeError("the server did not report its collections")


@contextlib.contextmanager
def _server(app_dir: Path, app: str, factory: bool) -> Iterator[Server]:
    port = _free_port()
    stats = Path(tempfile.gettempdir()) / f"serve-gc-{port}"
    cmd = ["taskset", "-c", "0", sys.executable, "-c", _RUNNER, str(app_dir), app, str(port)]
    cmd += ["1" if factory else "0", str(stats)]
    env = {**os.environ, "BOOKSTORE_HEADER_KEY": KEY, "PYTHONDONTWRITEBYTECODE": "1"}
    proc = subprocess.Popen(cmd, env=env, stderr=subprocess.DEVNULL)  # wrk's cut-off requests log
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(200):
            with contextlib.suppress(httpx.HTTPError):
                httpx.get(url + "/__up__", timeout=1)
                break
            time.sleep(0.05)
        yield Server(url, proc.pid, stats)
    finally:
        proc.terminate()
        proc.wait(timeout=10)
        stats.unlink(missing_ok=True)


_UNITS = {"us": 1e-3, "ms": 1.0, "s": 1e3}


def _ms(text: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s)", text).groups()  # type: ignore[union-attr]
    return float(number) * _UNITS[unit]


@dataclass(frozen=True)
class Load:
    rps: float
    p50: float
    p99: float
    cpu_us: float  # server CPU time per request: what the code costs, whatever the neighbours do
    gc_k: float  # garbage collections per 1000 requests
    full: int  # full (generation 2) collections during the run: each a pause of tens of ms


def _wrk(server: Server, ep: Endpoint, seconds: int, connections: int, warm: bool) -> Load:
    url = server.url
    lines = [f'wrk.method = "{ep.method}"']
    if ep.body:
        lines += [f"wrk.body = '{ep.body}'", 'wrk.headers["Content-Type"] = "application/json"']
    lines += [f'wrk.headers["{k}"] = "{v}"' for k, v in ep.headers]
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write("\n".join(lines) + "\n")
    try:
        base = ["taskset", "-c", "1", "wrk", "-t1", f"-c{connections}", "-s", script.name]
        if warm:
            subprocess.run([*base, "-d1s", url + ep.path], capture_output=True, check=True)
        cpu, (gcs, full) = server.cpu_seconds(), server.collections()
        out = subprocess.run(
            [*base, f"-d{seconds}s", "--latency", url + ep.path],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        cpu = server.cpu_seconds() - cpu
        gcs_after, full_after = server.collections()
    finally:
        os.unlink(script.name)
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    p50 = _ms(re.search(r"\s50%\s+(\S+)", out).group(1))  # type: ignore[union-attr]
    p99 = _ms(re.search(r"\s99%\s+(\S+)", out).group(1))  # type: ignore[union-attr]
    done = int(re.search(r"(\d+) requests in", out).group(1))  # type: ignore[union-attr]
    n = max(done, 1)
    return Load(rps, p50, p99, cpu / n * 1e6, (gcs_after - gcs) * 1e3 / n, full_after - full)


def _status(server: Server, ep: Endpoint) -> int:
    url = server.url
    headers = dict(ep.headers)
    if ep.body:
        headers["content-type"] = "application/json"
    return httpx.request(
        ep.method, url + ep.path, content=ep.body or None, headers=headers
    ).status_code


def _median(loads: list[Load]) -> Load:
    return Load(
        statistics.median(x.rps for x in loads),
        statistics.median(x.p50 for x in loads),
        statistics.median(x.p99 for x in loads),
        statistics.median(x.cpu_us for x in loads),
        statistics.median(x.gc_k for x in loads),
        sum(x.full for x in loads),
    )


def _ratios(label: str, g: Load, h: Load) -> str:
    return (
        f"{label:38} {g.rps:6.0f} {h.rps:6.0f} {g.rps / h.rps:5.2f}x"
        f"  {g.p50:6.2f} {h.p50:6.2f}  {g.p99:6.2f} {h.p99:6.2f} {g.p99 / h.p99:5.2f}x"
        f"  {g.cpu_us:5.0f} {h.cpu_us:5.0f} {h.cpu_us / g.cpu_us:5.2f}x"
        f"  {g.gc_k:5.1f} {h.gc_k:5.1f}  {g.full:2d} {h.full:2d}"
    )


def bench_servers(
    examples: Path, spec: str, seconds: int, connections: int, reps: int, before: Path | None = None
) -> list[str]:
    """wrk against the generated server and its hand-written twin, alternating runs.

    With ``before`` (another generated_examples/), its server runs in the same
    rotation, so before and after are measured under the same neighbours.
    """
    rows = []
    dirs = {"": examples / spec / "rest-server"}
    if before is not None:
        dirs = {" before": before / spec / "rest-server", " after": dirs[""]}
    with contextlib.ExitStack() as stack:
        gens = {}
        for tag, gen_dir in dirs.items():
            package = next(p.parent.name for p in gen_dir.glob("*/app.py"))
            gens[tag] = stack.enter_context(_server(gen_dir, f"{package}.app:create_app", True))
        hand = stack.enter_context(_server(HERE, f"handwritten:{spec}", False))
        servers = [*gens.values(), hand]
        for ep in _endpoints(spec):
            got = [_status(server, ep) for server in servers]
            if set(got) != {ep.status}:
                raise SystemExit(f"{spec} {ep.label}: generated/hand-written answered {got}")
            runs: dict[Server, list[Load]] = {server: [] for server in servers}
            for rep in range(reps):  # rotate the order (g h, h g, ...): neighbours hurt all alike
                for server in servers if rep % 2 == 0 else servers[::-1]:
                    runs[server].append(_wrk(server, ep, seconds, connections, warm=rep == 0))
            h = _median(runs[hand])
            for tag, gen in gens.items():
                rows.append(_ratios(f"{spec} {ep.label}{tag}", _median(runs[gen]), h))
                print(rows[-1], flush=True)
    return rows


def _spread(values: list[float]) -> str:
    """Median and the quartiles of per-pair ratios (``0.97x [0.93-1.01]``)."""
    q = statistics.quantiles(values, n=4) if len(values) > 1 else [values[0]] * 3
    return f"{q[1]:5.2f}x [{q[0]:.2f}-{q[2]:.2f}]"


def bench_pairs(examples: Path, spec: str, seconds: int, connections: int, pairs: int) -> list[str]:
    """Many short generated/hand-written runs back to back, judged pair by pair.

    On a shared machine the load of the neighbours drifts over seconds, so the
    median of each server's runs (``bench_servers``) still compares runs made
    under different neighbours. Here each pair is two runs of ``seconds`` one
    right after the other (order alternating), the ratio is taken within the
    pair, and the row gives the median and quartiles of the ``pairs`` ratios:
    requests/s, p99, CPU time per request (hand / generated, so >1 is the
    generated server cheaper), and ``busy``: the share of the run the server was
    on the CPU (requests/s x CPU per request), generated / hand-written. Below 1
    with CPU at 1, the generated server waited more (for the CPU or for wrk):
    the gap is not its code. Last, collections per 1000 requests.
    """
    rows = []
    gen_dir = examples / spec / "rest-server"
    package = next(p.parent.name for p in gen_dir.glob("*/app.py"))
    with (
        _server(gen_dir, f"{package}.app:create_app", True) as gen,
        _server(HERE, f"handwritten:{spec}", False) as hand,
    ):
        for ep in _endpoints(spec):
            got = [_status(server, ep) for server in (gen, hand)]
            if set(got) != {ep.status}:
                raise SystemExit(f"{spec} {ep.label}: generated/hand-written answered {got}")
            rps, p99, cpu, busy, gcs = [], [], [], [], []
            for i in range(pairs):
                order = (gen, hand) if i % 2 == 0 else (hand, gen)
                loads = {srv: _wrk(srv, ep, seconds, connections, warm=i < 2) for srv in order}
                g, h = loads[gen], loads[hand]
                rps.append(g.rps / h.rps)
                p99.append(g.p99 / h.p99)
                cpu.append(h.cpu_us / g.cpu_us)
                busy.append((g.rps * g.cpu_us) / (h.rps * h.cpu_us))
                gcs.append((g.gc_k, h.gc_k))
            gc_gen = statistics.median(x for x, _ in gcs)
            gc_hand = statistics.median(y for _, y in gcs)
            rows.append(
                f"{spec} {ep.label:34} rps {_spread(rps)}  p99 {_spread(p99)}"
                f"  cpu {_spread(cpu)}  busy {_spread(busy)}  gc/1k {gc_gen:.1f} {gc_hand:.1f}"
            )
            print(rows[-1], flush=True)
    return rows


def _rate(call: Callable[[], object], n: int) -> float:
    """Calls per CPU second of this process (the client's own cost, not the server's)."""
    start = time.process_time()
    for _ in range(n):
        call()
    return n / (time.process_time() - start)


def _client_cases(
    client: Any, plain: Any
) -> dict[str, tuple[Callable[[], object], Callable[[], object]]]:
    """Each generated client call beside plain httpx doing the same request."""

    def raw(path: str, params: dict[str, int] | None = None) -> object:
        response = plain.get(path, params=params, headers={"accept": "application/json"})
        response.raise_for_status()
        return response.json()

    return {
        "show_pet_by_id(pet_id=1)": (
            lambda: client.show_pet_by_id(pet_id=1),
            lambda: raw("/pets/1"),
        ),
        "list_pets(limit=10)": (
            lambda: client.list_pets(limit=10),
            lambda: raw("/pets", {"limit": 10}),
        ),
        "list_pets()": (lambda: client.list_pets(), lambda: raw("/pets")),
    }


def _client_module(examples: Path) -> Any:
    """The generated petstore client package of ``examples``, imported."""
    client_dir = examples / "petstore" / "rest-client"
    sys.path.insert(0, str(client_dir))
    package = next(p.parent.name for p in client_dir.glob("*/client.py"))
    return importlib.import_module(package)


def _mock_clients(examples: Path) -> tuple[Any, httpx.Client]:
    """The generated client and plain httpx, both over one ``httpx.MockTransport`` with fixed replies."""
    client_mod = _client_module(examples)
    replies = {
        "/pets/1": b'{"id":1,"name":"Rex","tag":"dog"}',
        "/pets": b'[{"id":0,"name":"string"}]',
    }

    def answer(request: httpx.Request) -> httpx.Response:
        content = replies[request.url.path]
        return httpx.Response(200, content=content, headers={"content-type": "application/json"})

    transport = httpx.MockTransport(answer)
    base = "http://127.0.0.1:8000"
    client = client_mod.Client(base, http=httpx.Client(base_url=base, transport=transport))
    return client, httpx.Client(base_url=base, transport=transport)


def bench_client_inprocess(examples: Path, calls: int, rounds: int) -> list[str]:
    """The client's own cost: both sides talk to an ``httpx.MockTransport`` (no sockets, no server)."""
    client, plain = _mock_clients(examples)
    rows = []
    for label, (generated, baseline) in _client_cases(client, plain).items():
        _rate(generated, 200), _rate(baseline, 200)
        g, b = [], []
        for _ in range(rounds):
            g.append(1e6 / _rate(generated, calls))
            b.append(1e6 / _rate(baseline, calls))
        gm, bm = min(g), min(b)
        rows.append(f"client    {label:28} {gm:7.1f} {bm:7.1f} {bm / gm:5.2f}x")
        print(rows[-1], flush=True)
    return rows


@contextlib.contextmanager
def _wire_cases(
    examples: Path,
) -> Iterator[dict[str, tuple[Callable[[], object], Callable[[], object]]]]:
    """``_client_cases`` against the hand-written petstore server (uvicorn on CPU 0, this process on CPU 1)."""
    client_mod = _client_module(examples)
    os.sched_setaffinity(0, {1})
    with _server(HERE, "handwritten:petstore", False) as server:
        client = client_mod.Client(server.url)
        plain = httpx.Client(base_url=server.url, timeout=30.0)
        try:
            yield _client_cases(client, plain)
        finally:
            client.close()
            plain.close()


def bench_client(examples: Path, calls: int, rounds: int) -> list[str]:
    """Calls per client CPU second over the wire, generated ÷ plain httpx: medians of alternating batches."""
    rows = []
    with _wire_cases(examples) as cases:
        for label, (generated, baseline) in cases.items():
            _rate(generated, 100), _rate(baseline, 100)
            g, b = [], []
            for _ in range(rounds):
                g.append(_rate(generated, calls))
                b.append(_rate(baseline, calls))
            gm, bm = statistics.median(g), statistics.median(b)
            rows.append(
                f"client    {label:28} {gm:8.0f} {bm:8.0f} {gm / bm:5.2f}x   (calls per client CPU second: generated, plain httpx)"
            )
            print(rows[-1], flush=True)
    return rows


def _round(call: Callable[[], object], n: int) -> tuple[float, float]:
    """Client CPU µs and wall µs per call over ``n`` calls."""
    cpu, wall = time.process_time(), time.perf_counter()
    for _ in range(n):
        call()
    return (time.process_time() - cpu) / n * 1e6, (time.perf_counter() - wall) / n * 1e6


def bench_client_pairs(examples: Path, calls: int, pairs: int) -> list[str]:
    """The client over the wire as ``bench_pairs`` does the servers: rounds judged pair by pair.

    Each pair is a round of ``calls`` generated calls and one of plain httpx calls,
    back to back (order alternating) against the same hand-written petstore
    server (uvicorn on CPU 0, this process on CPU 1); per pair, calls per
    second generated ÷ plain by the client's CPU time and by the wall clock
    (which includes the server's and the kernel's share, the same on both
    sides). Rows: median [quartiles] of the ``pairs`` ratios, ≥ 1 is the
    generated client at least as fast, and the median µs per call of each.
    """
    rows = []
    with _wire_cases(examples) as cases:
        for label, (generated, baseline) in cases.items():
            _round(generated, 200), _round(baseline, 200)
            cpu, wall, g_us, b_us = [], [], [], []
            for i in range(pairs):
                sides = (generated, baseline) if i % 2 == 0 else (baseline, generated)
                costs = {side: _round(side, calls) for side in sides}
                g, b = costs[generated], costs[baseline]
                cpu.append(b[0] / g[0])
                wall.append(b[1] / g[1])
                g_us.append(g[0])
                b_us.append(b[0])
            rows.append(
                f"client {label:28} cpu {_spread(cpu)}  wall {_spread(wall)}"
                f"  cpu us/call {statistics.median(g_us):5.1f} {statistics.median(b_us):5.1f}"
            )
            print(rows[-1], flush=True)
    return rows


_PROBE_WARM = 100
"""Calls a client probe makes before callgrind starts counting (imports, adapters, pools)."""


def client_probe(examples: Path, label: str, side: str, n: int) -> None:
    """Run under callgrind by ``_client_instructions``: warm up, then ``n`` calls when told.

    ``ready``/``done`` on stdout tell the parent when to switch counting on and
    off; it answers on stdin. Only the ``n`` calls are counted, not start-up.
    """
    client, plain = _mock_clients(examples)
    call = _client_cases(client, plain)[label][0 if side == "generated" else 1]
    for _ in range(_PROBE_WARM):
        call()
    print("ready", flush=True)
    sys.stdin.readline()
    for _ in range(n):
        call()
    print("done", flush=True)
    sys.stdin.readline()


def _client_instructions(
    examples: Path, label: str, side: str, n: int, cache: bool = False
) -> dict[str, float]:
    """Events per call of one client side (``generated`` or ``plain``) over ``httpx.MockTransport``."""
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "callgrind.out"
        cmd = [*_callgrind(out, cache), sys.executable, str(Path(__file__).resolve())]
        cmd += [
            "--examples",
            str(examples),
            "--client-probe",
            f"{side}:{label}",
            "--instructions",
            str(n),
        ]
        env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
        proc = subprocess.Popen(
            cmd,
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            stderr=subprocess.DEVNULL,
        )
        assert proc.stdin is not None and proc.stdout is not None
        control = ["callgrind_control"]
        try:
            if proc.stdout.readline().strip() != "ready":
                raise RuntimeError(f"client probe {side} {label} did not start")
            subprocess.run([*control, "-i", "on", str(proc.pid)], check=True, capture_output=True)
            proc.stdin.write("go\n")
            proc.stdin.flush()
            if proc.stdout.readline().strip() != "done":
                raise RuntimeError(f"client probe {side} {label} did not finish")
            subprocess.run([*control, "-i", "off", str(proc.pid)], check=True, capture_output=True)
            subprocess.run([*control, "-d", str(proc.pid)], check=True, capture_output=True)
            proc.stdin.write("end\n")
            proc.stdin.close()
            proc.wait(timeout=120)
        finally:
            if proc.poll() is None:
                proc.terminate()
                proc.wait(timeout=60)
        return _events(Path(f"{out}.1"), n)


def bench_client_instructions(
    examples: Path, n: int, before: Path | None = None, cache: bool = False
) -> list[str]:
    """Instructions per call of the generated client (and ``before``'s) and of plain httpx.

    Both over the same ``httpx.MockTransport`` (no sockets, no server), each in
    its own process under callgrind, counting only ``n`` calls after
    ``_PROBE_WARM``: the client's own cost, the same on a busy machine as on an
    idle one. Ratio = plain ÷ generated (≥ 1: the generated call no dearer).
    """
    dirs = {"": examples} if before is None else {" before": before, " after": examples}
    rows = []
    for label in _client_cases(None, None):  # the labels only: no call is made
        raw = _client_instructions(examples, label, "plain", n, cache)
        for tag, where in dirs.items():
            gen = _client_instructions(where, label, "generated", n, cache)
            row = f"client {label + tag:37} {gen['Ir'] / 1e3:8.1f}k {raw['Ir'] / 1e3:8.1f}k"
            row += f" {raw['Ir'] / gen['Ir']:5.3f}x"
            row += "".join(f"  {e} {gen[e]:.0f}/{raw[e]:.0f}" for e in _CACHE_EVENTS if e in gen)
            rows.append(row)
            print(rows[-1], flush=True)
    return rows


def _scope(ep: Endpoint) -> tuple[dict[str, object], bytes]:
    path, _, query = ep.path.partition("?")
    headers = [(b"host", b"127.0.0.1"), (b"accept", b"*/*")]
    headers += [(k.lower().encode(), v.encode()) for k, v in ep.headers]
    if ep.body:
        headers += [(b"content-type", b"application/json")]
        headers += [(b"content-length", str(len(ep.body)).encode())]
    scope = {
        "type": "http",
        "asgi": {"version": "3.0", "spec_version": "2.3"},
        "http_version": "1.1",
        "method": ep.method,
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": query.encode(),
        "root_path": "",
        "headers": headers,
        "client": ("127.0.0.1", 50000),
        "server": ("127.0.0.1", 8000),
    }
    return scope, ep.body.encode()


async def _asgi_cost(app: Callable[..., object], ep: Endpoint, n: int) -> tuple[float, int]:
    """CPU µs per request of ``app`` called directly (no sockets, no HTTP parsing), and its status."""
    scope, body = _scope(ep)
    status = 0

    async def receive() -> dict[str, object]:
        return {"type": "http.request", "body": body, "more_body": False}

    async def send(message: dict[str, object]) -> None:
        nonlocal status
        if message["type"] == "http.response.start":
            status = int(message["status"])  # type: ignore[call-overload]

    start = time.process_time()
    for _ in range(n):
        await app(dict(scope), receive, send)  # type: ignore[operator]
    return (time.process_time() - start) / n * 1e6, status


def _gc_drift(app: Callable[..., object], ep: Endpoint, n: int) -> float:
    """How much one request raises the garbage collector's gen-0 count (gc off, a task per request).

    Zero for code that frees what it allocates; each unit left behind brings the
    next collection closer, and every tenth of those a full one, which the fastest
    round above never shows but a server under load pays for (CPU and p99).
    """
    import asyncio
    import gc

    scope, body = _scope(ep)

    async def receive() -> dict[str, object]:
        return {"type": "http.request", "body": body, "more_body": False}

    async def send(message: dict[str, object]) -> None:
        pass

    async def run() -> float:
        loop = asyncio.get_running_loop()
        for _ in range(20):
            await loop.create_task(app(dict(scope), receive, send))  # type: ignore[operator, arg-type]
        gc.collect()
        gc.disable()
        try:
            before = gc.get_count()[0]
            for _ in range(n):  # one task per request, as uvicorn runs them
                await loop.create_task(app(dict(scope), receive, send))  # type: ignore[operator, arg-type]
            return (gc.get_count()[0] - before) / n
        finally:
            gc.enable()

    return asyncio.run(run())


def bench_inprocess(examples: Path, spec: str, n: int, rounds: int) -> list[str]:
    """The app's ASGI callable, called directly: the per-request overhead of the code alone."""
    import asyncio

    os.environ.setdefault("BOOKSTORE_HEADER_KEY", KEY)
    gen_dir = examples / spec / "rest-server"
    package = next(p.parent.name for p in gen_dir.glob("*/app.py"))
    sys.path[:0] = [str(gen_dir), str(HERE)]
    for name in [m for m in sys.modules if m == package or m.startswith(package + ".")]:
        del sys.modules[name]
    gen_app = importlib.import_module(f"{package}.app").create_app()
    hand_app = getattr(importlib.import_module("handwritten"), spec)
    rows = []

    async def run() -> None:
        for ep in _endpoints(spec):
            g_runs, h_runs = [], []
            for app in (gen_app, hand_app):
                await _asgi_cost(app, ep, max(n // 10, 10))  # warm-up
            statuses = set()
            for rep in range(rounds):
                order = ((gen_app, g_runs), (hand_app, h_runs))
                for app, runs in order if rep % 2 == 0 else order[::-1]:
                    cost, status = await _asgi_cost(app, ep, n)
                    runs.append(cost)
                    statuses.add(status)
            if statuses != {ep.status}:
                raise SystemExit(f"{spec} {ep.label}: in-process statuses {statuses}")
            # the fastest round: neighbours only ever add CPU time (cache misses, SMT)
            g, h = min(g_runs), min(h_runs)
            rows.append(f"{spec:9} {ep.label:28} {g:7.1f} {h:7.1f} {h / g:5.2f}x")

    asyncio.run(run())
    for i, ep in enumerate(_endpoints(spec)):
        drift = [_gc_drift(app, ep, 200) for app in (gen_app, hand_app)]
        rows[i] += f"  {drift[0]:5.2f} {drift[1]:5.2f}"
        print(rows[i], flush=True)
    sys.path.remove(str(gen_dir))
    return rows


def _instructions(
    app_dir: Path, app: str, factory: bool, ep: Endpoint, n: int, cache: bool = False
) -> dict[str, float]:
    """Events per request of the server: valgrind's callgrind, counting only during ``n`` requests.

    ``Ir`` (instructions) always; with ``cache``, callgrind's cache and branch
    simulation adds the simulated misses (``D1mr``, ``DLmr``, ``Bcm``, ...), what
    a bigger heap or code footprint would cost that the instruction count misses.

    User-space work of the whole server (uvicorn, h11, Starlette, the app) for
    one keep-alive connection; unlike time, the count is the same on a busy
    machine as on an idle one. The kernel's share (two ``sendto``, one
    ``recvfrom`` per request for both apps) is not counted.
    """
    port = _free_port()
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "callgrind.out"
        cmd = [
            *_callgrind(out, cache),
            sys.executable,
            "-m",
            "uvicorn",
            "--app-dir",
            str(app_dir),
            "--port",
            str(port),
        ]
        cmd += [
            "--log-level",
            "warning",
            "--no-access-log",
            app,
            *(["--factory"] if factory else []),
        ]
        env = {**os.environ, "BOOKSTORE_HEADER_KEY": KEY, "PYTHONDONTWRITEBYTECODE": "1"}
        proc = subprocess.Popen(cmd, env=env, stderr=subprocess.DEVNULL)
        control = ["callgrind_control"]
        try:
            with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=60) as client:
                for _ in range(600):  # valgrind starts the server slowly
                    with contextlib.suppress(httpx.HTTPError):
                        client.get("/__up__")
                        break
                    time.sleep(0.2)
                headers = dict(ep.headers) | (
                    {"content-type": "application/json"} if ep.body else {}
                )

                def call() -> None:
                    client.request(ep.method, ep.path, content=ep.body or None, headers=headers)

                for _ in range(20):
                    call()
                subprocess.run(
                    [*control, "-i", "on", str(proc.pid)], check=True, capture_output=True
                )
                for _ in range(n):
                    call()
                subprocess.run(
                    [*control, "-i", "off", str(proc.pid)], check=True, capture_output=True
                )
                subprocess.run([*control, "-d", str(proc.pid)], check=True, capture_output=True)
        finally:
            proc.terminate()
            proc.wait(timeout=60)
        return _events(Path(f"{out}.1"), n)


def _callgrind(out: Path, cache: bool) -> list[str]:
    """valgrind's callgrind, counting nothing until ``callgrind_control -i on``."""
    cmd = ["valgrind", "--tool=callgrind", "--instr-atstart=no", f"--callgrind-out-file={out}"]
    return cmd + (
        ["--cache-sim=yes", "--branch-sim=yes", f"--LL={LL_BYTES},16,64"] if cache else []
    )


def _events(dump_file: Path, n: int) -> dict[str, float]:
    """The totals of a callgrind dump per each of ``n`` units of work, by event name."""
    dump = dump_file.read_text()
    names = re.search(r"^events: (.+)$", dump, re.M).group(1).split()  # type: ignore[union-attr]
    totals = re.search(r"^totals: (.+)$", dump, re.M).group(1).split()  # type: ignore[union-attr]
    return {name: int(total) / n for name, total in zip(names, totals, strict=True)}


LL_BYTES = 1 << 20
"""The last-level cache callgrind simulates: 1 MiB, 16-way, the size of one core's private L2.

Valgrind's default copies the host's, which on this VM reads as 256 MiB direct-mapped:
everything fits and a bigger per-request footprint shows nowhere. What misses 1 MiB is
served from the L3 the neighbours share (tens of ns each on a busy machine)."""

_CACHE_EVENTS = ("I1mr", "D1mr", "D1mw", "ILmr", "DLmr", "DLmw", "Bcm", "Bim")


def bench_instructions(
    examples: Path, spec: str, n: int, before: Path | None = None, cache: bool = False
) -> list[str]:
    """Instructions per request of each generated server (and ``before``'s) and the hand-written twin.

    With ``cache``, also the simulated cache and branch misses per request (gen / hand).
    """
    dirs = {"": examples / spec / "rest-server"}
    if before is not None:
        dirs = {" before": before / spec / "rest-server", " after": dirs[""]}
    rows = []
    for ep in _endpoints(spec):
        hand = _instructions(HERE, f"handwritten:{spec}", False, ep, n, cache)
        for tag, gen_dir in dirs.items():
            package = next(p.parent.name for p in gen_dir.glob("*/app.py"))
            gen = _instructions(gen_dir, f"{package}.app:create_app", True, ep, n, cache)
            label = f"{spec} {ep.label}{tag}"
            row = f"{label:44} {gen['Ir'] / 1e3:8.0f}k {hand['Ir'] / 1e3:8.0f}k"
            row += f" {hand['Ir'] / gen['Ir']:5.2f}x"
            row += "".join(f"  {e} {gen[e]:.0f}/{hand[e]:.0f}" for e in _CACHE_EVENTS if e in gen)
            rows.append(row)
            print(rows[-1], flush=True)
    return rows


ONLY = ""
"""``--only``: benchmark just the endpoints whose label contains it."""


def _endpoints(spec: str) -> tuple[Endpoint, ...]:
    return tuple(ep for ep in ENDPOINTS[spec] if ONLY in ep.label)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--examples", type=Path, default=REPO / "generated_examples")
    parser.add_argument(
        "--before",
        type=Path,
        help="also serve this generated_examples/ copy (e.g. main's) in the same rotation",
    )
    parser.add_argument("--duration", type=int, default=2, help="seconds per run")
    parser.add_argument("--reps", type=int, default=3, help="runs per endpoint and server (median)")
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--specs", default="petstore,bookstore")
    parser.add_argument("--client-calls", type=int, default=200, help="calls per batch")
    parser.add_argument("--client-rounds", type=int, default=7)
    parser.add_argument(
        "--inprocess",
        type=int,
        default=0,
        metavar="N",
        help="instead: call each app's ASGI callable N times per round (CPU µs per request)",
    )
    parser.add_argument(
        "--instructions",
        type=int,
        default=0,
        metavar="N",
        help="instead: instructions per request over N requests under valgrind (load-independent)",
    )
    parser.add_argument(
        "--cache-sim",
        action="store_true",
        help="with --instructions: also callgrind's simulated cache and branch misses per request",
    )
    parser.add_argument(
        "--only", default="", help="only the endpoints whose label contains this (e.g. 422)"
    )
    parser.add_argument(
        "--pairs",
        type=int,
        default=0,
        metavar="N",
        help="instead: N back-to-back generated/hand-written pairs of runs, ratios per pair",
    )
    parser.add_argument("--client-probe", help=argparse.SUPPRESS)  # side:label, under callgrind
    args = parser.parse_args()
    if args.client_probe:
        side, _, label = args.client_probe.partition(":")
        client_probe(args.examples.resolve(), label, side, args.instructions)
        return
    global ONLY
    ONLY = args.only
    before = args.before.resolve() if args.before else None
    specs = list(filter(None, args.specs.split(",")))
    if args.instructions:
        if specs:
            print(
                f"{'endpoint':44} {'gen Ir':>9} {'hand Ir':>9} ratio (instructions per request, callgrind)"
            )
        for spec in specs:
            bench_instructions(
                args.examples.resolve(), spec, args.instructions, before, args.cache_sim
            )
        if args.client_calls:
            print(f"{'client call':44} {'gen Ir':>9} {'httpx Ir':>9} ratio (instructions per call)")
            bench_client_instructions(
                args.examples.resolve(), args.instructions, before, args.cache_sim
            )
        return
    if args.inprocess:
        print(
            f"{'spec':9} {'endpoint':28} {'gen us':>7} {'hand us':>7} ratio  gc drift/request (gen hand)"
        )
        for spec in filter(None, args.specs.split(",")):
            bench_inprocess(args.examples.resolve(), spec, args.inprocess, args.client_rounds)
        if args.client_calls:
            bench_client_inprocess(args.examples.resolve(), args.inprocess, args.client_rounds)
        return
    if args.pairs:
        if specs:
            print("per-pair ratios, median [quartiles]: rps gen/hand, p99 gen/hand, CPU hand/gen")
        for spec in specs:
            bench_pairs(args.examples.resolve(), spec, args.duration, args.connections, args.pairs)
        if args.client_calls:
            print(
                f"client pairs of {args.client_calls}-call rounds, calls/s generated ÷ plain httpx,"
                " median [quartiles]: by client CPU, by wall clock; CPU µs per call (gen plain)"
            )
            bench_client_pairs(args.examples.resolve(), args.client_calls, args.pairs)
        return
    print(
        f"{'endpoint':38} {'rps':>6} {'hand':>6} ratio  {'p50ms':>6} {'hand':>6}"
        f"  {'p99ms':>6} {'hand':>6} ratio  {'cpuus':>5} {'hand':>5} ratio  gc/1k  hand  full gc (gen hand)"
    )
    for spec in filter(None, args.specs.split(",")):
        bench_servers(
            args.examples.resolve(), spec, args.duration, args.connections, args.reps, before
        )
    if args.client_calls:
        bench_client(args.examples.resolve(), args.client_calls, args.client_rounds)


if __name__ == "__main__":
    main()
