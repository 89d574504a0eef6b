"""Keep CPython's cyclic garbage collector off the loaded document.

A loaded spec is a tree of millions of small dicts, lists and strings that
lives until the run ends and holds no cycles; each full pass of the
collector walks all of it again (on stripe three passes, about 0.15 CPU-s of
a 1.5 s generation, that free nothing).

- ``collector_paused()`` (around loading, while the tree is built): the
  collector does not run; reference counting still frees everything not in a
  cycle, and the collector runs as usual after the block.
- ``existing_objects_frozen()`` (around translating and rendering a loaded
  document): everything alive at the start, the document included, is moved
  to the permanent generation (``gc.freeze``) and back after; garbage made
  inside the block is still collected, so peak memory stays as it was
  (measured on the corpus specs; pausing the collector here cost 2 MiB on openai).
- ``collected_apart()`` (inside that block, around one-off work that leaves
  cyclic garbage while a caller has paused the collector, e.g. making a
  jsonschema validator class): that garbage is freed at once.

Both nest: only the outermost block resumes or unfreezes.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["collected_apart", "collector_paused", "existing_objects_frozen"]

_lock = threading.Lock()
_frozen_depth = 0


@contextmanager
def collector_paused() -> Iterator[None]:
    """Run the block without cyclic garbage collection (resumed after, if it was on).

    What the block made stays young: moving it to the oldest generation
    (``gc.freeze`` then ``gc.unfreeze``, no walk) saved stripe's young passes
    (~40 ms) but left a document, a cycle with its ``RefFollower``, to a full
    pass that rarely came: a process loading sixty specs kept all sixty.
    """
    was_on = gc.isenabled()
    if was_on:
        gc.disable()
    try:
        yield
    finally:
        if was_on:
            gc.enable()


@contextmanager
def collected_apart() -> Iterator[None]:
    """Free the cyclic garbage the block makes, walking only what the block made.

    For a block inside ``existing_objects_frozen`` (the freeze count is not
    zero) that may run with the collector paused, where every object made since
    the pause is young: what exists is frozen first, so the young pass after the
    block visits the block's objects alone; the outer ``gc.unfreeze`` returns
    them all. Elsewhere the block just runs.
    """
    if gc.get_freeze_count() == 0:
        yield
        return
    gc.freeze()
    try:
        yield
    finally:
        gc.collect(0)


@contextmanager
def existing_objects_frozen() -> Iterator[None]:
    """Run the block with every object alive at its start left out of collections."""
    global _frozen_depth
    with _lock:
        if _frozen_depth == 0 and gc.get_freeze_count() > 0:  # the embedding program froze
            mine = False  # objects itself (a pre-fork server): leave its choice alone
        else:
            mine = True
            _frozen_depth += 1
            if _frozen_depth == 1:
                gc.freeze()
    try:
        yield
    finally:
        if mine:
            with _lock:
                _frozen_depth -= 1
                if _frozen_depth == 0:
                    gc.unfreeze()
