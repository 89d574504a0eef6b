# written once by twinspec from specs/chat.yaml (target stream-server): this file is yours.
"""Your logic. twinspec created this file once and never overwrites it.

A function here named like an operation replaces the default in
``defaults.py`` (which logs and replies with the spec's examples). Delete a
function to get the default back; operations added to the spec later start
with their default until you add them here.
"""

from __future__ import annotations

import logging

from . import messages
from .models import ChatMessage, Ping, Pong, Tick, Typing

logger = logging.getLogger(__name__)


async def ping(message: Ping) -> Pong:
    """ping: Answer a ping with a pong carrying the same requestId."""
    logger.info("%s: %r", "ping", message)
    return messages.PONG.example()


async def publish_tick(message: Tick, *, symbol: str) -> None:
    """publishTick: A price feed posts a tick for a symbol (HTTP POST on the SSE channel)."""
    logger.info("%s: %r", "publishTick", message)


async def receive_chat(message: ChatMessage | Typing, *, room_id: str) -> None:
    """receiveChat: A client posts a chat message or a typing notice to a room."""
    logger.info("%s: %r", "receiveChat", message)
