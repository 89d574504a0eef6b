"""``json_text`` writes what ``json.dumps(ensure_ascii=False, indent=N)`` writes, byte for byte.

It is the faster encoder behind the served ``openapi.json`` and
``examples.json``; every value it does not handle itself goes to
``json.dumps``, errors included.
"""

from __future__ import annotations

import enum
import json

import pytest

from generator.render.json_text import JSON_DEPTH, document_text, json_text, written_ahead
from tests.shared_corpus import CORPUS, needs_corpus


class Number(enum.IntEnum):
    ONE = 1


VALUES: list[object] = [
    {},
    [],
    "",
    0,
    None,
    True,
    -1.5e-07,
    10**30,
    "plain",
    {"a": {}, "b": [], "c": [[]], "d": [{}], "e": {"f": [1, 2.5, None, True, False, "x"]}},
    ("tuple", ("nested",), {"in": ("tuple",)}),
    {"ünïcödé": '→ "quoted" \\ \n\t\u0000\u2028', "emoji": "😀", "lone": "\ud800"},
    {"int-enum": Number.ONE, "float": 1e300, "small": 5e-324, "negzero": -0.0},
    {3: "int key", 2.5: "float key", True: "bool key", None: "null key"},  # to json.dumps
    {"nan": float("nan"), "inf": [float("inf"), float("-inf")]},  # to json.dumps
]


@pytest.mark.parametrize("indent", [1, 2])
@pytest.mark.parametrize("value", VALUES, ids=range(len(VALUES)))
def test_same_bytes_as_json_dumps(value: object, indent: int) -> None:
    assert json_text(value, indent) == json.dumps(value, ensure_ascii=False, indent=indent)
    assert (
        json_text(value, indent, "\n")
        == json.dumps(value, ensure_ascii=False, indent=indent) + "\n"
    )


def test_deep_nesting_is_left_to_json_dumps() -> None:
    deep: list[object] = []
    for _ in range(JSON_DEPTH + 5):
        deep = [deep]
    assert json_text(deep) == json.dumps(deep, ensure_ascii=False, indent=1)


def test_what_json_dumps_refuses_is_refused_alike() -> None:
    for bad in ({"set": {1}}, [object()]):
        with pytest.raises(TypeError):
            json.dumps(bad)
        with pytest.raises(TypeError):
            json_text(bad)
    cycle: list[object] = []
    cycle.append(cycle)
    with pytest.raises((ValueError, RecursionError)):
        json_text(cycle)


@needs_corpus
def test_every_corpus_document_encodes_alike() -> None:
    from generator.load import load

    checked = 0
    for path in sorted((CORPUS / "openapi").rglob("*")):
        if path.suffix not in (".json", ".yaml", ".yml"):
            continue
        doc, _ = load(path)
        if doc is not None:
            assert json_text(doc.data) == json.dumps(doc.data, ensure_ascii=False, indent=1), path
            checked += 1
    assert checked > 100


def test_document_text_takes_a_text_written_ahead_only_for_that_value() -> None:
    value = {"openapi": "3.1.0", "paths": {}}
    twin = {"openapi": "3.1.0", "paths": {}}  # equal, not the same object
    written = json.dumps(value, ensure_ascii=False, indent=1) + "\n"
    assert document_text(value) == written
    with written_ahead(value, lambda: "from ahead"):
        assert document_text(value) == "from ahead"
        assert document_text(twin) == written
    assert document_text(value) == written  # the block is over
    with written_ahead(value, lambda: None):  # not there (yet): written here
        assert document_text(value) == written
