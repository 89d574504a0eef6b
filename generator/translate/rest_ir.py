"""OpenAPI ``Document`` -> ``RestIR``: the API, its finished type model and the bundled spec.

``translate_rest`` is the REST targets' translator (see ``render.targets``).
A job's server and client are planned from one (frozen) IR: it is made once
per live document and dropped with it.
"""

from __future__ import annotations

import gc
import threading
import weakref
from collections.abc import Iterator
from contextlib import contextmanager

from generator.diagnostics import Diagnostic
from generator.ir.http import RestIR
from generator.load import Document
from generator.translate.bundle import bundle
from generator.translate.example_checks import forget_shapes
from generator.translate.example_jsonschema import forget_checks
from generator.translate.openapi import build

__all__ = ["translate_rest"]

_BUILT: weakref.WeakKeyDictionary[Document, tuple[RestIR, tuple[Diagnostic, ...]]] = (
    weakref.WeakKeyDictionary()
)
"""The IR of each live document: a job's server and client are built from one (frozen) IR."""


def translate_rest(doc: Document, package: str | None = None) -> tuple[RestIR, list[Diagnostic]]:
    """``build(doc)``, its finished type model and the bundled spec, once per document.

    ``package`` is not used: the REST packs name their package from the IR.
    """
    built = _BUILT.get(doc)
    if built is None:
        with _collector_paused():
            api, sink, found = build(doc)
            built = (RestIR(api=api, types=sink.finish(), spec=bundle(doc)), tuple(found))
            if sink.doc is not doc:  # Swagger 2.0's upgraded copy: freed now, not by a later pass
                sink.doc.forget_refs()
            _BUILT[doc] = built
            forget_checks(doc)  # their memos (~0.9 MiB on twilio) would last the run
            forget_shapes(doc)
            _freeze_survivors()
    return built[0], list(built[1])


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Run the block with the cyclic collector off (on again after, if it was on).

    Translating builds a few hundred thousand objects that all last (the IR, its
    memos) and makes next to no cyclic garbage (the example checks' jsonschema
    keywords free the errors they drop: ``_jsonschema_release``): the young passes
    walked the new objects again and again for nothing (on stripe 0.04-0.08 CPU-s).
    Nests, across threads: only the outermost block pauses and resumes.
    """
    global _pause_depth, _was_enabled
    with _pause_lock:
        if _pause_depth == 0:
            _was_enabled = gc.isenabled()
            gc.disable()
        _pause_depth += 1
    try:
        yield
    finally:
        with _pause_lock:
            _pause_depth -= 1
            if _pause_depth == 0 and _was_enabled:
                gc.enable()


def _freeze_survivors() -> None:
    """Move what is alive now (the IR) to the permanent generation, before the collector resumes.

    Else the first young pass after the pause walks the whole IR, and the full pass
    it leads to (in rendering: 20-175 ms a target) walks it and the document again.
    Only inside ``load.heap.existing_objects_frozen`` (``drive.target.plan_document``'s
    block; objects frozen there, the freeze count is not zero), whose ``gc.unfreeze``
    at its end returns these to the collector too.
    """
    if gc.get_freeze_count() > 0:
        gc.freeze()


_pause_lock = threading.Lock()
_pause_depth = 0
_was_enabled = True
