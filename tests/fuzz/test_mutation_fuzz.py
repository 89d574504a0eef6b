"""Real documents with a few texts made hostile: reaches the build and render stages deeply.

The seeds are the project's own example specs (``specs/``), rich and valid;
each example replaces one to six of their free texts (descriptions, names,
enum values, examples, property names...) with hostile strings and runs the
same property as the random documents: Diagnostics, or output that compiles.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from generator.load import load

from .properties import check_pipeline
from .strategies import mutations, text_positions

REPO = Path(__file__).resolve().parents[2]
SEEDS = sorted((REPO / "specs").glob("*.yaml"))
EXAMPLES = int(os.environ.get("TWINSPEC_FUZZ_MUTATIONS", "12"))


def seed_document(path: Path) -> tuple[Any, str]:
    """The seed's data and family."""
    doc, diagnostics = load(path)
    assert doc is not None and doc.kind is not None, diagnostics
    return doc.data, doc.kind.family


def test_seeds_have_texts_to_mutate() -> None:
    """Every seed offers dozens of text positions (so the mutations mean something)."""
    assert SEEDS
    for path in SEEDS:
        data, _ = seed_document(path)
        assert len(text_positions(data)) >= 20, path.name


@pytest.mark.timeout(240)
@pytest.mark.parametrize("seed_path", SEEDS, ids=[p.stem for p in SEEDS])
def test_mutated_real_documents(seed_path: Path) -> None:
    """Hostile texts in a real document: Diagnostics or compiling code, never an exception."""
    data, family = seed_document(seed_path)

    @settings(
        derandomize=True,
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(doc=mutations(data), fmt=st.sampled_from(["json", "yaml"]))
    def run(doc: Any, fmt: str) -> None:
        check_pipeline(doc, family, fmt=fmt)

    run()
