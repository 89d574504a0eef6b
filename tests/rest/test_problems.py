"""Problem details and typed errors: the generated bookstore client against its server, over 127.0.0.1.

Every error the server produces itself is ``application/problem+json`` (RFC
9457: type, title, status, detail; located fields for 422). The client raises
one class per status, all ``ApiError``, carrying the typed body.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import httpx
import pytest

from tests.rest.prod_support import run_server
from tests.rest.rest_support import SPECS, generate

HERE = Path(__file__).resolve().parent
CRASHING = '''

_Working = Handlers


class Handlers(_Working):  # type: ignore[no-redef]
    async def health(self) -> Any:
        raise RuntimeError("secret internals")
'''


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[ModuleType, str]]:
    root = tmp_path_factory.mktemp("problems")
    server = generate(SPECS / "bookstore.yaml", "rest-server", root / "server", package="pd_server")
    handlers = (HERE / "bookstore_handlers.py").read_text(encoding="utf-8") + CRASHING
    (server / "pd_server" / "handlers.py").write_text(handlers, encoding="utf-8")
    client = generate(SPECS / "bookstore.yaml", "rest-client", root / "client", package="pd_client")
    sys.path.insert(0, str(client))
    env = {"PD_SERVER_HEADER_KEY": "k", "PD_SERVER_BASIC_AUTH": "u:p"}
    try:
        with run_server(server, "pd_server", env=env, probe="/openapi.json", ) as port:
            yield importlib.import_module("pd_client"), f"http://127.0.0.1:{port}"
    finally:
        sys.path.remove(str(client))


def _problem(answer: httpx.Response, status: int) -> dict[str, Any]:
    assert answer.status_code == status, answer.text
    assert answer.headers["content-type"] == "application/problem+json"
    body: dict[str, Any] = answer.json()
    assert body["status"] == status and body["type"] == "about:blank"
    assert body["title"] and body["detail"]
    return body


def test_every_server_made_error_is_a_problem(stack: tuple[ModuleType, str]) -> None:
    _pkg, url = stack
    invalid = _problem(httpx.get(url + "/books", params={"limit": "many"}), 422)
    assert {"loc": ["query", "limit"], "msg": invalid["errors"][0]["msg"], "type": "int_parsing"} in invalid["errors"]
    assert "query.limit" in invalid["detail"]
    missing_body = _problem(httpx.post(url + "/books", headers={"X-API-Key": "k"}), 422)
    assert missing_body["errors"][0]["loc"] == ["body"]
    unauthorized = _problem(httpx.post(url + "/books", json={}), 401)
    assert unauthorized["title"] == "Unauthorized"
    _problem(httpx.post(url + "/books", json={}, headers={"X-API-Key": "wrong"}), 403)
    assert _problem(httpx.get(url + "/nowhere"), 404)["title"] == "Not Found"
    assert _problem(httpx.patch(url + "/books"), 405)["title"] == "Method Not Allowed"
    too_big = httpx.post(
        url + "/books", content=b"x" * (11 * 1024 * 1024), headers={"X-API-Key": "k", "content-type": "application/json"}
    )
    _problem(too_big, 413)
    crashed = _problem(httpx.get(url + "/health"), 500)
    assert crashed["detail"] == "internal server error" and "secret" not in str(crashed)


def test_client_raises_one_class_per_status_with_typed_body(stack: tuple[ModuleType, str]) -> None:
    pkg, url = stack
    errors, models = pkg.errors, importlib.import_module("pd_client.models")
    creds = pkg.Credentials(header_key="k")
    with pkg.Client(url, credentials=creds) as api:
        with pytest.raises(errors.NotFound) as missing:
            api.get_book(book_id=999)
        assert isinstance(missing.value.body, models.Error)
        assert missing.value.body.detail == "no book 999"
        assert isinstance(missing.value, errors.ClientError) and isinstance(missing.value, pkg.ApiError)
        assert missing.value.status_code == 404
        book = models.NewBook(title="Dune", isbn="9780441013593", genre=models.Genre.FICTION, price=9.5)
        api.create_book(body=book)
        with pytest.raises(errors.Conflict) as conflict:
            api.create_book(body=book)
        assert conflict.value.body.detail.startswith("isbn ")
        with pytest.raises(errors.InternalServerError) as crashed:
            api.health()
        assert isinstance(crashed.value, errors.ServerError)
        assert isinstance(crashed.value.body, errors.Problem)
        assert crashed.value.body.status == 500
    with pkg.Client(url) as anonymous, pytest.raises(errors.Unauthorized) as refused:
        anonymous.create_book(body=book)
    assert refused.value.body.title == "Unauthorized"
    assert refused.value.response.headers["www-authenticate"]
