"""HTTP security schemes other than basic and bearer (``scheme: OAuth``, ``digest``, ``HOBA``).

RFC 9110 §11 (ex RFC 7235) lets an ``Authorization`` header name any auth-scheme,
case-insensitively. twinspec does not implement challenge-response schemes; it
says so at generation time (a located ``http-scheme-unsupported`` warning), and the
generated server checks that the header names the declared scheme, hands the
credentials after the name to ``security.verify``, and answers 401 with a
``WWW-Authenticate`` challenge naming that scheme. The generated client sends
``Authorization: <Scheme> <credentials>``. Server and client run in-process
(the client's ``http=`` is FastAPI's ``TestClient``, an ``httpx.Client``).
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from generator.drive.spec import plan_target
from tests.rest.rest_support import write_plan

SPEC = """\
openapi: 3.0.3
info: {title: Schemes, version: '1'}
paths:
  /things:
    get:
      operationId: listThings
      security: [{oauthHeader: []}]
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {type: object, properties: {ok: {type: boolean}}}
              example: {ok: true}
  /digest:
    get:
      operationId: getDigest
      security: [{digestAuth: []}]
      responses:
        '204': {description: ok}
  /basic:
    get:
      operationId: getBasic
      security: [{basicAuth: []}]
      responses:
        '204': {description: ok}
components:
  securitySchemes:
    oauthHeader: {type: http, scheme: OAuth}
    digestAuth: {type: http, scheme: digest}
    basicAuth: {type: http, scheme: basic}
"""


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, list[Any]]]:
    root: Path = tmp_path_factory.mktemp("http-schemes")
    spec = root / "schemes.yaml"
    spec.write_text(SPEC, encoding="utf-8")
    found: list[Any] = []
    for target, package in (("rest-server", "schemes_api"), ("rest-client", "schemes_client")):
        plan, diagnostics = plan_target(spec, target, package=package, spec_label=spec.name)
        assert plan is not None, [d.to_text() for d in diagnostics]
        found.extend(diagnostics)
        write_plan(plan, root / target)
        sys.path.insert(0, str(root / target))
    try:
        yield root, found
    finally:
        for target in ("rest-server", "rest-client"):
            sys.path.remove(str(root / target))


@pytest.fixture
def server(
    generated: tuple[Path, list[Any]], monkeypatch: pytest.MonkeyPatch
) -> Iterator[tuple[TestClient, list[tuple[str, str]]]]:
    """The app with a recording ``security.verify``: accepts ``s3cret`` credentials only."""
    security = importlib.import_module("schemes_api.security")
    seen: list[tuple[str, str]] = []

    def verify(scheme: str, credential: str, scopes: Sequence[str]) -> bool | None:
        seen.append((scheme, credential))
        return credential in ("s3cret", 'username="ann", response="ok"', "ann:pw")

    monkeypatch.setattr(security, "verify", verify)
    app = importlib.import_module("schemes_api.app").create_app()
    with TestClient(app) as client:
        yield client, seen


def test_unknown_http_schemes_get_a_located_warning(generated: tuple[Path, list[Any]]) -> None:
    _root, diagnostics = generated
    warned = sorted(
        (d.line, d.pointer, d.message) for d in diagnostics if d.code == "http-scheme-unsupported"
    )
    # once per target (server and client), for OAuth and digest; never for basic
    lines = SPEC.splitlines()
    oauth = next(i for i, text in enumerate(lines, 1) if text.startswith("    oauthHeader:"))
    digest = next(i for i, text in enumerate(lines, 1) if text.startswith("    digestAuth:"))
    assert [(line, pointer) for line, pointer, _ in warned] == sorted(
        2 * [(oauth, "/components/securitySchemes/oauthHeader")]
        + 2 * [(digest, "/components/securitySchemes/digestAuth")]
    )
    message = next(m for _line, pointer, m in warned if pointer.endswith("oauthHeader"))
    assert "'OAuth'" in message and "security.verify" in message
    assert "Authorization: OAuth <credentials>" in message
    assert all(
        d.severity.value == "warning" for d in diagnostics if d.code == "http-scheme-unsupported"
    )


def test_missing_credentials_get_a_challenge_naming_the_scheme(
    server: tuple[TestClient, list[tuple[str, str]]],
) -> None:
    client, seen = server
    answer = client.get("/things")
    assert answer.status_code == 401
    assert answer.headers["www-authenticate"] == 'OAuth realm="api"'
    digest = client.get("/digest")
    assert digest.status_code == 401
    assert digest.headers["www-authenticate"] == 'digest realm="api"'
    basic = client.get("/basic")
    assert basic.headers["www-authenticate"].startswith("Basic ")
    assert seen == []


def test_another_scheme_name_is_no_credential(
    server: tuple[TestClient, list[tuple[str, str]]],
) -> None:
    client, seen = server
    answer = client.get("/things", headers={"Authorization": "Bearer s3cret"})
    assert answer.status_code == 401
    assert answer.headers["www-authenticate"] == 'OAuth realm="api"'
    assert seen == []  # never reached the verifier: not an OAuth credential


@pytest.mark.parametrize("name", ["OAuth", "oauth", "OAUTH"])
def test_scheme_name_is_case_insensitive_and_credentials_reach_the_verifier(
    server: tuple[TestClient, list[tuple[str, str]]], name: str
) -> None:
    client, seen = server
    answer = client.get("/things", headers={"Authorization": f"{name} s3cret"})
    assert answer.status_code == 200, answer.text
    assert answer.json() == {"ok": True}
    assert seen == [("oauthHeader", "s3cret")]


def test_digest_credentials_are_passed_whole(
    server: tuple[TestClient, list[tuple[str, str]]],
) -> None:
    client, seen = server
    answer = client.get(
        "/digest", headers={"Authorization": 'Digest username="ann", response="ok"'}
    )
    assert answer.status_code == 204
    assert seen == [("digestAuth", 'username="ann", response="ok"')]


def test_refused_credentials_are_403_naming_the_scheme(
    server: tuple[TestClient, list[tuple[str, str]]],
) -> None:
    client, seen = server
    answer = client.get("/things", headers={"Authorization": "OAuth nope"})
    assert answer.status_code == 403
    assert answer.headers["www-authenticate"] == 'OAuth realm="api"'
    assert seen == [("oauthHeader", "nope")]


def test_generated_client_sends_the_scheme_name(
    server: tuple[TestClient, list[tuple[str, str]]],
) -> None:
    http, seen = server
    client_module = importlib.import_module("schemes_client.client")
    credentials = client_module.Credentials(
        oauth_header="s3cret", digest_auth='username="ann", response="ok"'
    )
    client = client_module.Client(http=http, credentials=credentials)
    assert client.list_things().ok is True
    client.get_digest()
    assert seen == [("oauthHeader", "s3cret"), ("digestAuth", 'username="ann", response="ok"')]


def test_generated_client_without_credentials_sees_401(
    server: tuple[TestClient, list[tuple[str, str]]],
) -> None:
    http, _seen = server
    client_module = importlib.import_module("schemes_client.client")
    errors = importlib.import_module("schemes_client.errors")
    client = client_module.Client(http=http)
    with pytest.raises(errors.ApiError) as caught:
        client.list_things()
    assert caught.value.status_code == 401
    assert caught.value.response.headers["www-authenticate"] == 'OAuth realm="api"'


def test_readmes_say_what_happens(generated: tuple[Path, list[Any]]) -> None:
    root, _diagnostics = generated
    server = (root / "rest-server" / "README.md").read_text(encoding="utf-8")
    assert "`oauthHeader` (`OAuth`)" in server and "`digestAuth` (`digest`)" in server
    assert "everything after the name is the credential" in server
    client = (root / "rest-client" / "README.md").read_text(encoding="utf-8")
    assert "`Authorization: <Scheme> <credentials>`" in client
