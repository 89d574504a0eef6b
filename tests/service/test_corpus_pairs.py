"""``service`` and ``service-client`` for OpenAPI + AsyncAPI pairs from specs/ and the corpus.

Each pair is generated into its own folder with unique package names; every
generated module must compile, pass ``ruff check`` and import.
"""

from __future__ import annotations

import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from generator.render.format import ruff_binary
from tests.service.conftest import SPECS, plan_pair, write
from tests.shared_corpus import needs_corpus

pytestmark = needs_corpus

PAIRS = (
    ("specs", "orders-api.yaml", "orders-events.yaml"),
    ("specs", "petstore.yaml", "chat.yaml"),
    ("specs", "bookstore.yaml", "sensors.yaml"),
    (
        "corpus",
        "openapi/slack-web/slack_web_openapi_v2.json",
        "asyncapi/spec-examples-3.0.0/slack-rtm-asyncapi.yml",
    ),
    (
        "corpus",
        "openapi/xkcd-apisguru/openapi.yaml",
        "asyncapi/spec-examples-3.0.0/streetlights-mqtt-asyncapi.yml",
    ),
    (
        "corpus",
        "openapi/oai-examples/v3.0/petstore-expanded.yaml",
        "asyncapi/spec-examples-3.0.0/websocket-gemini-asyncapi.yml",
    ),
    (
        "corpus",
        "openapi/oai-examples/v3.0/uspto.yaml",
        "asyncapi/spec-examples-2.6.0/rpc-server.yml",
    ),
)

IMPORT_ALL = """
import importlib, sys
from pathlib import Path
failed = []
for project in sorted(Path(sys.argv[1]).iterdir()):
    sys.path.insert(0, str(project))
    for package in sorted(p for p in project.iterdir() if (p / "__init__.py").is_file()):
        for module in sorted(package.rglob("*.py")):
            parts = module.relative_to(project).with_suffix("").parts
            name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
            try:
                importlib.import_module(name)
            except Exception as exc:
                failed.append(f"{project.name}: {name}: {type(exc).__name__}: {exc}")
print("\\n".join(failed))
sys.exit(1 if failed else 0)
"""


@dataclass(frozen=True)
class PairRun:
    out: Path
    made: tuple[str, ...]
    problems: tuple[str, ...]


@pytest.fixture(scope="module")
def pair_run(corpus: Path, tmp_path_factory: pytest.TempPathFactory) -> PairRun:
    out = tmp_path_factory.mktemp("service-pairs")
    made: list[str] = []
    problems: list[str] = []
    for i, (where, api, events) in enumerate(PAIRS):
        root = SPECS if where == "specs" else corpus
        for target in ("service", "service-client"):
            try:
                plan, diagnostics = plan_pair(
                    root / api, root / events, target, f"pair{i}_{target.replace('-', '_')}"
                )
            except Exception as exc:  # a crash is exactly what this test exists to catch
                problems.append(f"{api} + {events} {target}: {type(exc).__name__}: {exc}")
                continue
            errors = [d for d in diagnostics if ": error " in d]
            if errors:
                problems.append(f"{api} + {events} {target}: {errors[:3]}")
                continue
            write(plan, out / f"{i}-{target}")
            made.append(f"{i}-{target}")
    return PairRun(out, tuple(made), tuple(problems))


def test_every_pair_generates_both_targets(pair_run: PairRun) -> None:
    assert pair_run.problems == ()
    assert len(pair_run.made) == 2 * len(PAIRS) >= 10


def test_every_generated_module_compiles_and_imports(pair_run: PairRun) -> None:
    done = subprocess.run(
        [sys.executable, "-c", IMPORT_ALL, str(pair_run.out)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]


def test_every_generated_project_passes_ruff_check(pair_run: PairRun) -> None:
    done = subprocess.run(
        [ruff_binary(), "check", "--no-cache", "--quiet", "."],
        cwd=pair_run.out,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stdout[-3000:]
