"""Spec text cannot crash ``python -m <package> --help``; credentials in query strings never reach logs.

A title holding ``%`` (and ``%(prog)``, which makes argparse %-format the
description) must leave ``--help`` working in every target with a ``__main__``.
Query-string credentials (the spec's apiKey query parameters and the usual
token names) are redacted from uvicorn's access log and WebSocket handshake
log of the generated REST and stream servers, over real HTTP.
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from websockets.sync.client import connect

from .round2_support import generate, serve

TITLE = "Growth 100% %(prog) %(x)s %s %"

OPENAPI = {
    "openapi": "3.1.0",
    "info": {"title": TITLE, "version": "1%"},
    "components": {"securitySchemes": {"key": {"type": "apiKey", "in": "query", "name": "p4ss"}}},
    "paths": {
        "/items": {
            "get": {
                "operationId": "listItems",
                "security": [{"key": []}],
                "parameters": [{"name": "limit", "in": "query", "schema": {"type": "integer"}}],
                "responses": {"204": {"description": "100% done"}},
            }
        }
    },
}

ASYNCAPI = {
    "asyncapi": "3.0.0",
    "info": {"title": TITLE, "version": "1", "description": "50% %(prog)"},
    "servers": {
        "web": {
            "host": "127.0.0.1:8000",
            "protocol": "ws",
            "security": [{"$ref": "#/components/securitySchemes/key"}],
        }
    },
    "channels": {"room": {"address": "/room", "messages": {"m": {"payload": {"type": "string"}}}}},
    "operations": {
        "hear": {"action": "receive", "channel": {"$ref": "#/channels/room"}, "summary": "10%"}
    },
    "components": {
        "securitySchemes": {"key": {"type": "httpApiKey", "in": "query", "name": "p4ss"}}
    },
}

SECRETS = ("SECRET-DECLARED", "SECRET-TOKEN", "SECRET-ACCESS")


@pytest.mark.timeout(240)
@pytest.mark.parametrize(
    ("target", "doc"),
    [("rest-server", OPENAPI), ("stream-server", ASYNCAPI), ("stream-client", ASYNCAPI)],
)
def test_help_survives_percent_in_spec_text(tmp_path: Path, target: str, doc: object) -> None:
    """``python -m <package> --help``: exit 0, no traceback, the title shown as written."""
    project, package = generate(tmp_path, doc, target)  # type: ignore[arg-type]
    proc = subprocess.run(
        [sys.executable, "-m", package, "--help"],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 0 and "Traceback" not in proc.stderr, proc.stderr[-2000:]
    assert "usage: python -m" in proc.stdout
    if target == "rest-server":
        assert " ".join(TITLE.split()) in " ".join(proc.stdout.split())


def _query() -> dict[str, str]:
    return {"p4ss": SECRETS[0], "token": SECRETS[1], "access_token": SECRETS[2], "limit": "5"}


def _wait_for(log: Path, text: str) -> str:
    deadline = time.monotonic() + 20
    while text not in (content := log.read_text(errors="replace")):
        assert time.monotonic() < deadline, f"{text!r} never logged:\n{content}"
        time.sleep(0.1)
    return content


@pytest.mark.timeout(240)
def test_rest_server_access_log_redacts_query_credentials(tmp_path: Path) -> None:
    """The access log line of a request with credentials in its query: path kept, values gone."""
    project, package = generate(tmp_path, OPENAPI, "rest-server")
    with serve(project, package, {"GROWTH_100_PROG_X_S_S_KEY": SECRETS[0]}) as (base, log):
        reply = httpx.get(base + "/items", params=_query(), timeout=10)
        assert reply.status_code == 204, reply.text
        content = _wait_for(log, "GET /items?")
    assert not [s for s in SECRETS if s in content], content
    assert "limit=5" in content and "p4ss=REDACTED" in content, content


@pytest.mark.timeout(240)
def test_stream_server_handshake_log_redacts_query_credentials(tmp_path: Path) -> None:
    """The WebSocket handshake log line (and the HTTP access log): no credential values."""
    project, package = generate(tmp_path, ASYNCAPI, "stream-server")
    with serve(project, package, {"GROWTH_100_PROG_X_S_S_KEY": SECRETS[0]}) as (base, log):
        query = "&".join(f"{k}={v}" for k, v in _query().items())
        with connect(base.replace("http://", "ws://") + "/room?" + query) as ws:
            ws.send('"hello"')
        httpx.get(base + "/openapi.json", params=_query(), timeout=10)
        content = _wait_for(log, "GET /openapi.json?")
        content = _wait_for(log, "WebSocket /room?")
    assert not [s for s in SECRETS if s in content], content
    assert "limit=5" in content and "p4ss=REDACTED" in content, content
