"""Broker security schemes end to end against the real RabbitMQ (guest/guest on 127.0.0.1:5672).

The credentials come only from the environment variables the generated README
documents; each scenario runs in a fresh interpreter so its environment is its own.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from .conftest import generate
from .test_brokers_e2e import require_broker

pytestmark = [pytest.mark.broker, pytest.mark.timeout(120)]

SPEC = """\
asyncapi: 3.0.0
info: {title: Alarm Bus, version: 1.0.0}
servers:
  rabbit:
    host: 127.0.0.1:5672
    protocol: amqp
    security:
      - $ref: '#/components/securitySchemes/login'
channels:
  alarms:
    address: alarms.{zone}
    parameters:
      zone: {}
    messages:
      alarm: {$ref: '#/components/messages/alarm'}
operations:
  raiseAlarm:
    action: send
    channel: {$ref: '#/channels/alarms'}
components:
  securitySchemes:
    login: {type: userPassword}
  messages:
    alarm:
      payload:
        type: object
        required: [level]
        properties:
          level: {type: integer}
"""

ROUND_TRIP = textwrap.dedent(
    """
    import asyncio

    from alarm_bus import brokers as server
    from alarm_bus_client import brokers as client

    seen = []

    async def record(message, *, zone):
        seen.append((message.level, zone))

    client.raise_alarm_rabbit_handler = record

    async def main():
        try:
            await client.start()
            await server.start()
        except client.BrokerUnavailable as exc:
            print("UNAVAILABLE", exc)
            return
        except server.BrokerUnavailable as exc:
            print("UNAVAILABLE", exc)
            return
        try:
            await asyncio.sleep(0.5)
            await server.raise_alarm(server.messages.ALARM.validate({"level": 3}), zone="hall")
            for _ in range(200):
                if seen:
                    break
                await asyncio.sleep(0.05)
            print("SEEN", seen)
        finally:
            await server.stop()
            await client.stop()

    asyncio.run(main())
    """
)


@pytest.fixture(scope="module")
def alarm_bus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("alarm-bus")
    spec = root / "alarm.yaml"
    spec.write_text(SPEC, encoding="utf-8")
    generate(spec, "stream-server", root / "server", package="alarm_bus")
    generate(spec, "stream-client", root / "client", package="alarm_bus_client")
    return root


def run(root: Path, **credentials: str) -> str:
    env = {k: v for k, v in os.environ.items() if not k.startswith("ALARM_BUS_")}
    env.update(credentials)
    env["PYTHONPATH"] = os.pathsep.join([str(root / "server"), str(root / "client")])
    done = subprocess.run(
        [sys.executable, "-c", ROUND_TRIP],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_credentials_are_documented_and_never_in_the_code(alarm_bus: Path) -> None:
    readme = (alarm_bus / "server" / "README.md").read_text()
    assert "`ALARM_BUS_RABBIT_USER`, `ALARM_BUS_RABBIT_PASSWORD`" in readme
    for side, package in (("server", "alarm_bus"), ("client", "alarm_bus_client")):
        for source in (alarm_bus / side / package).glob("*.py"):
            assert "guest" not in source.read_text(), source


def test_right_credentials_from_the_environment_carry_a_message(alarm_bus: Path) -> None:
    require_broker(5672)
    out = run(alarm_bus, ALARM_BUS_RABBIT_USER="guest", ALARM_BUS_RABBIT_PASSWORD="guest")
    assert "SEEN [(3, 'hall')]" in out, out


def test_wrong_password_fails_clearly_without_leaking_it(alarm_bus: Path) -> None:
    require_broker(5672)
    out = run(alarm_bus, ALARM_BUS_RABBIT_USER="guest", ALARM_BUS_RABBIT_PASSWORD="not-the-one")
    assert out.startswith("UNAVAILABLE cannot connect to server rabbit at amqp://127.0.0.1:5672"), out
    assert "ACCESS_REFUSED" in out
    assert "not-the-one" not in out


def test_unset_credentials_are_named_before_connecting(alarm_bus: Path) -> None:
    out = run(alarm_bus, ALARM_BUS_RABBIT_USER="guest")
    assert (
        out.strip()
        == "UNAVAILABLE the document's servers ask for credentials: set ALARM_BUS_RABBIT_PASSWORD"
    )
