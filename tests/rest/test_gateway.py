"""Base path and gateways: the server answers under its spec's server path, behind a prefix-stripping proxy.

A spec whose server is ``https://{host}/api/{version}`` must give a server
answering under ``/api/v1`` and a client calling ``/api/v1/...``. Behind nginx
stripping ``/gw``, the server started with ``--root-path /gw --proxy-headers``
builds its URLs (``Location``, the served spec's ``servers``, the docs' spec
URL) as the caller sees them.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import yaml

from generator.ir.http import Server
from generator.translate._openapi_servers import base_path_of
from tests.rest.prod_support import prefix_proxy, run_server
from tests.rest.rest_support import generate

SPEC = {
    "openapi": "3.1.0",
    "info": {"title": "Gate", "version": "1"},
    "servers": [
        {
            "url": "https://{host}/api/{version}",
            "variables": {"host": {"default": "api.example.com"}, "version": {"default": "v1"}},
        }
    ],
    "paths": {
        "/items": {
            "post": {
                "operationId": "createItem",
                "requestBody": {
                    "required": True,
                    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Item"}}},
                },
                "responses": {
                    "201": {
                        "description": "made",
                        "headers": {"Location": {"schema": {"type": "string"}}},
                        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Item"}}},
                    }
                },
            }
        },
        "/items/{id}": {
            "get": {
                "operationId": "getItem",
                "parameters": [{"name": "id", "in": "path", "required": True, "schema": {"type": "integer"}}],
                "responses": {
                    "200": {
                        "description": "one",
                        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Item"}}},
                    }
                },
            }
        },
    },
    "components": {
        "schemas": {
            "Item": {
                "type": "object",
                "required": ["id", "name"],
                "properties": {"id": {"type": "integer"}, "name": {"type": "string"}},
            }
        }
    },
}

HANDLERS = '''
from fastapi.responses import JSONResponse, Response

from . import models, runtime
from .default_handlers import DefaultHandlers


class Handlers(DefaultHandlers):
    async def create_item(self, *, body: models.Item) -> Response | models.Item:
        return JSONResponse(
            body.model_dump(), status_code=201, headers={"location": runtime.url_of(f"/items/{body.id}")}
        )

    async def get_item(self, *, id_: int) -> Response | models.Item:
        return models.Item(id=id_, name=f"item {id_}")
'''


@pytest.fixture(scope="module")
def projects(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, Path]]:
    root = tmp_path_factory.mktemp("gateway")
    spec = root / "gate.yaml"
    spec.write_text(yaml.safe_dump(SPEC), encoding="utf-8")
    server = generate(spec, "rest-server", root / "server", package="gate_server")
    (server / "gate_server" / "handlers.py").write_text(HANDLERS, encoding="utf-8")
    client = generate(spec, "rest-client", root / "client", package="gate_client")
    sys.path.insert(0, str(client))
    try:
        yield server, client
    finally:
        sys.path.remove(str(client))


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://api.example.com/api/v1/", "/api/v1"),
        ("/v2", "/v2"),
        ("http://localhost:8000", ""),
        ("https://x/{missing}/v1", ""),
        ("https://x/a/../b", ""),
        ("https://x/a%20b", "/a b"),
        ("https://x/a%0Ab", ""),
    ],
)
def test_base_path_is_the_first_servers_path(url: str, expected: str) -> None:
    assert base_path_of((Server(url=url, description=""),)) == expected


def test_default_pair_meets_under_the_base_path(projects: tuple[Path, Path]) -> None:
    server, _ = projects
    client_module = importlib.import_module("gate_client.client")
    assert client_module.DEFAULT_BASE_URL == "https://api.example.com/api/v1"
    with run_server(server, "gate_server", probe="/api/v1/openapi.json") as port:
        base = f"http://127.0.0.1:{port}/api/v1"  # the default URL's path, on this machine
        with client_module.Client(base) as client:
            assert client.get_item(id_=7).name == "item 7"
        assert httpx.get(f"http://127.0.0.1:{port}/items/7").status_code == 404
        served = httpx.get(base + "/openapi.json").json()
        assert served["servers"] == [{"url": "/api/v1"}]


def test_behind_a_prefix_stripping_proxy(projects: tuple[Path, Path], tmp_path: Path) -> None:
    server, _ = projects
    client_module = importlib.import_module("gate_client.client")
    args = ("--root-path", "/gw", "--proxy-headers", "--forwarded-allow-ips", "127.0.0.1")
    with (
        run_server(server, "gate_server", *args, probe="/api/v1/openapi.json") as port,
        prefix_proxy("/gw", port, tmp_path / "nginx") as proxy,
    ):
        public = f"http://127.0.0.1:{proxy}/gw/api/v1"
        with client_module.Client(public) as client:
            assert client.get_item(id_=3).id == 3
            made = client.create_item(body=client_module.models.Item(id=5, name="five"))
            assert made.name == "five"
        answer = httpx.post(public + "/items", json={"id": 9, "name": "nine"})
        assert answer.status_code == 201
        # nginx says the caller used https (X-Forwarded-Proto), and the gateway's prefix is kept
        assert answer.headers["location"] == f"https://127.0.0.1:{proxy}/gw/api/v1/items/9"
        served = httpx.get(public + "/openapi.json").json()
        assert served["servers"] == [{"url": "/gw/api/v1"}]
        docs = httpx.get(public + "/docs").text
        assert "/gw/api/v1/openapi.json" in docs


def test_options_read_the_environment(projects: tuple[Path, Path]) -> None:
    server, _ = projects
    env = {"GATE_SERVER_ROOT_PATH": "/edge"}
    with run_server(server, "gate_server", env=env, probe="/api/v1/openapi.json") as port:
        served = httpx.get(f"http://127.0.0.1:{port}/api/v1/openapi.json").json()
        assert served["servers"] == [{"url": "/edge/api/v1"}]


def test_docs_pages_load_their_assets_from_the_server(
    projects: tuple[Path, Path], tmp_path: Path
) -> None:
    """Swagger UI and ReDoc work offline and behind the gateway: no CDN, every asset served here."""
    server, _ = projects
    with (
        run_server(server, "gate_server", "--root-path", "/gw", probe="/api/v1/openapi.json") as port,
        prefix_proxy("/gw", port, tmp_path / "nginx") as proxy,
    ):
        public = f"http://127.0.0.1:{proxy}/gw/api/v1"
        for page, assets in (
            ("/docs", ("swagger-ui-bundle.js", "swagger-ui.css", "favicon.png")),
            ("/redoc", ("redoc.standalone.js", "favicon.png")),
        ):
            html = httpx.get(public + page).text
            assert "cdn." not in html and "fonts.googleapis" not in html, page
            assert "/gw/api/v1/openapi.json" in html
            for asset in assets:
                url = f"/gw/api/v1/docs-assets/{asset}"
                assert url in html, (page, asset)
                fetched = httpx.get(f"http://127.0.0.1:{proxy}{url}")
                assert fetched.status_code == 200 and len(fetched.content) > 1000, asset
