"""The corpus skip rules: one clear reason on a fresh clone, a failure in CI when the corpus is there."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

TESTS = Path(__file__).resolve().parent

SAMPLE = """
import pytest
from shared_corpus import needs_corpus

@needs_corpus
def test_reads_the_corpus():
    pytest.skip("nothing to read")

@needs_corpus
@pytest.mark.parametrize("doc", [])
def test_each_document(doc):
    pass

def test_uses_the_fixture(corpus):
    assert (corpus / "SOURCES.md").is_file()

def test_elsewhere():
    pytest.skip("not a corpus test")
"""


def _run(tmp_path: Path, corpus: Path, ci: str) -> subprocess.CompletedProcess[str]:
    suite = tmp_path / "suite"
    suite.mkdir(exist_ok=True)
    for name in ("conftest.py", "shared_corpus.py"):
        shutil.copy(TESTS / name, suite / name)
    (suite / "test_sample.py").write_text(SAMPLE, encoding="utf-8")
    env = {**os.environ, "CI": ci, "TWINSPEC_CORPUS": str(corpus)}
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-rsf", "-p", "no:cacheprovider"],
        cwd=suite,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


def test_without_the_corpus_each_corpus_test_skips_saying_how_to_get_it(tmp_path: Path) -> None:
    done = _run(tmp_path, tmp_path / "absent", ci="true")
    assert done.returncode == 0, done.stdout
    assert "4 skipped" in done.stdout
    reason = "needs the real-spec corpus, not found at"
    assert done.stdout.count(reason) == 3  # the three corpus tests, each with the same reason
    assert "../shared/corpus" in done.stdout and "TWINSPEC_CORPUS=" in done.stdout


def test_in_ci_with_the_corpus_a_skipping_corpus_test_fails(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "SOURCES.md").write_text("# corpus\n", encoding="utf-8")
    done = _run(tmp_path, corpus, ci="true")
    assert done.returncode == 1, done.stdout
    assert "1 failed, 1 passed, 1 skipped, 1 error" in done.stdout  # the empty set skips in setup
    assert "a corpus test skipped in CI, where the corpus is present: Skipped: nothing to read" in (
        done.stdout
    )
    assert "got empty parameter set" in done.stdout


def test_outside_ci_a_skipping_corpus_test_stays_a_skip(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "SOURCES.md").write_text("# corpus\n", encoding="utf-8")
    done = _run(tmp_path, corpus, ci="")
    assert done.returncode == 0, done.stdout
    assert "1 passed, 3 skipped" in done.stdout
