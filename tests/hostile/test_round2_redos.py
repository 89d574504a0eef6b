"""Crafted values against a spec ``pattern`` cannot stall a generated server or client (ReDoS).

Each pattern below makes a backtracking engine (Python's ``re``) explore about
2**n paths on the value ``"a" * n + "!"``; the values sent here are thousands of
characters long, so a backtracking check would never finish. Over real sockets:
the generated server answers each crafted request with 422 (REST) or an
invalid-message error frame (WebSocket), and a second request sent at the same
time is answered meanwhile. Patterns Rust's linear engine takes go there;
lookarounds and backreferences get a bounded check that refuses the value.
"""

from __future__ import annotations

import http.server
import json
import re
import subprocess
import sys
import textwrap
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest
from websockets.sync.client import connect

from .round2_support import generate, serve

NESTED = r"^(a+)+$"
WORDS = r"^(\w+\s?)*$"
ALTERNATION = r"(a|aa)+$"
LOOKAHEAD = r"^(?=(a|aa)+$)"
"""Only a backtracking engine takes this one: the bounded check must refuse crafted values."""
BACKREF = r"^(a|aa)+\1$"

CRAFTED = "a" * 3000 + "!"
GENEROUS = 30.0
"""Seconds a client waits: a backtracking engine needs about 2**3000 steps, a bounded one ms."""


def _string(pattern: str) -> dict[str, str]:
    return {"type": "string", "pattern": pattern}


OPENAPI = {
    "openapi": "3.1.0",
    "info": {"title": "Redos", "version": "1"},
    "paths": {
        "/ping": {"get": {"operationId": "ping", "responses": {"204": {"description": "up"}}}},
        "/items/{code}": {
            "post": {
                "operationId": "putItem",
                "parameters": [
                    {"name": "code", "in": "path", "required": True, "schema": _string(WORDS)},
                    {"name": "q", "in": "query", "schema": _string(NESTED)},
                    {"name": "X-Tag", "in": "header", "schema": _string(ALTERNATION)},
                ],
                "requestBody": {
                    "content": {
                        "application/json": {
                            "schema": {
                                "type": "object",
                                "properties": {
                                    "look": _string(LOOKAHEAD),
                                    "refs": {"type": "array", "items": _string(BACKREF)},
                                },
                            }
                        }
                    }
                },
                "responses": {
                    "200": {
                        "description": "the item",
                        "content": {
                            "application/json": {
                                "schema": {
                                    "type": "object",
                                    "properties": {
                                        "name": _string(NESTED),
                                        "look": _string(LOOKAHEAD),
                                    },
                                }
                            }
                        },
                    }
                },
            }
        },
    },
}

ASYNCAPI = {
    "asyncapi": "3.0.0",
    "info": {"title": "Redos", "version": "1"},
    "servers": {"web": {"host": "127.0.0.1:8000", "protocol": "ws"}},
    "channels": {
        "room": {
            "address": "/room",
            "messages": {
                "said": {
                    "payload": {
                        "type": "object",
                        "properties": {"nested": _string(NESTED), "look": _string(LOOKAHEAD)},
                    }
                }
            },
        }
    },
    "operations": {"hear": {"action": "receive", "channel": {"$ref": "#/channels/room"}}},
}


def _backtracking_seconds(pattern: str, n: int) -> float:
    """What Python's re takes on the crafted value of length ``n`` (small n: it finishes)."""
    start = time.perf_counter()
    re.search(pattern, "a" * n + "!")
    return time.perf_counter() - start


def test_the_patterns_are_hostile_to_backtracking() -> None:
    """The control: each added ``a`` multiplies Python re's time (so 3000 of them never end)."""
    short, longer = _backtracking_seconds(NESTED, 14), _backtracking_seconds(NESTED, 20)
    assert longer > 8 * short, (short, longer)


@pytest.fixture(scope="module")
def rest(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The generated REST server's base URL."""
    project, package = generate(tmp_path_factory.mktemp("redos-rest"), OPENAPI, "rest-server")
    with serve(project, package) as (base, _):
        yield base


HOSTILE_REQUESTS = {
    "path": {"url": "/items/" + CRAFTED},
    "query": {"url": "/items/x", "params": {"q": CRAFTED}},
    "header": {"url": "/items/x", "headers": {"X-Tag": CRAFTED}},
    "body-lookahead": {"url": "/items/x", "json": {"look": CRAFTED}},
    "body-backref-array": {"url": "/items/x", "json": {"refs": ["a" * 200 + "!"] * 2000}},
}


@pytest.mark.timeout(300)
@pytest.mark.parametrize("where", sorted(HOSTILE_REQUESTS))
def test_rest_server_refuses_crafted_values_and_keeps_serving(rest: str, where: str) -> None:
    """422 for the crafted value, and a ping sent meanwhile is answered (the loop never blocks)."""
    kwargs = dict(HOSTILE_REQUESTS[where])
    url = rest + str(kwargs.pop("url"))
    with httpx.Client(timeout=GENEROUS) as client, ThreadPoolExecutor(4) as pool:
        client.post(url, json={})  # builds the validators, so the flood measures checking
        hostile = [pool.submit(client.post, url, **kwargs) for _ in range(3)]
        pings = [client.get(rest + "/ping").status_code for _ in range(5)]
        answers = [f.result() for f in hostile]
    assert pings == [204] * 5
    for answer in answers:
        assert answer.status_code == 422, (where, answer.status_code, answer.text[:300])
        assert "Traceback" not in answer.text


@pytest.mark.timeout(300)
def test_stream_server_refuses_crafted_frames_and_keeps_serving(tmp_path: Path) -> None:
    """Crafted WebSocket frames get invalid-message error frames; others are served meanwhile."""
    project, package = generate(tmp_path, ASYNCAPI, "stream-server")
    with serve(project, package) as (base, _):
        ws_url = base.replace("http://", "ws://") + "/room"
        with connect(ws_url) as hostile, connect(ws_url) as other:
            for field in ("nested", "look", "nested"):
                hostile.send(json.dumps({field: CRAFTED}))
            other.send(
                json.dumps({"nested": "x" * 100 + "!"})
            )  # invalid too: an answer to wait for
            served = httpx.get(base + "/openapi.json", timeout=GENEROUS).status_code
            replies = [json.loads(hostile.recv(timeout=GENEROUS)) for _ in range(3)]
            other_reply = json.loads(other.recv(timeout=GENEROUS))
    assert served == 200
    assert other_reply["error"]["code"] == "invalid-message"
    for reply in replies:
        assert reply["error"]["code"] == "invalid-message", reply


CLIENT_CALL = textwrap.dedent(
    """
    import importlib, sys, time
    from pydantic import ValidationError
    client = importlib.import_module(sys.argv[2] + ".client")
    api = client.Client(base_url=sys.argv[1])
    start = time.perf_counter()
    try:
        api.default.put_item(code="x")
    except ValidationError as exc:
        print("@@refused", exc.errors()[0]["loc"], round(time.perf_counter() - start, 3))
    else:
        print("@@accepted")
    """
)


@pytest.mark.timeout(300)
@pytest.mark.parametrize("field", ["name", "look"])
def test_rest_client_refuses_crafted_reply_values(tmp_path: Path, field: str) -> None:
    """A server replying with a crafted value: the generated client refuses it instead of hanging."""
    project, package = generate(tmp_path, OPENAPI, "rest-client")
    body = json.dumps({field: CRAFTED}).encode()

    class Reply(http.server.BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            self.send_response(200)
            self.send_header("content-type", "application/json")
            self.send_header("content-length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Reply)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        proc = subprocess.run(
            [
                sys.executable,
                "-c",
                CLIENT_CALL,
                f"http://127.0.0.1:{server.server_address[1]}",
                package,
            ],
            cwd=project,
            capture_output=True,
            text=True,
            timeout=GENEROUS * 2,
        )
    finally:
        server.shutdown()
        thread.join(timeout=5)
    assert "@@refused" in proc.stdout and field in proc.stdout, proc.stdout + proc.stderr[-2000:]
