# written once by twinspec from specs/sensors.yaml (target stream-client): this file is yours.
"""Your logic. twinspec created this file once and never overwrites it.

A function here named like an operation replaces the default in
``defaults.py`` (which logs). Delete a
function to get the default back; operations added to the spec later start
with their default until you add them here.
"""

from __future__ import annotations

import logging

from .models import AuditRecord, Command, StatusEvent

logger = logging.getLogger(__name__)


async def send_audit(message: AuditRecord) -> None:
    """sendAudit: Append a record to the audit trail, keyed by sensor."""
    logger.info("%s: %r", "sendAudit", message)


async def send_command(message: Command, *, sensor_id: str) -> None:
    """sendCommand: Tell a sensor to reboot or calibrate."""
    logger.info("%s: %r", "sendCommand", message)


async def send_status(message: StatusEvent) -> None:
    """sendStatus: Announce that a sensor went online or offline."""
    logger.info("%s: %r", "sendStatus", message)
