"""The generated bookstore client against the generated bookstore server, over 127.0.0.1.

The server runs under uvicorn in a subprocess with a user-written
``handlers.py`` (``bookstore_handlers.py``); the client's webhook receiver
runs in this process. Every operation is called with the sync and the async
client; every auth scheme, parameter style, body kind, declared error,
upload/download, the SSE stream, the webhook and the callback are checked.
"""

from __future__ import annotations

import asyncio
import importlib
import shutil
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import httpx
import pytest
import uvicorn
from rest_support import SPECS, free_port, generate, serve, wait_until_up

HERE = Path(__file__).resolve().parent
SERVER_PKG = "bookstore_server"
CLIENT_PKG = "bookstore_client"
SECRETS = {
    "HEADER_KEY": "header-secret",
    "QUERY_KEY": "query-secret",
    "COOKIE_KEY": "cookie-secret",
    "BASIC_AUTH": "reader:open sesame",
    "BEARER_AUTH": "bearer-token",
    "OAUTH": "oauth-token",
    "OPEN_ID": "oidc-token",
}


class Stack:
    """The running pieces: client package, server URL, receiver inbox."""

    def __init__(self, client: ModuleType, models: ModuleType, url: str, inbox: list[object]):
        self.pkg = client
        self.models = models
        self.url = url
        self.inbox = inbox

    def credentials(self, **overrides: Any) -> Any:
        good: dict[str, Any] = {
            "header_key": "header-secret",
            "query_key": "query-secret",
            "cookie_key": "cookie-secret",
            "basic_auth": ("reader", "open sesame"),
            "bearer_auth": "bearer-token",
            "oauth": "oauth-token",
            "open_id": "oidc-token",
        }
        good.update(overrides)
        return self.pkg.Credentials(**good)

    def sync(self, **creds: Any) -> Any:
        return self.pkg.Client(self.url, credentials=self.credentials(**creds))


def _receiver(client_pkg: str, inbox: list[object]) -> tuple[uvicorn.Server, str]:
    receiver = importlib.import_module(f"{client_pkg}.receiver")
    defaults = importlib.import_module(f"{client_pkg}.default_receivers")

    class Recording(defaults.DefaultReceivers):  # type: ignore[name-defined,misc]
        async def new_book(self, payload: Any) -> None:
            inbox.append(("new_book", payload))

        async def subscribe_book_event(self, payload: Any) -> None:
            inbox.append(("book_event", payload))

    port = free_port()
    config = uvicorn.Config(
        receiver.create_receiver(Recording()), host="127.0.0.1", port=port, log_level="warning"
    )
    server = uvicorn.Server(config)
    threading.Thread(target=server.run, daemon=True).start()
    url = f"http://127.0.0.1:{port}"
    wait_until_up(url + "/docs")
    return server, url


@pytest.fixture(scope="session")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    root = tmp_path_factory.mktemp("bookstore")
    server_dir = generate(
        SPECS / "bookstore.yaml", "rest-server", root / "server", package=SERVER_PKG
    )
    client_dir = generate(
        SPECS / "bookstore.yaml", "rest-client", root / "client", package=CLIENT_PKG
    )
    # The user writes their handlers: this file is theirs from now on.
    shutil.copy(HERE / "bookstore_handlers.py", server_dir / SERVER_PKG / "handlers.py")
    sys.path.insert(0, str(client_dir))
    inbox: list[object] = []
    receiver, receiver_url = _receiver(CLIENT_PKG, inbox)
    env = {f"BOOKSTORE_SERVER_{k}": v for k, v in SECRETS.items()}
    env["WEBHOOK_URL"] = receiver_url + "/new-book"
    try:
        with serve(server_dir, SERVER_PKG, env) as url:
            client = importlib.import_module(CLIENT_PKG)
            models = importlib.import_module(f"{CLIENT_PKG}.models")
            stack = Stack(client, models, url, inbox)
            stack.receiver_url = receiver_url  # type: ignore[attr-defined]
            yield stack
    finally:
        receiver.should_exit = True
        sys.path.remove(str(client_dir))


def _new_book(models: ModuleType, isbn: str) -> Any:
    return models.NewBook(title="Dune", isbn=isbn, genre=models.Genre.FICTION, price=9.5)


def test_books_crud_with_declared_errors_sync(stack: Stack) -> None:
    m = stack.models
    with stack.sync() as api:
        assert api.health().status == m.Health200ResponseStatus.OK
        book = api.create_book(body=_new_book(m, "9780000000001"))
        assert isinstance(book, m.Book) and book.title == "Dune" and book.id >= 1
        assert api.get_book(book_id=book.id).isbn == "9780000000001"
        with pytest.raises(stack.pkg.ApiError) as conflict:
            api.create_book(body=_new_book(m, "9780000000001"))
        assert conflict.value.status_code == 409
        assert isinstance(conflict.value.body, m.Error) and "exists" in conflict.value.body.detail
        updated = api.update_book(
            book_id=book.id, body=m.NewBook(title="Dune II", isbn="9780000000001")
        )
        assert updated.title == "Dune II"
        assert [b.id for b in api.list_books(limit=50)].count(book.id) == 1
        api.delete_book(book_id=book.id)
        with pytest.raises(stack.pkg.ApiError) as missing:
            api.get_book(book_id=book.id)
        assert missing.value.status_code == 404 and isinstance(missing.value.body, m.Error)


def test_books_crud_async(stack: Stack) -> None:
    m = stack.models

    async def scenario() -> None:
        async with stack.pkg.AsyncClient(stack.url, credentials=stack.credentials()) as api:
            assert (await api.health()).status == m.Health200ResponseStatus.OK
            book = await api.create_book(body=_new_book(m, "9780000000002"))
            assert (await api.get_book(book_id=book.id)).id == book.id
            assert (
                await api.update_book(book_id=book.id, body=_new_book(m, "9780000000002"))
            ).price == 9.5
            listed = await api.list_books(genre=m.Genre.FICTION)
            assert book.id in [b.id for b in listed]
            await api.delete_book(book_id=book.id)
            with pytest.raises(stack.pkg.ApiError) as missing:
                await api.get_book(book_id=book.id)
            assert missing.value.status_code == 404

    asyncio.run(scenario())


def test_validation_errors_are_422_not_500(stack: Stack) -> None:
    with httpx.Client(base_url=stack.url) as raw:
        assert raw.get("/books/not-a-number").status_code == 422
        assert raw.get("/books", params={"limit": "500"}).status_code == 422
        assert raw.get("/books", params={"genre": "poetry"}).status_code == 422
        bad = raw.post(
            "/books",
            content=b"{not json",
            headers={"X-API-Key": "header-secret", "content-type": "application/json"},
        )
        assert bad.status_code == 422
        short = raw.post(
            "/books", json={"title": "x", "isbn": "12"}, headers={"X-API-Key": "header-secret"}
        )
        assert short.status_code == 422


def test_body_size_limit_gives_413_and_server_keeps_serving(stack: Stack) -> None:
    with httpx.Client(base_url=stack.url) as raw:
        big = raw.put(
            "/books/1/content",
            content=b"x" * (11 * 1024 * 1024),
            headers={
                "authorization": "Bearer oauth-token",
                "content-type": "application/octet-stream",
            },
        )
        assert big.status_code == 413
        assert raw.get("/health").status_code == 200


@pytest.mark.parametrize("mode", ["sync", "async"])
def test_every_parameter_style(stack: Stack, mode: str) -> None:
    m = stack.models
    expected_query = {
        "color": ["red", "green"],
        "size": [1, 2, 3],
        "words": ["hello", "big world"],
        "codes": ["a", "b"],
        "range": {"min": 1, "max": 9},
        "x_trace": ["t1", "t2"],
        "lang": "en",
    }
    query_args = {
        "color": ["red", "green"],
        "size": [1, 2, 3],
        "words": ["hello", "big world"],
        "codes": ["a", "b"],
        "range_": m.Range(min=1, max=9),
        "x_trace": ["t1", "t2"],
        "lang": "en",
    }
    point = m.Point(x=3, y=-4)

    def check(path_echo: Any, matrix_echo: Any, query_echo: Any, object_echo: Any) -> None:
        assert path_echo == {"ids": [1, 2, 3], "labels": ["a", "b"], "point": {"x": 3, "y": -4}}
        assert matrix_echo == {"tags": ["x", "y"]}
        # spaceDelimited splits on spaces, so a value with a space arrives as two words.
        assert query_echo == {**expected_query, "words": ["hello", "big", "world"]}
        assert object_echo == {"page": {"number": 2, "size": 20}}

    if mode == "sync":
        with stack.sync() as api:
            check(
                api.echo_path(ids=[1, 2, 3], labels=["a", "b"], point=point),
                api.echo_matrix(tags=["x", "y"]),
                api.echo_query(**query_args),
                api.echo_object(page=m.Page(number=2, size=20)),
            )
    else:

        async def scenario() -> None:
            async with stack.pkg.AsyncClient(stack.url, credentials=stack.credentials()) as api:
                check(
                    await api.echo_path(ids=[1, 2, 3], labels=["a", "b"], point=point),
                    await api.echo_matrix(tags=["x", "y"]),
                    await api.echo_query(**query_args),
                    await api.echo_object(page=m.Page(number=2, size=20)),
                )

        asyncio.run(scenario())


def test_wire_format_of_styles(stack: Stack) -> None:
    """What the client puts on the wire is exactly the spec's serialisation."""
    seen: list[httpx.Request] = []

    def record(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json={})

    m = stack.models
    http = httpx.Client(base_url="http://wire", transport=httpx.MockTransport(record))
    api = stack.pkg.Client(http=http, credentials=stack.credentials())
    api.echo_path(ids=[1, 2], labels=["a", "b"], point=m.Point(x=1, y=2))
    api.echo_matrix(tags=["x", "y"])
    api.echo_query(
        color=["r", "g"],
        size=[1, 2],
        words=["a", "b"],
        codes=["p", "q"],
        range_=m.Range(min=1),
        x_trace=["t1", "t2"],
        lang="en",
    )
    api.echo_object(page=m.Page(number=1, size=5))
    path, matrix, query, obj = seen
    assert path.url.raw_path == b"/echo/path/1,2/.a,b/;x=1;y=2"
    assert matrix.url.raw_path == b"/echo/matrix/;tags=x,y"
    assert query.url.params.multi_items() == [
        ("color", "r"),
        ("color", "g"),
        ("size", "1,2"),
        ("words", "a b"),
        ("codes", "p|q"),
        ("range[min]", "1"),
        ("api_key", "query-secret"),
    ]
    assert query.headers["X-Trace"] == "t1,t2"
    assert query.headers["cookie"] == "lang=en"
    assert obj.url.params.multi_items() == [("number", "1"), ("size", "5")]


SECURED: list[tuple[str, str, Callable[[Any, Any], object]]] = [
    (
        "header_key",
        "apiKey in a header",
        lambda api, m: api.create_book(body=_new_book(m, "9781111111111")),
    ),
    ("query_key", "apiKey in the query", lambda api, m: api.echo_query()),
    (
        "cookie_key",
        "apiKey in a cookie",
        lambda api, m: api.create_review(body=m.NewReview(book_id=1, stars=5)),
    ),
    (
        "basic_auth",
        "HTTP basic",
        lambda api, m: api.create_review(body=m.NewReview(book_id=1, stars=4)),
    ),
    (
        "bearer_auth",
        "HTTP bearer",
        lambda api, m: api.update_book(book_id=3, body=_new_book(m, "9782222222222")),
    ),
    ("oauth", "OAuth2", lambda api, m: api.upload_content(book_id=3, body=b"text")),
    ("open_id", "OpenID Connect", lambda api, m: api.download_content(book_id=3)),
]


@pytest.mark.parametrize(("scheme", "label", "call"), SECURED, ids=[s[0] for s in SECURED])
def test_each_auth_scheme(
    stack: Stack, scheme: str, label: str, call: Callable[[Any, Any], object]
) -> None:
    m = stack.models
    nobody = {name: None for name in SECRETS_FIELDS}
    only_this = {**nobody, scheme: stack.credentials().__getattribute__(scheme)}
    with stack.pkg.Client(stack.url, credentials=stack.pkg.Credentials(**only_this)) as api:
        call(api, m)  # accepted with the right credential alone
    with stack.pkg.Client(stack.url, credentials=stack.pkg.Credentials(**nobody)) as api:
        with pytest.raises(stack.pkg.ApiError) as missing:
            call(api, m)
        assert missing.value.status_code == 401, label
    wrong = ("reader", "wrong") if scheme == "basic_auth" else "wrong"
    with stack.pkg.Client(
        stack.url, credentials=stack.pkg.Credentials(**{**nobody, scheme: wrong})
    ) as api:
        with pytest.raises(stack.pkg.ApiError) as refused:
            call(api, m)
        # RFC 6750: a refused bearer token is 401 (error="invalid_token"); other credentials 403
        token = scheme in ("bearer_auth", "oauth", "open_id")
        assert refused.value.status_code == (401 if token else 403), label
        assert isinstance(refused.value.body, m.Problem)  # the spec declares RFC 9457 problems


SECRETS_FIELDS = (
    "header_key",
    "query_key",
    "cookie_key",
    "basic_auth",
    "bearer_auth",
    "oauth",
    "open_id",
)


def test_upload_and_download(stack: Stack) -> None:
    m = stack.models
    image = bytes(range(256)) * 40
    with stack.sync() as api:
        cover = api.upload_cover(book_id=5, body=m.UploadCoverBody(image=image, caption="front"))
        assert cover.size == len(image) and cover.caption == "front"
        api.upload_content(book_id=5, body=b"\x00\x01chapter one\xff")
        assert api.download_content(book_id=5) == b"\x00\x01chapter one\xff"

    async def scenario() -> None:
        async with stack.pkg.AsyncClient(stack.url, credentials=stack.credentials()) as api:
            cover = await api.upload_cover(book_id=6, body=m.UploadCoverBody(image=b"png"))
            assert cover.size == 3 and cover.caption is None
            await api.upload_content(book_id=6, body=b"async bytes")
            assert await api.download_content(book_id=6) == b"async bytes"

    asyncio.run(scenario())


def test_form_body(stack: Stack) -> None:
    m = stack.models
    with stack.sync() as api:
        review = api.create_review(body=m.NewReview(book_id=2, stars=3, text="good & cheap"))
    assert isinstance(review, m.Review)


def test_server_sent_events_sync_and_async(stack: Stack) -> None:
    m = stack.models
    with stack.sync() as api:
        events = list(api.stream_events())
    assert [(e.kind.value, e.book_id) for e in events] == [
        ("added", 1),
        ("changed", 2),
        ("removed", 3),
    ]
    assert all(isinstance(e, m.BookEvent) for e in events)

    async def scenario() -> list[Any]:
        async with stack.pkg.AsyncClient(stack.url, credentials=stack.credentials()) as api:
            return [e async for e in api.stream_events()]

    assert [e.book_id for e in asyncio.run(scenario())] == [1, 2, 3]


def test_server_sent_events_carry_id_and_event_lines(stack: Stack) -> None:
    """A handler's ``runtime.ServerEvent`` puts ``id:``/``event:`` on the wire; bare data stays bare."""
    with httpx.Client(base_url=stack.url) as raw:
        text = raw.get("/events").text
    frames = [frame.splitlines() for frame in text.split("\n\n") if frame]
    assert [[line.split(":", 1)[0] for line in frame] for frame in frames] == [
        ["data"],
        ["id", "data"],
        ["event", "id", "data"],
    ]
    assert frames[1][0] == "id: 2" and frames[2][:2] == ["event: removed", "id: 3"]


def test_operations_grouped_by_tag_sync_and_async(stack: Stack) -> None:
    """``client.books.create_book(...)`` is the same call as ``client.create_book(...)``."""
    m = stack.models
    with stack.sync() as api:
        assert isinstance(api.books, stack.pkg.client.BooksApi)
        book = api.books.create_book(body=_new_book(m, "9780000000007"))
        assert api.get_book(book_id=book.id) == api.books.get_book(book_id=book.id)
        assert api.default.health().status == m.Health200ResponseStatus.OK
        assert [e.book_id for e in api.events.stream_events()] == [1, 2, 3]
        api.books.delete_book(book_id=book.id)
        with pytest.raises(stack.pkg.ApiError) as missing:
            api.books.get_book(book_id=book.id)
        assert missing.value.status_code == 404

    async def scenario() -> tuple[Any, list[Any]]:
        async with stack.pkg.AsyncClient(stack.url, credentials=stack.credentials()) as api:
            assert isinstance(api.books, stack.pkg.client.AsyncBooksApi)
            book = await api.books.create_book(body=_new_book(m, "9780000000008"))
            found = await api.books.get_book(book_id=book.id)
            await api.books.delete_book(book_id=book.id)
            return found, [e async for e in api.events.stream_events()]

    found, events = asyncio.run(scenario())
    assert found.isbn == "9780000000008" and [e.book_id for e in events] == [1, 2, 3]


def test_wrong_credentials_reach_the_groups_too(stack: Stack) -> None:
    """A group shares its client's credentials: createBook needs the header key."""
    with stack.sync(header_key="wrong") as api, pytest.raises(stack.pkg.ApiError) as refused:
        api.books.create_book(body=_new_book(stack.models, "9780000000009"))
    assert refused.value.status_code == 403


def _wait_for(inbox: list[object], kind: str, match: Callable[[Any], bool]) -> Any:
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        for entry in list(inbox):
            if isinstance(entry, tuple) and entry[0] == kind and match(entry[1]):
                return entry[1]
        time.sleep(0.05)
    raise AssertionError(f"no {kind} delivered; inbox: {inbox}")


def test_webhook_delivered_to_client_receiver(stack: Stack) -> None:
    m = stack.models
    with stack.sync() as api:
        book = api.create_book(body=_new_book(m, "9783333333333"))
    delivered = _wait_for(stack.inbox, "new_book", lambda b: b.isbn == "9783333333333")
    assert (
        isinstance(delivered, m.Book)
        and delivered.id == book.id
        and delivered.isbn == "9783333333333"
    )


def test_callback_delivered_to_client_receiver(stack: Stack) -> None:
    m = stack.models
    url = stack.receiver_url + "/subscribe-book-event"  # type: ignore[attr-defined]
    with stack.sync() as api:
        subscription = api.subscribe(body=m.NewSubscription(callback_url=url))
    assert subscription.callback_url == url
    event = _wait_for(stack.inbox, "book_event", lambda e: True)
    assert isinstance(event, m.BookEvent) and event.book_id == 7


def test_retries_idempotent_calls_on_503_honouring_retry_after(stack: Stack) -> None:
    answers = iter(
        [
            httpx.Response(503, headers={"Retry-After": "0"}),
            httpx.Response(429),
            httpx.Response(200, json={"status": "ok"}),
        ]
    )
    calls: list[str] = []

    def flaky(request: httpx.Request) -> httpx.Response:
        calls.append(request.method)
        return next(answers)

    http = httpx.Client(base_url="http://flaky", transport=httpx.MockTransport(flaky))
    api = stack.pkg.Client(http=http, retry=stack.pkg.Retry(attempts=3, backoff=0.01))
    assert api.health().status.value == "ok"
    assert calls == ["GET", "GET", "GET"]
    posts: list[str] = []

    def busy(request: httpx.Request) -> httpx.Response:
        posts.append(request.method)
        return httpx.Response(503, json={"detail": "busy"})

    http = httpx.Client(base_url="http://busy", transport=httpx.MockTransport(busy))
    api = stack.pkg.Client(http=http, retry=stack.pkg.Retry(attempts=3, backoff=0.01))
    with pytest.raises(stack.pkg.ApiError) as busy_error:
        api.subscribe(body=stack.models.NewSubscription(callback_url="http://x"))
    assert busy_error.value.status_code == 503 and posts == ["POST"]  # POST is never retried
