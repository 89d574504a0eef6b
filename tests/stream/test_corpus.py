"""Every AsyncAPI document of the shared corpus: both stream targets generate, import and lint clean.

Documents are generated once per session (``allow_invalid=True``: several real
documents have validation errors, which must not stop generation), each into
its own folder with a unique package name, so one subprocess can import them all.
"""

from __future__ import annotations

import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from generator.drive.spec import plan_target
from generator.load import load
from generator.render.format import ruff_binary
from generator.render.plan import WritePlan

TARGETS = ("stream-server", "stream-client")

IMPORT_ALL = """
import importlib, sys
from pathlib import Path
failed = []
for project in sorted(Path(sys.argv[1]).iterdir()):
    sys.path.insert(0, str(project))
    for package in sorted(p for p in project.iterdir() if (p / "__init__.py").is_file()):
        for module in sorted(package.glob("*.py")):
            name = package.name if module.stem == "__init__" else f"{package.name}.{module.stem}"
            try:
                importlib.import_module(name)
            except Exception as exc:
                failed.append(f"{project.name}: {name}: {type(exc).__name__}: {exc}")
print("\\n".join(failed))
sys.exit(1 if failed else 0)
"""


@dataclass(frozen=True)
class CorpusRun:
    """What generating the corpus gave: the documents, the output root, and problems."""

    documents: tuple[Path, ...]
    out: Path
    crashes: tuple[str, ...]
    refused: tuple[str, ...]


def asyncapi_documents(corpus: Path) -> list[Path]:
    """Top-level AsyncAPI documents (2.x/3.x) under corpus/asyncapi, sorted."""
    found = []
    for path in sorted((corpus / "asyncapi").rglob("*")):
        if path.suffix not in (".yml", ".yaml", ".json"):
            continue
        doc, _ = load(path)
        if doc is not None and doc.kind is not None and doc.kind.family == "asyncapi":
            found.append(path)
    return found


def write(plan: WritePlan, out: Path) -> None:
    for item in plan.files:
        target = out / item.path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(item.content, encoding="utf-8")


@pytest.fixture(scope="session")
def corpus_run(corpus: Path, tmp_path_factory: pytest.TempPathFactory) -> CorpusRun:
    out = tmp_path_factory.mktemp("stream-corpus")
    documents = asyncapi_documents(corpus)
    crashes: list[str] = []
    refused: list[str] = []
    for i, path in enumerate(documents):
        for target in TARGETS:
            side = target.split("-")[1]
            try:
                plan, diagnostics = plan_target(
                    path, target, allow_invalid=True, package=f"doc{i:03d}_{side}"
                )
            except Exception as exc:  # a crash is exactly what this test exists to catch
                crashes.append(f"{path} {target}: {type(exc).__name__}: {exc}")
                continue
            if plan is None:
                refused.append(f"{path} {target}: {[d.to_text() for d in diagnostics][:3]}")
                continue
            write(plan, out / f"{i:03d}-{side}")
    return CorpusRun(tuple(documents), out, tuple(crashes), tuple(refused))


def test_the_corpus_has_the_documents_sources_md_lists(corpus_run: CorpusRun) -> None:
    # 2.0-2.6, 3.0 and 3.1 documents (the 1.2 Slack document is not an AsyncAPI 2/3 document)
    assert len(corpus_run.documents) >= 80


def test_both_targets_generate_for_every_document(corpus_run: CorpusRun) -> None:
    assert corpus_run.crashes == ()
    assert corpus_run.refused == ()
    made = sorted(p.name for p in corpus_run.out.iterdir())
    assert len(made) == 2 * len(corpus_run.documents)


def test_every_generated_module_imports(corpus_run: CorpusRun) -> None:
    result = subprocess.run(
        [sys.executable, "-c", IMPORT_ALL, str(corpus_run.out)],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-4000:]


def test_every_generated_project_passes_ruff_check(corpus_run: CorpusRun) -> None:
    # each project is checked with its own pyproject.toml (its explicit rule set)
    result = subprocess.run(
        [ruff_binary(), "check", "--no-cache", "--quiet", "."],
        cwd=corpus_run.out,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
