"""A real, small OAuth2/OpenID Connect issuer for tests: discovery, JWKS, token endpoint, key rotation.

It runs an HTTP server on 127.0.0.1 in a thread, signs RS256 JWTs with PyJWT,
grants ``client_credentials`` (client_secret_basic) and ``refresh_token``, and
counts what it was asked, so tests can see caching, refresh and rotation.
"""

from __future__ import annotations

import base64
import json
import secrets
import threading
import time
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm


class Issuer:
    """Issue and publish keys; ``rotate()`` replaces the signing key (the old one leaves the JWKS)."""

    def __init__(self, client_id: str, client_secret: str, audience: str, lifetime: int = 3600) -> None:
        self.client_id = client_id
        self.client_secret = client_secret
        self.audience = audience
        self.lifetime = lifetime
        self.counts: Counter[str] = Counter()
        self.refresh_tokens: dict[str, str] = {}  # refresh token -> scope
        self.lock = threading.Lock()
        self._new_key()
        issuer = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

            def _send(self, status: int, body: object) -> None:
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("content-type", "application/json")
                self.send_header("content-length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self) -> None:
                if self.path == "/.well-known/openid-configuration":
                    issuer.counts["discovery"] += 1
                    self._send(200, issuer.discovery())
                elif self.path == "/jwks":
                    issuer.counts["jwks"] += 1
                    self._send(200, issuer.jwks())
                else:
                    self._send(404, {"error": "not_found"})

            def do_POST(self) -> None:
                length = int(self.headers.get("content-length", "0"))
                form = {k: v[0] for k, v in parse_qs(self.rfile.read(length).decode()).items()}
                status, body = issuer.grant(form, self.headers.get("authorization", ""))
                self._send(status, body)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> Issuer:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()

    def _new_key(self) -> None:
        self.key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.kid = secrets.token_hex(8)

    def rotate(self) -> None:
        with self.lock:
            self._new_key()

    def discovery(self) -> dict[str, object]:
        return {
            "issuer": self.url,
            "jwks_uri": self.url + "/jwks",
            "token_endpoint": self.url + "/token",
            "grant_types_supported": ["client_credentials", "refresh_token"],
        }

    def jwks(self) -> dict[str, object]:
        with self.lock:
            jwk = json.loads(RSAAlgorithm.to_jwk(self.key.public_key()))
            return {"keys": [{**jwk, "kid": self.kid, "alg": "RS256", "use": "sig"}]}

    def mint(self, scope: str, **overrides: Any) -> str:
        """A token as this issuer signs it; ``overrides`` replace claims (or ``key``/``kid``/``alg``)."""
        now = int(time.time())
        claims: dict[str, Any] = {
            "iss": self.url,
            "aud": self.audience,
            "sub": self.client_id,
            "scope": scope,
            "iat": now,
            "nbf": now,
            "exp": now + self.lifetime,
        }
        key = overrides.pop("key", None)
        kid = overrides.pop("kid", None)
        alg = overrides.pop("alg", "RS256")
        claims.update(overrides)
        with self.lock:
            return jwt.encode(claims, key or self.key, algorithm=alg, headers={"kid": kid or self.kid})

    def grant(self, form: dict[str, str], authorization: str) -> tuple[int, dict[str, object]]:
        expected = base64.b64encode(f"{self.client_id}:{self.client_secret}".encode()).decode()
        if authorization != f"Basic {expected}":
            return 401, {"error": "invalid_client"}
        grant = form.get("grant_type", "")
        self.counts[grant] += 1
        if grant == "client_credentials":
            scope = form.get("scope", "")
        elif grant == "refresh_token":
            stored = self.refresh_tokens.pop(form.get("refresh_token", ""), None)
            if stored is None:
                return 400, {"error": "invalid_grant"}
            scope = stored
        else:
            return 400, {"error": "unsupported_grant_type"}
        refresh = secrets.token_urlsafe(16)
        self.refresh_tokens[refresh] = scope
        body = {
            "access_token": self.mint(scope),
            "token_type": "Bearer",
            "expires_in": self.lifetime,
            "refresh_token": refresh,
            "scope": scope,
        }
        return 200, body
