"""Generated servers defend themselves: every secured operation refuses missing and wrong credentials.

Checked in-process (``TestClient``) for every secured operation of the
example specs, with each scheme's credential missing (401) and wrong (403),
before any parameter is looked at; malformed input is a 4xx, a handler's
exception a 500 with no trace in the body, and the server keeps serving.
"""

from __future__ import annotations

import base64
import importlib
import re
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from rest_support import SPECS, generate

from generator.ir.http import Api, ParamLocation, SchemeKind, SecurityScheme
from generator.load import load
from generator.translate.openapi import build


def _wrong(scheme: SecurityScheme) -> dict[str, Any]:
    """Request arguments presenting a wrong credential for ``scheme``."""
    if scheme.kind is SchemeKind.API_KEY and scheme.location is ParamLocation.QUERY:
        return {"params": {scheme.key_name: "wrong"}}
    if scheme.kind is SchemeKind.API_KEY and scheme.location is ParamLocation.COOKIE:
        return {"headers": {"cookie": f"{scheme.key_name}=wrong"}}
    if scheme.kind is SchemeKind.API_KEY:
        return {"headers": {scheme.key_name: "wrong"}}
    if scheme.kind is SchemeKind.HTTP_BASIC:
        return {"headers": {"authorization": "Basic " + base64.b64encode(b"u:wrong").decode()}}
    return {"headers": {"authorization": "Bearer wrong"}}


@pytest.fixture(scope="module")
def bookstore(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Api, Any]]:
    root = generate(
        SPECS / "bookstore.yaml",
        "rest-server",
        tmp_path_factory.mktemp("sec"),
        package="sec_bookstore",
    )
    doc, _ = load(SPECS / "bookstore.yaml")
    assert doc is not None
    api, _types, _ = build(doc)
    sys.path.insert(0, str(root))
    try:
        yield api, importlib.import_module("sec_bookstore")
    finally:
        sys.path.remove(str(root))


def test_every_secured_operation_refuses_missing_and_wrong_credentials(
    bookstore: tuple[Api, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    api, package = bookstore
    for scheme in api.security_schemes:  # development credentials set: wrong ones must still fail
        monkeypatch.setenv(f"SEC_BOOKSTORE_{scheme.env_var}", "right")
    client = TestClient(package.create_app(), raise_server_exceptions=False)
    schemes = {s.py_name: s for s in api.security_schemes}
    secured = [op for op in api.operations if op.secured]
    assert len(secured) >= 7
    for op in secured:
        path = re.sub(r"\{[^}]+\}", "not-even-valid", op.path)
        assert client.request(op.method, path).status_code == 401, op.name
        for requirement in op.security:
            for use in requirement.schemes:
                scheme = schemes[use.py_name]
                answer = client.request(op.method, path, **_wrong(scheme))
                # RFC 6750: a refused bearer token is 401 invalid_token; other credentials 403
                token = scheme.kind.value in ("http_bearer", "oauth2", "openid")
                status = 401 if token else 403
                assert answer.status_code == status, (op.name, use.py_name)
                assert answer.headers["content-type"] == "application/problem+json"
                assert answer.json()["status"] == status
                assert answer.json()["detail"] == (
                    "the token is not valid" if token else "credentials refused"
                )
                if token:
                    assert 'error="invalid_token"' in answer.headers["www-authenticate"]


def test_malformed_input_and_handler_crash(bookstore: tuple[Api, Any], tmp_path: Path) -> None:
    _api, package = bookstore

    class Crashing(package.default_handlers.DefaultHandlers):  # type: ignore[name-defined,misc]
        async def health(self) -> Any:
            raise RuntimeError("secret internals /etc/passwd")

    client = TestClient(
        package.create_app(Crashing(), max_body_bytes=1024), raise_server_exceptions=False
    )
    crashed = client.get("/health")
    assert crashed.status_code == 500
    assert crashed.json() == {
        "type": "about:blank",
        "title": "Internal Server Error",
        "status": 500,
        "detail": "internal server error",
    }
    assert "secret" not in crashed.text and "Traceback" not in crashed.text
    assert client.get("/echo/path/x/.a/;x=1;y=2").status_code == 422
    assert client.get("/echo/object", params={"number": "zero"}).status_code == 422
    too_big = client.post(
        "/subscriptions",
        content=b"{" + b" " * 4096 + b"}",
        headers={"content-type": "application/json"},
    )
    assert too_big.status_code == 413
    assert client.get("/books/1").status_code == 200  # and it keeps serving
