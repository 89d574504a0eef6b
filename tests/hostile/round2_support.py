"""Shared by the second-round hostile tests: generate a project from a spec dict, serve it.

Servers run as ``python -m <package>`` in a subprocess on a free 127.0.0.1 port,
exactly as a user starts them, and are stopped by the test.
"""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import httpx

from .harness import materialise, packages, plan_ok, write_spec


def generate(
    tmp: Path, doc: Mapping[str, Any], target: str, name: str = "spec.yaml"
) -> tuple[Path, str]:
    """Generate ``target`` from ``doc`` under ``tmp``: (project folder, package name)."""
    spec = write_spec(tmp, name, doc)
    out = tmp / target
    materialise(plan_ok(spec, target), out)
    ((root, package),) = packages(out)
    return root, package


def free_port() -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextlib.contextmanager
def serve(
    project: Path, package: str, env: Mapping[str, str] | None = None, probe: str = "/openapi.json"
) -> Iterator[tuple[str, Path]]:
    """Run ``python -m package`` from ``project``; yield (base URL, log file); stop it."""
    port = free_port()
    log = project / "server.log"  # a file, not a pipe: a full pipe would block the server
    with log.open("wb") as sink:
        process = subprocess.Popen(
            [sys.executable, "-m", package, "--host", "127.0.0.1", "--port", str(port)],
            cwd=project,
            env={**os.environ, "PYTHONPATH": str(project), **(env or {})},
            stdout=sink,
            stderr=subprocess.STDOUT,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            if process.poll() is not None:
                raise AssertionError(f"server exited {process.returncode}:\n{log.read_text()}")
            with contextlib.suppress(httpx.TransportError):
                httpx.get(base + probe, timeout=1.0)
                break
            assert time.monotonic() < deadline, f"server did not come up:\n{log.read_text()}"
            time.sleep(0.1)
        yield base, log
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
