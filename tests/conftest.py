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


def pytest_addoption(parser: pytest.Parser) -> None:
    """``pytest --update-golden`` refreshes generated_examples/ before the golden test runs."""
    parser.addoption(
        "--update-golden",
        action="store_true",
        help="regenerate generated_examples/ with `twinspec generate` (the same writer) first",
    )


def pytest_sessionstart(session: pytest.Session) -> None:
    """Run the repository's own `twinspec generate` when asked to update the golden files."""
    if not session.config.getoption("--update-golden"):
        return
    import subprocess
    import sys

    subprocess.run(
        [sys.executable, "-m", "generator", "generate", "--force"], cwd=REPO, check=True
    )
