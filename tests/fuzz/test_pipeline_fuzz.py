"""Random hostile documents through load -> validate -> plan: Diagnostics or compiling code, nothing else.

Fixed seed (``derandomize``) and a bounded number of examples, so CI is
repeatable and quick; ``TWINSPEC_FUZZ_EXAMPLES`` raises the count locally, and
``benchmarks/fuzz.py`` runs for minutes on demand.
"""

from __future__ import annotations

import os
from typing import Any

import pytest
from hypothesis import HealthCheck, Phase, assume, given, settings

from .properties import check_pipeline
from .strategies import (
    AVOID_F2,
    asyncapi_documents,
    has_structural_cycle,
    hostile_text,
    openapi_documents,
)

EXAMPLES = int(os.environ.get("TWINSPEC_FUZZ_EXAMPLES", "80"))

FUZZ = settings(
    derandomize=True,
    max_examples=EXAMPLES,
    deadline=None,
    database=None,
    # No shrinking in CI: a failing example is reported as found (shrinking a whole
    # document can take minutes); benchmarks/fuzz.py shrinks on demand.
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=[
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
        HealthCheck.filter_too_much,
    ],
)


@pytest.mark.timeout(240)
@FUZZ
@given(doc=openapi_documents())
def test_openapi_documents(doc: dict[str, Any]) -> None:
    """Random OpenAPI 3.0/3.1 documents: Diagnostics or code that compiles, never an exception."""
    assume(not (AVOID_F2 and has_structural_cycle(doc)))
    check_pipeline(doc, "openapi")


@pytest.mark.timeout(240)
@FUZZ
@given(doc=asyncapi_documents())
def test_asyncapi_documents(doc: dict[str, Any]) -> None:
    """Random AsyncAPI 3.0 documents over every protocol: the same property."""
    assume(not (AVOID_F2 and has_structural_cycle(doc)))
    check_pipeline(doc, "asyncapi")


@pytest.mark.timeout(120)
@FUZZ
@given(doc=openapi_documents())
def test_openapi_documents_as_yaml(doc: dict[str, Any]) -> None:
    """The same documents written as YAML: the YAML 1.2 reader keeps every hostile string."""
    assume(not (AVOID_F2 and has_structural_cycle(doc)))
    check_pipeline(doc, "openapi", fmt="yaml")


@pytest.mark.timeout(60)
@settings(derandomize=True, max_examples=200, deadline=None, database=None, phases=[Phase.generate])
@given(text=hostile_text)
def test_text_round_trips_through_the_loader(text: str) -> None:
    """Whatever text a spec holds, the loader reads back exactly that text."""
    import tempfile
    from pathlib import Path

    from hostile.harness import write_spec

    from generator.load import load

    doc = {"openapi": "3.1.0", "info": {"title": text, "version": "1"}, "paths": {}}
    with tempfile.TemporaryDirectory() as tmp:
        for name in ("spec.yaml", "spec.json"):
            loaded, diagnostics = load(write_spec(Path(tmp), name, doc))
            assert loaded is not None, diagnostics
            assert loaded.data["info"]["title"] == text
