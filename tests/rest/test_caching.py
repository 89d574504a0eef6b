"""HTTP caching and conditional requests: the generated bookstore pair over 127.0.0.1.

``getBook`` declares ``ETag``, ``Last-Modified`` and ``Cache-Control``: the
handler sets the last two (typed, ``headers.GetBookHeaders``), the server
computes a strong ETag and answers ``If-None-Match`` with 304. ``updateBook``
declares ``If-Match``: a stale version is 412 before the handler runs. The
client opts into hishel's RFC 9111 cache and revalidates with ``If-None-Match``.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import httpx
import pytest

from tests.rest.prod_support import run_server
from tests.rest.rest_support import SPECS, generate

HERE = Path(__file__).resolve().parent
TOKEN = "bearer-token"


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[ModuleType, str]]:
    root = tmp_path_factory.mktemp("caching")
    server = generate(SPECS / "bookstore.yaml", "rest-server", root / "server", package="ca_server")
    handlers = (HERE / "bookstore_handlers.py").read_text(encoding="utf-8")
    (server / "ca_server" / "handlers.py").write_text(handlers, encoding="utf-8")
    client = generate(SPECS / "bookstore.yaml", "rest-client", root / "client", package="ca_client")
    sys.path.insert(0, str(client))
    env = {"CA_SERVER_HEADER_KEY": "k", "CA_SERVER_BEARER_AUTH": TOKEN}
    try:
        with run_server(server, "ca_server", env=env, probe="/openapi.json") as port:
            url = f"http://127.0.0.1:{port}"
            book = {"title": "Dune", "isbn": "9780441013593", "genre": "fiction", "price": 9.5}
            assert httpx.post(url + "/books", json=book, headers={"X-API-Key": "k"}).status_code in (200, 201)
            yield importlib.import_module("ca_client"), url
    finally:
        sys.path.remove(str(client))


def test_get_sends_declared_headers_and_a_strong_etag(stack: tuple[ModuleType, str]) -> None:
    _pkg, url = stack
    first = httpx.get(url + "/books/1")
    assert first.status_code == 200
    etag = first.headers["etag"]
    assert etag.startswith('"') and etag.endswith('"') and not etag.startswith("W/")
    assert first.headers["cache-control"] == "max-age=0, must-revalidate"
    assert first.headers["last-modified"] == "Thu, 01 Jan 2026 00:00:00 GMT"
    assert httpx.get(url + "/books/1").headers["etag"] == etag  # same body, same tag


def test_if_none_match_and_if_modified_since_answer_304(stack: tuple[ModuleType, str]) -> None:
    _pkg, url = stack
    etag = httpx.get(url + "/books/1").headers["etag"]
    for tags in (etag, f'"other", W/{etag}', "*"):
        again = httpx.get(url + "/books/1", headers={"If-None-Match": tags})
        assert again.status_code == 304 and again.content == b""
        assert again.headers["etag"] == etag and again.headers["cache-control"]
    assert httpx.get(url + "/books/1", headers={"If-None-Match": '"stale"'}).status_code == 200
    since = {"If-Modified-Since": "Fri, 02 Jan 2026 00:00:00 GMT"}
    assert httpx.get(url + "/books/1", headers=since).status_code == 304
    before = {"If-Modified-Since": "Wed, 31 Dec 2025 00:00:00 GMT"}
    assert httpx.get(url + "/books/1", headers=before).status_code == 200
    assert httpx.get(url + "/books/999", headers={"If-None-Match": "*"}).status_code == 404


def test_if_match_mismatch_is_412_and_the_handler_never_runs(stack: tuple[ModuleType, str]) -> None:
    pkg, url = stack
    errors, models = pkg.errors, importlib.import_module("ca_client.models")
    etag = httpx.get(url + "/books/1").headers["etag"]
    auth = {"authorization": f"Bearer {TOKEN}"}
    change = {"title": "Dune Messiah", "isbn": "9780441172696"}
    stale = httpx.put(url + "/books/1", json=change, headers={**auth, "If-Match": '"stale"'})
    assert stale.status_code == 412 and stale.headers["content-type"] == "application/problem+json"
    assert httpx.get(url + "/books/1").json()["title"] == "Dune"  # unchanged
    weak = httpx.put(url + "/books/1", json=change, headers={**auth, "If-Match": f"W/{etag}"})
    assert weak.status_code == 412  # If-Match compares strongly
    with pkg.Client(url, credentials=pkg.Credentials(bearer_auth=TOKEN)) as api:
        updated = api.update_book(book_id=1, body=models.NewBook(**change), if_match=etag)
        assert updated.title == "Dune Messiah"
        with pytest.raises(errors.PreconditionFailed) as refused:
            api.update_book(book_id=1, body=models.NewBook(**change), if_match=etag)  # now stale
        assert refused.value.body.status == 412
    missing = httpx.put(url + "/books/999", json=change, headers={**auth, "If-Match": "*"})
    assert missing.status_code == 412
    assert httpx.put(url + "/books/2", json=change, headers=auth).status_code == 200  # no condition


class Recording(httpx.HTTPTransport):
    """The network under the cache: what was really sent and answered."""

    def __init__(self) -> None:
        super().__init__()
        self.seen: list[tuple[str | None, int]] = []

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        response = super().handle_request(request)
        self.seen.append((request.headers.get("if-none-match"), response.status_code))
        return response


def test_client_cache_revalidates_with_if_none_match(stack: tuple[ModuleType, str]) -> None:
    pkg, url = stack
    caching = importlib.import_module("ca_client.caching")
    network = Recording()
    with pkg.Client(url, http=caching.cached_client(url, transport=network)) as api:
        first = api.get_book(book_id=1)
        second = api.get_book(book_id=1)
    assert first == second
    assert network.seen[0] == (None, 200)
    tag, status = network.seen[1]
    assert tag is not None and status == 304  # revalidated, the body came from the cache
