"""Shared test fixtures: where the repository and the shared corpus are."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO.parent / "shared" / "corpus"


@pytest.fixture(scope="session")
def repo_root() -> Path:
    """The repository checkout."""
    return REPO


@pytest.fixture(scope="session")
def corpus() -> Path:
    """The shared corpus of real specs; tests skip only when ../shared is absent."""
    if not CORPUS.parent.is_dir():
        pytest.skip("../shared is not present (a user's machine)")
    return CORPUS
