"""The error contract translate decides per operation (``Operation.error_contract``)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from generator.ir.http import ErrorContract, FillKind, ResponseKind
from generator.load import load
from generator.translate.openapi import build

_PROBLEM = {
    "application/problem+json": {
        "schema": {
            "type": "object",
            "properties": {
                "type": {"type": "string", "format": "uri"},
                "title": {"type": "string"},
                "status": {"type": "integer"},
                "detail": {"type": "string", "maxLength": 64},
            },
        }
    }
}


def _contract(tmp_path: Path, responses: dict[str, Any]) -> ErrorContract:
    doc = {
        "openapi": "3.1.0",
        "info": {"title": "t", "version": "1"},
        "paths": {
            "/x": {
                "get": {
                    "operationId": "x",
                    "responses": {"200": {"description": "ok"}, **responses},
                }
            }
        },
    }
    path = tmp_path / "spec.yaml"
    path.write_text(yaml.safe_dump(doc), encoding="utf-8")
    loaded, diagnostics = load(path)
    assert loaded is not None, diagnostics
    api, _types, _diags = build(loaded)
    return api.operations[0].error_contract


def _empty(description: str = "e") -> dict[str, Any]:
    return {"description": description}


@pytest.mark.parametrize(
    ("responses", "statuses"),
    [
        ({}, (422, 401, 403)),
        ({"400": _empty()}, (400, 401, 403)),
        ({"400": _empty(), "422": _empty()}, (422, 401, 403)),
        ({"4XX": _empty()}, (422, 401, 403)),
        ({"default": _empty()}, (422, 401, 403)),
        ({"403": _empty()}, (422, 403, 403)),
        ({"401": _empty()}, (422, 401, 401)),
        ({"401": _empty(), "403": _empty()}, (422, 401, 403)),
        ({"403": _empty(), "4XX": _empty()}, (422, 401, 403)),
    ],
    ids=["none", "400", "400+422", "4XX", "default", "only-403", "only-401", "401+403", "403+4XX"],
)
def test_statuses_follow_what_is_declared(
    tmp_path: Path, responses: dict[str, Any], statuses: tuple[int, int, int]
) -> None:
    contract = _contract(tmp_path, responses)
    found = (contract.invalid.status, contract.unauthenticated.status, contract.forbidden.status)
    assert found == statuses
    assert contract.declared == bool(responses)


def test_body_comes_from_the_status_then_its_class_then_default(tmp_path: Path) -> None:
    contract = _contract(
        tmp_path,
        {
            "400": {"description": "bad", "content": _PROBLEM},
            "4XX": {
                "description": "client",
                "content": {"text/plain": {"schema": {"type": "string"}}},
            },
            "default": _empty("other"),
        },
    )
    assert contract.invalid.status == 400 and contract.invalid.body is not None
    assert contract.invalid.body.media_type == "application/problem+json"
    assert contract.unauthenticated.body is not None
    assert contract.unauthenticated.body.kind is ResponseKind.TEXT
    assert contract.default is not None and contract.default.kind is ResponseKind.EMPTY


def test_problem_fields_are_filled_within_their_schema(tmp_path: Path) -> None:
    contract = _contract(tmp_path, {"422": {"description": "bad", "content": _PROBLEM}})
    body = contract.invalid.body
    assert body is not None and isinstance(body.template, dict)
    assert body.template["type"] == "about:blank"
    fills = {f.path: f for f in body.fills}
    assert fills[("title",)].kind is FillKind.TITLE
    assert fills[("status",)].kind is FillKind.STATUS
    assert fills[("detail",)].kind is FillKind.DETAIL and fills[("detail",)].max_length == 64


@pytest.mark.parametrize(
    ("prop", "filled"),
    [
        ({"type": "string"}, True),
        ({"type": "string", "maxLength": 200}, True),
        ({"type": "string", "enum": ["a", "b"]}, False),
        ({"type": "string", "pattern": "^E[0-9]+$"}, False),
        ({"type": "string", "format": "email"}, False),
        ({"type": "string", "minLength": 500}, False),
        ({"type": "integer"}, False),
    ],
    ids=["text", "max-length", "enum", "pattern", "format", "min-length", "integer"],
)
def test_a_message_is_filled_only_where_any_text_fits(
    tmp_path: Path, prop: dict[str, Any], filled: bool
) -> None:
    schema = {"type": "object", "required": ["message"], "properties": {"message": prop}}
    content = {"application/json": {"schema": schema}}
    contract = _contract(tmp_path, {"400": {"description": "bad", "content": content}})
    body = contract.invalid.body
    assert body is not None
    assert any(f.path == ("message",) for f in body.fills) == filled
