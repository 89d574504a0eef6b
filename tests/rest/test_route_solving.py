"""The rest-server's ``Route`` shortcuts answer exactly as FastAPI's own routing and solving do.

``runtime.routing.Route`` refuses paths by their literal start before Starlette's
match, and calls an operation's request-only dependencies (the security guard,
``BodyReader``) itself; ``BodyReader`` pre-parses strictly only when a body holds
the bytes ``NaN`` or ``Infinity``; ``Serving`` resets the claims a guard set.
Each is checked here where it could differ: under a root path, mounted, included
into another app, in the order of the checks, and after the request.
"""

from __future__ import annotations

import asyncio
import importlib
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from rest_support import SPECS, generate

PACKAGE = "solving_bookstore"
KEY = {"X-API-Key": "k"}
BOOK = {"title": "Dune", "isbn": "9780306406157"}


@pytest.fixture(scope="module")
def pkg(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ModuleType]:
    root: Path = generate(
        SPECS / "bookstore.yaml", "rest-server", tmp_path_factory.mktemp(PACKAGE), package=PACKAGE
    )
    sys.path.insert(0, str(root))
    try:
        yield importlib.import_module(PACKAGE)
    finally:
        sys.path.remove(str(root))


@pytest.fixture()
def app(pkg: ModuleType, monkeypatch: pytest.MonkeyPatch) -> FastAPI:
    monkeypatch.setenv(f"{PACKAGE.upper()}_HEADER_KEY", "k")
    made: FastAPI = importlib.import_module(f"{PACKAGE}.app").create_app()
    return made


def _answers(client: TestClient, prefix: str) -> list[int]:
    return [
        client.get(f"{prefix}/books/1").status_code,
        client.get(f"{prefix}/books", params={"limit": 500}).status_code,
        client.post(f"{prefix}/books", json=BOOK).status_code,
        client.post(f"{prefix}/books", json=BOOK, headers=KEY).status_code,
        client.post(f"{prefix}/books", json={"title": 5}, headers=KEY).status_code,
        client.get(f"{prefix}/nowhere").status_code,
    ]


def test_root_path_mount_and_include_router_answer_as_served_directly(app: FastAPI) -> None:
    direct = _answers(TestClient(app), "")
    assert direct == [200, 422, 401, 201, 422, 404]

    assert _answers(TestClient(app, root_path="/api"), "/api") == direct

    outer = FastAPI()
    outer.mount("/v1", app)
    assert _answers(TestClient(outer), "/v1") == direct

    books = importlib.import_module(f"{PACKAGE}.routers.books")
    included = FastAPI()
    included.state.handlers = app.state.handlers
    included.include_router(books.router, prefix="/v2")
    assert _answers(TestClient(included), "/v2")[2:4] == [401, 201]


def test_the_guard_answers_before_the_body_is_read(app: FastAPI) -> None:
    client = TestClient(app)
    # no key and a body of an undeclared media type: the guard's 401 wins over BodyReader's 415
    plain = client.post("/books", content=b"x", headers={"content-type": "text/plain"})
    assert plain.status_code == 401
    typed = client.post("/books", content=b"x", headers={**KEY, "content-type": "text/plain"})
    assert typed.status_code == 415


def test_nan_is_refused_as_a_token_and_accepted_inside_a_string(app: FastAPI) -> None:
    client = TestClient(app)
    json_type = {**KEY, "content-type": "application/json"}
    token = client.post("/books", content=b'{"title": "a", "price": NaN}', headers=json_type)
    assert token.status_code == 422
    infinite = client.post(
        "/books", content=b'{"title": "a", "price": -Infinity}', headers=json_type
    )
    assert infinite.status_code == 422
    text = client.post(
        "/books", content=b'{"title": "NaN Infinity", "isbn": "9780306406157"}', headers=json_type
    )
    assert text.status_code == 201


def test_claims_do_not_outlive_the_request(app: FastAPI, pkg: ModuleType) -> None:
    auth: Any = importlib.import_module(f"{PACKAGE}.auth")

    async def post_then_read_claims() -> tuple[int, object]:
        # ASGITransport awaits the app in this task, so a claim it forgot to reset stays visible
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
            answer = await client.post("/books", json=BOOK, headers=KEY)
        return answer.status_code, auth._CLAIMS.get()  # the variable itself: claims() hides None

    status, left = asyncio.run(post_then_read_claims())
    assert status == 201
    assert left is None
