"""The console script's fast exit: same output, files and status as Python's own exit."""

from __future__ import annotations

import atexit
import os
import re
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from generator.cli import fastexit

REPO = Path(__file__).resolve().parents[1]
INVALID = "openapi: 3.0.3\ninfo: {title: t}\npaths: {}\n"
# atexit output shows the handlers still run, and before the streams are flushed.
RUN = (
    "import atexit, sys; sys.path.insert(0, {repo!r}); sys.argv[0] = 'twinspec'\n"
    "atexit.register(lambda: print('atexit ran'))\n"
    "from generator.cli.{module} import main\n"
    "main()\n"
)

MODULE = (
    "import atexit, runpy, sys; sys.path.insert(0, {repo!r}); sys.argv[0] = 'twinspec'\n"
    "atexit.register(lambda: print('atexit ran'))\n"
    "runpy.run_module('generator', run_name='__main__')\n"
)


def _run(module: str, cwd: Path, *args: str) -> tuple[int, str, str]:
    code = RUN.format(repo=str(REPO), module=module)
    command = [sys.executable, "-c", code, *args]
    if module == "python -m":  # generator/__main__.py (no atexit handler of the test's own)
        command = [sys.executable, "-c", MODULE.format(repo=str(REPO)), *args]
    done = subprocess.run(
        command,
        cwd=cwd,
        capture_output=True,
        text=True,
        env={**os.environ, "XDG_CACHE_HOME": str(cwd / "cache")},
        check=False,
        timeout=120,
    )
    took = re.compile(r" in \d+\.\d s$", re.M)  # generate's summary says how long it took
    return done.returncode, took.sub(" in T s", done.stdout), done.stderr


@pytest.mark.parametrize(
    "args",
    [
        ("--version",),
        ("no-such-command",),
        ("validate", "bad.yaml"),
        ("validate", "petstore.yaml"),
        ("generate", "petstore.yaml", "-t", "rest-server", "-o", "out"),
        ("generate", "bad.yaml", "-t", "rest-client", "-o", "out"),
    ],
)
def test_entry_exits_as_the_ordinary_exit_does(tmp_path: Path, args: tuple[str, ...]) -> None:
    """``entry.main`` and ``python -m generator`` (fast exit) against ``app.main``
    (Python's exit): output, files, status."""
    seen = []
    for module in ("app", "entry", "python -m"):
        work = tmp_path / module.replace(" ", "_")
        work.mkdir()
        (work / "bad.yaml").write_text(INVALID, encoding="utf-8")
        (work / "petstore.yaml").write_bytes((REPO / "specs" / "petstore.yaml").read_bytes())
        result = _run(module, work, *args)
        out = work / "out"
        files = {
            p.relative_to(out).as_posix(): p.read_bytes() for p in out.rglob("*") if p.is_file()
        }
        seen.append((result, files))
    assert seen[0] == seen[1] == seen[2]
    assert seen[0][0][1].endswith("atexit ran\n")


class _Exited(Exception):
    """Stands in for ``os._exit`` so the test process lives on."""


@pytest.fixture
def calls(monkeypatch: pytest.MonkeyPatch) -> list[object]:
    """What ``exit_like`` did, in order: atexit handlers run, then ``os._exit(status)``."""
    done: list[object] = []

    def fake_exit(status: int) -> None:
        done.append(status)
        raise _Exited

    monkeypatch.setattr(fastexit.os, "_exit", fake_exit)
    monkeypatch.setattr(atexit, "_run_exitfuncs", lambda: done.append("atexit"))
    monkeypatch.setattr(sys, "gettrace", lambda: None)  # coverage may trace this test
    monkeypatch.setattr(sys, "getprofile", lambda: None)
    # threads other tests of the session left behind do not count; one a test starts does
    alive, before = threading.active_count, threading.active_count()
    monkeypatch.setattr(fastexit.threading, "active_count", lambda: alive() - before + 1)
    return done


@pytest.mark.parametrize(("code", "status"), [(None, 0), (0, 0), (1, 1), (2, 2), (256, 0)])
def test_int_status_ends_with_os_exit(calls: list[object], code: int | None, status: int) -> None:
    with pytest.raises(_Exited):
        fastexit.exit_like(SystemExit(code))
    assert calls == ["atexit", status]


@pytest.mark.parametrize("code", ["twinspec: message", True, 1.5])
def test_status_python_prints_takes_the_ordinary_exit(calls: list[object], code: object) -> None:
    exc = SystemExit(code)
    with pytest.raises(SystemExit) as raised:
        fastexit.exit_like(exc)
    assert raised.value is exc and calls == []


def test_another_thread_alive_takes_the_ordinary_exit(calls: list[object]) -> None:
    stop = threading.Event()
    other = threading.Thread(target=stop.wait)
    other.start()
    try:
        with pytest.raises(SystemExit):
            fastexit.exit_like(SystemExit(0))
    finally:
        stop.set()
        other.join()
    assert calls == []
