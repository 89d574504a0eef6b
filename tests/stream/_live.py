"""Helpers of the end-to-end stream tests: generate a corpus document's two sides, serve one.

``generated_pair`` writes the stream-server and stream-client of one document
into a folder and puts both on ``sys.path``; ``serving`` runs an ASGI app under
uvicorn on a free 127.0.0.1 port in a thread and stops it afterwards.
"""

from __future__ import annotations

import asyncio
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from tests.stream.conftest import free_port, generate


@contextmanager
def generated_pair(
    spec: Path, root: Path, server_handlers: str, client_handlers: str
) -> Iterator[tuple[Path, Path]]:
    """Server and client projects of ``spec`` under ``root``, with the given ``handlers.py``."""
    server = generate(spec, "stream-server", root / "server")
    client = generate(spec, "stream-client", root / "client")
    for project, text in ((server, server_handlers), (client, client_handlers)):
        package = next(p for p in project.iterdir() if (p / "handlers.py").is_file())
        if text:
            (package / "handlers.py").write_text(text, encoding="utf-8")
    sys.path[:0] = [str(server), str(client)]
    try:
        yield server, client
    finally:
        for path in (str(server), str(client)):
            sys.path.remove(path)


@contextmanager
def serving(app: Any) -> Iterator[tuple[str, Any]]:
    """``("127.0.0.1:PORT", call)`` while uvicorn serves ``app``; ``call`` runs a coroutine on its loop."""
    import uvicorn

    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    loop = asyncio.new_event_loop()

    def run() -> None:
        asyncio.set_event_loop(loop)
        loop.run_until_complete(server.serve())

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        assert time.monotonic() < deadline, "server did not start"
        assert thread.is_alive(), "server failed to start"
        time.sleep(0.02)

    def call(coro: Any) -> Any:
        return asyncio.run_coroutine_threadsafe(coro, loop).result(timeout=10)

    try:
        yield f"127.0.0.1:{port}", call
    finally:
        server.should_exit = True
        thread.join(timeout=10)


def run_generated_tests(project: Path, basetemp: Path) -> subprocess.CompletedProcess[str]:
    """Run a generated project's own test suite (bounded: it must fail, never hang)."""
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            "--basetemp",
            str(basetemp),
            "tests",
        ],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=240,
        check=False,
    )
