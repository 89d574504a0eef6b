"""Stream handlers extend like REST handlers: ``handlers.Handlers`` subclasses the generated defaults.

An override in the user's class is what the dispatch calls; an operation left
out keeps its default; a module-level function named like an operation (the
old extension model) is not called and is reported with a warning.
"""

from __future__ import annotations

import asyncio
import importlib
import logging
import sys
from pathlib import Path

import pytest

from .conftest import SPECS, generate

USER_HANDLERS = """
from __future__ import annotations

from .defaults import DefaultHandlers
from .models import Ping, Pong


async def publish_tick(message: object, *, symbol: str) -> None:  # old model: not called
    raise AssertionError("module functions are not handlers")


class Handlers(DefaultHandlers):
    async def ping(self, message: Ping) -> Pong:
        return Pong(type_="pong", request_id=message.request_id, server_time="mine")
"""


def test_subclass_overrides_are_dispatched_and_stale_functions_warned(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    root = generate(SPECS / "chat.yaml", "stream-server", tmp_path, package="model_chat")
    (root / "model_chat" / "handlers.py").write_text(USER_HANDLERS, encoding="utf-8")
    sys.path.insert(0, str(root))
    try:
        with caplog.at_level(logging.WARNING):
            web = importlib.import_module("model_chat.web")
        models = importlib.import_module("model_chat.models")
    finally:
        sys.path.remove(str(root))
    assert type(web.HANDLERS).__name__ == "Handlers"
    assert "publish_tick" in caplog.text and "methods of Handlers" in caplog.text
    ping = models.Ping(type_="ping", request_id="r1")
    reply = asyncio.run(web.ping_handler(ping))
    assert (reply.request_id, reply.server_time) == ("r1", "mine")
    tick = models.Tick(symbol="ACME", price=1.5, seq=1)
    assert asyncio.run(web.publish_tick_handler(tick, symbol="ACME")) is None  # the default
