"""REST bodies over a real socket: JSON types exactly, null only where the spec allows it.

The generated server runs as a user runs it (``python -m pkg --port P``); every
body goes through httpx as raw JSON, so nothing on our side coerces.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.rest.rest_support import generate, serve
from tests.wire.specs import OPENAPI_30, OPENAPI_31

pytestmark = pytest.mark.timeout(180)

VALID: dict[str, Any] = {"price": 4.5, "count": 2, "active": True}


@pytest.fixture(scope="module", params=["3.0", "3.1"])
def shop(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[str, str]]:
    version = str(request.param)
    root: Path = tmp_path_factory.mktemp("wire-rest")
    spec = root / "shop.yaml"
    spec.write_text(OPENAPI_30 if version == "3.0" else OPENAPI_31, encoding="utf-8")
    project = generate(spec, "rest-server", root / "server", package="wire_shop")
    with serve(project, "wire_shop", {}) as base:
        yield version, base


def post(base: str, body: dict[str, Any]) -> httpx.Response:
    return httpx.post(f"{base}/items", json=body, timeout=10)


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("price", "40"),  # a string for a number
        ("count", "12"),  # a string for an integer
        ("count", 1.5),  # a fraction for an integer
        ("count", True),  # a boolean for an integer
        ("active", 1),  # a number for a boolean
        ("active", "yes"),  # a string for a boolean
        ("name", 5),  # a number for a string
        ("kind", 1),  # a number for a string enum
        ("level", "1"),  # a string for an integer enum
        ("level", True),  # a boolean for an integer enum
        ("at", 1700000000),  # a timestamp for a date-time string
        ("tags", ["1"]),  # a string inside an integer array
        ("name", None),  # null for an optional property that is not nullable
        ("kind", None),
        ("price", None),  # null for a required property that is not nullable
    ],
)
def test_coercion_and_null_are_422(shop: tuple[str, str], field: str, value: Any) -> None:
    _version, base = shop
    answer = post(base, {**VALID, field: value})
    assert answer.status_code == 422, (field, value, answer.status_code, answer.text)
    assert field in answer.text


@pytest.mark.parametrize(
    "extra",
    [
        {},
        {"price": 40},  # an integer is a number
        {"note": None},  # nullable
        {"note": "n", "name": "x", "kind": "a", "level": 2, "at": "2024-01-01T00:00:00Z"},
        {"tags": [1, 2]},
    ],
)
def test_what_the_schema_accepts_passes(shop: tuple[str, str], extra: dict[str, Any]) -> None:
    _version, base = shop
    answer = post(base, {**VALID, **extra})
    assert answer.status_code == 201, (extra, answer.text)


@pytest.mark.parametrize("extra", [{"count": 1.0}, {"tags": [1, 2.0]}])
def test_integer_1_0_as_the_document_s_json_schema_says(
    shop: tuple[str, str], extra: dict[str, Any]
) -> None:
    """OAS 3.1 reads JSON Schema 2020-12 (1.0 is an integer); OAS 3.0 reads draft 4 (it is not)."""
    version, base = shop
    answer = post(base, {**VALID, **extra})
    assert answer.status_code == (201 if version == "3.1" else 422), (extra, answer.text)


def test_null_where_the_schema_allows_it(shop: tuple[str, str]) -> None:
    """3.0 ``nullable``; 3.1 ``type: [string, 'null']``, ``const: null``, an enum holding null."""
    version, base = shop
    allowed: list[dict[str, Any]] = [{"note": None}, {"note": "n"}]
    refused: list[dict[str, Any]] = [{"note": 5}]
    if version == "3.1":
        allowed += [{"gone": None}, {"mood": None}, {"mood": "happy"}]
        refused += [{"gone": 0}, {"mood": "sad"}]
    for extra in allowed:
        assert post(base, {**VALID, **extra}).status_code == 201, extra
    for extra in refused:
        assert post(base, {**VALID, **extra}).status_code == 422, extra
