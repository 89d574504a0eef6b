"""Run in a fresh interpreter against a generated rest-server: attack it, report what it answered.

Usage: ``python defence_probe.py ROOT PACKAGE``. Prints one JSON line of
checks, each ``{"check", "op", "status", "reached", "body"}``. Every handler is
replaced by a spy that records the call and raises an exception whose message
must never reach the client, so "reached" says whether a request got past the
guards, and a 500 body can be searched for the secret.
"""

from __future__ import annotations

import base64
import importlib
import inspect
import json
import os
import re
import sys
from pathlib import Path
from typing import Any

SECRET = "SECRET-TRACE-MARKER"
GOOD = "good-credential"
GOOD_BASIC = "user:good-password"


def main() -> None:
    """Attack every operation of the generated app and print the findings."""
    root, package = sys.argv[1], sys.argv[2]
    sys.path.insert(0, root)
    app_module = importlib.import_module(f"{package}.app")
    auth = importlib.import_module(f"{package}.auth")
    defaults = importlib.import_module(f"{package}.default_handlers")
    spec = json.loads((Path(root) / package / "openapi.json").read_text(encoding="utf-8"))
    for scheme in auth.SCHEMES.values():
        os.environ[scheme.env_var] = GOOD_BASIC if scheme.kind == "http_basic" else GOOD

    calls: list[str] = []

    def spy(name: str) -> Any:
        async def handler(self: object, *args: object, **kwargs: object) -> object:
            calls.append(name)
            raise RuntimeError(f"{SECRET} in {__file__}")

        return handler

    spy_class = type(
        "Spy",
        (defaults.DefaultHandlers,),
        {
            name: spy(name)
            for name, _ in inspect.getmembers(defaults.DefaultHandlers, inspect.iscoroutinefunction)
            if not name.startswith("_")
        },
    )
    from fastapi.testclient import TestClient

    checks: list[dict[str, Any]] = []
    client = TestClient(app_module.create_app(spy_class()), raise_server_exceptions=False)
    small = TestClient(
        app_module.create_app(spy_class(), max_body_bytes=1024), raise_server_exceptions=False
    )
    top_security = spec.get("security", [])
    for path, item in sorted(spec.get("paths", {}).items()):
        for method, op in sorted(item.items()):
            if method not in ("get", "put", "post", "delete", "patch") or not isinstance(op, dict):
                continue
            url = _url(path, [*item.get("parameters", []), *op.get("parameters", [])])
            label = f"{method.upper()} {path}"
            security = op.get("security", top_security)
            json_body = "application/json" in (op.get("requestBody", {}).get("content", {}))
            body = {"json": {}} if json_body else {}

            def send(
                check: str,
                app: Any = client,
                op_label: str = label,
                verb: str = method.upper(),
                target: str = url,
                **kwargs: Any,
            ) -> None:
                before = len(calls)
                response = app.request(verb, target, **kwargs)
                checks.append(
                    {
                        "check": check,
                        "op": op_label,
                        "status": response.status_code,
                        "reached": len(calls) > before,
                        "body": response.text[:2000],
                    }
                )

            if security and all(alternative for alternative in security):
                send("no-credentials", **body)
                for name, headers, params, cookies in _wrong_credentials():
                    client.cookies.clear()
                    send(f"wrong-{name}", headers=headers, params=params, cookies=cookies, **body)
                client.cookies.clear()
            headers, params, cookies = _good_credentials(auth, security)
            client.cookies.clear()
            send("handler-raises", headers=headers, params=params, cookies=cookies, **body)
            if json_body:
                json_headers = {**headers, "content-type": "application/json"}
                send(
                    "malformed-json",
                    headers=json_headers,
                    params=params,
                    cookies=cookies,
                    content=b'{"a": ',
                )
                send(
                    "truncated-array",
                    headers=json_headers,
                    params=params,
                    cookies=cookies,
                    content=b"[1, 2",
                )
                small.cookies.clear()
                if not any(c["check"] == "oversized-default-limit" for c in checks):
                    huge = b'{"a": "' + b"x" * (app_module.runtime.MAX_BODY_BYTES + 1) + b'"}'
                    send(
                        "oversized-default-limit",
                        headers=json_headers,
                        params=params,
                        cookies=cookies,
                        content=huge,
                    )
                send(
                    "oversized",
                    app=small,
                    headers=json_headers,
                    params=params,
                    cookies=cookies,
                    content=b'{"a": "' + b"x" * 4096 + b'"}',
                )
            client.cookies.clear()
    print("@@CHECKS@@" + json.dumps(checks))


def _url(path: str, parameters: list[dict[str, Any]]) -> str:
    url = re.sub(r"\{[^}]*\}", "1", path)
    required = [p["name"] for p in parameters if p.get("in") == "query" and p.get("required")]
    return url + ("?" + "&".join(f"{name}=1" for name in required) if required else "")


def _wrong_credentials() -> list[tuple[str, dict[str, str], dict[str, str], dict[str, str]]]:
    wrong_basic = base64.b64encode(b"user:wrong").decode()
    return [
        ("api-key-header", {"X-API-Key": "wrong", "Authorization": "Bearer wrong"}, {}, {}),
        ("api-key-query", {}, {"api_key": "wrong"}, {}),
        ("cookie", {}, {}, {"session": "wrong"}),
        ("basic", {"Authorization": f"Basic {wrong_basic}"}, {}, {}),
        ("basic-garbage", {"Authorization": "Basic !!!not-base64"}, {}, {}),
        ("bearer", {"Authorization": "Bearer wrong"}, {}, {}),
        ("empty-bearer", {"Authorization": "Bearer "}, {}, {}),
    ]


def _good_credentials(
    auth: Any, security: list[dict[str, list[str]]]
) -> tuple[dict[str, str], dict[str, str], dict[str, str]]:
    headers: dict[str, str] = {}
    params: dict[str, str] = {}
    cookies: dict[str, str] = {}
    by_wire = {scheme.wire_name: scheme for scheme in auth.SCHEMES.values()}
    for name in security[0] if security else {}:
        scheme = by_wire[name]
        if scheme.kind == "api_key":
            {"query": params, "cookie": cookies}.get(scheme.location, headers)[scheme.key_name] = (
                GOOD
            )
        elif scheme.kind == "http_basic":
            headers["Authorization"] = "Basic " + base64.b64encode(GOOD_BASIC.encode()).decode()
        elif scheme.kind in ("http_bearer", "oauth2", "openid"):
            headers["Authorization"] = f"Bearer {GOOD}"
    return headers, params, cookies


if __name__ == "__main__":
    main()
