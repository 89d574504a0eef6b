"""Failures answered as each operation declares them, on generated servers.

Each server is generated from a spec in ``specs/`` or the corpus and driven
through ``TestClient``; every error body is validated with ``jsonschema``
against the schema the operation declares for that status (as served in the
project's own ``openapi.json``), and every refusal's ``WWW-Authenticate`` is
checked per scheme.
"""

from __future__ import annotations

import base64
import importlib
import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from jsonschema import Draft202012Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012
from rest_support import SPECS, generate
from shared_corpus import CORPUS, needs_corpus

from generator.diagnostics import escape_pointer


class Served:
    """A generated server in-process, with its served spec for checking bodies."""

    def __init__(self, root: Path, package: str) -> None:
        self.spec: dict[str, Any] = json.loads((root / package / "openapi.json").read_text())
        self.module = importlib.import_module(f"{package}.app")
        self.client = TestClient(self.module.create_app(), raise_server_exceptions=False)
        self.base = self.module.BASE_PATH

    def _follow(self, pointer: str) -> tuple[Any, str]:
        """The value at ``pointer`` with ``$ref``s followed, and its own pointer."""
        node: Any = self.spec
        at = ""
        for token in pointer.strip("/").split("/"):
            node = node[token.replace("~1", "/").replace("~0", "~")]
            at += "/" + token
            while isinstance(node, dict) and isinstance(node.get("$ref"), str):
                at = node["$ref"].removeprefix("#")
                node = self._at(at)
        return node, at

    def _at(self, pointer: str) -> Any:
        node: Any = self.spec
        for token in pointer.strip("/").split("/"):
            node = node[token.replace("~1", "/").replace("~0", "~")]
        return node

    def check(self, answer: Any, path: str, method: str, declared: str, media: str) -> Any:
        """Assert ``answer`` has ``media`` and a body valid for the declared schema; return it."""
        assert answer.headers["content-type"].split(";")[0] == media, answer.headers
        op_ptr = f"/paths/{escape_pointer(path)}/{method}/responses/{declared}"
        response, at = self._follow(op_ptr)
        if "swagger" in self.spec:
            schema_ptr = at + "/schema"
        else:
            assert media in response["content"], (media, sorted(response["content"]))
            schema_ptr = at + "/content/" + escape_pointer(media) + "/schema"
        body = answer.json() if media.endswith("json") else answer.text
        resource = Resource.from_contents(self.spec, default_specification=DRAFT202012)
        registry: Registry[Any] = Registry().with_resource("urn:spec", resource)
        validator = Draft202012Validator({"$ref": "urn:spec#" + schema_ptr}, registry=registry)
        errors = [e.message for e in validator.iter_errors(body)]
        assert not errors, (body, errors)
        return body


@pytest.fixture(scope="module")
def serve(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    roots: list[str] = []

    def make(spec: Path, package: str) -> Served:
        root = generate(spec, "rest-server", tmp_path_factory.mktemp(package), package=package)
        sys.path.insert(0, str(root))
        roots.append(str(root))
        return Served(root, package)

    yield make
    for root in roots:
        sys.path.remove(root)


def _basic(user: str, password: str) -> dict[str, str]:
    token = base64.b64encode(f"{user}:{password}".encode()).decode()
    return {"Authorization": "Basic " + token}


# -------------------------------------------------------------- specs/ (bookstore: problem+json)


def test_bookstore_invalid_input_and_auth_as_declared(
    serve: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ERR_BOOKSTORE_HEADER_KEY", "k")
    served = serve(SPECS / "bookstore.yaml", "err_bookstore")
    http = served.client
    invalid = http.get("/books", params={"limit": "many"})
    assert invalid.status_code == 422
    body = served.check(invalid, "/books", "get", "422", "application/problem+json")
    assert body["status"] == 422 and body["title"]
    assert body["errors"][0]["loc"] == ["query", "limit"] and "limit" in body["detail"]

    missing = http.post("/books", json={"title": "t", "isbn": "0-306-40615-2"})
    assert missing.status_code == 401
    served.check(missing, "/books", "post", "401", "application/problem+json")
    assert (
        missing.headers["www-authenticate"] == 'ApiKey realm="api", in="header", name="X-API-Key"'
    )

    refused = http.post("/books", json={}, headers={"X-API-Key": "wrong"})
    assert refused.status_code == 403
    assert (
        served.check(refused, "/books", "post", "403", "application/problem+json")["status"] == 403
    )
    assert refused.headers["www-authenticate"].startswith("ApiKey ")

    bad_body = http.post("/books", json={"title": 5}, headers={"X-API-Key": "k"})
    assert bad_body.status_code == 422
    body = served.check(bad_body, "/books", "post", "422", "application/problem+json")
    assert {tuple(e["loc"]) for e in body["errors"]} >= {("body", "title")}


def test_a_handlers_error_fills_the_declared_body(serve: Any) -> None:
    served = serve(SPECS / "bookstore.yaml", "err_bookstore_handler")
    package = served.module.__name__.rpartition(".")[0]
    errors = importlib.import_module(f"{package}.errors")
    defaults = importlib.import_module(f"{package}.default_handlers")

    class Missing(defaults.DefaultHandlers):  # type: ignore[name-defined,misc]
        async def get_book(self, *, book_id: int) -> Any:
            raise errors.NotFound(detail=f"no book {book_id}")

    http = TestClient(served.module.create_app(Missing()), raise_server_exceptions=False)
    answer = http.get("/books/7")
    assert answer.status_code == 404
    body = served.check(answer, "/books/{bookId}", "get", "404", "application/json")
    assert body["detail"] == "no book 7"


# -------------------------------------------------------------- inline specs: the rules

_RULES = """
openapi: 3.0.3
info: {title: Rules, version: "1"}
paths:
  /only400/{n}:
    get:
      operationId: only400
      parameters:
        - {name: n, in: path, required: true, schema: {type: integer, maximum: 9}}
        - {name: X-Trace, in: header, required: true, schema: {type: string, maxLength: 4}}
        - {name: session, in: cookie, schema: {type: integer}}
      responses:
        "200": {description: ok, content: {application/json: {schema: {type: object}}}}
        "400":
          description: bad
          content:
            application/json:
              schema:
                type: object
                required: [error]
                properties:
                  error:
                    type: object
                    required: [status, message, kind]
                    properties:
                      status: {type: integer, minimum: 400, maximum: 599}
                      message: {type: string, maxLength: 40}
                      kind: {type: string, enum: [client, server]}
  /both:
    post:
      operationId: both
      requestBody:
        required: true
        content:
          application/json:
            schema:
              type: object
              required: [name]
              properties: {name: {type: string}}
      responses:
        "201": {description: made}
        "400": {description: bad, content: {text/plain: {schema: {type: string}}}}
        "422":
          description: invalid
          content:
            application/json:
              schema:
                type: object
                required: [code, message, violations]
                properties:
                  code: {type: string, pattern: "^E[0-9]+$"}
                  message: {type: string}
                  violations:
                    type: array
                    minItems: 1
                    items:
                      type: object
                      required: [field, reason, severity]
                      properties:
                        field: {type: string}
                        reason: {type: string}
                        severity: {type: string, enum: [error]}
  /ranged:
    get:
      operationId: ranged
      security: [{basic: []}, {token: []}, {key: []}]
      parameters:
        - {name: q, in: query, required: true, schema: {type: integer}}
      responses:
        "200": {description: ok}
        4XX:
          description: any client error
          content:
            application/problem+json:
              schema:
                type: object
                required: [type, title, status]
                properties:
                  type: {type: string, format: uri-reference}
                  title: {type: string}
                  status: {type: integer}
                  detail: {type: string}
                  instance: {type: string}
  /forbidden-only:
    get:
      operationId: forbidden_only
      security: [{oauth: [read]}]
      responses:
        "200": {description: ok}
        "403":
          description: refused
          content:
            application/json:
              schema:
                type: object
                required: [message, statusCode]
                properties:
                  message: {type: string}
                  statusCode: {type: string}
  /unauthorized-only:
    get:
      operationId: unauthorized_only
      security: [{basic: []}]
      responses:
        "200": {description: ok}
        "401": {description: no}
  /plain:
    get:
      operationId: plain
      parameters:
        - {name: q, in: query, required: true, schema: {type: integer}}
      responses:
        "200": {description: ok}
components:
  securitySchemes:
    basic: {type: http, scheme: basic}
    token: {type: http, scheme: bearer}
    key: {type: apiKey, in: query, name: key}
    oauth:
      type: oauth2
      flows: {clientCredentials: {tokenUrl: "https://auth.example/token", scopes: {read: r}}}
"""


@pytest.fixture(scope="module")
def rules(serve: Any, tmp_path_factory: pytest.TempPathFactory) -> Served:
    spec = tmp_path_factory.mktemp("rules") / "rules.yaml"
    spec.write_text(_RULES, encoding="utf-8")
    return serve(spec, "err_rules")  # type: ignore[no-any-return]


def test_400_declared_without_422_answers_400_with_its_nested_schema(rules: Served) -> None:
    headers = {"X-Trace": "abc"}
    for path, extra in (
        ("/only400/12", headers),  # path over its maximum
        ("/only400/x", headers),  # path not an integer
        ("/only400/1", {"X-Trace": "toolong"}),  # header over maxLength
        ("/only400/1", {}),  # header missing
        ("/only400/1", {**headers, "cookie": "session=abc"}),  # cookie not an integer
    ):
        answer = rules.client.get(path, headers=extra)
        assert answer.status_code == 400, (path, extra, answer.text)
        body = rules.check(answer, "/only400/{n}", "get", "400", "application/json")
        assert body["error"]["status"] == 400
        assert len(body["error"]["message"]) <= 40 and body["error"]["kind"] == "client"
    assert rules.client.get("/only400/1", headers=headers).status_code == 200


def test_422_wins_over_400_and_fills_a_violations_list(rules: Served) -> None:
    answer = rules.client.post("/both", json={"name": 3})
    assert answer.status_code == 422
    body = rules.check(answer, "/both", "post", "422", "application/json")
    assert body["violations"][0]["field"] == "body.name"
    assert body["violations"][0]["severity"] == "error"  # an enum field keeps its valid value
    missing = rules.client.post("/both", json={})
    assert missing.status_code == 422
    rules.check(missing, "/both", "post", "422", "application/json")


def test_4xx_only_gives_its_body_and_every_scheme_a_challenge(rules: Served) -> None:
    missing = rules.client.get("/ranged", params={"q": "1"})
    assert missing.status_code == 401
    body = rules.check(missing, "/ranged", "get", "4XX", "application/problem+json")
    assert body["status"] == 401 and body["type"] == "about:blank"
    assert body["instance"] == "/ranged"
    challenges = missing.headers["www-authenticate"]
    assert 'Basic realm="api", charset="UTF-8"' in challenges
    assert 'Bearer realm="api"' in challenges
    assert 'ApiKey realm="api", in="query", name="key"' in challenges

    wrong_basic = rules.client.get("/ranged", params={"q": "1"}, headers=_basic("ann", "no"))
    assert wrong_basic.status_code == 403
    assert wrong_basic.headers["www-authenticate"] == 'Basic realm="api", charset="UTF-8"'
    rules.check(wrong_basic, "/ranged", "get", "4XX", "application/problem+json")

    wrong_token = rules.client.get(
        "/ranged", params={"q": "1"}, headers={"Authorization": "Bearer nope"}
    )
    assert wrong_token.status_code == 401
    assert wrong_token.headers["www-authenticate"] == 'Bearer realm="api", error="invalid_token"'
    rules.check(wrong_token, "/ranged", "get", "4XX", "application/problem+json")


def test_4xx_only_answers_invalid_input_422_with_its_body(
    rules: Served, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ERR_RULES_KEY", "k")
    answer = rules.client.get("/ranged", params={"q": "one", "key": "k"})
    assert answer.status_code == 422
    assert rules.check(answer, "/ranged", "get", "4XX", "application/problem+json")["status"] == 422


def test_only_403_declared_answers_missing_credentials_403(rules: Served) -> None:
    answer = rules.client.get("/forbidden-only")
    assert answer.status_code == 403
    body = rules.check(answer, "/forbidden-only", "get", "403", "application/json")
    assert body["statusCode"] == "403" and body["message"] == "credentials required"
    assert answer.headers["www-authenticate"] == 'Bearer realm="api"'


def test_only_401_declared_answers_refused_credentials_401_without_body(rules: Served) -> None:
    answer = rules.client.get("/unauthorized-only", headers=_basic("ann", "no"))
    assert answer.status_code == 401 and answer.content == b""
    assert answer.headers["www-authenticate"] == 'Basic realm="api", charset="UTF-8"'


def test_nothing_declared_keeps_the_rfc9457_problem(rules: Served) -> None:
    answer = rules.client.get("/plain", params={"q": "x"})
    assert answer.status_code == 422
    assert answer.headers["content-type"] == "application/problem+json"
    body = answer.json()
    assert body["status"] == 422 and body["errors"][0]["loc"] == ["query", "q"]


# -------------------------------------------------------------- corpus specs

_OAI = CORPUS / "openapi" / "oai-examples"


@needs_corpus
def test_corpus_petstore_default_error_schema(serve: Any) -> None:
    served = serve(_OAI / "v3.0" / "petstore.yaml", "err_petstore30")
    answer = served.client.get(served.base + "/pets", params={"limit": "lots"})
    assert answer.status_code == 422
    body = served.check(answer, "/pets", "get", "default", "application/json")
    assert body["code"] == 422 and "limit" in body["message"]


@needs_corpus
def test_corpus_swagger2_uber_default_error_and_api_key(serve: Any) -> None:
    served = serve(_OAI / "v2.0" / "yaml" / "uber.yaml", "err_uber")
    answer = served.client.get(served.base + "/products", params={"latitude": "north"})
    assert answer.status_code == 401
    assert answer.headers["www-authenticate"].startswith("ApiKey ")
    assert answer.headers["content-type"] == "application/json"
    body = served.check(answer, "/products", "get", "default", "application/json")
    assert body["code"] == 401


@needs_corpus
def test_corpus_tictactoe_400_text_and_challenges(serve: Any) -> None:
    served = serve(_OAI / "v3.1" / "tictactoe.yaml", "err_tictactoe")
    missing = served.client.get("/board/1/1")
    assert missing.status_code == 401
    assert missing.headers["www-authenticate"] == 'Bearer realm="api"'  # bearer or OAuth2
    board = served.client.get("/board")
    assert board.headers["www-authenticate"] == (
        'ApiKey realm="api", in="header", name="api-key", Bearer realm="api"'
    )


@needs_corpus
def test_corpus_tictactoe_invalid_square_is_the_declared_400(
    serve: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    served = serve(_OAI / "v3.1" / "tictactoe.yaml", "err_tictactoe_b")
    monkeypatch.setenv("ERR_TICTACTOE_B_BEARER_HTTP_AUTHENTICATION", "t")
    answer = served.client.get("/board/7/1", headers={"Authorization": "Bearer t"})
    assert answer.status_code == 400
    text = served.check(answer, "/board/{row}/{column}", "get", "400", "text/html")
    assert "row" in text and len(text) <= 256


@needs_corpus
def test_corpus_spotify_400_and_401_in_the_nested_error_object(
    serve: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    served = serve(CORPUS / "openapi" / "spotify" / "fixed-spotify-open-api.yml", "err_spotify")
    monkeypatch.setenv("ERR_SPOTIFY_OAUTH_2_0", "t")
    token = {"Authorization": "Bearer t"}
    invalid = served.client.get(served.base + "/me/library/contains", headers=token)
    assert invalid.status_code == 400, invalid.text
    body = served.check(invalid, "/me/library/contains", "get", "400", "application/json")
    assert body["status"] == 400 and "uris" in body["message"]
    refused = served.client.get(
        served.base + "/me/library/contains", headers={"Authorization": "Bearer x"}
    )
    assert refused.status_code == 401
    assert refused.headers["www-authenticate"] == 'Bearer realm="api", error="invalid_token"'
    body = served.check(refused, "/me/library/contains", "get", "401", "application/json")
    assert body["error"]["status"] == 401


@needs_corpus
def test_corpus_twitter_problem_default(serve: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    served = serve(CORPUS / "openapi" / "twitter-apisguru" / "openapi.yaml", "err_twitter")
    missing = served.client.get(served.base + "/2/tweets", params={"ids": "1"})
    assert missing.status_code == 401
    assert missing.headers["www-authenticate"].startswith("Bearer ")
    media = missing.headers["content-type"]
    assert served.check(missing, "/2/tweets", "get", "default", media)


# -------------------------------------------------------------- the service target


def test_service_answers_rest_failures_as_declared(tmp_path: Path) -> None:
    from tests.service.conftest import generate_service

    root = generate_service(tmp_path / "orders")
    sys.path.insert(0, str(root))
    try:
        service = importlib.import_module("orders.service")
        errors = importlib.import_module("orders.errors")
        defaults = importlib.import_module("orders.default_handlers")

        class Missing(defaults.DefaultHandlers):  # type: ignore[name-defined,misc]
            async def get_order(self, *, order_id: str) -> Any:
                raise errors.NotFound(detail=f"no order {order_id}")

        with TestClient(service.create_service(Missing()), raise_server_exceptions=False) as http:
            gone = http.get("/orders/ord-9")
            assert gone.status_code == 404 and gone.content == b""  # 404 declared without content
            invalid = http.post("/orders", json={"item": "widget", "quantity": "two"})
            assert invalid.status_code == 422  # nothing declared: the RFC 9457 problem
            assert invalid.headers["content-type"] == "application/problem+json"
            assert invalid.json()["errors"][0]["loc"] == ["body", "quantity"]
    finally:
        sys.path.remove(str(root))
        for name in [m for m in sys.modules if m == "orders" or m.startswith("orders.")]:
            del sys.modules[name]


DUPLICATE_IDS_SPEC = """
openapi: 3.0.3
info: {title: Repeated ids, version: "1"}
paths:
  /a:
    get:
      operationId: getThing
      parameters:
        - {name: n, in: query, required: true, schema: {type: integer}}
      responses:
        "200": {description: ok, content: {application/json: {schema: {type: string}}}}
        "400":
          description: bad
          content: {application/json: {schema: {$ref: '#/components/schemas/Bad'}}}
  /b:
    post:
      operationId: getThing
      parameters:
        - {name: n, in: query, required: true, schema: {type: integer}}
      requestBody:
        content: {application/json: {schema: {type: object}}}
      responses:
        "200": {description: ok, content: {application/json: {schema: {type: string}}}}
components:
  schemas:
    Bad:
      type: object
      required: [reason]
      properties: {reason: {type: string}}
"""


def test_operations_sharing_an_operation_id_keep_their_own_contracts(tmp_path: Path) -> None:
    """Kubernetes repeats operationIds (generated with --allow-invalid): each keeps its contract."""
    spec = tmp_path / "dup.yaml"
    spec.write_text(DUPLICATE_IDS_SPEC, encoding="utf-8")
    root = generate(spec, "rest-server", tmp_path / "s", package="dup_ids", allow_invalid=True)
    sys.path.insert(0, str(root))
    try:
        app = importlib.import_module("dup_ids.app").create_app()
    finally:
        sys.path.remove(str(root))
    http = TestClient(app)
    declared = http.get("/a", params={"n": "x"})
    assert declared.status_code == 400
    assert "reason" in declared.json()
    undeclared = http.post("/b", params={"n": "x"}, json={})
    assert undeclared.status_code == 422
    assert undeclared.headers["content-type"] == "application/problem+json"
    assert http.post("/b", params={"n": "1"}, json={}).status_code == 200
