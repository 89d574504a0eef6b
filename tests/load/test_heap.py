"""collector_paused: no cyclic collection inside the block, the collector as it was after it."""

from __future__ import annotations

import gc
import weakref

import pytest

from generator.load.heap import collector_paused, existing_objects_frozen


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


def test_what_the_paused_block_made_is_old_after_it_and_still_collectable() -> None:
    gc.collect()
    with collector_paused():
        made = [[index] for index in range(5000)]
        cycle: list[object] = []
        cycle.append(cycle)
        ref = weakref.ref(_Node(cycle))
        del cycle
    assert gc.get_count()[0] < 100  # no young pass pending over ``made``
    assert gc.get_freeze_count() == 0
    assert ref() is not None
    gc.collect()  # a full pass frees the cycle made inside
    assert ref() is None
    assert len(made) == 5000


def test_a_paused_block_leaves_frozen_objects_frozen() -> None:
    gc.freeze()
    try:
        before = gc.get_freeze_count()
        with collector_paused():
            pass
        assert gc.get_freeze_count() == before
    finally:
        gc.unfreeze()
