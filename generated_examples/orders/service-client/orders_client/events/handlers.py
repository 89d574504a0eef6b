# written once by twinspec from specs/orders-events.yaml (target service-client): this file is yours.
"""Your logic. twinspec created this file once and never overwrites it.

Override any method of ``DefaultHandlers`` (see ``defaults.py`` for each
operation's exact signature); the ones you leave out keep their default, which
logs. When the spec gains an operation,
regenerating adds its default there, and this class inherits it.

Example::

    async def publish_order_created(self, message: Order) -> None:
        logger.info("got %r", message)
"""

from __future__ import annotations

import logging

from .defaults import DefaultHandlers

logger = logging.getLogger(__name__)


class Handlers(DefaultHandlers):
    """The handlers the application runs."""
