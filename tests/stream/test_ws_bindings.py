"""WebSocket binding ``query``/``headers``: the corpus' Gemini market-data document, end to end.

Its channel ``/v1/marketdata/{symbol}`` declares boolean query parameters
(``heartbeat``, ``top_of_book``, ...). The generated client takes them as typed
keyword arguments; the generated server validates them at connect (close 4400
with the reason when invalid) and hands them, typed, to the connect handler,
which may refuse the connection (4403). Real uvicorn server on a free port.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pydantic
import pytest
import websockets

from tests.shared_corpus import CORPUS, HAS_CORPUS, MISSING, needs_corpus
from tests.stream._live import generated_pair, run_generated_tests, serving

pytestmark = [
    pytest.mark.timeout(300),
    needs_corpus,
    pytest.mark.skipif(not HAS_CORPUS, reason=MISSING),
]

GEMINI = "asyncapi/spec-examples-3.0.0/websocket-gemini-asyncapi.yml"

SERVER_HANDLERS = '''
"""Test handlers: record every connect request's typed query; refuse one without trades."""

from __future__ import annotations

from typing import Any

from .defaults import DefaultHandlers
from .models import MarketDataV1Query

CONNECTED: list[tuple[MarketDataV1Query, str]] = []


class Handlers(DefaultHandlers):
    async def connect_market_data_v1(self, *, query: MarketDataV1Query, symbol: str) -> None:
        if not query.trades:
            raise PermissionError("this feed always has trades")
        CONNECTED.append((query, symbol))
'''


@pytest.fixture(scope="module")
def gemini(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, Path]]:
    root = tmp_path_factory.mktemp("gemini")
    with generated_pair(CORPUS / GEMINI, root, SERVER_HANDLERS, "") as pair:
        yield pair


def run(coro: Any) -> Any:
    return asyncio.run(asyncio.wait_for(coro, timeout=60))


async def next_message(channel: Any, timeout: float = 5.0) -> Any:
    return await asyncio.wait_for(channel.__aiter__().__anext__(), timeout)


def test_the_binding_query_reaches_the_connect_handler_typed(gemini: tuple[Path, Path]) -> None:
    from gemini_market_data_websocket_api import handlers, messages  # type: ignore[import-not-found]
    from gemini_market_data_websocket_api import web as server_web
    from gemini_market_data_websocket_api_client import web  # type: ignore[import-not-found]
    from gemini_market_data_websocket_api_client.models import (  # type: ignore[import-not-found]
        Heartbeat,
        Update,
    )

    handlers.CONNECTED.clear()

    async def scenario(base: str, call: Any) -> None:
        async with web.MarketDataV1Channel(
            f"ws://{base}", symbol="btcusd", heartbeat=True, top_of_book=False
        ) as feed:
            for _ in range(100):
                if handlers.CONNECTED and server_web.hub.count("marketDataV1"):
                    break
                await asyncio.sleep(0.05)
            assert (
                call(server_web.send_market_data(messages.MARKET_DATA.example(), symbol="btcusd"))
                == 1
            )
            assert isinstance(await next_message(feed), (Heartbeat, Update))  # Market's members

    with serving(server_web.app) as (base, call):
        run(scenario(base, call))
    [(query, symbol)] = handlers.CONNECTED
    assert symbol == "btcusd"
    assert query.heartbeat is True and query.top_of_book is False
    assert query.model_fields_set == {"heartbeat", "top_of_book"}  # the others were not sent


def test_an_invalid_query_closes_with_4400_and_the_reason(gemini: tuple[Path, Path]) -> None:
    from gemini_market_data_websocket_api import handlers
    from gemini_market_data_websocket_api import web as server_web

    handlers.CONNECTED.clear()

    async def scenario(base: str) -> websockets.ConnectionClosed:
        async with websockets.connect(f"ws://{base}/v1/marketdata/btcusd?heartbeat=yes") as raw:
            with pytest.raises(websockets.ConnectionClosed) as closed:
                await asyncio.wait_for(raw.recv(), 5)
        return closed.value

    with serving(server_web.app) as (base, _call):
        closed = run(scenario(base))
    assert closed.rcvd is not None and closed.rcvd.code == 4400
    assert "heartbeat" in closed.rcvd.reason
    assert handlers.CONNECTED == []


def test_the_connect_handler_refuses_with_4403_and_the_client_stops(
    gemini: tuple[Path, Path],
) -> None:
    from gemini_market_data_websocket_api import web as server_web
    from gemini_market_data_websocket_api_client import web
    from gemini_market_data_websocket_api_client.runtime import StreamError  # type: ignore[import-not-found]

    async def scenario(base: str) -> StreamError:
        async with web.MarketDataV1Channel(f"ws://{base}", symbol="ethusd", trades=False) as feed:
            with pytest.raises(StreamError) as refused:
                await next_message(feed)
        return refused.value

    with serving(server_web.app) as (base, _call):
        refused = run(scenario(base))
    assert refused.code == "4403"
    assert "this feed always has trades" in str(refused)


def test_the_client_checks_the_query_types_before_connecting(gemini: tuple[Path, Path]) -> None:
    from gemini_market_data_websocket_api_client import web

    feed = web.MarketDataV1Channel("ws://example.test", symbol="btcusd", bids=False)
    assert feed.url == "ws://example.test/v1/marketdata/btcusd?bids=false"
    with pytest.raises(pydantic.ValidationError):
        web.MarketDataV1Channel("ws://example.test", symbol="btcusd", heartbeat="yes")


def test_the_generated_test_suites_of_gemini_pass(
    gemini: tuple[Path, Path], tmp_path: Path
) -> None:
    for project in gemini:
        result = run_generated_tests(project, tmp_path / project.name)
        assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-2000:]


ECHO = """
asyncapi: 3.0.0
info: {title: Echo Rooms, version: 1.0.0}
channels:
  echo:
    address: /echo
    messages:
      shout: {$ref: '#/components/messages/shout'}
      heard: {$ref: '#/components/messages/heard'}
    bindings:
      ws:
        query:
          type: object
          properties:
            room: {type: string}
            loud: {type: boolean, default: false}
          required: [room]
        headers:
          type: object
          properties:
            X-Trace: {type: integer}
operations:
  shout:
    action: receive
    channel: {$ref: '#/channels/echo'}
    messages: [{$ref: '#/channels/echo/messages/shout'}]
    reply:
      channel: {$ref: '#/channels/echo'}
      messages: [{$ref: '#/channels/echo/messages/heard'}]
components:
  messages:
    shout:
      payload:
        type: object
        properties: {id: {type: string}, text: {type: string}}
        required: [id, text]
      correlationId: {location: '$message.payload#/id'}
    heard:
      payload:
        type: object
        properties: {id: {type: string}, echo: {type: string}}
        required: [id, echo]
      correlationId: {location: '$message.payload#/id'}
"""

ECHO_HANDLERS = '''
"""Test handlers: the reply quotes the connection's typed query and headers."""

from __future__ import annotations

from .defaults import DefaultHandlers
from .models import EchoHeaders, EchoQuery, Heard, Shout


class Handlers(DefaultHandlers):
    async def shout(
        self, message: Shout, *, query: EchoQuery | None = None, headers: EchoHeaders | None = None
    ) -> Heard:
        assert query is not None and headers is not None
        text = message.text.upper() if query.loud else message.text
        return Heard(id=message.id, echo=f"{query.room}:{text}:{headers.x_trace!r}")
'''


def test_binding_query_and_headers_reach_the_receive_handlers(tmp_path: Path) -> None:
    spec = tmp_path / "echo.yaml"
    spec.write_text(ECHO, encoding="utf-8")
    with generated_pair(spec, tmp_path, ECHO_HANDLERS, "") as (server, _client):
        from echo_rooms import web as server_web  # type: ignore[import-not-found]
        from echo_rooms_client import web  # type: ignore[import-not-found]
        from echo_rooms_client.models import Shout  # type: ignore[import-not-found]

        async def scenario(base: str) -> list[str]:
            heard = []
            async with web.EchoChannel(f"ws://{base}", room="blue", loud=True, x_trace=7) as echo:
                heard.append((await echo.shout(Shout(id="1", text="hi"))).echo)
            async with web.EchoChannel(f"ws://{base}", room="red") as echo:
                heard.append((await echo.shout(Shout(id="2", text="hi"))).echo)
            return heard

        with serving(server_web.app) as (base, _call):
            assert run(scenario(base)) == ["blue:HI:7", "red:hi:None"]
        result = run_generated_tests(server, tmp_path / "suite")
        assert result.returncode == 0, result.stdout[-3000:]
