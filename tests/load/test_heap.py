"""collector_paused: no cyclic collection inside the block, the collector as it was after it."""

from __future__ import annotations

import gc
import json
import weakref
from pathlib import Path

import pytest

from generator.drive.spec import load_and_validate
from generator.load.heap import collected_apart, collector_paused, existing_objects_frozen


def test_the_collector_is_off_inside_and_on_again_after() -> None:
    assert gc.isenabled()
    with collector_paused():
        assert not gc.isenabled()
        with collector_paused():  # nested: the inner block does not resume it early
            assert not gc.isenabled()
        assert not gc.isenabled()
    assert gc.isenabled()


def test_an_error_in_the_block_still_resumes_it() -> None:
    with pytest.raises(RuntimeError), collector_paused():
        raise RuntimeError("boom")
    assert gc.isenabled()


def test_a_collector_the_caller_turned_off_stays_off() -> None:
    gc.disable()
    try:
        with collector_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_objects_alive_at_the_start_are_frozen_inside_and_not_after() -> None:
    assert gc.get_freeze_count() == 0
    with existing_objects_frozen():
        assert gc.get_freeze_count() > 0
        with existing_objects_frozen():  # nested: the inner block does not unfreeze early
            pass
        assert gc.get_freeze_count() > 0
    assert gc.get_freeze_count() == 0


def test_garbage_made_inside_the_frozen_block_is_still_collected() -> None:
    with existing_objects_frozen():
        cycle: list[object] = []
        cycle.append(cycle)
        ref = weakref.ref(_Node(cycle))
        del cycle
        gc.collect()
        assert ref() is None


def test_a_program_that_froze_its_own_objects_keeps_them_frozen() -> None:
    gc.freeze()
    try:
        before = gc.get_freeze_count()
        with existing_objects_frozen():
            pass
        assert gc.get_freeze_count() == before
    finally:
        gc.unfreeze()


class _Node:
    def __init__(self, payload: object) -> None:
        self.payload = payload
        self.me = self


def _big_spec(path: Path) -> Path:
    """An OpenAPI document whose loading and validation make a few hundred thousand objects."""
    schemas = {
        f"S{i}": {
            "type": "object",
            "properties": {
                "id": {"type": "integer"},
                "next": {"$ref": f"#/components/schemas/S{(i + 1) % 400}"},
            },
        }
        for i in range(400)
    }
    paths = {
        f"/s{i}": {
            "get": {
                "operationId": f"get{i}",
                "responses": {
                    "200": {
                        "description": "ok",
                        "content": {
                            "application/json": {"schema": {"$ref": f"#/components/schemas/S{i}"}}
                        },
                    }
                },
            }
        }
        for i in range(400)
    }
    document = {
        "openapi": "3.1.0",
        "info": {"title": "t", "version": "1"},
        "paths": paths,
        "components": {"schemas": schemas},
    }
    path.write_text(json.dumps(document), encoding="utf-8")
    return path


def test_documents_loaded_one_after_another_are_freed_without_a_forced_pass(tmp_path: Path) -> None:
    """A host that loads spec after spec (``validate a b c``, pre-commit, tests) keeps few of them.

    A document is a cycle with its ``RefFollower``: only the collector frees it, so
    what loading makes must stay where the collector's passes reach it.
    """
    spec = _big_spec(tmp_path / "openapi.json")
    gc.collect()
    alive = []
    for _ in range(40):
        doc, _found = load_and_validate(spec)
        alive.append(weakref.ref(doc))
        del doc
    kept = sum(ref() is not None for ref in alive)
    assert kept <= 20, f"{kept} of 40 loaded documents still alive"


def test_a_paused_block_leaves_frozen_objects_frozen() -> None:
    gc.freeze()
    try:
        before = gc.get_freeze_count()
        with collector_paused():
            pass
        assert gc.get_freeze_count() == before
    finally:
        gc.unfreeze()


def test_garbage_made_apart_is_freed_at_once_while_the_collector_is_paused() -> None:
    """A validator class made mid-translation (collector paused) must not keep its cycles to the end."""
    with existing_objects_frozen(), collector_paused():
        kept = [[index] for index in range(1000)]  # made under the pause: young, not walked below
        with collected_apart():
            cycle: list[object] = []
            cycle.append(cycle)
            ref = weakref.ref(_Node(cycle))
            del cycle
        assert ref() is None
        assert len(kept) == 1000
