"""Every declared error body of large corpus specs, as the generated server writes it, validates.

For each operation of the generated ``contracts.py`` and each error response
its spec declares (a status, a class such as ``4XX``, or ``default``), the body
the server would send (``Failure(...).fill(body)``, the generated code itself)
is validated with ``jsonschema`` against the declared schema, for every status
the response may be sent with, with and without located errors.
"""

from __future__ import annotations

import importlib
import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012
from rest_support import generate
from shared_corpus import CORPUS, needs_corpus

from generator.diagnostics import escape_pointer

pytestmark = needs_corpus

SPECS = [
    ("asana/asana_oas.yaml", "errc_asana"),  # 400 without 422, 401/403 on 246 operations
    ("box/openapi.json", "errc_box"),  # 400 and default ClientError on 289 operations
    ("discord/openapi.json", "errc_discord"),  # 4XX only, on 242 operations
    ("twitter-apisguru/openapi.yaml", "errc_twitter"),  # default: JSON and problem+json
]
ERRORS = ((("query", "limit"), "Input should be a valid integer", "int_parsing"),)


def _samples(declared: str) -> tuple[int, ...]:
    key = declared.upper()
    if key == "DEFAULT":
        return (400, 401, 403, 404, 422, 500)
    if key.endswith("XX"):
        return tuple(int(key[0]) * 100 + n for n in (0, 1, 3, 4, 22) if n < 100)
    return (int(key),)


def _more_specific(keys: set[str], declared: str, status: int) -> bool:
    """Whether a response more specific than ``declared`` answers ``status``."""
    if declared == "DEFAULT":
        return str(status) in keys or f"{str(status)[0]}XX" in keys
    return declared.endswith("XX") and str(status) in keys


def _operations(spec: dict[str, Any]) -> Iterator[tuple[str, str, str, dict[str, Any]]]:
    for path, item in spec.get("paths", {}).items():
        for method, op in item.items():
            if isinstance(op, dict) and "responses" in op:
                yield str(op.get("operationId", "")), path, method, op


def _follow(spec: dict[str, Any], node: Any, pointer: str) -> tuple[Any, str]:
    while isinstance(node, dict) and isinstance(node.get("$ref"), str):
        pointer = node["$ref"].removeprefix("#")
        node = spec
        for token in pointer.strip("/").split("/"):
            node = node[token.replace("~1", "/").replace("~0", "~")]
    return node, pointer


@pytest.mark.parametrize(("rel", "package"), SPECS, ids=[p for _r, p in SPECS])
def test_every_declared_error_body_validates(tmp_path: Path, rel: str, package: str) -> None:
    root = generate(CORPUS / "openapi" / rel, "rest-server", tmp_path, package=package)
    spec = json.loads((root / package / "openapi.json").read_text(encoding="utf-8"))
    sys.path.insert(0, str(root))
    try:
        contracts = importlib.import_module(f"{package}.contracts")
        app = importlib.import_module(f"{package}.app").create_app()
    finally:
        sys.path.remove(str(root))
    by_operation_id = {
        r.operation_id: r.endpoint.__name__ for r in app.routes if hasattr(r, "operation_id")
    }
    registry: Registry[Any] = Registry().with_resource(
        "urn:spec", Resource.from_contents(spec, default_specification=DRAFT202012)
    )
    checked = 0
    invalid: list[str] = []
    for operation_id, path, method, op in _operations(spec):
        contract = contracts.CONTRACTS.get(by_operation_id.get(operation_id, ""))
        for declared, raw in op["responses"].items():
            if not (str(declared).upper() == "DEFAULT" or str(declared)[0] in "45"):
                continue
            at = f"/paths/{escape_pointer(path)}/{method}/responses/{escape_pointer(str(declared))}"
            response, at = _follow(spec, raw, at)
            assert contract is not None, (operation_id, declared)
            keys = {str(k).upper() for k in op["responses"]}
            for status in _samples(str(declared)):
                if _more_specific(keys, str(declared).upper(), status):
                    continue  # sent with the body of its own status (or class)
                body = contract.body(status)
                assert body is not None, (operation_id, status)
                media = body.media_type
                if body.kind != "json" or "schema" not in response.get("content", {}).get(
                    media, {}
                ):
                    continue
                pointer = at + "/content/" + escape_pointer(media) + "/schema"
                validator = Draft202012Validator({"$ref": "urn:spec#" + pointer}, registry=registry)
                for errors in (ERRORS, ()):
                    failure = contracts.Failure(
                        status, "the request does not match the spec", errors, path
                    )
                    value = failure.fill(body)
                    checked += 1
                    found = [e.message for e in validator.iter_errors(value)]
                    if found:
                        invalid.append(
                            f"{method.upper()} {path} {declared} as {status}: {found[0][:200]}"
                        )
    assert checked > 200, checked
    assert not invalid, "\n".join(invalid[:20])
