"""``mypy --strict`` and ``ruff`` on the committed service examples and a broker-only pair."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from generator.render.format import ruff_binary
from tests.service.conftest import REPO, SPECS, plan_pair, write

EXAMPLES = REPO / "generated_examples" / "orders"


def test_mypy_strict_passes_on_the_service_examples_and_a_broker_only_pair(tmp_path: Path) -> None:
    plan, _ = plan_pair(SPECS / "bookstore.yaml", SPECS / "sensors.yaml", package="bookhub")
    broker_only = write(plan, tmp_path / "bookhub")
    projects = [
        (EXAMPLES / "service", "orders"),
        (EXAMPLES / "service-client", "orders_client"),
        (broker_only, "bookhub"),
    ]
    for project, package in projects:
        done = subprocess.run(
            [
                sys.executable,
                "-m",
                "mypy",
                "--strict",
                "--no-incremental",
                "--cache-dir",
                os.devnull,
                package,
                "tests",
            ],
            cwd=project,
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
        )
        assert done.returncode == 0, (project, done.stdout[-4000:])
        lint = subprocess.run(
            [ruff_binary(), "check", "--no-cache", "--quiet", "."],
            cwd=project,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert lint.returncode == 0, (project, lint.stdout[-3000:])
