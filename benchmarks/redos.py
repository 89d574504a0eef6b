"""ReDoS: the time one request with a crafted value takes against a spec ``pattern``.

    python benchmarks/redos.py [--repo PATH] [--length 28] [--cap 3]

Generates a REST server (the value in a query parameter and in a JSON body) and
a stream server (the value in a WebSocket frame) from specs whose strings carry
the classic nested-quantifier patterns and the worst patterns of the corpus
(``../shared/corpus``: SAP's ODM event catalogue and the AsyncAPI meta-schemas),
serves each with ``python -m <package>`` on 127.0.0.1, and times one request per
pattern and place: the crafted value makes a backtracking engine explore about
2**length paths. ``--repo`` generates with another checkout of twinspec (say an
export of the commit before the fix) to compare before and after; a request
still unanswered after ``--cap`` seconds is reported as ``>cap`` and its server
restarted (the blocked event loop would stall every later request). Every
pattern is first sent a harmless value, so the times exclude building validators.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
from websockets.sync.client import connect

REPO = Path(__file__).resolve().parents[1]

PATTERNS: dict[str, tuple[str, Callable[[int], str]]] = {
    # classic nested quantifiers (Rust's engine takes them)
    "nested": (r"^(a+)+$", lambda n: "a" * n + "!"),
    "alternation": (r"(a|aa)+$", lambda n: "a" * n + "!"),
    "words": (r"^(\w+\s?)*$", lambda n: "a" * n + "!"),
    # only a backtracking engine takes these: lookaround, backreference
    "lookahead": (r"^(?=(a|aa)+$)", lambda n: "a" * n + "!"),
    "backref": (r"^(a|aa)+\1$", lambda n: "a" * n + "!"),
    # the corpus: asyncapi/sap-event-catalog/odm-example.json (lookahead + nested)
    "corpus-sap": (
        r"(?=^.{18,83}$)(sap[.]odm([.][a-z]+(?:[a-z0-9]+)*)+)[.]([A-Z]+[a-z0-9]+(?:[A-Z][a-z0-9]+)*)"
        r"[.]([A-Z]+[a-z0-9]+(?:[A-Z][a-z0-9]+)*)[.](v[0-9]+)$",
        lambda n: "sap.odm." + "a" * n + "!",
    ),
    # the corpus: the same catalogue's event-type pattern (lookarounds + nested)
    "corpus-ce": (
        r"^/(?!ce/)([a-zA-Z0-9][a-zA-Z0-9.-]{0,8}[a-zA-Z0-9])/(?!ce/)(?!ce$)(?=.{3,15}(/|$))"
        r"([a-z][a-z0-9]*([.][a-z][a-z0-9]*)+)(?=.{0,37}$)(?!/ce$)"
        r"(/([a-zA-Z0-9]([a-zA-Z0-9.-]*[a-zA-Z0-9])*$)|$)",
        lambda n: "/ab/a.b/" + "a" * n + "!",
    ),
    # the corpus: asyncapi-schemas/2.x.json identifiers (nested)
    "corpus-ident": (
        r"^([A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*)*$",
        lambda n: "a" * n + "!",
    ),
}


def _properties() -> dict[str, object]:
    return {name: {"type": "string", "pattern": p} for name, (p, _) in PATTERNS.items()}


def openapi() -> dict[str, object]:
    """A REST API: every pattern as a query parameter of GET /check and a body property of POST."""
    params = [
        {"name": name, "in": "query", "schema": {"type": "string", "pattern": p}}
        for name, (p, _) in PATTERNS.items()
    ]
    ok = {"204": {"description": "valid"}}
    body = {"type": "object", "properties": _properties()}
    return {
        "openapi": "3.1.0",
        "info": {"title": "Redos", "version": "1"},
        "paths": {
            "/check": {
                "get": {"operationId": "checkQuery", "parameters": params, "responses": ok},
                "post": {
                    "operationId": "checkBody",
                    "requestBody": {"content": {"application/json": {"schema": body}}},
                    "responses": ok,
                },
            }
        },
    }


def asyncapi() -> dict[str, object]:
    """A WebSocket channel whose one message has every pattern as a property."""
    return {
        "asyncapi": "3.0.0",
        "info": {"title": "Redos", "version": "1"},
        "servers": {"web": {"host": "127.0.0.1:8000", "protocol": "ws"}},
        "channels": {
            "check": {
                "address": "/check",
                "messages": {
                    "values": {"payload": {"type": "object", "properties": _properties()}}
                },
            }
        },
        "operations": {"check": {"action": "receive", "channel": {"$ref": "#/channels/check"}}},
    }


_GENERATE = """
import sys
sys.path.insert(0, sys.argv[1])
from generator.cli.entry import main
sys.argv = ["twinspec", "generate", sys.argv[2], "-t", sys.argv[3], "-o", sys.argv[4]]
main()
"""


def generate(repo: Path, spec: Path, target: str, out: Path) -> tuple[Path, str]:
    """Generate with the twinspec checkout at ``repo``; (project folder, package)."""
    subprocess.run(
        [sys.executable, "-c", _GENERATE, str(repo), str(spec), target, str(out)],
        check=True,
        capture_output=True,
        env={k: v for k, v in os.environ.items() if k != "PYTHONPATH"},
    )
    (package,) = [p.parent.name for p in out.glob("*/__main__.py")]
    return out, package


def free_port() -> int:
    """A free TCP port on 127.0.0.1."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextlib.contextmanager
def serve(project: Path, package: str) -> Iterator[str]:
    """``python -m package`` on a free port: yield ``127.0.0.1:PORT``; stop it."""
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", package, "--host", "127.0.0.1", "--port", str(port)],
        cwd=project,
        env={**os.environ, "PYTHONPATH": str(project)},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            with contextlib.suppress(httpx.TransportError):
                httpx.get(f"http://127.0.0.1:{port}/openapi.json", timeout=1)
                break
            if time.monotonic() > deadline or proc.poll() is not None:
                raise RuntimeError(f"{package} did not start")
            time.sleep(0.1)
        yield f"127.0.0.1:{port}"
    finally:
        proc.kill()
        proc.wait()


_HTTP = httpx.Client()
"""One connection pool, so a measurement is the request, not a TLS context or a TCP handshake."""


def _rest(host: str, place: str, name: str, value: str, cap: float) -> tuple[float, str]:
    start = time.perf_counter()
    if place == "query":
        reply = _HTTP.get(f"http://{host}/check", params={name: value}, timeout=cap)
    else:
        reply = _HTTP.post(f"http://{host}/check", json={name: value}, timeout=cap)
    return time.perf_counter() - start, str(reply.status_code)


def _ws(host: str, place: str, name: str, value: str, cap: float) -> tuple[float, str]:
    with connect(f"ws://{host}/check", open_timeout=cap) as ws:
        start = time.perf_counter()
        ws.send(json.dumps({name: value}))
        reply = json.loads(ws.recv(timeout=cap))
    return time.perf_counter() - start, str(reply.get("error", {}).get("code", "accepted"))


def measure(
    project: Path, package: str, places: tuple[str, ...], length: int, cap: float
) -> dict[tuple[str, str], str]:
    """``(place, pattern) -> "12.3 ms (422)"``, restarting the server after a request hangs."""
    send = _ws if places == ("ws",) else _rest
    results: dict[tuple[str, str], str] = {}
    pending = [(place, name) for place in places for name in PATTERNS]
    while pending:
        with serve(project, package) as host:
            for place in places:  # warm up: adapters are built on first use
                for name in PATTERNS:
                    send(host, place, name, "warm-up", cap)
            while pending:
                place, name = pending.pop(0)
                value = PATTERNS[name][1](length)
                try:
                    seconds, outcome = send(host, place, name, value, cap)
                except (httpx.TimeoutException, TimeoutError):
                    results[(place, name)] = f">{cap:g} s (no answer)"
                    break  # the event loop is stuck: a fresh server for the rest
                results[(place, name)] = f"{seconds * 1000:.1f} ms ({outcome})"
    return results


def main() -> None:
    """Generate, serve, time; print one table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--repo", type=Path, default=REPO, help="twinspec checkout to generate with"
    )
    parser.add_argument("--length", type=int, default=28, help="crafted repetitions (default 28)")
    parser.add_argument("--cap", type=float, default=3.0, help="seconds before giving up")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        (root / "rest.json").write_text(json.dumps(openapi()))
        (root / "ws.json").write_text(json.dumps(asyncapi()))
        rest = generate(args.repo, root / "rest.json", "rest-server", root / "rest")
        ws = generate(args.repo, root / "ws.json", "stream-server", root / "ws")
        results = measure(*rest, ("query", "body"), args.length, args.cap)
        results |= measure(*ws, ("ws",), args.length, args.cap)
    print(f"generated with {args.repo}; crafted length {args.length}; cap {args.cap:g} s")
    print(f"{'pattern':<14} {'REST query':>22} {'REST body':>22} {'WebSocket':>22}")
    for name in PATTERNS:
        row = [results[(place, name)] for place in ("query", "body", "ws")]
        print(f"{name:<14} " + " ".join(f"{cell:>22}" for cell in row))


if __name__ == "__main__":
    main()
