# written once by twinspec from specs/chat.yaml (target stream-server): this file is yours.
"""Your credential checks. twinspec created this file once and never overwrites it.

A generated endpoint lets a client in when any one of its channel's security
schemes accepts the credential the client presents; everyone else is refused
before the connection opens (WebSocket close 1008 during the handshake, HTTP
401). The defaults below compare with a secret from the environment and refuse
everything while it is unset; replace them with your own lookup.
"""

from __future__ import annotations

import hmac
import logging
import os

logger = logging.getLogger(__name__)


def _matches(credential: str, variable: str) -> bool:
    expected = os.environ.get(variable, "")
    if not expected:
        logger.warning("%s is not set: refusing every client", variable)
        return False
    return hmac.compare_digest(credential.encode(), expected.encode())


async def check_api_key(credential: str) -> bool:
    """Scheme apiKey (api_key): accept the value of $CHAT_SERVICE_API_KEY."""
    return _matches(credential, "CHAT_SERVICE_API_KEY")


async def check_feed_token(credential: str) -> bool:
    """Scheme feedToken (bearer): accept the value of $CHAT_SERVICE_FEED_TOKEN."""
    return _matches(credential, "CHAT_SERVICE_FEED_TOKEN")
