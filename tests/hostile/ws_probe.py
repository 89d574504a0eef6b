"""Run in a fresh interpreter against the generated chat stream-server: hostile WebSocket frames.

Usage: ``python ws_probe.py ROOT``. Two clients join the same room; the first
sends oversized, non-UTF-8, deeply nested, huge-number and non-JSON frames;
then the server broadcasts the spec's examples and both clients must receive
them. Prints one JSON line: the answers the attacker got, and what each client
received afterwards.
"""

from __future__ import annotations

import json
import os
import sys
from typing import Any

MAX_FRAME = 65_536


def main() -> None:
    """Attack one WebSocket connection; show that it and its neighbour carry on."""
    sys.path.insert(0, sys.argv[1])
    os.environ.update(
        {
            "CHAT_SERVICE_API_KEY": "secret",
            "CHAT_SERVICE_FEED_TOKEN": "secret",
            "CHAT_SERVICE_MAX_FRAME": str(MAX_FRAME),
            "CHAT_SERVICE_EMIT_EXAMPLES": "1",
        }
    )
    from chat_service.web import app
    from fastapi.testclient import TestClient

    attacks: dict[str, Any] = {
        "oversized": "x" * (MAX_FRAME + 1),
        "oversized-multibyte": "\U0001f47e" * (MAX_FRAME // 4 + 1),
        "not-utf8": b"\xff\xfe\xfd",
        "deep-nesting": "[" * 30_000 + "]" * 30_000,
        "huge-integer": "1" * 5_000,
        "huge-float": '{"text": 1e999999}',
        "not-json": "{not json",
        "wrong-shape": '{"unexpected": true}',
        "empty": "",
    }
    answers: dict[str, Any] = {}
    received: dict[str, Any] = {}
    with TestClient(app) as client:
        path = "/rooms/lobby?token=secret"
        with (
            client.websocket_connect(path) as attacker,
            client.websocket_connect(path) as bystander,
        ):
            for name, frame in attacks.items():
                if isinstance(frame, bytes):
                    attacker.send_bytes(frame)
                else:
                    attacker.send_text(frame)
                answers[name] = attacker.receive_json()
            emitted = client.post("/_twinspec/emit/sendChat")
            received["emit-status"] = emitted.status_code
            received["bystander"] = [bystander.receive_json(), bystander.receive_json()]
            received["attacker"] = [attacker.receive_json(), attacker.receive_json()]
        auth = {"Authorization": "Bearer secret"}
        posts = {
            "sse-oversized": client.post(
                "/ticker/ACME", content=b"x" * (MAX_FRAME + 1), headers=auth
            ),
            "sse-malformed": client.post("/ticker/ACME", content=b'{"a": ', headers=auth),
            "sse-no-credentials": client.post("/ticker/ACME", json={}),
            "sse-wrong-credentials": client.post(
                "/ticker/ACME", json={}, headers={"Authorization": "Bearer x"}
            ),
        }
        http = {name: response.status_code for name, response in posts.items()}
    print("@@WS@@" + json.dumps({"answers": answers, "received": received, "http": http}))


if __name__ == "__main__":
    main()
