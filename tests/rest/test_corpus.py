"""Every OpenAPI document of ../shared/corpus: both targets generate, pass ruff, import and serve.

Documents with validation errors are generated as ``--allow-invalid`` would
(their errors become warnings). Each document is loaded and validated once;
all outputs are checked by one ``ruff check`` run and one checker subprocess
that imports every project and runs the project's own generated smoke tests
(``TestClient``: the app starts and every parameterless, unsecured GET
answers 2xx). The run is marked ``slow``; CI runs it.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from rest_support import write_plan
from shared_corpus import CORPUS, needs_corpus

from generator.diagnostics import has_errors
from generator.drive.spec import load_and_validate
from generator.drive.target import plan_document
from generator.render.format import ruff_binary

TARGETS = ("rest-server", "rest-client")

pytestmark = [pytest.mark.slow, needs_corpus]


def _documents() -> list[str]:
    sources = CORPUS / "SOURCES.md"
    if not sources.is_file():
        return []
    lines = sources.read_text(encoding="utf-8").splitlines()
    return [line.split("|")[1].strip() for line in lines if line.startswith("| openapi/")]


DOCUMENTS = _documents()

CHECKER = r"""
import importlib, importlib.util, json, sys, traceback
from pathlib import Path

def run_tests(path, name):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    for attr in sorted(dir(module)):
        if attr.startswith("test_"):
            getattr(module, attr)()
    return len(getattr(module, "OPEN_GETS", []))

for line in sys.stdin:
    project, target = json.loads(line)
    root = Path(project)
    package = next(p.parent.name for p in sorted(root.glob("*/__init__.py")))
    sys.path.insert(0, str(root))
    result = {"project": project, "ok": True, "gets": 0}
    try:
        importlib.import_module(package)
        for module in sorted(root.glob(package + "/**/*.py")):
            dotted = ".".join(module.relative_to(root).with_suffix("").parts)
            importlib.import_module(dotted.removesuffix(".__init__"))
        for test in sorted((root / "tests").glob("test_*.py")):
            result["gets"] += run_tests(test, f"smoke_{abs(hash(project))}_{test.stem}")
    except BaseException:
        result.update(ok=False, error=traceback.format_exc()[-2500:])
    sys.path.remove(str(root))
    for name in [m for m in sys.modules if m == package or m.startswith(package + ".")]:
        del sys.modules[name]
    print(json.dumps(result), flush=True)
"""


@dataclass
class Outcome:
    """What happened to one document."""

    invalid: bool = False
    errors: list[str] = field(default_factory=list)
    projects: dict[str, Path] = field(default_factory=dict)
    ruff: list[str] = field(default_factory=list)
    checks: dict[str, dict[str, object]] = field(default_factory=dict)


def _slug(rel: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", rel.lower()).strip("_")


@pytest.fixture(scope="session")
def corpus_outcomes(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Outcome]:
    root = tmp_path_factory.mktemp("corpus")
    outcomes: dict[str, Outcome] = {}
    for rel in DOCUMENTS:
        outcome = outcomes[rel] = Outcome()
        doc, diagnostics = load_and_validate(CORPUS / rel)
        if doc is None:
            outcome.errors.append("not loadable: " + "; ".join(d.to_text() for d in diagnostics))
            continue
        outcome.invalid = has_errors(diagnostics)
        for target in TARGETS:
            try:
                written, _ = plan_document(doc, target, spec=CORPUS / rel, spec_label=rel)
            except Exception as exc:  # a crash is the finding; keep going for the others
                outcome.errors.append(f"{target}: {type(exc).__name__}: {exc}")
                continue
            project = root / _slug(rel) / target
            write_plan(written, project)
            outcome.projects[target] = project
    for outcome in outcomes.values():
        for project in outcome.projects.values():
            # From the project root with its own config, as its users run it.
            lint = subprocess.run(
                [ruff_binary(), "check", "--output-format", "concise", "--no-cache", "."],
                cwd=project,
                capture_output=True,
                text=True,
                check=False,
            )
            if lint.returncode != 0:
                outcome.ruff += [f"{project.name}/{line}" for line in lint.stdout.splitlines()]
    jobs = [(rel, target, p) for rel, o in outcomes.items() for target, p in o.projects.items()]
    checker = subprocess.run(
        [sys.executable, "-c", CHECKER],
        input="".join(json.dumps([str(p), t]) + "\n" for _, t, p in jobs),
        capture_output=True,
        text=True,
        check=False,
        timeout=1200,
    )
    results = {r["project"]: r for r in map(json.loads, checker.stdout.splitlines())}
    for rel, target, project in jobs:
        outcomes[rel].checks[target] = results.get(
            str(project), {"ok": False, "error": checker.stderr[-2000:]}
        )
    return outcomes


@pytest.mark.parametrize("rel", DOCUMENTS)
def test_corpus_document_generates_and_serves(
    rel: str, corpus_outcomes: dict[str, Outcome]
) -> None:
    outcome = corpus_outcomes[rel]
    assert outcome.errors == []
    assert set(outcome.projects) == set(TARGETS)
    assert outcome.ruff == [], "\n".join(outcome.ruff[:20])
    for target, check in outcome.checks.items():
        assert check["ok"], f"{target}:\n{check.get('error')}"


def test_corpus_is_exercised(corpus_outcomes: dict[str, Outcome]) -> None:
    """The sweep really covers the corpus: many documents, real GETs answered, invalid ones too."""
    served = sum(
        int(o.checks.get("rest-server", {}).get("gets", 0)) for o in corpus_outcomes.values()
    )  # type: ignore[call-overload]
    assert len(corpus_outcomes) >= 80
    assert served >= 100
    assert any(o.invalid for o in corpus_outcomes.values())
