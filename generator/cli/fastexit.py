"""Leave the process without tearing down its heap (the console script's last step).

After a big run, CPython's finalisation frees the loaded spec, the IR and the
plan object by object, runs one more full collection and clears every module:
about 0.1-0.25 s of a stripe generation that nobody sees. ``exit_like`` does
the part of finalisation a user can see (atexit handlers, then flushing stdout
and stderr) and ends with ``os._exit`` and the status ``sys.exit`` would give.

Where it cannot promise that, it raises the ``SystemExit`` again and Python
exits as usual: a status that is not an int (Python prints it), another thread
alive (finalisation would wait for it), a profiler, tracer or ``sys.monitoring``
tool attached (it writes its results at exit), ``python -i``, or a flush that
fails.
"""

from __future__ import annotations

import atexit
import os
import sys
import threading

__all__ = ["exit_like"]


def _status(code: object) -> int | None:
    """The process status ``sys.exit(code)`` gives, or None where Python would print ``code``."""
    if code is None:
        return 0
    if isinstance(code, int) and not isinstance(code, bool):
        return code & 0xFF
    return None


def _monitored() -> bool:
    """Whether a ``sys.monitoring`` tool (coverage's sysmon core, a profiler) is registered."""
    monitoring = getattr(sys, "monitoring", None)
    return monitoring is not None and any(monitoring.get_tool(tool) for tool in range(6))


def _may_skip_finalisation() -> bool:
    return (
        threading.active_count() == 1
        and sys.gettrace() is None
        and sys.getprofile() is None
        and not _monitored()
        and not sys.flags.inspect
    )


def exit_like(exc: SystemExit) -> None:
    """End the process as ``raise exc`` would, skipping the heap's teardown when that is safe.

    Returns only by raising ``exc`` again (the ordinary exit).
    """
    status = _status(exc.code)
    if status is None or not _may_skip_finalisation():
        raise exc
    atexit._run_exitfuncs()  # what finalisation runs first (tempfile's cleanups, logging)
    try:
        for stream in (sys.stdout, sys.stderr):
            if stream is not None:
                stream.flush()
    except BaseException:  # e.g. a closed pipe: let Python report it as it always did
        raise exc from None
    os._exit(status)
