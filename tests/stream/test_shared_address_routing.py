"""Which property routes a frame on a shared address: decided at generation time, in the IR.

Inline AsyncAPI 3 documents with two channels on one WebSocket address; each
case names how their messages differ and the routing the build must choose.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from generator.ir.stream import Endpoint
from generator.load import load
from generator.translate.stream_ir import translate_server


def document(a: dict[str, Any], b: dict[str, Any], schemas: dict[str, Any] | None = None) -> str:
    return yaml.safe_dump(
        {
            "asyncapi": "3.0.0",
            "info": {"title": "Routing", "version": "1.0.0"},
            "channels": {
                "alpha": {
                    "address": "/feed",
                    "messages": {"a": {"$ref": "#/components/messages/a"}},
                },
                "beta": {
                    "address": "/feed",
                    "messages": {"b": {"$ref": "#/components/messages/b"}},
                },
            },
            "operations": {
                "onAlpha": {"action": "receive", "channel": {"$ref": "#/channels/alpha"}},
                "onBeta": {"action": "receive", "channel": {"$ref": "#/channels/beta"}},
            },
            "components": {
                "messages": {"a": {"payload": a}, "b": {"payload": b}},
                "schemas": schemas or {},
            },
        },
        sort_keys=False,
    )


def endpoint(tmp_path: Path, text: str) -> tuple[Endpoint, list[str]]:
    path = tmp_path / "spec.yaml"
    path.write_text(text, encoding="utf-8")
    doc, diagnostics = load(path)
    assert doc is not None, diagnostics
    ir, more = translate_server(doc, None)
    [only] = ir.api.endpoints
    return only, [d.code for d in more]


def obj(**props: Any) -> dict[str, Any]:
    return {"type": "object", "properties": props}


CASES = [
    pytest.param(
        obj(kind={"const": "a"}),
        obj(kind={"const": "b"}),
        None,
        ("kind", (("a", "a"), ("b", "b"))),
        id="const",
    ),
    pytest.param(
        obj(method={"type": "string", "enum": ["get", "head"]}),
        obj(method={"type": "string", "enum": ["put"]}),
        None,
        ("method", (("get", "a"), ("head", "a"), ("put", "b"))),
        id="disjoint-enums",
    ),
    pytest.param(
        {"oneOf": [obj(event={"const": "x"}, n={"type": "integer"}), obj(event={"const": "x"})]},
        obj(event={"const": "y"}),
        None,
        ("event", (("x", "a"), ("y", "b"))),
        id="oneOf-branches-agree",
    ),
    pytest.param(
        {"$ref": "#/components/schemas/Cat"},
        {"$ref": "#/components/schemas/Dog"},
        {
            "Cat": {**obj(petType={"type": "string"}), "discriminator": "petType"},
            "Dog": {**obj(petType={"type": "string"}), "discriminator": "petType"},
        },
        ("petType", (("Cat", "a"), ("Dog", "b"))),
        id="schema-discriminator",
    ),
    pytest.param(
        obj(kind={"enum": ["a", "b"]}),
        obj(kind={"enum": ["b"]}),
        None,
        (None, ()),
        id="overlapping-enums-try-each",
    ),
    pytest.param(
        obj(x={"type": "integer"}),
        obj(y={"type": "string"}),
        None,
        (None, ()),
        id="nothing-discriminates-try-each",
    ),
]


@pytest.mark.parametrize(("a", "b", "schemas", "expected"), CASES)
def test_the_routing_property_is_chosen_at_generation_time(
    tmp_path: Path,
    a: dict[str, Any],
    b: dict[str, Any],
    schemas: dict[str, Any] | None,
    expected: tuple[str | None, tuple[tuple[object, str], ...]],
) -> None:
    found, _ = endpoint(tmp_path, document(a, b, schemas))
    assert found.shared and found.channels == ("alpha", "beta")
    assert found.inbound.messages == ("a", "b")
    assert (found.inbound.discriminator, found.inbound.tags) == expected


def test_one_message_claimed_by_two_operations_is_a_located_warning(tmp_path: Path) -> None:
    text = document(obj(kind={"const": "a"}), obj(kind={"const": "b"})).replace(
        "b:\n        $ref: '#/components/messages/b'", "a:\n        $ref: '#/components/messages/a'"
    )
    found, codes = endpoint(tmp_path, text)
    assert found.inbound.messages == ("a",)
    assert "stream-ambiguous-route" in codes


def test_without_a_tag_a_frame_goes_to_the_type_that_names_its_properties(
    tmp_path: Path,
) -> None:
    """Both payloads accept any object (extra properties are allowed): the better fit wins."""
    import importlib
    import sys

    from tests.stream.conftest import generate

    spec = tmp_path / "spec.yaml"
    spec.write_text(
        document(obj(x={"type": "integer"}), obj(y={"type": "string"})), encoding="utf-8"
    )
    project = generate(spec, "stream-server", tmp_path / "out", package="routing_fit")
    sys.path.insert(0, str(project))
    try:
        messages = importlib.import_module("routing_fit.messages")
        decoder = messages.FEED_INBOUND
        assert decoder.decode({"y": "hello"}).key == "b"
        assert decoder.decode({"x": 1}).key == "a"
        assert decoder.decode({"z": True}).key == "a"  # fits both equally: the first
        with pytest.raises(messages.DecodeError):
            decoder.decode({"x": "one", "y": 2})
    finally:
        sys.path.remove(str(project))
        for name in [m for m in sys.modules if m.startswith("routing_fit")]:
            del sys.modules[name]
