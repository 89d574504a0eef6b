"""OAuth2 / OpenID Connect / JWT and mutual TLS, generated client against generated server, over 127.0.0.1.

A real local issuer (``issuer.py``: discovery, JWKS, token endpoint, key
rotation) signs the tokens; nothing in the verification path is mocked. The
spec is written once the issuer is up, so the client reads the token URL from
the spec's flows and the OpenID Connect scheme's discovery URL is real.
"""

from __future__ import annotations

import asyncio
import base64
import importlib
import ssl
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import httpx
import pytest
import yaml
from shared_corpus import CORPUS, needs_corpus

from tests.rest.issuer import Issuer
from tests.rest.prod_support import run_server
from tests.rest.rest_support import generate

trustme = pytest.importorskip("trustme", reason="trustme is a test dependency (pip install -e '.[test]')")

CLIENT_ID, SECRET, AUDIENCE = "svc", "s3cret", "oa-api"


def _op(op_id: str, security: list[dict[str, list[str]]]) -> dict[str, Any]:
    return {
        "operationId": op_id,
        "security": security,
        "responses": {
            "200": {
                "description": "the caller",
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Caller"}}},
            }
        },
    }


def spec_for(issuer_url: str) -> dict[str, Any]:
    flows = {
        "clientCredentials": {"tokenUrl": issuer_url + "/token", "scopes": {"read": "", "admin": ""}},
    }
    every_flow = {
        "implicit": {"authorizationUrl": issuer_url + "/authorize", "scopes": {"read": ""}},
        "password": {"tokenUrl": issuer_url + "/token", "scopes": {"read": ""}},
        "authorizationCode": {
            "authorizationUrl": issuer_url + "/authorize",
            "tokenUrl": issuer_url + "/token",
            "refreshUrl": issuer_url + "/token",
            "scopes": {"read": ""},
        },
        **flows,
    }
    return {
        "openapi": "3.1.0",
        "info": {"title": "OA", "version": "1"},
        "servers": [{"url": "http://127.0.0.1:8000"}],
        "paths": {
            "/me": {"get": _op("me", [{"oauth": ["read"]}])},
            "/admin": {"get": _op("admin", [{"oauth": ["admin"]}])},
            "/oidc": {"get": _op("oidcMe", [{"oidc": []}])},
            "/flows": {"get": _op("everyFlow", [{"everyFlow": ["read"]}])},
            "/basic": {"get": _op("basicMe", [{"basic": []}])},
            "/mtls": {"get": _op("certified", [{"mtls": []}])},
        },
        "components": {
            "schemas": {
                "Caller": {
                    "type": "object",
                    "required": ["sub"],
                    "properties": {"sub": {"type": "string"}, "scope": {"type": "string"}},
                }
            },
            "securitySchemes": {
                "oauth": {"type": "oauth2", "flows": flows},
                "everyFlow": {"type": "oauth2", "flows": every_flow},
                "oidc": {"type": "openIdConnect", "openIdConnectUrl": issuer_url + "/.well-known/openid-configuration"},
                "basic": {"type": "http", "scheme": "basic"},
                "mtls": {"type": "mutualTLS"},
            },
        },
    }


HANDLERS = '''
from typing import Any

from fastapi.responses import Response

from . import auth, models
from .default_handlers import DefaultHandlers


def _caller() -> models.Caller:
    claims = auth.claims()
    return models.Caller(sub=str(claims.get("sub", "")), scope=str(claims.get("scope", "")))


class Handlers(DefaultHandlers):
    async def me(self) -> Response | models.Caller:
        return _caller()

    async def admin(self) -> Response | models.Caller:
        return _caller()

    async def oidc_me(self) -> Response | models.Caller:
        return _caller()

    async def every_flow(self) -> Response | models.Caller:
        return _caller()

    async def certified(self) -> Response | models.Caller:
        return models.Caller(sub="certificate")
'''


class Stack:
    def __init__(self, issuer: Issuer, pkg: ModuleType, url: str, server: Path) -> None:
        self.issuer, self.pkg, self.url, self.server = issuer, pkg, url, server


def _env(issuer: Issuer) -> dict[str, str]:
    env = {"OA_SERVER_BASIC": "ann:pw"}
    for scheme in ("OAUTH", "OIDC", "EVERY_FLOW"):
        env[f"OA_SERVER_{scheme}_ISSUER"] = issuer.url
        env[f"OA_SERVER_{scheme}_AUDIENCE"] = AUDIENCE
        env[f"OA_SERVER_{scheme}_JWKS_MIN_REFETCH"] = "0"
        env[f"OA_SERVER_{scheme}_LEEWAY"] = "5"
    return env


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    root = tmp_path_factory.mktemp("oauth")
    with Issuer(CLIENT_ID, SECRET, AUDIENCE) as issuer:
        spec = root / "oa.yaml"
        spec.write_text(yaml.safe_dump(spec_for(issuer.url)), encoding="utf-8")
        server = generate(spec, "rest-server", root / "server", package="oa_server")
        (server / "oa_server" / "handlers.py").write_text(HANDLERS, encoding="utf-8")
        client = generate(spec, "rest-client", root / "client", package="oa_client")
        sys.path.insert(0, str(client))
        try:
            with run_server(server, "oa_server", env=_env(issuer), probe="/openapi.json") as port:
                yield Stack(issuer, importlib.import_module("oa_client"), f"http://127.0.0.1:{port}", server)
        finally:
            sys.path.remove(str(client))


def _tokens(stack: Stack, **options: Any) -> Any:
    oauth = importlib.import_module("oa_client.oauth")
    return oauth.OAuth2Token.for_scheme("oauth", CLIENT_ID, SECRET, audience=AUDIENCE, **options)


def test_client_credentials_token_cached_and_scoped(stack: Stack) -> None:
    tokens = _tokens(stack)
    before = stack.issuer.counts["client_credentials"]
    with stack.pkg.Client(stack.url, credentials=stack.pkg.Credentials(oauth=tokens)) as api:
        for _ in range(3):
            me = api.me()
            assert me.sub == CLIENT_ID and me.scope == "read"  # the operation's scope, from the spec
    assert stack.issuer.counts["client_credentials"] == before + 1  # one token, cached


def test_missing_scope_is_403_with_the_rfc6750_challenge(stack: Stack) -> None:
    token = stack.issuer.mint("read")
    answer = httpx.get(stack.url + "/admin", headers={"authorization": f"Bearer {token}"})
    assert answer.status_code == 403
    assert answer.headers["www-authenticate"] == 'Bearer realm="api", error="insufficient_scope", scope="admin"'
    assert answer.headers["content-type"] == "application/problem+json"
    with stack.pkg.Client(stack.url, credentials=stack.pkg.Credentials(oauth=_tokens(stack))) as api:
        assert api.admin().scope == "admin"  # the client asked for the admin scope this time


@pytest.mark.parametrize(
    "bad",
    [
        {"aud": "someone-else"},
        {"iss": "http://evil.example"},
        {"exp": int(time.time()) - 3600},
        {"nbf": int(time.time()) + 3600},
        {"alg": "none", "key": None},
        {"kid": "unknown-kid"},
    ],
    ids=["audience", "issuer", "expired", "not-yet", "alg-none", "unknown-key"],
)
def test_tokens_that_do_not_verify_are_401_invalid_token(stack: Stack, bad: dict[str, Any]) -> None:
    if bad.get("alg") == "none":
        header = base64.urlsafe_b64encode(b'{"alg":"none","typ":"JWT"}').rstrip(b"=").decode()
        body = stack.issuer.mint("read").split(".")[1]
        token = f"{header}.{body}."
    else:
        token = stack.issuer.mint("read", **bad)
    answer = httpx.get(stack.url + "/me", headers={"authorization": f"Bearer {token}"})
    assert answer.status_code == 401, answer.text
    assert 'error="invalid_token"' in answer.headers["www-authenticate"]


def test_hmac_signed_with_the_public_key_is_refused(stack: Stack) -> None:
    """The classic confusion attack: HS256 keyed with the (public) JWKS entry."""
    import hashlib
    import hmac
    import json

    def b64(data: bytes) -> str:
        return base64.urlsafe_b64encode(data).rstrip(b"=").decode()

    header = b64(json.dumps({"alg": "HS256", "kid": stack.issuer.kid}).encode())
    body = stack.issuer.mint("read").split(".")[1]
    secret = json.dumps(stack.issuer.jwks()["keys"][0]).encode()  # type: ignore[index]
    signature = b64(hmac.new(secret, f"{header}.{body}".encode(), hashlib.sha256).digest())
    token = f"{header}.{body}.{signature}"
    assert httpx.get(stack.url + "/me", headers={"authorization": f"Bearer {token}"}).status_code == 401


def test_key_rotation_and_token_refresh_before_expiry(stack: Stack) -> None:
    tokens = _tokens(stack, refresh_margin=3600.0)  # each token is due for renewal at once
    refreshes = stack.issuer.counts["refresh_token"]
    with stack.pkg.Client(stack.url, credentials=stack.pkg.Credentials(oauth=tokens)) as api:
        assert api.me().sub == CLIENT_ID
        fetched = stack.issuer.counts["jwks"]
        stack.issuer.rotate()  # the server has only seen the old key
        assert api.me().sub == CLIENT_ID  # renewed with the refresh token, signed with the new key
        assert api.me().sub == CLIENT_ID
    assert stack.issuer.counts["refresh_token"] >= refreshes + 2
    assert stack.issuer.counts["jwks"] == fetched + 1  # the server refetched the key set once, for the new kid


def test_token_source_shared_by_threads_and_tasks(stack: Stack) -> None:
    tokens = _tokens(stack)
    before = stack.issuer.counts["client_credentials"]
    errors: list[BaseException] = []

    def call() -> None:
        try:
            with stack.pkg.Client(stack.url, credentials=stack.pkg.Credentials(oauth=tokens)) as api:
                assert api.me().sub == CLIENT_ID
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=call) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors

    async def many() -> None:
        async with stack.pkg.AsyncClient(stack.url, credentials=stack.pkg.Credentials(oauth=tokens)) as api:
            results = await asyncio.gather(*(api.me() for _ in range(8)), *(api.admin() for _ in range(4)))
        assert {r.scope for r in results} == {"read", "admin"}

    asyncio.run(many())
    # one token per scope set across 8 threads and 12 tasks
    assert stack.issuer.counts["client_credentials"] == before + 2


def test_openid_connect_discovery_and_user_token_provider(stack: Stack) -> None:
    oauth = importlib.import_module("oa_client.oauth")
    discovered = oauth.OAuth2Token.for_scheme("oidc", CLIENT_ID, SECRET, audience=AUDIENCE)
    assert discovered.token_url == ""  # the spec gives only the discovery document
    with stack.pkg.Client(stack.url, credentials=stack.pkg.Credentials(oidc=discovered)) as api:
        assert api.oidc_me().sub == CLIENT_ID
    assert discovered.token_url == stack.issuer.url + "/token"
    relative = oauth.OAuth2Token(CLIENT_ID, SECRET, token_url="/token", base_url=stack.issuer.url + "/api")
    assert relative.token_url == stack.issuer.url + "/token"  # a spec's relative tokenUrl, resolved
    assert relative.token(["read"])
    every = oauth.OAuth2Token.for_scheme("every_flow", CLIENT_ID, SECRET, audience=AUDIENCE)
    seen: list[tuple[str, ...]] = []

    def provider(scopes: tuple[str, ...]) -> str:
        seen.append(scopes)
        return stack.issuer.mint(" ".join(scopes))

    with stack.pkg.Client(stack.url, credentials=stack.pkg.Credentials(every_flow=every)) as api:
        assert api.every_flow().scope == "read"
    with stack.pkg.Client(stack.url, credentials=stack.pkg.Credentials(every_flow=provider)) as api:
        assert api.every_flow().sub == CLIENT_ID
    fixed = stack.issuer.mint("read")
    with stack.pkg.Client(stack.url, credentials=stack.pkg.Credentials(oauth=fixed)) as api:
        assert api.me().sub == CLIENT_ID
    assert seen == [("read",)]


def test_basic_failures_challenge_basic(stack: Stack) -> None:
    missing = httpx.get(stack.url + "/basic")
    assert missing.status_code == 401 and missing.headers["www-authenticate"].startswith("Basic ")
    wrong = httpx.get(stack.url + "/basic", auth=("ann", "nope"))
    assert wrong.status_code == 403 and wrong.headers["www-authenticate"].startswith("Basic ")
    assert httpx.get(stack.url + "/basic", auth=("ann", "pw")).status_code == 200
    with stack.pkg.Client(stack.url, credentials=stack.pkg.Credentials(basic=("ann", "pw"))) as api:
        api.basic_me()


def test_mutual_tls_accepts_a_verified_certificate_only(stack: Stack, tmp_path: Path) -> None:
    ca = trustme.CA()
    server_cert = ca.issue_cert("127.0.0.1")
    client_cert = ca.issue_cert("client@example.com")
    stranger = trustme.CA().issue_cert("client@example.com")
    cert_file, key_file, ca_file = tmp_path / "server.pem", tmp_path / "server.key", tmp_path / "ca.pem"
    server_cert.cert_chain_pems[0].write_to_path(str(cert_file))
    server_cert.private_key_pem.write_to_path(str(key_file))
    ca.cert_pem.write_to_path(str(ca_file))
    args = ("--ssl-certfile", str(cert_file), "--ssl-keyfile", str(key_file), "--ssl-ca-certs", str(ca_file))
    with run_server(stack.server, "oa_server", *args, env=_env(stack.issuer), scheme="https") as port:
        url = f"https://127.0.0.1:{port}"

        def context(cert: Any) -> ssl.SSLContext:
            ctx = ssl.create_default_context(ssl.Purpose.SERVER_AUTH)
            ca.configure_trust(ctx)
            if cert is not None:
                cert.configure_cert(ctx)
            return ctx

        http = httpx.Client(base_url=url, verify=context(client_cert))
        with stack.pkg.Client(url, http=http) as api:
            assert api.certified().sub == "certificate"
        for refused in (None, stranger):
            with pytest.raises(httpx.TransportError), httpx.Client(verify=context(refused)) as bare:
                bare.get(url + "/mtls").raise_for_status()
    # plain HTTP has no certificate: the operation is refused, not open
    assert httpx.get(stack.url + "/mtls").status_code == 401


@needs_corpus
def test_every_scheme_type_of_the_corpus_generates_and_imports(tmp_path: Path) -> None:
    """The corpus document listing every scheme type (all four OAuth2 flows, OIDC, mutualTLS)."""
    spec = CORPUS / "openapi/oai-schema-tests-3.1-pass/security-scheme-object-examples.yaml"
    server = generate(spec, "rest-server", tmp_path / "server", package="sc_server", allow_invalid=True)
    client = generate(spec, "rest-client", tmp_path / "client", package="sc_client", allow_invalid=True)
    sys.path[:0] = [str(server), str(client)]
    try:
        auth = importlib.import_module("sc_server.auth")
        importlib.import_module("sc_server.app").create_app()
        kinds = {scheme.kind for scheme in auth.SCHEMES.values()}
        assert kinds == {"http_basic", "api_key", "http_bearer", "mutual_tls", "oauth2", "openid"}
        oauth = importlib.import_module("sc_client.oauth")
        assert oauth.FLOWS["o_auth2"].token_url == "https://example.com/api/oauth/token"
        assert oauth.FLOWS["o_auth2"].refresh_url == "https://example.com/api/oauth/refresh"
        assert oauth.FLOWS["open_id_connect"].discovery_url == "https://example.com/api/oauth/openid"
        assert importlib.import_module("sc_client").Credentials(o_auth2=oauth.OAuth2Token.for_scheme("o_auth2", "id", "s"))
    finally:
        del sys.path[:2]
