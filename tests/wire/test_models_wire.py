"""Generated models, in-process: JSON types exactly off the wire, None as absent in Python code."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError

from generator.load import load
from generator.translate.schema import TypeModelBuilder
from tests.wire.conformance import _import, render_models
from tests.wire.specs import OPENAPI_31

WIRE = {"wire": True}


@pytest.fixture(scope="module")
def item(tmp_path_factory: pytest.TempPathFactory) -> Any:
    folder: Path = tmp_path_factory.mktemp("wire-models")
    spec = folder / "spec.yaml"
    spec.write_text(OPENAPI_31, encoding="utf-8")
    doc, diagnostics = load(spec)
    assert doc is not None, diagnostics
    builder = TypeModelBuilder(doc, dialect="oas31")
    schema = doc.data["components"]["schemas"]["Item"]
    builder.add_component("Item", schema, doc.root, "/components/schemas/Item")
    out = folder / "models.py"
    out.write_text(render_models(builder.finish()), encoding="utf-8")
    return _import(out).Item


BASE = {"price": 1.5, "count": 2, "active": True}


@pytest.mark.parametrize("mode", ["python", "json"])
@pytest.mark.parametrize(
    ("extra", "valid"),
    [
        ({"price": "40"}, False),
        ({"count": "12"}, False),
        ({"count": 1.0}, True),
        ({"active": "yes"}, False),
        ({"active": 1}, False),
        ({"name": None}, False),
        ({"note": None}, True),
        ({"gone": None}, True),
        ({"mood": None}, True),
        ({"level": "1"}, False),
        ({"level": 1}, True),
        ({"kind": "a"}, True),
        ({"at": "2024-05-01T10:00:00Z"}, True),
        ({"at": 1714557600}, False),
    ],
)
def test_off_the_wire(item: Any, mode: str, extra: dict[str, Any], valid: bool) -> None:
    data = {**BASE, **extra}

    def check() -> Any:
        if mode == "json":
            return item.model_validate_json(json.dumps(data))
        return item.model_validate(data, context=WIRE)

    if valid:
        check()
    else:
        with pytest.raises(ValidationError):
            check()


def test_python_none_means_absent(item: Any) -> None:
    """Code that passes None for an optional, non-nullable property sends nothing, not null."""
    made = item(price=1, count=2, active=False, name=None, note=None)
    assert made.model_dump(mode="json", by_alias=True, exclude_unset=True) == {
        "price": 1,
        "count": 2,
        "active": False,
        "note": None,  # nullable: an explicit null is kept
    }
    assert type(item(price=1, count=2.0, active=True).count) is int


UNDEFINED = """\
openapi: 3.1.0
info: {title: t, version: '1'}
paths: {}
components:
  schemas:
    Beat:
      type: object
      required: [type, socket_sequence]
      properties:
        socket_sequence: {type: integer}
"""


def test_required_but_undefined_property_is_any_and_present(tmp_path: Path) -> None:
    from generator.translate.examples import example_value

    spec = tmp_path / "spec.yaml"
    spec.write_text(UNDEFINED, encoding="utf-8")
    doc, diagnostics = load(spec)
    assert doc is not None, diagnostics
    schema = doc.data["components"]["schemas"]["Beat"]
    builder = TypeModelBuilder(doc, dialect="oas31")
    builder.add_component("Beat", schema, doc.root, "/components/schemas/Beat")
    out = tmp_path / "models.py"
    out.write_text(render_models(builder.finish()), encoding="utf-8")
    beat = _import(out).Beat
    with pytest.raises(ValidationError):
        beat.model_validate({"socket_sequence": 0}, context=WIRE)  # 'type' is required
    assert beat.model_validate({"type": "heartbeat", "socket_sequence": 0}, context=WIRE).type_
    example = example_value(doc, schema, doc.root, "/components/schemas/Beat")
    assert isinstance(example, dict) and "type" in example
    beat.model_validate(example, context=WIRE)
