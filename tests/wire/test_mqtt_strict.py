"""An MQTT message through the real Mosquitto: a coerced or null value is refused, not converted.

The message is published with Mosquitto's own ``mosquitto_pub`` (a tool nobody
here wrote) to the generated stream-server's broker app, whose handlers record
what reaches them.
"""

from __future__ import annotations

import asyncio
import json
import logging
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.stream.conftest import RECORDING_HANDLERS, generate
from tests.stream.test_brokers_e2e import arrival, require_broker
from tests.wire.specs import ASYNCAPI_MQTT

pytestmark = [pytest.mark.broker, pytest.mark.timeout(120)]

PACKAGE = "wire_devices"


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    root: Path = tmp_path_factory.mktemp("wire-mqtt")
    spec = root / "devices.yaml"
    spec.write_text(ASYNCAPI_MQTT, encoding="utf-8")
    project = generate(spec, "stream-server", root / "server", package=PACKAGE)
    (project / PACKAGE / "handlers.py").write_text(RECORDING_HANDLERS, encoding="utf-8")
    sys.path.insert(0, str(project))
    import wire_devices.brokers as brokers  # type: ignore[import-not-found]
    import wire_devices.handlers as handlers  # type: ignore[import-not-found]

    yield brokers, handlers.RECEIVED
    sys.path.remove(str(project))


def publish(topic: str, payload: object) -> None:
    tool = shutil.which("mosquitto_pub")
    assert tool is not None, "mosquitto_pub (Mosquitto's client tools) is needed"
    subprocess.run(
        [tool, "-h", "127.0.0.1", "-p", "1883", "-q", "1", "-t", topic, "-m", json.dumps(payload)],
        check=True,
        timeout=30,
    )


def test_coerced_and_null_messages_never_reach_the_handler(
    app: Any, caplog: pytest.LogCaptureFixture
) -> None:
    require_broker(1883)
    brokers, received = app
    received.clear()
    refused = [
        {"serviceEnabled": "yes", "interval": 5},
        {"serviceEnabled": 1, "interval": 5},
        {"serviceEnabled": True, "interval": "12"},
        {"serviceEnabled": True, "interval": 5, "label": None},
    ]

    async def scenario() -> None:
        broker = brokers.local
        await broker.start()
        try:
            await asyncio.sleep(0.5)  # the subscription settles
            for payload in refused:
                await asyncio.to_thread(publish, "wire-tests/d-1/config", payload)
            await asyncio.to_thread(
                publish, "wire-tests/d-2/config", {"serviceEnabled": False, "interval": 7.0}
            )
            _name, message, params = await arrival(received, lambda i: True)
            await asyncio.sleep(0.5)  # anything wrongly accepted would have arrived by now
        finally:
            await broker.stop()
        assert params == {"device_id": "d-2"}
        assert (message.service_enabled, message.interval) == (False, 7)
        assert type(message.interval) is int
        assert len(received) == 1, received

    caplog.set_level(logging.INFO)
    asyncio.run(scenario())
    refusals = [r for r in caplog.records if r.name == f"{PACKAGE}.brokers"]
    assert len(refusals) == len(refused), [r.getMessage() for r in refusals]
    for record in refusals:  # one line each: operation, channel, reason; no traceback
        line = record.getMessage()
        assert record.levelno == logging.WARNING and record.exc_info is None
        assert "receiveConfig" in line and "wire-tests/{deviceId}/config" in line
        assert "\n" not in line
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]
