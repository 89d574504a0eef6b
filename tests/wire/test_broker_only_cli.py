"""A broker-only stream-server offers no --host/--port it would not honour, and its README agrees."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.stream.conftest import SPECS, generate


def test_broker_only_app_offers_no_port(tmp_path: Path) -> None:
    project = generate(SPECS / "sensors.yaml", "stream-server", tmp_path / "sensors")
    env = {**os.environ, "PYTHONPATH": str(project)}
    run = [sys.executable, "-m", "sensor_hub"]
    shown = subprocess.run(
        [*run, "--help"], cwd=project, env=env, capture_output=True, text=True, timeout=60
    )
    assert shown.returncode == 0, shown.stderr
    assert (
        "--demo" in shown.stdout and "--port" not in shown.stdout and "--host" not in shown.stdout
    )
    refused = subprocess.run(
        [*run, "--port", "8000"], cwd=project, env=env, capture_output=True, text=True, timeout=60
    )
    assert refused.returncode == 2 and "unrecognized arguments: --port" in refused.stderr
    readme = (project / "README.md").read_text(encoding="utf-8")
    assert "--port" not in readme and "/_twinspec/emit" not in readme
    assert "listens on no HTTP port" in readme


def test_app_with_web_channels_keeps_its_port(tmp_path: Path) -> None:
    project = generate(SPECS / "chat.yaml", "stream-server", tmp_path / "chat")
    env = {**os.environ, "PYTHONPATH": str(project)}
    shown = subprocess.run(
        [sys.executable, "-m", "chat_service", "--help"],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert "--port" in shown.stdout and "--host" in shown.stdout
    assert "/_twinspec/emit" in (project / "README.md").read_text(encoding="utf-8")
