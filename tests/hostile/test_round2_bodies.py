"""Request bodies a generated REST server refuses: undeclared media types (CSRF) and non-JSON numbers.

A JSON-only operation guarded by a cookie is served over real HTTP. A browser
sends ``text/plain``, form and multipart bodies cross-site without a CORS
preflight, carrying the user's cookies: each must get 415 before the handler
runs. ``NaN``/``Infinity`` are not JSON numbers: 422, never accepted and then
a crash in the reply. A handler that produces a non-finite float still gets
a well-formed JSON reply.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from .round2_support import generate, serve

SPEC = {
    "openapi": "3.1.0",
    "info": {"title": "Notes", "version": "1"},
    "components": {
        "securitySchemes": {"session": {"type": "apiKey", "in": "cookie", "name": "session"}},
        "schemas": {
            "Note": {
                "type": "object",
                "required": ["text", "score"],
                "properties": {"text": {"type": "string"}, "score": {"type": "number"}},
            }
        },
    },
    "security": [{"session": []}],
    "paths": {
        "/logout": {
            "post": {"operationId": "logout", "responses": {"204": {"description": "ended"}}}
        },
        "/notes": {
            "post": {
                "operationId": "createNote",
                "requestBody": {
                    "required": True,
                    "content": {
                        "application/json": {"schema": {"$ref": "#/components/schemas/Note"}}
                    },
                },
                "responses": {
                    "200": {
                        "description": "the note as stored",
                        "content": {
                            "application/json": {"schema": {"$ref": "#/components/schemas/Note"}}
                        },
                    }
                },
            }
        },
    },
}

HANDLERS = """
from pathlib import Path

from . import models
from .default_handlers import DefaultHandlers

CALLS = Path(__file__).parent.parent / "calls.log"


class Handlers(DefaultHandlers):
    async def create_note(self, *, body: models.Note) -> models.Note:
        with CALLS.open("a") as log:
            log.write(body.text + "\\n")
        if body.text == "make-nan":  # a handler bug: the reply holds non-finite numbers
            return models.Note.model_construct(text="nan", score=float("nan"), extra=float("-inf"))
        return body

    async def logout(self) -> None:
        with CALLS.open("a") as log:
            log.write("logout\\n")
"""

COOKIE = {"session": "good-session"}


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    """The generated server, its handler logging each call to ``calls.log``."""
    project, package = generate(tmp_path_factory.mktemp("notes"), SPEC, "rest-server")
    (project / package / "handlers.py").write_text(HANDLERS, encoding="utf-8")
    with serve(project, package, {"NOTES_SESSION": COOKIE["session"]}) as (base, _):
        yield base, project / "calls.log"


def _calls(log: Path) -> list[str]:
    return log.read_text().splitlines() if log.exists() else []


def _post(base: str, **kwargs: object) -> httpx.Response:
    return httpx.post(base + "/notes", cookies=COOKIE, timeout=10, **kwargs)  # type: ignore[arg-type]


def test_declared_json_is_accepted(server: tuple[str, Path]) -> None:
    """The control: application/json (with a charset parameter, any case) reaches the handler."""
    base, log = server
    for content_type in ("application/json", "Application/JSON; charset=utf-8"):
        reply = _post(
            base, content=b'{"text": "ok", "score": 1.5}', headers={"content-type": content_type}
        )
        assert reply.status_code == 200, reply.text
        assert reply.json() == {"text": "ok", "score": 1.5}
    assert _calls(log).count("ok") == 2


@pytest.mark.parametrize(
    "content_type",
    [
        "text/plain",
        "text/plain; charset=utf-8",
        "application/x-www-form-urlencoded",
        "multipart/form-data; boundary=x",
        "application/xml",
        None,
    ],
)
def test_undeclared_media_types_get_415(server: tuple[str, Path], content_type: str | None) -> None:
    """What a cross-site form or fetch can send without a preflight: 415, the handler never runs."""
    base, log = server
    before = _calls(log)
    body = b'{"text": "forged", "score": 1}'
    request = httpx.Request("POST", base + "/notes", content=body, cookies=COOKIE)
    request.headers.pop("content-type", None)
    if content_type is not None:
        request.headers["content-type"] = content_type
    with httpx.Client(timeout=10) as client:
        reply = client.send(request)
    assert reply.status_code == 415, (content_type, reply.status_code, reply.text)
    assert "application/json" in reply.text, "the answer says what to send"
    assert _calls(log) == before


@pytest.mark.parametrize(
    "body",
    [
        b'{"text": "n", "score": NaN}',
        b'{"text": "n", "score": Infinity}',
        b'{"text": "n", "score": -Infinity}',
        b'{"text": "n", "score": 1e999}',
        b'{"text": "n", "score": 1, "extra": NaN}',
        b'{"text": "n", "score": 1, "extra": [{"deep": -Infinity}]}',
    ],
)
def test_non_finite_numbers_get_422(server: tuple[str, Path], body: bytes) -> None:
    """NaN, infinities and overflowing literals anywhere in the body: 422, the handler never runs."""
    base, log = server
    before = _calls(log)
    reply = _post(base, content=body, headers={"content-type": "application/json"})
    assert reply.status_code == 422, (body, reply.status_code, reply.text)
    assert _calls(log) == before


def test_non_finite_reply_is_valid_json(server: tuple[str, Path]) -> None:
    """A handler returning NaN/-inf gets a 200 whose body strict JSON parsers read (null there)."""
    base, _ = server
    reply = _post(base, json={"text": "make-nan", "score": 1})
    assert reply.status_code == 200, reply.text

    def refuse(token: str) -> None:
        raise AssertionError(f"{token} in the reply: not JSON")

    data = json.loads(reply.text, parse_constant=refuse)
    assert data["text"] == "nan" and data["score"] is None


@pytest.mark.parametrize(
    ("content_type", "body"),
    [
        ("application/x-www-form-urlencoded", b""),
        ("text/plain", b""),
        ("multipart/form-data; boundary=x", b"--x--"),
        (None, b"anything"),
    ],
)
def test_bodiless_operation_refuses_forms(
    server: tuple[str, Path], content_type: str | None, body: bytes
) -> None:
    """An operation without a request body: a cross-site form (even empty) gets 415."""
    base, log = server
    before = _calls(log)
    request = httpx.Request("POST", base + "/logout", content=body, cookies=COOKIE)
    request.headers.pop("content-type", None)
    if content_type is not None:
        request.headers["content-type"] = content_type
    with httpx.Client(timeout=10) as client:
        reply = client.send(request)
    assert reply.status_code == 415, (content_type, reply.status_code, reply.text)
    assert _calls(log) == before


def test_bodiless_operation_still_answers_plain_requests(server: tuple[str, Path]) -> None:
    """The control: the same operation called without a body runs."""
    base, log = server
    reply = httpx.post(base + "/logout", cookies=COOKIE, timeout=10)
    assert reply.status_code == 204, reply.text
    assert _calls(log)[-1] == "logout"


STREAM_SPEC = {
    "asyncapi": "3.0.0",
    "info": {"title": "Scores", "version": "1"},
    "servers": {"web": {"host": "127.0.0.1:8000", "protocol": "ws"}},
    "channels": {
        "scores": {
            "address": "/scores",
            "messages": {"score": {"payload": {"type": "object", "properties": {"v": {}}}}},
        }
    },
    "operations": {"post": {"action": "receive", "channel": {"$ref": "#/channels/scores"}}},
}


@pytest.mark.timeout(240)
def test_stream_server_refuses_non_finite_frames(tmp_path: Path) -> None:
    """NaN/Infinity in a WebSocket frame, even where any value is allowed: an invalid-message frame."""
    from websockets.sync.client import connect

    project, package = generate(tmp_path, STREAM_SPEC, "stream-server")
    with serve(project, package) as (base, _), connect(ws_url(base)) as ws:
        for frame in ('{"v": NaN}', '{"v": [Infinity]}', '{"v": {"w": -Infinity}}'):
            ws.send(frame)
            reply = json.loads(ws.recv(timeout=10))
            assert reply["error"]["code"] == "invalid-message", (frame, reply)
            assert "not a JSON number" in reply["error"]["message"]


def ws_url(base: str) -> str:
    """The scores channel's WebSocket URL on the server at ``base``."""
    return base.replace("http://", "ws://") + "/scores"
