"""Where the real-spec corpus is, and the one way a test says it needs it.

The corpus (real public OpenAPI/AsyncAPI documents, each listed with its source
repository and commit in its SOURCES.md) lives beside the checkout in
``../shared/corpus``, as CI lays it out; ``TWINSPEC_CORPUS`` points elsewhere. A fresh
clone has neither: the tests that need it skip with :data:`MISSING`, and under
``CI=true`` with the corpus present, tests/conftest.py turns any skip of such a test
into a failure.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
CORPUS = Path(os.environ.get("TWINSPEC_CORPUS") or REPO.parent / "shared" / "corpus").resolve()
HAS_CORPUS = (CORPUS / "SOURCES.md").is_file()
MISSING = (
    f"needs the real-spec corpus, not found at {CORPUS}: lay it beside the checkout as "
    "../shared/corpus (as CI does) or set TWINSPEC_CORPUS=/path/to/corpus"
)

#: Marks a test (or, as ``pytestmark``, a module) that reads the corpus.
needs_corpus = pytest.mark.corpus
