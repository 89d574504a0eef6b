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
        with _young_collections_only():
            api, sink, found = build(doc)
            built = (RestIR(api=api, types=sink.finish(), spec=bundle(doc)), tuple(found))
        _BUILT[doc] = built
    return built[0], list(built[1])


@contextmanager
def _young_collections_only() -> Iterator[None]:
    """Run the block with no full collection (one runs after it, as the counts then ask).

    Translating builds a few hundred thousand objects that all last (the IR, its
    memos); a full pass walked them again and freed next to nothing (on stripe about
    0.09 CPU-s). The younger passes still free the cycles made and dropped within
    (jsonschema's ``oneOf`` errors), so memory stays as it was. Nests, across threads:
    only the outermost block sets and restores the thresholds.
    """
    global _young_depth, _saved_thresholds
    with _young_lock:
        if _young_depth == 0:
            _saved_thresholds = gc.get_threshold()
            gc.set_threshold(_saved_thresholds[0], _saved_thresholds[1], 1 << 30)
        _young_depth += 1
    try:
        yield
    finally:
        with _young_lock:
            _young_depth -= 1
            if _young_depth == 0:
                gc.set_threshold(*_saved_thresholds)


_young_lock = threading.Lock()
_young_depth = 0
_saved_thresholds: tuple[int, int, int] = gc.get_threshold()
