"""Cut a big module at top-level definitions, so ruff formats its parts in parallel.

ruff formats files in parallel but each file on one thread, so a 3.4 MB
models module alone is most of the format pass; in parts it spreads over
both cores. The check pass (fixes, syntax) still sees whole files. The text
is cut as rendered, and the parts after the first are formatted while the
check pass runs; its fixes (imports, ``__all__``) change only the first part,
and a module whose fixed text does not end with the early parts exactly, after
a cut as clean as ``cut`` makes, is formatted whole.

A cut is made only before a line that starts a ``class``, ``def`` or a
decorator at column 0, after blank lines whose preceding line is no comment
(a comment there could lead the definition or trail the statement). ruff puts
exactly two blank lines before a top-level definition, so formatting the
parts alone and joining them with two blank lines is formatting the whole,
provided each cut is a statement boundary: a part that ends inside a string
or an open bracket does not parse, ruff refuses it, and the whole file is
then formatted as one. ``fmt:``/``yapf:`` directives, which can reach across
statements, keep a file whole.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
from collections.abc import Callable, Mapping, Sequence
from hashlib import blake2b
from pathlib import Path, PurePosixPath

__all__ = ["CHUNK", "SEPARATOR", "FormatPass", "cut", "join"]

CHUNK = 384 * 1024
"""Rough size of a part: big enough that ruff's per-file cost is small, small enough to spread
a big module over both threads."""
SEPARATOR = "\n\n"
"""What joins two formatted parts: after the part's own final newline, two blank lines."""

_CUT = re.compile(
    rb"(?<=\n)[ \t]*[^# \t\n][^\n]*\n(?:[ \t]*\n)+(?=(?:class |def |async def |@)[^\n]*\n)"
)
"""A line that is no comment, blank lines, then a top-level definition: the cut is at the end."""
_DIRECTIVES = re.compile(rb"#\s*(?:fmt|yapf)\s*:")


class FormatPass:
    """Format the files ``add``ed (paths relative to ``root``) in place, big modules in parts.

    Each ``add`` comes with ruff's check pass over the same files: each big module is cut in
    its text as rendered (``sources``: the UTF-8 text of the big ones, as written to
    ``root``), and every part but the first starts formatting at once, beside the check.
    The check's fixes (import order, unused imports, ``__all__``) nearly always change only
    the first part; ``finish`` then formats the fixed first parts, the whole modules, and
    joins. A module whose fixed text no longer ends with its early parts after a clean cut
    is formatted whole.

    ``run(files, cwd)`` formats files and raises on ruff's refusal (the whole
    files, as before); ``start`` runs parts beside it, from a folder of their
    own (``root``'s layout decides isort's first-party modules); if a part is
    refused, its module is formatted whole.
    """

    def __init__(
        self,
        root: Path,
        *,
        run: Callable[[list[str], Path], object],
        start: Callable[[list[str], Path], subprocess.Popen[bytes]],
    ) -> None:
        self.root, self.run, self.start = root, run, start
        self.paths: list[str] = []
        self.parts_root = Path(tempfile.mkdtemp(prefix="twinspec-fmt-parts-"))
        self.split: dict[str, list[str]] = {}
        self.tails: dict[str, tuple[int, bytes]] = {}
        """Per cut module: the size and digest of its text after the first cut, as rendered."""
        self.early: list[subprocess.Popen[bytes]] = []
        self.late: subprocess.Popen[bytes] | None = None

    def __enter__(self) -> FormatPass:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def add(self, paths: Sequence[str], sources: Mapping[str, bytes]) -> None:
        """Take ``paths`` (written to ``root``); cut the big ones and start their parts."""
        self.paths.extend(paths)
        split = _split(paths, sources, self.parts_root, self.tails, len(self.split))
        self.split.update(split)
        early = [name for names in split.values() for name in names[1:]]
        if early:
            self.early.append(self.start(early, self.parts_root))

    def close(self) -> None:
        """Stop any ruff still running (the run failed elsewhere) and remove the parts."""
        for child in [*self.early, self.late]:
            if child is not None and child.poll() is None:
                child.kill()
                child.wait()
        shutil.rmtree(self.parts_root, ignore_errors=True)

    def finish(self) -> None:
        """Format the fixed files: first parts beside the whole modules, then join."""
        whole = [path for path in self.paths if path not in self.split]
        for path in list(self.split):
            head = self._fixed_head(path)
            if head is None:  # the fixes reached past the first cut
                whole.append(path)
                del self.split[path]
                continue
            (self.parts_root / self.split[path][0]).write_bytes(head)
        heads = [names[0] for names in self.split.values()]
        self.late = self.start(heads, self.parts_root) if heads else None
        if whole:
            self.run(sorted(whole), self.root)
        refused = [child.wait() != 0 for child in [*self.early, self.late] if child is not None]
        if any(refused):
            self.run(sorted(self.split), self.root)  # a cut that was no statement boundary
            return
        for path, names in self.split.items():
            target = self.root.joinpath(*PurePosixPath(path).parts)
            join([self.parts_root / name for name in names], target)

    def _fixed_head(self, path: str) -> bytes | None:
        """The fixed text before the module's first cut, if the text after it is as rendered
        and the cut is still one ``cut`` would make (after a line that is no comment and
        blank lines); None otherwise."""
        fixed = self.root.joinpath(*PurePosixPath(path).parts).read_bytes()
        size, digest = self.tails[path]
        end = len(fixed) - size
        if end <= 0 or _digest(memoryview(fixed)[end:]) != digest:
            return None
        head = fixed[:end]
        body = head.rstrip(b" \t\n")
        line = body[body.rfind(b"\n") + 1 :].lstrip(b" \t")
        gap = head[len(body) :]
        clean = b"\n" in body and not line.startswith(b"#") and gap.count(b"\n") >= 2
        return head if clean and not _DIRECTIVES.search(head) else None


def _digest(data: bytes | memoryview) -> bytes:
    return blake2b(data, digest_size=32).digest()


def _split(
    paths: Sequence[str],
    sources: Mapping[str, bytes],
    parts_root: Path,
    tails: dict[str, tuple[int, bytes]],
    first: int,
) -> dict[str, list[str]]:
    """The files of ``paths`` cut in parts (``sources``: the text of each big one), each part
    written to ``parts_root`` (named from number ``first`` on); ``tails`` gets each cut module's
    text after its first cut (size and digest)."""
    split: dict[str, list[str]] = {}
    for path in paths:
        source = sources.get(path)
        if source is None:
            continue
        starts = cut(source)
        if len(starts) == 1:
            continue
        split[path] = [f"{first + len(split)}-{i}.py" for i in range(len(starts))]
        for name, start, end in zip(split[path], starts, [*starts[1:], None], strict=True):
            (parts_root / name).write_bytes(source[start:end])
        tail = memoryview(source)[starts[1] :]
        tails[path] = (len(tail), _digest(tail))
    return split


def big(size: int) -> bool:
    """Whether a module of ``size`` bytes is worth reading to cut."""
    return size >= 2 * CHUNK


def cut(source: bytes) -> list[int]:
    """Where the parts of ``source`` (UTF-8) start, the first at 0; ``[0]`` keeps it whole.

    Bytes, not text: a module with one non-ASCII character is two or four
    bytes a character as ``str``, and these are the biggest texts of a run.
    """
    if not big(len(source)) or _DIRECTIVES.search(source):
        return [0]
    starts = [0]
    position = CHUNK
    while position < len(source) - CHUNK // 2:
        found = _CUT.search(source, position)
        if found is None or len(source) - found.end() < CHUNK // 2:
            break
        starts.append(found.end())
        position = found.end() + CHUNK
    return starts


def join(parts: list[Path], target: Path) -> None:
    """Write to ``target`` the formatted whole of ``parts``, each formatted alone.

    File to file, so the text is read once, whole, as an uncut module's is: reading the parts
    into Python and joining them there raised stripe's peak memory by 14 MiB (freed buffers
    raise glibc's mmap threshold, and later big strings stay in the heap).
    """
    with target.open("wb") as out:
        for n, part in enumerate(parts):
            if n:
                out.write(SEPARATOR.encode())
            with part.open("rb") as source:
                shutil.copyfileobj(source, out)
