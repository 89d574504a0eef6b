"""Parameters whose schema is a named component (``$ref`` to an integer, an enum) are read from text.

The models are strict on the wire (a JSON body's ``"2"`` is no integer), but a
query, path or header value is text by nature: ``?kind=2`` must find the enum
member 2 and ``?limit=5`` the integer 5, with the component's constraints still
checked. The same enum read from JSON keeps refusing strings and booleans.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Iterator
from types import ModuleType

import pytest
from fastapi.testclient import TestClient
from pydantic import TypeAdapter, ValidationError
from rest_support import generate

SPEC = """\
openapi: 3.0.3
info: {title: Components, version: "1"}
paths:
  /items/{id}:
    get:
      operationId: getItem
      parameters:
        - {name: id, in: path, required: true, schema: {$ref: '#/components/schemas/Id'}}
        - {name: limit, in: query, schema: {$ref: '#/components/schemas/Limit'}}
        - {name: kind, in: query, schema: {$ref: '#/components/schemas/Kind'}}
        - {name: ratio, in: query, schema: {$ref: '#/components/schemas/Ratio'}}
        - {name: X-Count, in: header, schema: {$ref: '#/components/schemas/Limit'}}
      responses:
        "200":
          description: ok
          content: {application/json: {schema: {$ref: '#/components/schemas/Item'}}}
components:
  schemas:
    Id: {type: integer, minimum: 1}
    Limit: {type: integer, maximum: 100}
    Kind: {type: integer, enum: [1, 2, 3]}
    Ratio: {type: number, enum: [0.5, 1.5]}
    Item: {type: object, properties: {id: {type: integer}}}
"""


@pytest.fixture(scope="module")
def package(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ModuleType]:
    root = tmp_path_factory.mktemp("param_components")
    spec = root / "components.yaml"
    spec.write_text(SPEC, encoding="utf-8")
    generate(spec, "rest-server", root / "out", package="param_components")
    sys.path.insert(0, str(root / "out"))
    try:
        yield importlib.import_module("param_components")
    finally:
        sys.path.remove(str(root / "out"))
        for name in [m for m in sys.modules if m.split(".")[0] == "param_components"]:
            del sys.modules[name]


@pytest.mark.parametrize(
    ("url", "status"),
    [
        ("/items/5?limit=5&kind=2&ratio=1.5", 200),
        ("/items/5?kind=3", 200),
        ("/items/5?kind=7", 422),
        ("/items/5?kind=true", 422),
        ("/items/5?ratio=2", 422),
        ("/items/5?limit=500", 422),
        ("/items/0", 422),
        ("/items/x", 422),
    ],
)
def test_component_typed_parameters_are_read_from_text(
    package: ModuleType, url: str, status: int
) -> None:
    app = importlib.import_module("param_components.app").create_app()
    response = TestClient(app).get(url, headers={"X-Count": "3"})
    assert response.status_code == status, response.text


def test_the_same_enum_from_json_takes_no_string(package: ModuleType) -> None:
    kind = TypeAdapter(importlib.import_module("param_components.models").Kind)
    assert kind.validate_json("2").value == 2
    for text in ('"2"', "true", "7"):
        with pytest.raises(ValidationError):
            kind.validate_json(text)
