"""Every real document's component schemas -> a models.py that imports, validates and lints.

One module per corpus document is generated into a temporary folder; one
subprocess imports them all (``import_check.py``) and validates an example of
every declared schema; one ``ruff check`` covers all of them; ``mypy --strict``
runs on a handful of the largest.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import traceback
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from corpus_support import build_module, corpus_documents, write_module
from shared_corpus import CORPUS, HAS_CORPUS

from generator.render.format import ruff_binary

DOCS = corpus_documents(CORPUS) if HAS_CORPUS else []
MYPY_DOCS = [
    "openapi/oai-examples/v3.0/petstore-expanded.yaml",
    "openapi/stripe/spec3.yaml",
    "openapi/github-apisguru/openapi.yaml",
    "openapi/kubernetes/swagger.json",
    "openapi/oai-examples/v3.1/tictactoe.yaml",
    "asyncapi/spec-examples-3.0.0/streetlights-mqtt-asyncapi.yml",
]
RUFF_RULES = "E4,E7,E9,F,W,I,UP,B,RUF022,PYI030"


def slug(rel: str) -> str:
    return re.sub(r"[^A-Za-z0-9]+", "_", rel)


@dataclass
class CorpusRun:
    root: Path
    failures: dict[str, str] = field(default_factory=dict)
    imports: dict[str, list[str]] = field(default_factory=dict)
    lint: dict[str, list[str]] = field(default_factory=dict)
    declarations: int = 0


@pytest.fixture(scope="session")
def corpus_run(tmp_path_factory: pytest.TempPathFactory, corpus: Path) -> CorpusRun:
    run = CorpusRun(root=tmp_path_factory.mktemp("corpus-models"))
    for rel in DOCS:
        try:
            built = build_module(corpus / rel, rel)
        except Exception:
            run.failures[rel] = traceback.format_exc()
            continue
        run.declarations += built.declarations
        write_module(built, run.root / slug(rel))
    script = Path(__file__).with_name("import_check.py")
    done = subprocess.run(
        [sys.executable, str(script), str(run.root)], capture_output=True, text=True, timeout=600
    )
    assert done.returncode == 0, done.stderr[-3000:]
    run.imports = json.loads(done.stdout)
    lint = subprocess.run(
        [
            ruff_binary(),
            "check",
            "--isolated",
            "--no-cache",
            "--line-length",
            "100",
            "--target-version",
            "py310",
            "--select",
            RUFF_RULES,
            "--output-format",
            "concise",
            "--quiet",
            ".",
        ],
        cwd=run.root,
        capture_output=True,
        text=True,
    )
    for line in lint.stdout.splitlines():
        folder = line.split("/", 1)[0]
        run.lint.setdefault(folder, []).append(line)
    return run


@pytest.mark.slow
@pytest.mark.parametrize("rel", DOCS)
def test_document_models_import_validate_and_lint(corpus_run: CorpusRun, rel: str) -> None:
    assert rel not in corpus_run.failures, corpus_run.failures.get(rel)
    assert corpus_run.imports[slug(rel)] == []
    assert corpus_run.lint.get(slug(rel), []) == []


@pytest.mark.slow
def test_corpus_is_substantial(corpus_run: CorpusRun) -> None:
    assert len(DOCS) >= 150
    assert corpus_run.declarations > 9_000


@pytest.mark.slow
def test_mypy_strict_on_large_documents(corpus_run: CorpusRun) -> None:
    folder = corpus_run.root / "_mypy"
    folder.mkdir()
    for rel in MYPY_DOCS:
        assert rel in DOCS
        shutil.copy(corpus_run.root / slug(rel) / "models.py", folder / f"{slug(rel)}.py")
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "mypy",
            "--strict",
            "--no-incremental",
            "--python-version",
            "3.10",
            *sorted(str(p) for p in folder.glob("*.py")),
        ],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stdout[-5000:]
