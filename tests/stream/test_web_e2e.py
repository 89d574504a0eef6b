"""End to end over real sockets on 127.0.0.1: the generated chat client against the generated server.

The server runs under uvicorn in a thread of the test process (so a test can
call its publish functions); clients are the generated ``chat_service_client``
classes, plus raw ``websockets`` connections where a misbehaving peer is needed.
"""

from __future__ import annotations

import asyncio
import json
import socket
from typing import Any

import pytest
import websockets

RunningServer = Any  # conftest.RunningServer: base "127.0.0.1:PORT", web module, loop_call
API_KEY = "e2e-api-key"  # conftest sets it as CHAT_SERVICE_API_KEY for both sides

pytestmark = pytest.mark.timeout(120)


HANDSHAKE = (
    "GET {path} HTTP/1.1\r\nHost: {host}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
    "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n"
)


def run(coro: Any) -> Any:
    return asyncio.run(asyncio.wait_for(coro, timeout=60))


async def next_message(channel: Any, timeout: float = 5.0) -> Any:
    iterator = channel.__aiter__()
    return await asyncio.wait_for(iterator.__anext__(), timeout)


def test_websocket_both_directions_with_channel_parameters(chat: RunningServer) -> None:
    from chat_service.models import UserJoined as ServerUserJoined
    from chat_service_client import web
    from chat_service_client.models import ChatMessage, UserJoined

    base = f"ws://{chat.base}"

    async def lobby_both_ways() -> None:
        async with (
            web.RoomChannel(base, room_id="lobby") as ada,
            web.RoomChannel(base, room_id="lobby") as bob,
        ):
            await asyncio.sleep(0.2)  # both registered
            await ada.receive_chat(ChatMessage(type_="message", author="ada", text="hi lobby"))
            for member in (ada, bob):
                got = await next_message(member)
                assert isinstance(got, ChatMessage)
                assert (got.author, got.text) == ("ada", "hi lobby")

    async def kitchen_gets_only_its_own() -> None:
        async with (
            web.RoomChannel(base, room_id="lobby") as ada,
            web.RoomChannel(base, room_id="kitchen") as cat,
        ):
            await asyncio.sleep(0.2)
            await ada.receive_chat(ChatMessage(type_="message", author="ada", text="lobby only"))
            assert (await next_message(ada)).text == "lobby only"
            joined = ServerUserJoined(type_="joined", user="dan")
            queued = chat.loop_call(chat.web.send_chat(joined, room_id="kitchen"))
            assert queued == 1
            got = await next_message(cat)
            assert isinstance(got, UserJoined) and got.user == "dan"

    run(lobby_both_ways())
    run(kitchen_gets_only_its_own())


def test_request_reply_correlates_by_request_id(chat: RunningServer) -> None:
    from chat_service_client import web
    from chat_service_client.models import Ping, Pong

    async def scenario() -> None:
        async with web.RpcChannel(f"ws://{chat.base}") as rpc:
            replies = await asyncio.gather(
                *(rpc.ping(Ping(type_="ping", request_id=f"r-{i}")) for i in range(20))
            )
        assert all(isinstance(r, Pong) for r in replies)
        assert [r.request_id for r in replies] == [f"r-{i}" for i in range(20)]

    run(scenario())


def test_a_refused_request_fails_at_once_with_the_servers_reason(chat: RunningServer) -> None:
    """Error frames quote the request's correlation ID, so the waiting call raises, not times out."""
    from chat_service_client import web
    from chat_service_client.models import Ping, Pong
    from chat_service_client.runtime import StreamError

    async def scenario() -> None:
        async with web.RpcChannel(f"ws://{chat.base}") as rpc:
            # a request the server's schema refuses (requestId must be a string)
            with pytest.raises(StreamError) as refused:
                await rpc.connection.request(
                    {"type": "ping", "requestId": 41}, ("requestId",), timeout=50
                )
            assert refused.value.code == "invalid-message"
            assert "requestId" in str(refused.value)
            # a request whose handler fails: internal-error, no detail leaked
            with pytest.raises(StreamError) as failed:
                await rpc.ping(Ping(type_="ping", request_id="boom"), timeout=50)
            assert (failed.value.code, str(failed.value)) == (
                "internal-error",
                "the handler failed",
            )
            # the connection still serves requests
            assert isinstance(await rpc.ping(Ping(type_="ping", request_id="after")), Pong)

    run(scenario())


def test_invalid_messages_rejected_while_others_carry_on(chat: RunningServer) -> None:
    from chat_service_client import web
    from chat_service_client.models import ChatMessage

    async def scenario() -> None:
        async with (
            websockets.connect(f"ws://{chat.base}/rooms/errors?token={API_KEY}") as raw,
            web.RoomChannel(f"ws://{chat.base}", room_id="errors") as good,
        ):
            await asyncio.sleep(0.2)
            for junk in (
                "{not json",
                json.dumps({"type": "message"}),
                json.dumps({"type": "nope"}),
                "[]",
            ):
                await raw.send(junk)
                error = json.loads(await asyncio.wait_for(raw.recv(), 5))
                assert error["error"]["code"] == "invalid-message", error
            # the offending connection is still open and served, and so is everyone else
            await raw.send(json.dumps({"type": "message", "author": "raw", "text": "still here"}))
            echoed = json.loads(await asyncio.wait_for(raw.recv(), 5))
            assert echoed == {"type": "message", "author": "raw", "text": "still here"}
            got = await next_message(good)
            assert isinstance(got, ChatMessage) and got.text == "still here"

    run(scenario())


def test_oversized_frame_is_refused_and_connection_survives(chat: RunningServer) -> None:
    async def scenario() -> None:
        async with websockets.connect(
            f"ws://{chat.base}/rooms/big?token={API_KEY}", max_size=None
        ) as raw:
            await raw.send(json.dumps({"type": "message", "author": "x", "text": "y" * 1_100_000}))
            error = json.loads(await asyncio.wait_for(raw.recv(), 5))
            assert error["error"]["code"] == "frame-too-large"
            await raw.send(json.dumps({"type": "typing", "author": "x"}))
            await raw.send("{bad")
            assert (
                json.loads(await asyncio.wait_for(raw.recv(), 5))["error"]["code"]
                == "invalid-message"
            )

    run(scenario())


def test_frame_limit_counts_utf8_bytes_not_characters(chat: RunningServer) -> None:
    """A frame under the limit in characters but over it in bytes is refused (F6)."""
    limit = 1_048_576  # the chat server's default max frame
    emoji = "\U0001f47e"  # four bytes in UTF-8

    async def scenario() -> None:
        async with websockets.connect(
            f"ws://{chat.base}/rooms/bytes?token={API_KEY}", max_size=None
        ) as raw:
            text = json.dumps(
                {"type": "message", "author": "x", "text": emoji * (limit // 4 + 16)},
                ensure_ascii=False,
            )
            assert len(text) < limit < len(text.encode())
            await raw.send(text)
            error = json.loads(await asyncio.wait_for(raw.recv(), 5))
            assert error["error"]["code"] == "frame-too-large"
            await raw.send(json.dumps({"type": "message", "author": "x", "text": emoji * 10}))
            assert json.loads(await asyncio.wait_for(raw.recv(), 5))["text"] == emoji * 10

    run(scenario())


def test_deeply_nested_json_is_the_clients_mistake_and_logs_no_traceback(
    chat: RunningServer, caplog: pytest.LogCaptureFixture
) -> None:
    """JSON nested beyond the parser's depth: ``invalid-message``, no traceback logged (F7)."""

    async def scenario() -> None:
        async with websockets.connect(f"ws://{chat.base}/rooms/deep?token={API_KEY}") as raw:
            for _ in range(3):
                await raw.send("[" * 30_000 + "]" * 30_000)
                error = json.loads(await asyncio.wait_for(raw.recv(), 5))
                assert error["error"]["code"] == "invalid-message"
                assert "nested too deeply" in error["error"]["message"]
            await raw.send(json.dumps({"type": "message", "author": "x", "text": "after"}))
            assert json.loads(await asyncio.wait_for(raw.recv(), 5))["text"] == "after"

    with caplog.at_level("WARNING"):
        run(scenario())
    assert not [r for r in caplog.records if r.exc_info], caplog.text


def test_slow_client_is_dropped_while_others_keep_receiving(
    chat: RunningServer, caplog: pytest.LogCaptureFixture
) -> None:
    from chat_service_client import web
    from chat_service_client.models import ChatMessage

    count = 400
    text = "z" * 60_000

    async def scenario() -> None:
        # A peer that completes the handshake and then never reads (a stuck client).
        loop = asyncio.get_running_loop()
        host, port = chat.base.split(":")
        slow = socket.socket()
        slow.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 16_384)
        slow.setblocking(False)
        await loop.sock_connect(slow, (host, int(port)))
        await loop.sock_sendall(
            slow, HANDSHAKE.format(host=chat.base, path=f"/rooms/slow?token={API_KEY}").encode()
        )
        assert (await loop.sock_recv(slow, 4096)).startswith(b"HTTP/1.1 101")
        async with web.RoomChannel(f"ws://{chat.base}", room_id="slow") as fast:
            await asyncio.sleep(0.2)
            received = 0
            # the fast client reads each echo before sending the next: it never lags
            for i in range(count):
                await fast.receive_chat(ChatMessage(type_="message", author=f"n{i}", text=text))
                got = await next_message(fast)
                assert isinstance(got, ChatMessage) and got.author == f"n{i}"
                received += 1
            assert received == count
        # The stuck client was dropped: the hub no longer holds it (nor the fast one, now gone).
        for _ in range(100):
            if chat.web.hub.count("room") == 0:
                break
            await asyncio.sleep(0.05)
        assert chat.web.hub.count("room") == 0
        slow.close()

    run(scenario())
    assert any("dropping a slow room client" in r.getMessage() for r in caplog.records)


def test_sse_reconnect_resumes_by_last_event_id_without_loss(chat: RunningServer) -> None:
    from chat_service.models import Tick
    from chat_service_client import web
    from chat_service_client.models import Tick as ClientTick

    def publish(first: int, last: int) -> None:
        for seq in range(first, last + 1):
            chat.loop_call(
                chat.web.send_tick(Tick(symbol="ACME", price=1.0 + seq, seq=seq), symbol="ACME")
            )

    async def scenario() -> list[int]:
        seen: list[int] = []
        ticker = web.TickerChannel(
            f"http://{chat.base}", symbol="ACME", backoff=web.Backoff(initial=0.05)
        )
        iterator = ticker.__aiter__()

        async def take(n: int) -> None:
            for _ in range(n):
                tick = await asyncio.wait_for(iterator.__anext__(), 10)
                assert isinstance(tick, ClientTick)
                seen.append(tick.seq)

        first = asyncio.create_task(take(1))
        await asyncio.sleep(0.3)  # connected
        await asyncio.to_thread(publish, 1, 5)
        await first
        await take(4)
        # the server drops every stream; ticks published meanwhile must be replayed on reconnect
        await asyncio.to_thread(chat.loop_call, _close_all(chat))
        await asyncio.to_thread(publish, 6, 10)
        await take(5)
        await asyncio.to_thread(publish, 11, 15)
        await take(5)
        assert ticker.last_event_id is not None
        await iterator.aclose()
        return seen

    assert run(scenario()) == list(range(1, 16))


async def _close_all(chat: RunningServer) -> None:
    chat.web.hub.close_all()


def test_emit_examples_on_request(chat: RunningServer) -> None:
    import httpx
    from chat_service_client import web

    async def scenario() -> None:
        async with web.RoomChannel(f"ws://{chat.base}", room_id="demo") as room:
            await asyncio.sleep(0.2)
            async with httpx.AsyncClient() as client:
                answer = await client.post(f"http://{chat.base}/_twinspec/emit/sendChat")
            assert answer.status_code == 200 and answer.json()["delivered"] >= 2
            kinds = {type(await next_message(room)).__name__ for _ in range(2)}
            assert kinds == {"ChatMessage", "UserJoined"}

    run(scenario())


def test_missing_or_wrong_credentials_are_refused_before_connecting(chat: RunningServer) -> None:
    import httpx
    from chat_service_client import web
    from chat_service_client.runtime import StreamError

    async def scenario() -> None:
        for url in (f"ws://{chat.base}/rpc", f"ws://{chat.base}/rpc?token=wrong"):
            with pytest.raises(websockets.InvalidStatus) as refused:
                await websockets.connect(url)
            assert refused.value.response.status_code == 403
        with pytest.raises(StreamError, match="refused the credentials"):
            async with web.RpcChannel(f"ws://{chat.base}", credential="wrong"):
                pass
        async with httpx.AsyncClient(base_url=f"http://{chat.base}") as client:
            assert (await client.get("/ticker/ACME")).status_code == 401
            wrong = {"Authorization": "Bearer wrong"}
            assert (await client.post("/ticker/ACME", json={}, headers=wrong)).status_code == 401

    run(scenario())


def test_a_failing_handler_answers_internal_error_without_details(chat: RunningServer) -> None:
    async def scenario() -> None:
        async with websockets.connect(f"ws://{chat.base}/rooms/boom?token={API_KEY}") as raw:
            await raw.send(json.dumps({"type": "message", "author": "x", "text": "boom"}))
            error = json.loads(await asyncio.wait_for(raw.recv(), 5))
            assert error == {"error": {"code": "internal-error", "message": "the handler failed"}}
            await raw.send(json.dumps({"type": "message", "author": "x", "text": "fine"}))
            assert json.loads(await asyncio.wait_for(raw.recv(), 5))["text"] == "fine"

    run(scenario())
