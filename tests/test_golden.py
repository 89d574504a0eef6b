"""Golden test: `generated_examples/` is exactly what `twinspec generate` makes from `specs/`.

The check is `twinspec check`, run in-process for the repository's own
twinspec.yaml: whole trees are compared (stale, missing, orphaned and stray
files fail) and a failure prints the unified diff and the one command that
refreshes the examples. The generated projects must also pass `ruff check`,
`ruff format --check` and `mypy --strict`, each project on its own.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from generator.config import Job, load_config
from generator.diagnostics import Severity
from generator.drive.drift import FIX_COMMAND, drift_diagnostics, drift_diffs
from generator.drive.project import plan_units, units_of
from generator.write.paths import MANIFEST_NAME

REPO = Path(__file__).resolve().parents[1]
CONFIG, PROBLEMS = load_config(REPO / "twinspec.yaml")
JOBS: list[Job] = list(CONFIG.jobs) if CONFIG is not None else []
FIX = f"run `{FIX_COMMAND}` at the repository root and commit generated_examples/"
RUFF_RULES = "E,F,W,I,UP,B,SIM,RUF"  # the repository's own rule set (E501: the formatter decides)
MAX_DIFF_LINES = 400
IGNORED_DIRS = {"__pycache__", ".mypy_cache", ".ruff_cache", ".pytest_cache"}


def _require_spec(job: Job) -> None:
    if not job.spec.is_file():
        pytest.skip(f"{job.spec_label} is not written yet; this job is checked once it exists")


def test_config_is_valid() -> None:
    assert CONFIG is not None
    real = [d.to_text() for d in PROBLEMS if d.code != "spec-not-found"]
    assert real == []
    assert [job.spec_label for job in JOBS] == [
        "specs/petstore.yaml",
        "specs/bookstore.yaml",
        "specs/chat.yaml",
        "specs/sensors.yaml",
        "specs/orders-api.yaml",
    ]
    assert JOBS[-1].companion_label == "specs/orders-events.yaml"


@pytest.mark.parametrize("job", JOBS, ids=lambda job: job.spec_label)
def test_examples_are_in_step(job: Job, monkeypatch: pytest.MonkeyPatch) -> None:
    _require_spec(job)
    monkeypatch.chdir(REPO)
    assert CONFIG is not None
    units = [u for u in units_of(CONFIG) if u.job is job]
    project = plan_units(units, CONFIG)
    errors = [d.to_text() for d in project.diagnostics if d.severity is Severity.ERROR]
    assert not errors, "the spec or its targets fail:\n" + "\n".join(errors)
    drift = [
        d.to_text() for d in drift_diagnostics(project.folders) if d.severity is Severity.ERROR
    ]
    stray: list[str] = []
    for folder in project.folders:
        known = {c.path for c in folder.changes.changes} | {MANIFEST_NAME}
        for path in sorted(folder.unit.out_dir.rglob("*")):
            relative = path.relative_to(folder.unit.out_dir)
            ignored = IGNORED_DIRS & set(relative.parts)
            if path.is_file() and not ignored and relative.as_posix() not in known:
                stray.append(f"{path.relative_to(REPO)}: not made by twinspec; remove it")
    if drift or stray:
        patch = drift_diffs(project.folders).splitlines()
        if len(patch) > MAX_DIFF_LINES:
            patch = [*patch[:MAX_DIFF_LINES], f"... {len(patch) - MAX_DIFF_LINES} more diff lines"]
        pytest.fail("\n".join([*drift, *stray, "", *patch, "", FIX]), pytrace=False)


def _run(args: list[str], cwd: Path) -> str | None:
    done = subprocess.run(args, cwd=cwd, capture_output=True, text=True, timeout=600, check=False)
    return None if done.returncode == 0 else f"$ {' '.join(args[2:])}\n{done.stdout}{done.stderr}"


@pytest.fixture(scope="session")
def mypy_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One mypy cache for every generated project (they share fastapi, pydantic, httpx...)."""
    return tmp_path_factory.mktemp("mypy-cache")


@pytest.mark.parametrize(
    ("job", "target"),
    [(job, target) for job in JOBS for target in job.targets],
    ids=lambda value: value.spec_label if isinstance(value, Job) else value,
)
def test_examples_pass_ruff_and_mypy(job: Job, target: str, mypy_cache: Path) -> None:
    _require_spec(job)
    project = job.out_dir(target)
    assert project.is_dir(), f"{project.relative_to(REPO)} is missing; {FIX}"
    common = ["--isolated", "--target-version", "py310", "--line-length", "100"]
    failures = [
        _run(
            [
                sys.executable,
                "-m",
                "ruff",
                "check",
                *common,
                "--select",
                RUFF_RULES,
                "--ignore",
                "E501",
                ".",
            ],
            project,
        ),
        _run([sys.executable, "-m", "ruff", "format", *common, "--check", "--diff", "."], project),
        _run(
            [sys.executable, "-m", "mypy", "--strict", "--cache-dir", str(mypy_cache), "."],
            project,
        ),
    ]
    problems = [f for f in failures if f]
    assert not problems, "\n".join(problems)
