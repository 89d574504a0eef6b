"""Shared test fixtures: where the repository and the shared corpus are.

Corpus tests (marked ``corpus``, or asking for the ``corpus`` fixture) skip with one
reason when the corpus is absent (a fresh clone), and must not skip in CI when it is
there: under ``CI=true`` such a skip is reported as a failure.
"""

from __future__ import annotations

import os
from collections.abc import Generator
from pathlib import Path

import pytest
from shared_corpus import CORPUS, HAS_CORPUS, MISSING, REPO


@pytest.fixture(scope="session")
def repo_root() -> Path:
    """The repository checkout."""
    return REPO


@pytest.fixture(scope="session")
def corpus() -> Path:
    """The shared corpus of real specs (the tests using it are skipped without it)."""
    if not HAS_CORPUS:  # pragma: no cover - collection already skipped them
        pytest.skip(MISSING)
    return CORPUS


def pytest_addoption(parser: pytest.Parser) -> None:
    """``pytest --update-golden`` refreshes generated_examples/ before the golden test runs."""
    parser.addoption(
        "--update-golden",
        action="store_true",
        help="regenerate generated_examples/ with `twinspec generate` (the same writer) first",
    )


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "corpus: reads the real-spec corpus (../shared/corpus)")


def _is_corpus_test(item: pytest.Item) -> bool:
    return item.get_closest_marker("corpus") is not None or "corpus" in getattr(
        item, "fixturenames", ()
    )


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Without the corpus, every corpus test skips with the same reason (saying how to get it)."""
    if HAS_CORPUS:
        return
    for item in items:
        if _is_corpus_test(item):
            # In front of any other skip mark (an empty parameter set), so its reason wins.
            item.add_marker(pytest.mark.skip(reason=MISSING), append=False)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, None]:
    """Under CI=true with the corpus present, a corpus test that skips has failed."""
    outcome = yield
    report: pytest.TestReport = outcome.get_result()  # type: ignore[attr-defined]
    if not (report.skipped and HAS_CORPUS and os.environ.get("CI") == "true"):
        return
    if _is_corpus_test(item) and not hasattr(report, "wasxfail"):
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else report.longrepr
        report.outcome = "failed"
        report.longrepr = f"a corpus test skipped in CI, where the corpus is present: {reason}"


def pytest_sessionstart(session: pytest.Session) -> None:
    """Run the repository's own `twinspec generate` when asked to update the golden files."""
    if not session.config.getoption("--update-golden"):
        return
    import subprocess
    import sys

    subprocess.run([sys.executable, "-m", "generator", "generate", "--force"], cwd=REPO, check=True)
