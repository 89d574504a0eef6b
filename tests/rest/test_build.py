"""Unit tests of the HTTP builder on small inline documents."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from generator.ir.http import Api, BodyKind, ParamLocation, ResponseKind, SchemeKind, Shape, Style
from generator.load import load
from generator.translate.openapi import build


def _api(tmp_path: Path, doc: dict[str, object]) -> tuple[Api, list[str]]:
    path = tmp_path / "spec.yaml"
    path.write_text(yaml.safe_dump(doc, sort_keys=False), encoding="utf-8")
    loaded, diagnostics = load(path)
    assert loaded is not None, diagnostics
    api, _types, built = build(loaded)
    return api, [d.code for d in built]


def _op(path: str, method: str, operation: dict[str, object], **extra: object) -> dict[str, object]:
    return {
        "openapi": "3.1.0",
        "info": {"title": "T", "version": "1"},
        "paths": {path: {method: {"responses": {"200": {"description": "ok"}}, **operation}}},
        **extra,
    }


STYLE_CASES = [
    (
        {"in": "path", "required": True, "schema": {"type": "integer"}},
        Style.SIMPLE,
        False,
        Shape.SCALAR,
    ),
    (
        {"in": "query", "schema": {"type": "array", "items": {"type": "string"}}},
        Style.FORM,
        True,
        Shape.ARRAY,
    ),
    (
        {"in": "header", "schema": {"type": "array", "items": {"type": "string"}}},
        Style.SIMPLE,
        False,
        Shape.ARRAY,
    ),
    ({"in": "cookie", "schema": {"type": "string"}}, Style.FORM, True, Shape.SCALAR),
    (
        {
            "in": "query",
            "style": "deepObject",
            "explode": True,
            "schema": {"type": "object", "properties": {"a": {"type": "integer"}}},
        },
        Style.DEEP_OBJECT,
        True,
        Shape.OBJECT,
    ),
    (
        {
            "in": "query",
            "style": "pipeDelimited",
            "schema": {"type": "array", "items": {"type": "integer"}},
        },
        Style.PIPE_DELIMITED,
        False,
        Shape.ARRAY,
    ),
    (
        {
            "in": "path",
            "required": True,
            "style": "matrix",
            "explode": True,
            "schema": {"type": "array", "items": {"type": "integer"}},
        },
        Style.MATRIX,
        True,
        Shape.ARRAY,
    ),
]


@pytest.mark.parametrize(
    ("param", "style", "explode", "shape"),
    STYLE_CASES,
    ids=["path", "query-array", "header-array", "cookie", "deep-object", "pipe", "matrix"],
)
def test_parameter_styles_and_defaults(
    tmp_path: Path, param: dict[str, object], style: Style, explode: bool, shape: Shape
) -> None:
    path = "/x/{v}" if param["in"] == "path" else "/x"
    api, _ = _api(tmp_path, _op(path, "get", {"parameters": [{"name": "v", **param}]}))
    (parsed,) = api.operations[0].parameters
    assert (parsed.style, parsed.explode, parsed.shape) == (style, explode, shape)
    assert parsed.location is ParamLocation(param["in"])


def test_names_are_identifiers_and_never_collide(tmp_path: Path) -> None:
    doc = _op(
        "/items/{item-id}",
        "get",
        {
            "operationId": "class",
            "parameters": [
                {"name": "item-id", "in": "path", "required": True, "schema": {"type": "string"}},
                {"name": "item_id", "in": "query", "schema": {"type": "string"}},
                {"name": "itemId", "in": "header", "schema": {"type": "string"}},
            ],
        },
    )
    api, _ = _api(tmp_path, doc)
    op = api.operations[0]
    names = [p.py_name for p in op.parameters]
    assert op.name == "class_"
    assert len(set(names)) == 3 and all(n.isidentifier() for n in names)
    assert op.route_path == "/items/{" + names[0] + "}"


def test_duplicate_operation_ids_get_distinct_names_with_a_warning(tmp_path: Path) -> None:
    doc = _op("/a", "get", {"operationId": "same"})
    doc["paths"]["/b"] = {
        "get": {"operationId": "same", "responses": {"200": {"description": "ok"}}}
    }  # type: ignore[index]
    api, codes = _api(tmp_path, doc)
    assert [op.name for op in api.operations] == ["same", "same_2"]
    assert "dup-operation-name" in codes


def test_undeclared_path_parameter_is_taken_as_string(tmp_path: Path) -> None:
    api, codes = _api(tmp_path, _op("/a/{id}", "get", {}))
    (param,) = api.operations[0].parameters
    assert param.wire_name == "id" and param.annotation == "str"
    assert "undeclared-path-parameter" in codes


def test_security_unknown_scheme_keeps_operation_shut(tmp_path: Path) -> None:
    doc = _op(
        "/a",
        "get",
        {"security": [{"missing": []}]},
        components={"securitySchemes": {"key": {"type": "apiKey", "in": "query", "name": "k"}}},
    )
    api, codes = _api(tmp_path, doc)
    assert api.operations[0].secured
    assert "unknown-security-scheme" in codes
    (scheme,) = api.security_schemes
    assert scheme.kind is SchemeKind.API_KEY and scheme.location is ParamLocation.QUERY


def test_optional_security_alternative_leaves_operation_open(tmp_path: Path) -> None:
    doc = _op(
        "/a",
        "get",
        {"security": [{}, {"bearer": []}]},
        components={"securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}}},
    )
    api, _ = _api(tmp_path, doc)
    assert not api.operations[0].secured


def test_bodies_and_responses_pick_their_kind(tmp_path: Path) -> None:
    doc = _op(
        "/upload",
        "post",
        {
            "requestBody": {
                "content": {
                    "multipart/form-data": {
                        "schema": {
                            "type": "object",
                            "properties": {
                                "file": {"type": "string", "format": "binary"},
                                "note": {"type": "string"},
                            },
                        }
                    }
                }
            },
            "responses": {
                "201": {"description": "ok", "content": {"application/octet-stream": {}}},
                "404": {
                    "description": "no",
                    "content": {"application/json": {"schema": {"type": "object"}}},
                },
            },
        },
    )
    api, _ = _api(tmp_path, doc)
    op = api.operations[0]
    assert (
        op.body is not None
        and op.body.kind is BodyKind.MULTIPART
        and op.body.file_fields == ("file",)
    )
    assert (
        op.success is not None
        and op.success.kind is ResponseKind.BINARY
        and op.success.status_code == 201
    )
    assert [e.status for e in op.errors] == ["404"]


def test_event_stream_data_schema_from_content_schema(tmp_path: Path) -> None:
    event = {
        "type": "object",
        "properties": {
            "data": {
                "type": "string",
                "contentMediaType": "application/json",
                "contentSchema": {"type": "integer"},
            }
        },
    }
    doc = _op(
        "/events",
        "get",
        {
            "responses": {
                "200": {"description": "ok", "content": {"text/event-stream": {"schema": event}}}
            }
        },
    )
    api, _ = _api(tmp_path, doc)
    success = api.operations[0].success
    assert (
        success is not None
        and success.kind is ResponseKind.EVENT_STREAM
        and success.annotation == "int"
    )


def test_swagger2_upgrade_body_form_and_security(tmp_path: Path) -> None:
    doc = {
        "swagger": "2.0",
        "info": {"title": "Old", "version": "1"},
        "host": "api.example.com",
        "basePath": "/v1",
        "schemes": ["https"],
        "securityDefinitions": {"basic": {"type": "basic"}},
        "paths": {
            "/pets": {
                "post": {
                    "security": [{"basic": []}],
                    "parameters": [
                        {
                            "name": "pet",
                            "in": "body",
                            "required": True,
                            "schema": {"$ref": "#/definitions/Pet"},
                        }
                    ],
                    "responses": {
                        "200": {"description": "ok", "schema": {"$ref": "#/definitions/Pet"}}
                    },
                },
                "put": {
                    "consumes": ["multipart/form-data"],
                    "parameters": [
                        {"name": "photo", "in": "formData", "type": "file"},
                        {
                            "name": "tags",
                            "in": "query",
                            "type": "array",
                            "items": {"type": "string"},
                            "collectionFormat": "pipes",
                        },
                    ],
                    "responses": {"204": {"description": "ok"}},
                },
            }
        },
        "definitions": {"Pet": {"type": "object", "properties": {"name": {"type": "string"}}}},
    }
    api, _ = _api(tmp_path, doc)
    by_method = {op.method: op for op in api.operations}
    post, put = by_method["post"], by_method["put"]
    assert api.servers[0].url == "https://api.example.com/v1"
    assert (
        post.body is not None
        and post.body.kind is BodyKind.JSON
        and post.body.annotation == "models.Pet"
    )
    assert post.secured and api.security_schemes[0].kind is SchemeKind.HTTP_BASIC
    assert (
        put.body is not None
        and put.body.kind is BodyKind.MULTIPART
        and put.body.file_fields == ("photo",)
    )
    assert put.parameters[0].style is Style.PIPE_DELIMITED


def test_optional_parameter_keeps_its_default(tmp_path: Path) -> None:
    param = {"name": "limit", "in": "query", "schema": {"type": "integer", "default": 10}}
    api, _ = _api(tmp_path, _op("/x", "get", {"parameters": [param]}))
    assert api.operations[0].parameters[0].default == 10
