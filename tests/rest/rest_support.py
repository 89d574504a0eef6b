"""Helpers for the REST target tests: generate into a folder, serve over a real socket."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx

from generator.drive.spec import plan_target
from generator.render.plan import Owner, WritePlan

REPO = Path(__file__).resolve().parents[2]
SPECS = REPO / "specs"


def write_plan(plan: WritePlan, out: Path) -> None:
    """Write ``plan`` under ``out`` the way ``generate`` does: user files only once."""
    for planned in plan.files:
        path = out / planned.path
        if planned.owner is Owner.USER and path.exists():
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(planned.content, encoding="utf-8", newline="\n")


def generate(
    spec: Path, target: str, out: Path, *, package: str | None = None, allow_invalid: bool = False
) -> Path:
    """Generate ``target`` from ``spec`` into ``out``; fail the test on refusal."""
    plan, diagnostics = plan_target(
        spec, target, package=package, allow_invalid=allow_invalid, spec_label=spec.name
    )
    assert plan is not None, "\n".join(d.to_text() for d in diagnostics)
    write_plan(plan, out)
    return out


def free_port() -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_until_up(
    url: str, process: subprocess.Popen[bytes] | None = None, log: Path | None = None
) -> None:
    """Poll ``url`` until it answers (60 s at most)."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            out = log.read_text(encoding="utf-8", errors="replace") if log else ""
            raise AssertionError(f"server exited with {process.returncode}:\n{out}")
        with contextlib.suppress(httpx.TransportError):
            httpx.get(url, timeout=1.0)
            return
        time.sleep(0.1)
    raise AssertionError(f"{url} did not come up")


@contextlib.contextmanager
def serve(project: Path, package: str, env: dict[str, str]) -> Iterator[str]:
    """Run ``python -m package --port P`` from ``project``; yield its base URL; stop it."""
    port = free_port()
    log = project / "server.log"  # a file, not a pipe: a full pipe would block the server
    with log.open("wb") as sink:
        process = subprocess.Popen(
            [sys.executable, "-m", package, "--host", "127.0.0.1", "--port", str(port)],
            cwd=project,
            env={**os.environ, "PYTHONPATH": str(project), **env},
            stdout=sink,
            stderr=subprocess.STDOUT,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(base + "/openapi.json", process, log)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
