"""The REST translator's collector policy: paused while building, the IR frozen inside plan blocks."""

from __future__ import annotations

import gc
from pathlib import Path

from generator.load import load
from generator.load.heap import existing_objects_frozen
from generator.translate.rest_ir import translate_rest

SPEC = Path(__file__).resolve().parents[2] / "specs" / "petstore.yaml"


def test_collector_back_on_and_nothing_frozen_outside_a_plan_block() -> None:
    doc, _ = load(SPEC)
    assert doc is not None
    assert gc.get_freeze_count() == 0
    translate_rest(doc)
    assert gc.isenabled()
    assert gc.get_freeze_count() == 0


def test_the_ir_is_frozen_inside_a_plan_block_and_released_after() -> None:
    doc, _ = load(SPEC)
    assert doc is not None
    with existing_objects_frozen():
        frozen = gc.get_freeze_count()
        translate_rest(doc)
        assert gc.get_freeze_count() > frozen
        assert gc.isenabled()
    assert gc.get_freeze_count() == 0


def test_a_disabled_collector_stays_disabled() -> None:
    doc, _ = load(SPEC)
    assert doc is not None
    gc.disable()
    try:
        translate_rest(doc)
        assert not gc.isenabled()
    finally:
        gc.enable()
