"""AMQP exchange type ``default`` (allowed by the binding schema) imports and delivers.

``default`` is the broker's nameless direct exchange: it has no
``ExchangeType`` member (importing the generated module used to fail) and is
never declared; it routes by queue name. The generated server publishes and
receives through it on the real RabbitMQ at 127.0.0.1:5672.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

from click.testing import CliRunner
from stream.test_brokers_e2e import require_broker

from generator.cli import cli

SPEC = """\
asyncapi: 3.0.0
info: {title: Amqp Default, version: "1"}
servers:
  rabbit: {host: "127.0.0.1:5672", protocol: amqp}
channels:
  orders:
    address: twinspec-default-exchange-orders
    messages: {order: {payload: {type: object, properties: {id: {type: string}}, example: {id: o-1}}}}
    bindings:
      amqp:
        is: routingKey
        exchange: {name: amq.default, type: default, durable: true, autoDelete: false, vhost: /}
operations:
  receiveOrder: {action: receive, channel: {$ref: "#/channels/orders"}}
  sendOrder: {action: send, channel: {$ref: "#/channels/orders"}}
"""

ROUNDTRIP = """\
import asyncio, sys
sys.path.insert(0, sys.argv[1])
from amqp_default import brokers, messages

received: asyncio.Queue[object] = asyncio.Queue()


async def capture(value: object) -> None:
    received.put_nowait(value)


brokers.receive_order_rabbit_handler = capture


async def main() -> None:
    await brokers.rabbit.start()
    try:
        await brokers.send_order(messages.ORDER.example())
        value = await asyncio.wait_for(received.get(), 15)
        print("received", value)
    finally:
        await brokers.rabbit.stop()


asyncio.run(main())
"""


def test_default_exchange_imports_and_round_trips(tmp_path: Path) -> None:
    spec = tmp_path / "amqp.yaml"
    spec.write_text(SPEC)
    out = tmp_path / "server"
    result = CliRunner().invoke(cli, ["generate", str(spec), "-t", "stream-server", "-o", str(out)])
    assert result.exit_code == 0, result.output
    brokers = (out / "amqp_default" / "brokers.py").read_text()
    assert 'RabbitExchange("", type=ExchangeType("direct")' in brokers
    env = {**os.environ, "AMQP_DEFAULT_RABBIT_URL": "amqp://guest:guest@127.0.0.1:5672/"}
    imported = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys; sys.path.insert(0, sys.argv[1]); import amqp_default.brokers",
            str(out),
        ],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    assert imported.returncode == 0, imported.stderr
    require_broker(5672)
    script = tmp_path / "roundtrip.py"
    script.write_text(textwrap.dedent(ROUNDTRIP))
    done = subprocess.run(
        [sys.executable, str(script), str(out)], capture_output=True, text=True, env=env, timeout=90
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert "received" in done.stdout and "o-1" in done.stdout
