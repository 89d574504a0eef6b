# written once by twinspec from specs/orders-events.yaml (target service-client): this file is yours.
"""Your logic. twinspec created this file once and never overwrites it.

A function here named like an operation replaces the default in
``defaults.py`` (which logs). Delete a
function to get the default back; operations added to the spec later start
with their default until you add them here.
"""

from __future__ import annotations

import logging

from .models import Order

logger = logging.getLogger(__name__)


async def publish_order_created(message: Order) -> None:
    """publishOrderCreated: Publish an order placed on the bus."""
    logger.info("%s: %r", "publishOrderCreated", message)


async def send_order_update(message: Order) -> None:
    """sendOrderUpdate: Push an order placed to WebSocket clients."""
    logger.info("%s: %r", "sendOrderUpdate", message)


async def stream_order_feed(message: Order) -> None:
    """streamOrderFeed: Push an order placed to SSE streams."""
    logger.info("%s: %r", "streamOrderFeed", message)
