"""The same document gives byte-identical models, in one process and across hash seeds."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from corpus_support import build_module

DOCS = [
    "openapi/oai-examples/v3.0/petstore-expanded.yaml",
    "openapi/github-apisguru/openapi.yaml",
    "openapi/oai-examples/v3.1/tictactoe.yaml",
    "asyncapi/parser-js-v1-good/test/good/circular-refs.yaml",
    "asyncapi/spec-examples-3.0.0/streetlights-mqtt-asyncapi.yml",
]

SCRIPT = """
import hashlib, json, sys
from pathlib import Path
sys.path.insert(0, sys.argv[1])
from corpus_support import build_module
corpus = Path(sys.argv[2])
out = {}
for rel in sys.argv[3:]:
    built = build_module(corpus / rel, rel)
    payload = json.dumps([built.source, built.checks, [d.to_text() for d in built.diagnostics]])
    out[rel] = hashlib.sha256(payload.encode()).hexdigest()
print(json.dumps(out))
"""


def _digest(corpus: Path, rel: str) -> str:
    built = build_module(corpus / rel, rel)
    payload = json.dumps([built.source, built.checks, [d.to_text() for d in built.diagnostics]])
    return hashlib.sha256(payload.encode()).hexdigest()


def test_twice_in_process(corpus: Path) -> None:
    for rel in DOCS:
        assert _digest(corpus, rel) == _digest(corpus, rel), rel


@pytest.mark.slow
def test_across_hash_seeds(corpus: Path) -> None:
    here = str(Path(__file__).resolve().parent)
    runs = []
    for seed in ("0", "1"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        done = subprocess.run(
            [sys.executable, "-c", SCRIPT, here, str(corpus), *DOCS],
            capture_output=True,
            text=True,
            env=env,
            cwd=Path(__file__).resolve().parents[2],
            timeout=600,
        )
        assert done.returncode == 0, done.stderr[-3000:]
        runs.append(json.loads(done.stdout))
    assert runs[0] == runs[1]
    assert runs[0] == {rel: _digest(corpus, rel) for rel in DOCS}


SPECS = ["specs/bookstore.yaml", "specs/chat.yaml", "specs/petstore.yaml", "specs/sensors.yaml"]
"""The project's own specs: the same checks without the corpus (a fresh clone)."""


def test_project_specs_twice_in_process() -> None:
    repo = Path(__file__).resolve().parents[2]
    for rel in SPECS:
        assert _digest(repo, rel) == _digest(repo, rel), rel


def test_project_specs_across_hash_seeds() -> None:
    repo = Path(__file__).resolve().parents[2]
    here = str(Path(__file__).resolve().parent)
    runs = []
    for seed in ("0", "1"):
        done = subprocess.run(
            [sys.executable, "-c", SCRIPT, here, str(repo), *SPECS],
            capture_output=True,
            text=True,
            env={**os.environ, "PYTHONHASHSEED": seed},
            cwd=repo,
            timeout=600,
        )
        assert done.returncode == 0, done.stderr[-3000:]
        runs.append(json.loads(done.stdout))
    assert runs[0] == runs[1] == {rel: _digest(repo, rel) for rel in SPECS}
