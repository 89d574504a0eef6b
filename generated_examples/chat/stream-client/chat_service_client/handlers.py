# written once by twinspec from specs/chat.yaml (target stream-client): this file is yours.
"""Your logic. twinspec created this file once and never overwrites it.

A function here named like an operation replaces the default in
``defaults.py`` (which logs). Delete a
function to get the default back; operations added to the spec later start
with their default until you add them here.
"""

from __future__ import annotations

import logging

from .models import ChatMessage, Tick, UserJoined

logger = logging.getLogger(__name__)


async def send_chat(message: ChatMessage | UserJoined, *, room_id: str) -> None:
    """sendChat: The service broadcasts chat messages and join notices to everyone in the room."""
    logger.info("%s: %r", "sendChat", message)


async def send_tick(message: Tick, *, symbol: str) -> None:
    """sendTick: Stream a price tick for a symbol."""
    logger.info("%s: %r", "sendTick", message)
