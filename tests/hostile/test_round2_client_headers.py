"""The generated REST client cannot be made to add cookies or headers on the wire.

A cookie parameter value holding ``;``, ``=``, spaces, commas or quotes is
percent-encoded (OpenAPI form style), so the raw ``Cookie`` header a real
server reads holds exactly the cookies the client meant; the generated server
decodes it back to the exact value. A header, cookie credential or any other
header value holding CR, LF or NUL is refused with a clear error before a byte
is sent.
"""

from __future__ import annotations

import socket
import subprocess
import sys
import textwrap
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from .round2_support import generate, serve

SPEC = {
    "openapi": "3.1.0",
    "info": {"title": "Prefs", "version": "1"},
    "components": {
        "securitySchemes": {"session": {"type": "apiKey", "in": "cookie", "name": "session"}}
    },
    "paths": {
        "/prefs": {
            "get": {
                "operationId": "getPrefs",
                "tags": ["prefs"],
                "security": [{"session": []}, {}],
                "parameters": [
                    {"name": "theme", "in": "cookie", "schema": {"type": "string"}},
                    {
                        "name": "tags",
                        "in": "cookie",
                        "schema": {"type": "array", "items": {"type": "string"}},
                    },
                    {"name": "X-Trace", "in": "header", "schema": {"type": "string"}},
                ],
                "responses": {
                    "200": {
                        "description": "what the server read",
                        "content": {
                            "application/json": {
                                "schema": {
                                    "type": "object",
                                    "properties": {
                                        "theme": {"type": "string"},
                                        "tags": {"type": "array", "items": {"type": "string"}},
                                    },
                                }
                            }
                        },
                    }
                },
            }
        }
    },
}

HOSTILE = 'dark; admin=1; session=stolen, x="y" \\ %41 ü'
TAGS = ["a;b=c", "d, e", "admin=1"]

ECHO_HANDLERS = """
from typing import Any

from .default_handlers import DefaultHandlers


class Handlers(DefaultHandlers):
    async def get_prefs(self, **kwargs: Any) -> dict[str, Any]:
        return {"theme": kwargs.get("theme"), "tags": kwargs.get("tags")}
"""

CALL = textwrap.dedent(
    """
    import json, sys
    from prefs_client import client
    api = client.Client(base_url=sys.argv[1], credentials=client.Credentials(**json.loads(sys.argv[2])))
    kwargs = json.loads(sys.argv[3])
    try:
        print("@@" + api.prefs.get_prefs(**kwargs).model_dump_json(exclude_unset=True))
    except ValueError as exc:
        print("@@ERROR " + str(exc))
    """
)


@pytest.fixture(scope="module")
def projects(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """(client project, server project) generated from SPEC."""
    tmp = tmp_path_factory.mktemp("prefs")
    client, _ = generate(tmp, SPEC, "rest-client")
    server, package = generate(tmp, SPEC, "rest-server")
    (server / package / "handlers.py").write_text(ECHO_HANDLERS, encoding="utf-8")
    return client, server


def _call(client: Path, base: str, credentials: dict[str, str], **kwargs: object) -> str:
    import json

    proc = subprocess.run(
        [sys.executable, "-c", CALL, base, json.dumps(credentials), json.dumps(kwargs)],
        cwd=client,
        capture_output=True,
        text=True,
        timeout=60,
    )
    lines = [line for line in proc.stdout.splitlines() if line.startswith("@@")]
    assert lines, proc.stdout + proc.stderr
    return lines[0][2:]


@pytest.fixture
def raw_server() -> Iterator[tuple[str, list[bytes]]]:
    """A socket server that records each raw request head and answers ``{}``."""
    heads: list[bytes] = []
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    listener.settimeout(0.2)
    stop = threading.Event()

    def run() -> None:
        while not stop.is_set():
            try:
                conn, _ = listener.accept()
            except TimeoutError:
                continue
            with conn:
                data = b""
                while b"\r\n\r\n" not in data:
                    chunk = conn.recv(65536)
                    if not chunk:
                        break
                    data += chunk
                heads.append(data.split(b"\r\n\r\n")[0])
                conn.sendall(
                    b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\n"
                    b"content-length: 2\r\nconnection: close\r\n\r\n{}"
                )

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{listener.getsockname()[1]}", heads
    stop.set()
    thread.join(timeout=5)
    listener.close()


def _cookie_names(head: bytes) -> list[str]:
    lines = head.decode("latin-1").split("\r\n")
    cookies = [line.partition(":")[2] for line in lines if line.lower().startswith("cookie:")]
    assert len(cookies) == 1, lines
    return [part.strip().partition("=")[0] for part in cookies[0].split(";")]


@pytest.mark.timeout(120)
def test_cookie_values_cannot_add_cookies(
    projects: tuple[Path, Path], raw_server: tuple[str, list[bytes]]
) -> None:
    """The raw Cookie header holds exactly the declared cookies, whatever their values hold."""
    base, heads = raw_server
    reply = _call(projects[0], base, {"session": "s3cret"}, theme=HOSTILE, tags=TAGS)
    assert reply == "{}", reply
    assert sorted(_cookie_names(heads[-1])) == ["session", "tags", "theme"]


@pytest.mark.timeout(120)
def test_cookie_values_round_trip_through_the_generated_server(projects: tuple[Path, Path]) -> None:
    """The generated server decodes what the generated client encoded: the exact values."""
    client, server = projects
    with serve(server, "prefs") as (base, _):
        reply = _call(client, base, {}, theme=HOSTILE, tags=TAGS)
    assert reply.startswith("{"), reply
    import json

    assert json.loads(reply) == {"theme": HOSTILE, "tags": TAGS}


@pytest.mark.timeout(120)
@pytest.mark.parametrize(
    ("credentials", "kwargs", "named"),
    [
        ({}, {"x_trace": "a\r\nSet-Cookie: admin=1"}, "X-Trace"),
        ({}, {"x_trace": "a\nb"}, "X-Trace"),
        ({}, {"x_trace": "nul\x00byte"}, "X-Trace"),
        ({"session": "tok\r\nX-Admin: 1"}, {}, "session"),
        ({"session": "tok; admin=1"}, {}, "session"),
    ],
)
def test_control_characters_are_refused_before_sending(
    projects: tuple[Path, Path],
    raw_server: tuple[str, list[bytes]],
    credentials: dict[str, str],
    kwargs: dict[str, str],
    named: str,
) -> None:
    """CR/LF/NUL in a header, or a cookie credential that would end its cookie: an error, no request."""
    base, heads = raw_server
    reply = _call(projects[0], base, credentials, **kwargs)
    assert reply.startswith("ERROR "), reply
    assert named in reply and "nothing was sent" in reply, reply
    assert heads == [], "a request reached the server"
