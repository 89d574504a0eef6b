"""OpenAPI ``Document`` -> ``RestIR``: the API, its finished type model and the bundled spec.

``translate_rest`` is the REST targets' translator (see ``render.targets``).
A job's server and client are planned from one (frozen) IR: it is made once
per live document and dropped with it.
"""

from __future__ import annotations

import weakref

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
        api, sink, found = build(doc)
        built = (RestIR(api=api, types=sink.finish(), spec=bundle(doc)), tuple(found))
        _BUILT[doc] = built
    return built[0], list(built[1])
