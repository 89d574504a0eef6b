# written once by twinspec from specs/sensors.yaml (target stream-server): this file is yours.
"""Your logic. twinspec created this file once and never overwrites it.

A function here named like an operation replaces the default in
``defaults.py`` (which logs and replies with the spec's examples). Delete a
function to get the default back; operations added to the spec later start
with their default until you add them here.
"""

from __future__ import annotations

import logging

from .models import Alert, Reading

logger = logging.getLogger(__name__)


async def receive_alert(message: Alert, *, severity: str) -> None:
    """receiveAlert: A sensor raises an alert."""
    logger.info("%s: %r", "receiveAlert", message)


async def receive_humidity(message: Reading, *, sensor_id: str) -> None:
    """receiveHumidity: A sensor reports a humidity reading."""
    logger.info("%s: %r", "receiveHumidity", message)


async def receive_temperature(message: Reading, *, sensor_id: str) -> None:
    """receiveTemperature: A sensor reports a temperature reading."""
    logger.info("%s: %r", "receiveTemperature", message)
