"""``mypy --strict`` and ``ruff`` on the generated example projects (chat and sensors, both sides)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from generator.drive.spec import plan_target
from generator.render.format import ruff_binary

REPO = Path(__file__).resolve().parents[2]
EXAMPLES = [("chat.yaml", "chat_service"), ("sensors.yaml", "sensor_hub")]


@pytest.fixture(scope="module")
def pristine(tmp_path_factory: pytest.TempPathFactory) -> list[tuple[Path, str]]:
    """The four example projects exactly as generated (user files included, untouched)."""
    root = tmp_path_factory.mktemp("stream-examples")
    made = []
    for spec, package in EXAMPLES:
        for target, name in (("stream-server", package), ("stream-client", package + "_client")):
            plan, diagnostics = plan_target(REPO / "specs" / spec, target)
            assert plan is not None, diagnostics
            out = root / f"{spec}-{target}"
            for item in plan.files:
                (out / item.path).parent.mkdir(parents=True, exist_ok=True)
                (out / item.path).write_text(item.content, encoding="utf-8")
            made.append((out, name))
    return made


def test_mypy_strict_passes_on_every_example(pristine: list[tuple[Path, str]]) -> None:
    env = dict(os.environ, MYPYPATH=os.pathsep.join(str(out) for out, _ in pristine))
    targets = [str(out / name) for out, name in pristine] + [
        str(out / "tests") for out, _ in pristine
    ]
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "mypy",
            "--strict",
            "--no-incremental",
            "--cache-dir",
            os.devnull,
            *targets,
        ],
        capture_output=True,
        text=True,
        env=env,
        timeout=600,
        check=False,
    )
    assert result.returncode == 0, result.stdout[-4000:]


def test_ruff_check_and_format_pass_on_every_example(pristine: list[tuple[Path, str]]) -> None:
    for out, _ in pristine:
        for args in (["check", "--no-cache", "."], ["format", "--check", "--no-cache", "."]):
            result = subprocess.run(
                [ruff_binary(), *args], cwd=out, capture_output=True, text=True, check=False
            )
            assert result.returncode == 0, f"{out.name}: ruff {args[0]}\n{result.stdout[-3000:]}"


def test_generated_tests_pass_in_each_example(pristine: list[tuple[Path, str]]) -> None:
    for out, _ in pristine:
        result = subprocess.run(
            [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "tests"],
            cwd=out,
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        assert result.returncode == 0, f"{out.name}\n{result.stdout[-3000:]}"
