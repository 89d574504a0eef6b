"""Tag groups on the client never hide an operation or a client member.

A tag may be called like an operation (``listPets`` tagged ``list_pets``) or
like a client method (``close``); the group attribute then gets another
name, and every flat method still works.
"""

from __future__ import annotations

import importlib
import sys
from pathlib import Path
from typing import Any

import httpx
import yaml
from rest_support import write_plan

from generator.drive.spec import plan_target


def _op(op_id: str, tag: str) -> dict[str, Any]:
    return {
        "operationId": op_id,
        "tags": [tag],
        "responses": {
            "200": {
                "description": "ok",
                "content": {"application/json": {"schema": {"type": "string"}}},
            }
        },
    }


def test_group_names_avoid_operations_and_members(tmp_path: Path) -> None:
    doc = {
        "openapi": "3.1.0",
        "info": {"title": "Clash", "version": "1"},
        "paths": {
            "/a": {"get": _op("listPets", "list_pets")},
            "/b": {"get": _op("shut", "close")},
            "/c": {"get": _op("plain", "Clash Api")},
        },
    }
    spec = tmp_path / "spec.yaml"
    spec.write_text(yaml.safe_dump(doc), encoding="utf-8")
    plan, diagnostics = plan_target(spec, "rest-client", package="clash_client")
    assert plan is not None, [d.to_text() for d in diagnostics]
    write_plan(plan, tmp_path / "out")
    sys.path.insert(0, str(tmp_path / "out"))
    try:
        pkg = importlib.import_module("clash_client")
    finally:
        sys.path.remove(str(tmp_path / "out"))
    seen: list[str] = []

    def answer(request: httpx.Request) -> httpx.Response:
        seen.append(request.url.path)
        return httpx.Response(200, json="hi")

    with pkg.Client(
        http=httpx.Client(base_url="http://t", transport=httpx.MockTransport(answer))
    ) as api:
        assert callable(api.close) and api.list_pets() == "hi"
        groups = {name: value for name, value in vars(api).items() if not name.startswith("_")}
        assert sorted(groups) == ["clash_api", "close_", "list_pets_"]
        assert groups["list_pets_"].list_pets() == "hi"
        assert groups["close_"].shut() == "hi"
        assert groups["clash_api"].plain() == "hi"
    assert seen == ["/a", "/a", "/b", "/c"]
