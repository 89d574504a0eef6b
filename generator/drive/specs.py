"""Each spec of a run loaded and validated once, for all the targets that render it.

Loading and validating is much of a big spec's cost, so it is done once per
spec, not once more per target. A big spec's validation also runs beside
the planning of its first target (``generator.drive.beside``): the plan is
made meanwhile and kept only if the verdict allows it (``begin`` says when).
The Diagnostics are those of ``generator.drive.spec.load_and_validate``.
The child, idle once validation is done, also writes the spec's data as JSON
for a target that serves it (``written_spec``), which takes this process
~0.07 s on stripe; the plan takes it only if the child is done by then.

While a big YAML spec loads, a thread imports what comes next (``begin``'s
``warm``: the target's translator, ~0.1 CPU-s): yaml-rs
parses without holding the GIL, so the imports run on the other core
meanwhile. The thread is joined before loading returns, so forking stays safe.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from generator.diagnostics import Diagnostic, has_errors, sort_unique
from generator.drive.beside import Beside
from generator.load import Document, RefMap, detect_kind, load
from generator.load.heap import collector_paused
from generator.render.json_text import document_text
from generator.validate import validate

__all__ = ["BESIDE_BYTES", "SpecRuns", "warming"]

BESIDE_BYTES = 512 * 1024
"""Spec text from which validating in a child pays for the fork (a big spec's takes ~0.5 s)."""


_Outcome = tuple[list[Diagnostic], str | None]
"""The child's work: validation's Diagnostics, and the spec's ``document_text`` if asked for."""


@dataclass
class _Pending:
    spec: Path
    child: Beside[_Outcome]
    loaded: list[Diagnostic]
    files: list[str]
    outcome: _Outcome | None = None


def _beside(doc: Document, write_spec: bool) -> _Outcome:
    """What the child does: validate, and write a one-file spec's data as JSON when asked."""
    text = document_text(doc.data) if write_spec and len(doc.files) <= 1 else None
    return validate(doc), text


class SpecRuns:
    """The specs of one run: Diagnostics and files read for each, and the latest document.

    Diagnostics are kept for every spec; the document only for the latest
    one, since a job's targets come one after another and a big spec's
    document is large.
    """

    def __init__(self) -> None:
        """Nothing loaded yet."""
        self.results: dict[Path, tuple[list[Diagnostic], list[str]]] = {}
        self.latest: tuple[Path, Document | None] | None = None
        self.pending: _Pending | None = None
        self.ref_maps: dict[Path, RefMap] = {}

    def begin(
        self,
        spec: Path,
        *,
        allow_invalid: bool,
        mislabelled: Callable[[str], Diagnostic],
        ref_map: RefMap | None = None,
        write_spec: bool = False,
        warm: Callable[[], object] | None = None,
    ) -> bool:
        """Load and validate ``spec`` unless this run did; True while validation runs beside.

        Only then may the caller plan before ``diagnostics`` gives the verdict.
        ``mislabelled(reason)`` is the error for a file that is no API document.
        ``write_spec``: the child also writes the spec as JSON (``written_spec``).
        ``warm``: imports to make while the spec loads (what it raises is ignored here).
        """
        if self.pending is not None and self.pending.spec == spec:
            return True
        if spec in self.results:
            return False
        if ref_map:
            self.ref_maps[spec] = ref_map
        doc, loaded = self._read(spec, warm)
        files = [str(spec.absolute()), *(str(path) for path in (doc.files if doc else ()))]
        if doc is None or doc.kind is None:
            loaded = sort_unique(loaded)
            if doc is not None and not has_errors(loaded):
                loaded = [*loaded, mislabelled(str(detect_kind(doc.data)))]
            self.results[spec] = (loaded, files)
            return False
        wanted = allow_invalid or not has_errors(loaded)  # else nothing is planned anyway
        if wanted and sum(len(source.text) for source in doc.files.values()) >= BESIDE_BYTES:
            child = Beside(lambda: _beside(doc, write_spec))
            if child.forked:
                self.pending = _Pending(spec, child, loaded, files)
                return True
        self.results[spec] = (sort_unique([*loaded, *validate(doc)]), files)
        return False

    def diagnostics(self, spec: Path) -> tuple[list[Diagnostic], list[str]]:
        """What loading and validating ``spec`` found, and the files it read (after ``begin``)."""
        pending = self.pending
        if pending is not None and pending.spec == spec:
            self.pending = None
            outcome = pending.outcome if pending.outcome is not None else pending.child.result()
            found = sort_unique([*pending.loaded, *outcome[0]])
            self.results[spec] = (found, pending.files)
        return self.results[spec]

    def written_spec(self, spec: Path) -> str | None:
        """``document_text`` of ``spec``'s data, if its child wrote it and is done; never waits."""
        pending = self.pending
        if pending is None or pending.spec != spec:
            return None
        if pending.outcome is None:
            if not pending.child.ready():
                return None
            pending.outcome = pending.child.result()
        return pending.outcome[1]

    def document(self, spec: Path) -> Document | None:
        """The loaded document of ``spec`` (read again if an older one was let go)."""
        if self.latest is None or self.latest[0] != spec:
            self._read(spec)
        assert self.latest is not None
        return self.latest[1]

    def cancel(self) -> None:
        """Stop a validation still running beside (the run is being abandoned)."""
        if self.pending is not None:
            self.pending.child.cancel()
            self.pending = None

    def _read(
        self, spec: Path, warm: Callable[[], object] | None = None
    ) -> tuple[Document | None, list[Diagnostic]]:
        with warming(spec, warm):
            doc, loaded = load(spec, ref_map=self.ref_maps.get(spec) or RefMap())
        self.latest = (spec, doc)
        return doc, loaded


@contextlib.contextmanager
def warming(spec: Path, warm: Callable[[], object] | None) -> Iterator[None]:
    """Run the block (loading ``spec``) while a thread runs ``warm``, if ``spec`` is big YAML.

    The thread is joined before the block's end; what ``warm`` raises is ignored
    (the run meets it where it imports). The collector stays paused until the
    imports are done too: a pass over the young document would cost more than
    the imports (see ``generator.load.heap``).
    """
    if warm is not None and (_size(spec) < BESIDE_BYTES or spec.suffix.lower() == ".json"):
        # small: loads too fast to hide the imports (and may be refused without them);
        # JSON: ``json.loads`` holds the GIL, so the imports would only take turns with it
        warm = None
    with collector_paused():
        thread = None if warm is None else _started(warm)
        try:
            yield
        finally:
            if thread is not None:
                thread.join()


def _size(spec: Path) -> int:
    try:
        return spec.stat().st_size
    except OSError:  # loading says what is wrong
        return 0


def _started(warm: Callable[[], object]) -> threading.Thread:
    """``warm()`` running in a thread; a failure is left for the run to meet where it imports."""

    def quietly() -> None:
        with contextlib.suppress(BaseException):
            warm()

    thread = threading.Thread(target=quietly, name="twinspec-warm", daemon=True)
    thread.start()
    return thread
