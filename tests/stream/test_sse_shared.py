"""Two SSE channels on one address: one stream on the path, both channels' events on it.

AsyncAPI lets several channels share an address. A browser or client opens one
``EventSource`` per URL, so the generated server serves one stream on the path:
each event's ``event:`` field names its message, ids come from one sequence and
``Last-Event-ID`` replays from one buffer. The generated client classes of the
two channels read that stream and keep the events naming their own messages; a
POST to the path reaches the receive operation of the channel whose message it is.
Over a real socket: uvicorn on 127.0.0.1 in a thread of the test process.
"""

from __future__ import annotations

import asyncio
import importlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from generator.drive.spec import plan_target
from tests.stream._live import generated_pair, serving

pytestmark = pytest.mark.timeout(120)

SPEC = """\
asyncapi: 3.0.0
info: {title: Market Feed, version: '1'}
servers:
  feed: {host: 'localhost:8000', protocol: http}
channels:
  prices:
    address: /feed
    x-twinspec-sse: true
    messages:
      price: {$ref: '#/components/messages/price'}
  news:
    address: /feed
    x-twinspec-sse: true
    messages:
      headline: {$ref: '#/components/messages/headline'}
operations:
  sendPrice:
    action: send
    channel: {$ref: '#/channels/prices'}
  sendNews:
    action: send
    channel: {$ref: '#/channels/news'}
  postPrice:
    action: receive
    channel: {$ref: '#/channels/prices'}
  postNews:
    action: receive
    channel: {$ref: '#/channels/news'}
components:
  messages:
    price:
      name: price
      payload: {$ref: '#/components/schemas/Price'}
    headline:
      name: headline
      payload: {$ref: '#/components/schemas/Headline'}
  schemas:
    Price:
      type: object
      required: [symbol, price]
      properties: {symbol: {type: string}, price: {type: number}}
    Headline:
      type: object
      required: [title]
      properties: {title: {type: string}}
"""


@pytest.fixture(scope="module")
def feed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Any, Any]]:
    """``(base, call, web)``: the generated server on a real port, its web module; the
    application has sent price 1.5, headline "ACME up", price 2.0 (ids 1, 2, 3)."""
    root: Path = tmp_path_factory.mktemp("sse-shared")
    spec = root / "feed.yaml"
    spec.write_text(SPEC, encoding="utf-8")
    with generated_pair(spec, root, "", ""):
        web = importlib.import_module("market_feed.web")
        from market_feed.models import Headline, Price

        with serving(web.app) as (base, call):
            # no stream is open yet: each goes to the replay buffer only (0 receivers)
            assert call(web.send_price(Price(symbol="ACME", price=1.5))) == 0
            assert call(web.send_news(Headline(title="ACME up"))) == 0
            assert call(web.send_price(Price(symbol="ACME", price=2.0))) == 0
            yield f"http://{base}", call, web


def test_no_warning_and_one_route_per_method(tmp_path: Path) -> None:
    spec = tmp_path / "feed.yaml"
    spec.write_text(SPEC, encoding="utf-8")
    plan, diagnostics = plan_target(spec, "stream-server", package="market_feed_plan")
    assert plan is not None
    assert not [d for d in diagnostics if "shares its address" in d.message], diagnostics
    web = next(f.content for f in plan.files if str(f.path).endswith("/web.py"))
    assert web.count('@app.get("/feed")') == 1
    assert web.count('@app.post("/feed"') == 1
    readme = next(f.content for f in plan.files if str(f.path) == "README.md")
    assert "Channels news, prices share the SSE address `/feed`" in readme


def _events(text: str) -> list[dict[str, str]]:
    """The events of a text/event-stream body (field name -> value; comments dropped)."""
    out: list[dict[str, str]] = []
    for block in text.replace("\r\n", "\n").split("\n\n"):
        fields: dict[str, str] = {}
        for line in block.splitlines():
            if line and not line.startswith(":"):
                name, _, value = line.partition(":")
                fields[name] = value.removeprefix(" ")
        if fields.get("data"):
            out.append(fields)
    return out


async def _read(url: str, count: int, last_event_id: str) -> list[dict[str, str]]:
    """The first ``count`` events of the stream at ``url`` after ``last_event_id``."""
    found: list[dict[str, str]] = []
    headers = {"Accept": "text/event-stream", "Last-Event-ID": last_event_id}
    async with (
        httpx.AsyncClient(timeout=httpx.Timeout(10.0)) as client,
        client.stream("GET", url, headers=headers) as response,
    ):
        assert response.status_code == 200
        buffer = ""
        async for chunk in response.aiter_text():
            buffer += chunk
            found = _events(buffer)
            if len(found) >= count:
                return found[:count]
    raise AssertionError(f"stream ended after {found}")


def test_one_stream_one_id_sequence_one_replay_buffer(feed: tuple[str, Any, Any]) -> None:
    base, _call, _web = feed
    events = asyncio.run(asyncio.wait_for(_read(base + "/feed", 3, "0"), 30))
    assert [(e["id"], e["event"]) for e in events] == [
        ("1", "price"),
        ("2", "headline"),
        ("3", "price"),
    ]
    assert events[1]["data"] == '{"title":"ACME up"}'
    # resuming after id 1 replays the rest of the address's one buffer, both channels' events
    resumed = asyncio.run(asyncio.wait_for(_read(base + "/feed", 2, "1"), 30))
    assert [(e["id"], e["event"]) for e in resumed] == [("2", "headline"), ("3", "price")]


def test_client_classes_dispatch_by_event_type(feed: tuple[str, Any, Any]) -> None:
    base, _call, _web = feed
    client_web = importlib.import_module("market_feed_client.web")
    from market_feed_client.models import Headline, Price

    async def first(channel: Any, count: int) -> list[Any]:
        got: list[Any] = []
        async for item in channel:
            got.append(item)
            if len(got) == count:
                return got
        return got

    async def both() -> tuple[list[Any], list[Any]]:
        prices = client_web.PricesChannel(base, last_event_id="0")
        news = client_web.NewsChannel(base, last_event_id="0")
        return await asyncio.gather(
            asyncio.wait_for(first(prices, 2), 30), asyncio.wait_for(first(news, 1), 30)
        )

    prices, news = asyncio.run(both())
    assert all(isinstance(p, Price) for p in prices) and [p.price for p in prices] == [1.5, 2.0]
    assert len(news) == 1 and isinstance(news[0], Headline) and news[0].title == "ACME up"


def test_post_reaches_the_channel_of_its_message(
    feed: tuple[str, Any, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    base, _call, web = feed
    seen: list[tuple[str, Any]] = []

    async def on_price(message: Any) -> None:
        seen.append(("price", message))

    async def on_news(message: Any) -> None:
        seen.append(("news", message))

    monkeypatch.setattr(web, "post_price_handler", on_price)
    monkeypatch.setattr(web, "post_news_handler", on_news)
    assert httpx.post(base + "/feed", json={"title": "hello"}, timeout=10).status_code == 202
    assert (
        httpx.post(base + "/feed", json={"symbol": "X", "price": 3}, timeout=10).status_code == 202
    )
    refused = httpx.post(base + "/feed", json={"symbol": 5}, timeout=10)
    assert refused.status_code == 422
    assert refused.json()["error"]["code"] == "invalid-message"
    assert [(kind, type(m).__name__) for kind, m in seen] == [
        ("news", "Headline"),
        ("price", "Price"),
    ]
