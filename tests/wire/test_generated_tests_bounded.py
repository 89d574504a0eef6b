"""A generated stream project's own test suite fails a test that waits forever; it never hangs.

The project's pyproject sets pytest-timeout's ``timeout`` for every test, so a
receive that never comes (like the one that blocked a real NATS document's smoke
tests) ends as a failure. Shown with a test that waits on a WebSocket frame that
is never sent, run by pytest from the generated project's own configuration.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import tomllib

from tests.stream.conftest import SPECS, generate

pytestmark = pytest.mark.timeout(180)

WAITS_FOREVER = """
from fastapi.testclient import TestClient

from chat_service.web import app


def test_waits_for_a_frame_that_never_comes() -> None:
    with TestClient(app) as client, client.websocket_connect("/rpc?token=k") as ws:
        ws.receive_json()  # the server never sends unprompted on /rpc
"""


def test_a_hanging_receive_fails_within_the_configured_timeout(tmp_path: Path) -> None:
    project = generate(SPECS / "chat.yaml", "stream-server", tmp_path / "chat")
    config = tomllib.loads((project / "pyproject.toml").read_text(encoding="utf-8"))
    assert config["tool"]["pytest"]["ini_options"]["timeout"] > 0
    assert any(
        d.startswith("pytest-timeout") for d in config["project"]["optional-dependencies"]["test"]
    )
    (project / "tests" / "test_hang.py").write_text(WAITS_FOREVER, encoding="utf-8")
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            "-o",
            "timeout=5",
            "tests/test_hang.py",
        ],
        cwd=project,
        env={**os.environ, "PYTHONPATH": str(project), "CHAT_SERVICE_API_KEY": "k"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    output = result.stdout + result.stderr
    assert result.returncode == 1, output
    assert "Timeout" in output, output
