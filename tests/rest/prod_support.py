"""Helpers for the production-REST tests: a server with options, a real reverse proxy."""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.rest.rest_support import free_port, wait_until_up


def stop(process: subprocess.Popen[bytes]) -> None:
    """Stop ``process`` (by its PID) and reap it."""
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


@contextlib.contextmanager
def run_server(
    project: Path,
    package: str,
    *args: str,
    env: dict[str, str] | None = None,
    probe: str = "/",
    scheme: str = "http",
) -> Iterator[int]:
    """``python -m package --port P *args`` from ``project``; yield P once it answers; stop it."""
    port = free_port()
    log = project / f"server-{port}.log"
    with log.open("wb") as sink:
        process = subprocess.Popen(
            [sys.executable, "-m", package, "--host", "127.0.0.1", "--port", str(port), *args],
            cwd=project,
            env={**os.environ, "PYTHONPATH": str(project), **(env or {})},
            stdout=sink,
            stderr=subprocess.STDOUT,
        )
    try:
        if scheme == "http":
            wait_until_up(f"http://127.0.0.1:{port}{probe}", process, log)
        else:
            _wait_for_port(port, process, log)
        yield port
    finally:
        stop(process)


def _wait_for_port(port: int, process: subprocess.Popen[bytes], log: Path) -> None:
    import socket
    import time

    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(log.read_text(encoding="utf-8", errors="replace"))
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 1):
            return
        time.sleep(0.1)
    raise AssertionError(f"port {port} did not open")


def nginx_binary() -> str:
    """nginx from the system packages; CI must have it, a laptop without it skips."""
    found = shutil.which("nginx") or next(
        (p for p in ("/usr/sbin/nginx", "/usr/local/sbin/nginx") if Path(p).exists()), None
    )
    if found is None:
        if os.environ.get("CI") == "true":
            pytest.fail("nginx is required under CI (apt-get install nginx-light)")
        pytest.skip("nginx is not installed (apt-get install nginx-light)")
    return found


@contextlib.contextmanager
def prefix_proxy(prefix: str, upstream_port: int, workdir: Path) -> Iterator[int]:
    """nginx on a free port forwarding ``prefix/...`` to ``upstream/...`` (prefix stripped)."""
    binary = nginx_binary()
    port = free_port()
    workdir.mkdir(parents=True, exist_ok=True)
    conf = workdir / "nginx.conf"
    conf.write_text(
        f"""
daemon off;
master_process off;
worker_processes 1;
pid {workdir}/nginx.pid;
error_log {workdir}/error.log warn;
events {{ worker_connections 64; }}
http {{
    access_log off;
    client_body_temp_path {workdir}/body;
    proxy_temp_path {workdir}/proxy;
    fastcgi_temp_path {workdir}/fastcgi;
    uwsgi_temp_path {workdir}/uwsgi;
    scgi_temp_path {workdir}/scgi;
    server {{
        listen 127.0.0.1:{port};
        location {prefix}/ {{
            proxy_pass http://127.0.0.1:{upstream_port}/;
            proxy_set_header Host $host:$server_port;
            proxy_set_header X-Forwarded-For $remote_addr;
            proxy_set_header X-Forwarded-Proto https;
        }}
    }}
}}
""",
        encoding="utf-8",
    )
    log = workdir / "nginx.out"
    with log.open("wb") as sink:
        process = subprocess.Popen(
            [binary, "-c", str(conf), "-p", str(workdir)], stdout=sink, stderr=subprocess.STDOUT
        )
    try:
        _wait_for_port(port, process, log)
        yield port
    finally:
        stop(process)
