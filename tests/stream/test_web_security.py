"""Every kind of WebSocket/SSE security scheme guards its endpoints, over a real socket.

The chat example covers an apiKey in the query and a bearer token; this document
adds the rest: an apiKey in a header, HTTP basic and an apiKey in a cookie, and a
server listing two schemes, where a client that any one of them accepts gets in
(``not (await authorized_by_a(ws) or await authorized_by_b(ws))`` in web.py).
The checks are the generated ``security.py`` defaults: the secret in the
environment variable named for the package and the scheme.
"""

from __future__ import annotations

import asyncio
import base64
import importlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import websockets

from tests.stream._live import generated_pair, serving

pytestmark = pytest.mark.timeout(120)

SPEC = """\
asyncapi: 3.0.0
info: {title: Guarded Notes, version: '1'}
servers:
  sockets:
    host: localhost:8000
    protocol: ws
    security:
      - $ref: '#/components/securitySchemes/headerKey'
      - $ref: '#/components/securitySchemes/login'
  feed:
    host: localhost:8000
    protocol: http
    security:
      - $ref: '#/components/securitySchemes/cookieKey'
channels:
  chat:
    address: /chat
    servers: [{$ref: '#/servers/sockets'}]
    messages: {note: {$ref: '#/components/messages/note'}}
  board:
    address: /board
    servers: [{$ref: '#/servers/feed'}]
    messages: {note: {$ref: '#/components/messages/note'}}
operations:
  postNote: {action: receive, channel: {$ref: '#/channels/chat'}}
  pinNote: {action: receive, channel: {$ref: '#/channels/board'}}
  showNote: {action: send, channel: {$ref: '#/channels/board'}}
components:
  messages:
    note:
      name: note
      payload: {type: object, required: [text], properties: {text: {type: string}}}
  securitySchemes:
    headerKey: {type: httpApiKey, in: header, name: X-Key}
    login: {type: http, scheme: basic}
    cookieKey: {type: httpApiKey, in: cookie, name: session}
"""

SECRETS = {
    "GUARDED_NOTES_HEADER_KEY": "header-secret",
    "GUARDED_NOTES_LOGIN": "ann:pass word",
    "GUARDED_NOTES_COOKIE_KEY": "cookie-secret",
}


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """``127.0.0.1:PORT`` of the generated server, its secrets set in the environment."""
    root: Path = tmp_path_factory.mktemp("web-security")
    spec = root / "guarded.yaml"
    spec.write_text(SPEC, encoding="utf-8")
    with pytest.MonkeyPatch.context() as patch:
        for name, value in SECRETS.items():
            patch.setenv(name, value)
        with generated_pair(spec, root, "", ""):
            web = importlib.import_module("guarded_notes.web")
            with serving(web.app) as (address, _):
                yield address


def basic(credential: str) -> str:
    return "Basic " + base64.b64encode(credential.encode()).decode()


def connect(base: str, headers: dict[str, str]) -> Any:
    """Open /chat with ``headers`` and send one note; the close code, or None when it stayed open."""

    async def attempt() -> int | None:
        async with websockets.connect(f"ws://{base}/chat", additional_headers=headers) as ws:
            await ws.send('{"text": "hi"}')
            try:
                await asyncio.wait_for(ws.recv(), timeout=0.5)
            except TimeoutError:
                return None
            except websockets.ConnectionClosed as closed:
                return closed.rcvd.code if closed.rcvd else -1
            return None

    try:
        return asyncio.run(attempt())
    except websockets.InvalidStatus as refused:
        return refused.response.status_code


@pytest.mark.parametrize(
    ("headers", "admitted"),
    [
        ({}, False),
        ({"X-Key": "wrong"}, False),
        ({"X-Key": "header-secret"}, True),
        ({"Authorization": basic("ann:pass word")}, True),
        ({"Authorization": basic("ann:wrong")}, False),
        ({"Authorization": "Basic not-base64!"}, False),
        ({"X-Key": "wrong", "Authorization": basic("ann:pass word")}, True),
    ],
    ids=["none", "wrong-key", "header-key", "basic", "wrong-password", "bad-basic", "either"],
)
def test_websocket_admits_a_client_any_scheme_accepts(
    base: str, headers: dict[str, str], admitted: bool
) -> None:
    outcome = connect(base, headers)
    if admitted:
        assert outcome is None
    else:
        assert outcome in (403, 1008), outcome  # refused in the handshake, or closed 1008


@pytest.mark.parametrize(
    ("cookies", "status"),
    [({}, 401), ({"session": "wrong"}, 401), ({"session": "cookie-secret"}, 202)],
    ids=["none", "wrong-cookie", "cookie"],
)
def test_sse_channel_post_checks_the_cookie(
    base: str, cookies: dict[str, str], status: int
) -> None:
    with httpx.Client(base_url=f"http://{base}", cookies=cookies) as client:
        assert client.post("/board", json={"text": "pinned"}).status_code == status


def test_sse_stream_checks_the_cookie(base: str) -> None:
    with httpx.Client(base_url=f"http://{base}") as client:
        assert client.get("/board").status_code == 401
        with client.stream("GET", "/board", cookies={"session": "cookie-secret"}) as stream:
            assert stream.status_code == 200
            assert stream.headers["content-type"].startswith("text/event-stream")
