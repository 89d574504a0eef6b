"""Run a function in a forked child while the caller goes on: validation beside planning.

On a big spec, validating and planning (build, render, format) each take
about a second and need nothing from each other until the end, when the
verdict decides whether the plan is used. A forked child shares the loaded
document for free and sends back only its (pickled) result.

Only where forking is safe: Linux, and a process with a single thread (a
fork while another thread holds a lock can hang the child). Anywhere else,
and whenever the child fails (an exception, a crash), the function simply
runs here, so the caller gets exactly what running it here gives, exception
and traceback included.

The child freezes what it inherits (``gc.freeze``, which only relinks list
heads): its collections then never walk the parent's document and IR, nor
write to their pages (each collection touches every object's header, which
would copy those pages). Garbage the child makes is still collected.
"""

from __future__ import annotations

import contextlib
import gc
import os
import pickle
import select
import sys
import threading
from collections.abc import Callable
from typing import Generic, TypeVar

__all__ = ["Beside", "can_fork"]

T = TypeVar("T")


def can_fork() -> bool:
    """True where a child can be forked safely from here."""
    return sys.platform.startswith("linux") and threading.active_count() == 1


class Beside(Generic[T]):
    """``func()`` started in a forked child (when possible); ``result()`` waits for it."""

    def __init__(self, func: Callable[[], T]) -> None:
        """Fork a child that runs ``func``; without one, ``result()`` will run it here."""
        self._func = func
        self._pid = 0
        self._pipe = -1
        if not can_fork():
            return
        read, write = os.pipe()
        try:
            pid = os.fork()
        except OSError:  # no process to spare: run it here later
            os.close(read)
            os.close(write)
            return
        if pid == 0:  # pragma: no cover - the child; coverage cannot follow it out
            os.close(read)
            gc.freeze()
            payload = b""  # empty: the parent runs func itself and meets what went wrong
            with contextlib.suppress(BaseException):
                payload = pickle.dumps(func(), protocol=pickle.HIGHEST_PROTOCOL)
            with contextlib.suppress(BaseException), os.fdopen(write, "wb") as pipe:
                pipe.write(payload)
            os._exit(0)  # no atexit handlers, no flushing of the parent's buffers
        os.close(write)
        self._pid, self._pipe = pid, read

    @property
    def forked(self) -> bool:
        """True while a child is working on the result."""
        return self._pid != 0

    def ready(self) -> bool:
        """True when a child has finished (its result, or its failure, is there to read)."""
        if not self.forked:
            return False
        with contextlib.suppress(OSError, ValueError):
            return bool(select.select([self._pipe], [], [], 0)[0])
        return False

    def result(self) -> T:
        """The child's result, or ``func()`` run here when there is no child or it failed."""
        if not self.forked:
            return self._func()
        with os.fdopen(self._pipe, "rb") as pipe:
            payload = pipe.read()
        self._reap()
        if payload:
            result: T = pickle.loads(payload)
            return result
        return self._func()

    def cancel(self) -> None:
        """Stop the child, if any (the caller gave up, e.g. on Ctrl-C)."""
        if self.forked:
            with contextlib.suppress(OSError):
                os.kill(self._pid, 9)
            os.close(self._pipe)
            self._reap()

    def _reap(self) -> None:
        with contextlib.suppress(ChildProcessError):
            os.waitpid(self._pid, 0)
        self._pid = 0
