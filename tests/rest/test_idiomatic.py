"""Generated REST code uses the frameworks as their users know them.

Server: parameters FastAPI can read are FastAPI's own ``Query``/``Path``/
``Header``/``Cookie`` (so its dependency machinery and its OpenAPI derivation
see their constraints and descriptions); the styles it cannot read go through
``runtime.Param``, an ``async`` dependency (a plain ``def`` would run in a worker
thread on every request). Client: each method carries the spec's text as a
Google-style docstring and sends no empty query string.
"""

from __future__ import annotations

import importlib
import inspect
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient
from rest_support import SPECS, generate


def _import(root: Path, package: str) -> ModuleType:
    if not (root / package).is_dir():  # a client package may be given a ``_client`` suffix
        package = next(p.parent.name for p in root.glob(f"{package}*/__init__.py"))
    sys.path.insert(0, str(root))
    try:
        return importlib.import_module(package)
    finally:
        sys.path.remove(str(root))


@pytest.fixture(scope="module")
def petstore(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Any, Any]]:
    root = tmp_path_factory.mktemp("idiom")
    server = generate(SPECS / "petstore.yaml", "rest-server", root / "s", package="idiom_pets")
    client = generate(SPECS / "petstore.yaml", "rest-client", root / "c", package="idiom_pets_c")
    yield _import(server, "idiom_pets"), _import(client, "idiom_pets_c")


@pytest.fixture(scope="module")
def bookstore(tmp_path_factory: pytest.TempPathFactory) -> Any:
    root = tmp_path_factory.mktemp("idiom_books")
    server = generate(SPECS / "bookstore.yaml", "rest-server", root, package="idiom_books")
    return _import(server, "idiom_books")


def _parameters(app: Any, path: str, method: str) -> dict[str, dict[str, Any]]:
    """FastAPI's own view of an operation's parameters (its derived OpenAPI)."""
    app.openapi_url = "/fastapi-openapi.json"  # create_app serves the source spec instead
    operation = app.openapi()["paths"][path][method]
    return {p["name"]: p for p in operation.get("parameters", [])}


def test_fastapi_sees_native_parameters_with_constraints_and_descriptions(
    petstore: tuple[Any, Any],
) -> None:
    server, _ = petstore
    app = server.create_app()
    limit = _parameters(app, "/pets", "get")["limit"]
    assert limit["in"] == "query" and limit["required"] is False
    assert limit["description"] == "How many pets to return at most."
    schema = limit["schema"]["anyOf"][0]
    assert (schema["type"], schema["minimum"], schema["maximum"]) == ("integer", 1, 100)
    pet_id = _parameters(app, "/pets/{pet_id}", "get")["pet_id"]
    assert pet_id["in"] == "path" and pet_id["schema"]["minimum"] == 1
    client = TestClient(app)
    assert client.get("/pets", params={"limit": "0"}).status_code == 422
    assert client.get("/pets", params={"limit": "100"}).status_code == 200


def test_styles_fastapi_cannot_read_use_the_async_runtime_helper(bookstore: Any) -> None:
    assert inspect.iscoroutinefunction(bookstore.runtime.Param.__call__)
    app = bookstore.create_app()
    seen = _parameters(app, "/echo/query", "get")
    # form-exploded array: FastAPI's own; deepObject, delimited, header array and the
    # percent-encoded cookie: the helper
    assert "color" in seen and seen["color"]["in"] == "query"
    assert not {"range", "words", "codes", "size", "X-Trace", "lang"} & set(seen)
    source = Path(bookstore.__file__).with_name("routers").joinpath("echo.py").read_text()
    assert (
        'runtime.Param(\n                location="query",\n                name="range"' in source
    )


def test_client_methods_carry_the_spec_text_as_google_docstrings(
    petstore: tuple[Any, Any],
) -> None:
    _, client = petstore
    doc = inspect.getdoc(client.Client.list_pets) or ""
    assert doc.startswith("List all pets")
    assert "Args:\n    limit: How many pets to return at most." in doc
    assert "Returns:\n    The 200 response: A page of pets." in doc
    assert (
        "Raises:\n    errors.UnprocessableEntity: The request did not validate"
        " (``body``: ``models.ValidationProblem``).\n"
        "    errors.ApiError: Any other status outside 2xx." in doc
    )
    source = inspect.getsource(client.Client.list_pets)
    assert 'method="GET"' in source and 'path="/pets"' in source
    assert 'query={"limit": limit}' in source


def test_client_sends_no_empty_query_and_parameters_by_name(petstore: tuple[Any, Any]) -> None:
    _, client = petstore
    seen: list[httpx.Request] = []

    def answer(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        if request.url.path == "/pets/7":
            return httpx.Response(200, json={"id": 7, "name": "Rex"})
        return httpx.Response(200, json=[])

    http = httpx.Client(base_url="http://test", transport=httpx.MockTransport(answer))
    with client.Client(http=http) as api:
        assert api.show_pet_by_id(pet_id=7).name == "Rex"
        assert api.list_pets() == []
        assert api.list_pets(limit=5) == []
    assert [str(r.url) for r in seen] == [
        "http://test/pets/7",
        "http://test/pets",
        "http://test/pets?limit=5",
    ]


LOCAL_NAMES_SPEC = """
openapi: 3.1.0
info: {title: Locals, version: "1"}
paths:
  /things:
    get:
      operationId: getThings
      parameters:
        - {name: runtime, in: query, schema: {type: integer}}
        - {name: models, in: query, schema: {type: string}}
        - {name: handlers_of, in: header, schema: {type: string}}
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema: {type: string}
              example: fine
"""


def test_parameters_named_like_the_generated_locals_do_not_shadow_them(tmp_path: Path) -> None:
    spec = tmp_path / "locals.yaml"
    spec.write_text(LOCAL_NAMES_SPEC, encoding="utf-8")
    server = _import(generate(spec, "rest-server", tmp_path / "s", package="locals_s"), "locals_s")
    client_pkg = _import(
        generate(spec, "rest-client", tmp_path / "c", package="locals_c"), "locals_c"
    )
    app = server.create_app()
    http = TestClient(app)
    assert http.get("/things", params={"runtime": "3", "models": "x"}).json() == "fine"
    assert http.get("/things", params={"runtime": "three"}).status_code == 422
    with client_pkg.Client(http=http) as api:
        assert api.get_things(runtime_2=3, models_2="x", handlers_of_2="h") == "fine"


SCHEMA_DESCRIBED_SPEC = """
openapi: 3.0.3
info: {title: Described, version: "1"}
paths:
  /albums:
    get:
      operationId: listAlbums
      parameters:
        - name: market
          in: query
          schema: {type: string, description: An ISO 3166-1 alpha-2 country code.}
        - $ref: '#/components/parameters/Limit'
      responses:
        "200": {description: ok, content: {application/json: {schema: {type: string}}}}
components:
  parameters:
    Limit:
      name: limit
      in: query
      description: Page size.
      schema: {type: integer, description: Not this one.}
"""


def test_a_description_written_on_the_schema_reaches_docs_and_docstring(tmp_path: Path) -> None:
    """Spotify-style specs describe parameters on their schema; the parameter's own text wins."""
    spec = tmp_path / "described.yaml"
    spec.write_text(SCHEMA_DESCRIBED_SPEC, encoding="utf-8")
    server = _import(generate(spec, "rest-server", tmp_path / "s", package="desc_s"), "desc_s")
    client_pkg = _import(generate(spec, "rest-client", tmp_path / "c", package="desc_c"), "desc_c")
    seen = _parameters(server.create_app(), "/albums", "get")
    assert seen["market"]["description"] == "An ISO 3166-1 alpha-2 country code."
    assert seen["limit"]["description"] == "Page size."
    doc = inspect.getdoc(client_pkg.Client.list_albums) or ""
    assert "market: An ISO 3166-1 alpha-2 country code." in doc
    assert "limit: Page size." in doc
