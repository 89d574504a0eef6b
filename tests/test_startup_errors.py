"""Start-up failures of generated apps are one line, over real sockets.

Each case runs a generated app as a user would (``python -m PACKAGE`` in its
folder) against a real socket: a closed port where a broker should be, a port
that is already taken, a listener that never answers, one that hangs up at once.
What the user must see: exit status 1, one line with the message and the setting
that fixes it, no traceback and no driver noise (a traceback only with ``--debug``
or ``--log-level debug``).
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.stream.conftest import generate

REPO = Path(__file__).resolve().parents[1]
EXAMPLES = REPO / "generated_examples"
pytestmark = [pytest.mark.slow, pytest.mark.timeout(300)]

PREFIXES = ("SENSOR_HUB", "CHAT_SERVICE", "ORDERS", "DOOR_BELL")


def start(folder: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    """``python -m PACKAGE ARGS`` in ``folder``, with only ``env`` of the apps' settings set."""
    package = next(p.parent.name for p in folder.glob("*/__main__.py"))
    clean = {k: v for k, v in os.environ.items() if not k.startswith(PREFIXES)}
    return subprocess.run(
        [sys.executable, "-m", package, *args],
        cwd=folder,
        env={**clean, "PYTHONDONTWRITEBYTECODE": "1", **env},
        capture_output=True,
        text=True,
        timeout=150,  # longer than a NATS client's own two minutes of retries
        check=False,
    )


def one_line(done: subprocess.CompletedProcess[str]) -> str:
    """The failure's only line (the apps' INFO lines about skipped servers aside)."""
    assert done.returncode == 1, done.stderr
    lines = [line for line in done.stderr.splitlines() if " skipped: not named in " not in line]
    assert len(lines) == 1, done.stderr
    return lines[0]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@contextmanager
def listener(behaviour: str) -> Iterator[int]:
    """A TCP port on 127.0.0.1 that accepts and then stays ``silent`` or ``hangs-up`` at once."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(16)
    server.settimeout(0.2)
    held: list[socket.socket] = []
    stop = threading.Event()

    def serve() -> None:
        while not stop.is_set():
            try:
                conn, _ = server.accept()
            except OSError:
                continue
            if behaviour == "hangs-up":
                conn.close()
            else:
                held.append(conn)

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        yield server.getsockname()[1]
    finally:
        stop.set()
        thread.join()
        for conn in held:
            conn.close()
        server.close()


SENSORS = EXAMPLES / "sensors" / "stream-server"
ORDERS = EXAMPLES / "orders" / "service"
RABBIT_LOGIN = {"SENSOR_HUB_RABBIT_USER": "guest", "SENSOR_HUB_RABBIT_PASSWORD": "guest"}


BROKERS = [
    ("mosquitto", "mqtt"),
    ("redis", "redis"),
    ("rabbit", "amqp"),
    ("nats", "nats"),
    ("kafka", "kafka"),
]
"""The sensors example's broker servers and their URL schemes."""


@pytest.mark.parametrize(("server", "scheme"), BROKERS)
def test_a_closed_broker_port_is_one_line_for_every_broker(server: str, scheme: str) -> None:
    """Each family fails at once: no NATS retries, no Redis publisher that connects only later."""
    port = free_port()  # nothing listens there
    done = start(
        SENSORS,
        "--servers",
        server,
        **RABBIT_LOGIN,
        **{f"SENSOR_HUB_{server.upper()}_URL": f"{scheme}://127.0.0.1:{port}"},
    )
    assert one_line(done) == (
        f"python -m sensor_hub: cannot connect to server {server} at {scheme}://127.0.0.1:{port}"
        f" (connection refused by 127.0.0.1:{port}); start it, or leave it out with"
        " --servers or SENSOR_HUB_SERVERS"
    )


def test_a_web_app_with_an_unreachable_broker_is_one_line_not_the_lifespan_traceback() -> None:
    port, web_port = free_port(), free_port()
    done = start(ORDERS, "--port", str(web_port), ORDERS_BUS_URL=f"nats://127.0.0.1:{port}")
    assert one_line(done) == (
        f"python -m orders: cannot connect to server bus at nats://127.0.0.1:{port}"
        f" (connection refused by 127.0.0.1:{port}); start it, or leave it out with"
        " --servers or ORDERS_SERVERS"
    )
    debug = start(
        ORDERS, "--port", str(web_port), "--debug", ORDERS_BUS_URL=f"nats://127.0.0.1:{port}"
    )
    assert debug.returncode == 1 and "Traceback" in debug.stderr
    assert "BrokerUnavailable: cannot connect to server bus" in debug.stderr


SILENT_CASES = [
    *(
        (SENSORS, ["--servers", server], f"SENSOR_HUB_{server.upper()}_URL", scheme, "SENSOR_HUB")
        for server, scheme in BROKERS
    ),
    (ORDERS, ["--port", "0"], "ORDERS_BUS_URL", "nats", "ORDERS"),
]


@pytest.mark.parametrize(
    ("folder", "args", "variable", "scheme", "prefix"),
    SILENT_CASES,
    ids=[*(f"broker-only-{server}" for server, _ in BROKERS), "web-and-broker-nats"],
)
def test_a_broker_that_never_answers_fails_after_the_configured_seconds(
    folder: Path, args: list[str], variable: str, scheme: str, prefix: str
) -> None:
    """A port that accepts and says nothing: the start ends after CONNECT_TIMEOUT seconds.

    Nothing else is printed: not the driver's retries, nor (RabbitMQ's client) a cancelled
    connection's "Exception ignored" at garbage collection.
    """
    args = [str(free_port()) if arg == "0" else arg for arg in args]
    with listener("silent") as port:
        done = start(
            folder,
            *args,
            **RABBIT_LOGIN,
            **{variable: f"{scheme}://127.0.0.1:{port}", f"{prefix}_CONNECT_TIMEOUT": "1"},
        )
    line = one_line(done)
    assert f"at {scheme}://127.0.0.1:{port} (no answer within 1 s; wait longer with" in line
    assert f"{prefix}_CONNECT_TIMEOUT); start it, or leave it out with --servers" in line


def test_a_failed_kafka_start_leaves_no_unclosed_producer() -> None:
    """A Kafka port that hangs up: aiokafka's producer is closed, so nothing says "Unclosed"."""
    with listener("hangs-up") as port:
        url = {"SENSOR_HUB_KAFKA_URL": f"kafka://127.0.0.1:{port}"}
        done = start(SENSORS, "--servers", "kafka", **url)
        debug = start(SENSORS, "--servers", "kafka", "--log-level", "debug", **url)
    assert one_line(done).startswith(
        f"python -m sensor_hub: cannot connect to server kafka at kafka://127.0.0.1:{port} ("
        "KafkaConnectionError: Unable to bootstrap"
    )
    assert debug.returncode == 1
    assert "Unable to bootstrap" in debug.stderr  # the driver's own lines show at DEBUG
    assert "Unclosed" not in debug.stderr and "Unclosed" not in done.stderr


@pytest.mark.parametrize(
    ("folder", "program", "prefix"),
    [
        (EXAMPLES / "chat" / "stream-server", "chat_service", "CHAT_SERVICE"),
        (ORDERS, "orders", "ORDERS"),
    ],
    ids=["stream-server", "service"],
)
def test_a_port_in_use_is_one_line_naming_the_setting(
    folder: Path, program: str, prefix: str
) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        done = start(folder, "--port", str(port))
        debug = start(folder, "--port", str(port), "--debug")
    assert one_line(done) == (
        f"python -m {program}: cannot listen on 127.0.0.1:{port} (Address already in use);"
        f" choose another with --port or {prefix}_PORT (--host or {prefix}_HOST for the"
        " interface)"
    )
    assert debug.returncode == 1 and "Traceback" in debug.stderr


def test_missing_broker_credentials_are_one_line_naming_the_variables() -> None:
    done = start(SENSORS, "--servers", "rabbit")
    assert one_line(done) == (
        "python -m sensor_hub: the document's servers ask for credentials: set"
        " SENSOR_HUB_RABBIT_PASSWORD, SENSOR_HUB_RABBIT_USER"
    )


DOOR_BELL = """\
asyncapi: 3.0.0
info: {title: Door Bell, version: 1.0.0}
servers:
  rabbit:
    host: 127.0.0.1:5672
    protocol: amqp
    security:
      - $ref: '#/components/securitySchemes/login'
  web:
    host: 127.0.0.1:8000
    protocol: ws
channels:
  rings:
    address: rings
    servers: [{$ref: '#/servers/rabbit'}]
    messages:
      ring: {$ref: '#/components/messages/ring'}
  live:
    address: /live
    servers: [{$ref: '#/servers/web'}]
    messages:
      ring: {$ref: '#/components/messages/ring'}
operations:
  announce:
    action: send
    channel: {$ref: '#/channels/rings'}
  watch:
    action: send
    channel: {$ref: '#/channels/live'}
components:
  securitySchemes:
    login: {type: userPassword}
  messages:
    ring:
      payload:
        type: object
        properties:
          door: {type: string}
"""


def test_a_web_app_missing_broker_credentials_is_one_line(tmp_path: Path) -> None:
    spec = tmp_path / "door-bell.yaml"
    spec.write_text(DOOR_BELL, encoding="utf-8")
    generate(spec, "stream-server", tmp_path / "server", package="door_bell")
    done = start(tmp_path / "server", "--port", str(free_port()))
    assert one_line(done) == (
        "python -m door_bell: the document's servers ask for credentials: set"
        " DOOR_BELL_RABBIT_PASSWORD, DOOR_BELL_RABBIT_USER"
    )


def test_a_client_with_an_unreachable_broker_is_one_line() -> None:
    port = free_port()
    done = start(
        EXAMPLES / "sensors" / "stream-client",
        "--servers",
        "nats",
        SENSOR_HUB_NATS_URL=f"nats://127.0.0.1:{port}",
    )
    assert one_line(done) == (
        f"python -m sensor_hub_client: cannot connect to server nats at nats://127.0.0.1:{port}"
        f" (connection refused by 127.0.0.1:{port}); start it, or leave it out"
        " with --servers or SENSOR_HUB_CLIENT_SERVERS"
    )
