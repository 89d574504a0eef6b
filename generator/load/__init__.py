"""Stage 1: text -> ``Document``.

``load(path)`` reads the spec (YAML or JSON), every file its ``$ref``s reach,
detects which specification it follows, and returns Diagnostics for everything
it could not make sense of. It never raises for a user's input.
"""

from __future__ import annotations

import errno
import json
import os
import stat
import sys
from collections.abc import Callable
from pathlib import Path
from types import ModuleType

from generator.diagnostics import Diagnostic, Severity, join_pointer
from generator.load.document import Document, Source, SpecKind
from generator.load.fastyaml import read_yaml
from generator.load.heap import collector_paused
from generator.load.limits import (
    MAX_BYTES,
    MAX_DEPTH,
    MAX_NODES,
    Shape,
    deep_position,
    long_number_position,
    measure,
    surrogate_escape_position,
    unrepresentable,
)
from generator.load.refs import (
    MAX_FILES,
    NO_MAP,
    MissingFile,
    RefError,
    RefMap,
    Target,
    forget_resolved_paths,
    iter_refs,
    resolve_ref,
)

__all__ = [
    "Document",
    "LoadFailure",
    "RefMap",
    "Source",
    "SpecKind",
    "Target",
    "detect_kind",
    "iter_refs",
    "load",
    "open_in",
    "read_source",
    "resolve_ref",
]

SUPPORTED = {
    "swagger": ("2.0",),
    "openapi": ("3.0", "3.1", "3.2"),
    "asyncapi": ("2.0", "2.1", "2.2", "2.3", "2.4", "2.5", "2.6", "3.0", "3.1"),
}


class LoadFailure(Exception):
    """A file could not be read or parsed; carries the Diagnostic."""

    def __init__(self, diagnostic: Diagnostic) -> None:
        """Keep the Diagnostic for the caller."""
        super().__init__(diagnostic.message)
        self.diagnostic = diagnostic


_UP = f"{os.sep}..{os.sep}"


def display_path(path: Path) -> str:
    """The path as users typed it: relative to the working directory when inside it."""
    text = str(path)
    if path.is_absolute() and _UP not in text + os.sep:  # no ``..`` in ``path.parts``
        # A normalised path: what ``relpath`` says, without its splitting and joining.
        cwd = os.getcwd()
        prefix = cwd if cwd.endswith(os.sep) else cwd + os.sep
        if os.path.normcase(text).startswith(os.path.normcase(prefix)):
            return text[len(prefix) :]
        if text != cwd:
            return text
    try:
        relative = os.path.relpath(path)
    except ValueError:  # pragma: no cover - another drive on Windows
        return str(path)
    return str(path) if relative.startswith("..") else relative


def read_source(
    path: Path, display: str | None = None, *, size: int | None = None
) -> tuple[Source, list[Diagnostic]]:
    """Read and parse one file; raise ``LoadFailure`` with a located Diagnostic.

    ``size`` is the file's size when the caller stat'ed it already (``$ref``'d files).
    """
    shown = display or display_path(path)

    def fail(line: int, col: int, code: str, message: str, pointer: str = "") -> LoadFailure:
        if line < 1:  # no better place was found: the file's start, never an unlocated error
            line, col = 1, 1
        return LoadFailure(Diagnostic(shown, line, col, pointer, Severity.ERROR, code, message))

    try:
        if size is None:
            size = os.stat(path).st_size
        if size > MAX_BYTES:
            raise fail(
                1, 1, "file-too-large", f"file is {size:,} bytes; the limit is {MAX_BYTES:,}"
            )
        with open(path, "rb", buffering=0) as file:
            raw = file.readall()
    except OSError as exc:
        raise fail(1, 1, "unreadable", f"cannot read file: {exc.strerror or exc}") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line, col = _position(raw, exc.start)
        raise fail(line, col, "not-utf8", f"file is not UTF-8 text (byte {exc.start})") from None
    warnings: list[Diagnostic] = []
    shape: Shape | None = None  # measured already by yaml-rs's fast path
    stripped = text.lstrip()
    is_json = path.suffix.lower() == ".json" or stripped.startswith("{")
    try:
        if is_json:
            try:
                data = json.loads(text)
            except json.JSONDecodeError as exc:
                if path.suffix.lower() == ".json":
                    raise fail(exc.lineno, exc.colno, "json-syntax", exc.msg) from None
                is_json = False
        if not is_json:
            data, tolerated, shape = read_yaml(text)
            warnings = [
                Diagnostic(shown, line, col, "", Severity.WARNING, code, message)
                for line, col, code, message in tolerated
            ]
    except _pyyaml().MarkedYAMLError as exc:  # evaluated only when something was raised
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        if "maximum nesting depth" in str(exc.problem):
            line, col = deep_position(text)
            raise fail(line, col, "too-deep", f"nesting deeper than {MAX_DEPTH} levels") from None
        message = " ".join(p for p in (exc.context, exc.problem) if p) or str(exc)
        raise fail(line, col, "yaml-syntax", message) from None
    except _pyyaml().YAMLError as exc:  # a reader error: a character libyaml refuses
        line, col = _position(text, _char_index(text, getattr(exc, "position", 0) or 0))
        raise fail(line, col, "yaml-syntax", str(exc).splitlines()[0]) from None
    except RecursionError:
        line, col = deep_position(text)
        raise fail(line, col, "too-deep", f"nesting deeper than {MAX_DEPTH} levels") from None
    except (ValueError, MemoryError) as exc:
        if "integer string conversion" in str(exc):  # the parser's int() refused the literal
            line, col = long_number_position(text)
            limit = sys.get_int_max_str_digits()
            message = f"an integer literal of more than {limit:,} digits is beyond any JSON number"
            raise fail(line, col, "number-out-of-range", message) from None
        raise fail(1, 1, "unreadable", f"cannot parse file: {exc}") from None
    source = Source(path=path, display=shown, text=text, data=data, is_json=is_json)
    if shape is None:
        shape = measure(data)
    if shape.problem:
        pointer = join_pointer(shape.path)
        if shape.problem == "depth":
            # The pointer of a 10,000-deep list says nothing; the position does.
            line, col = deep_position(text)
            pointer = join_pointer(shape.path[:8])
        else:
            line, col = source.locate(pointer)
        message = {
            "depth": f"nesting deeper than {MAX_DEPTH} levels",
            "nodes": f"more than {MAX_NODES:,} values once YAML aliases are expanded (alias bomb?)",
            "cycle": "a YAML alias refers to itself (recursive data cannot be JSON)",
        }[shape.problem]
        code = {"depth": "too-deep", "nodes": "too-large", "cycle": "recursive-alias"}[
            shape.problem
        ]
        raise fail(line, col, code, message, pointer)
    if not shape.clean:
        _refuse_unrepresentable(source, fail)
    return source, warnings


def _refuse_unrepresentable(source: Source, fail: Callable[..., LoadFailure]) -> None:
    """Raise for the first value no JSON text or generated module can hold, located."""
    odd = unrepresentable(source.data)
    if not odd:
        return
    first = odd[0]
    pointer = join_pointer(first.path)
    line, col = source.locate(pointer)
    if first.code == "unpaired-surrogate" and (line, col) == (0, 0):
        line, col = surrogate_escape_position(source.text)
    more = f" (and {len(odd) - 1} more such value(s))" if len(odd) > 1 else ""
    shown = pointer.encode("utf-8", "backslashreplace").decode("utf-8")  # a key may be the culprit
    raise fail(line, col, first.code, first.message + more, shown)


def _pyyaml() -> ModuleType:
    """PyYAML, for its exception classes: imported on the first error, not for yaml-rs's reads."""
    import yaml

    return yaml


def _position(text: str | bytes, index: int) -> tuple[int, int]:
    """1-based (line, column) of ``index`` in ``text`` (a column of bytes for bytes)."""
    newline = "\n" if isinstance(text, str) else b"\n"
    start = text.rfind(newline, 0, index) + 1  # type: ignore[arg-type]
    return text.count(newline, 0, index) + 1, index - start + 1  # type: ignore[arg-type]


def _char_index(text: str, offset: int) -> int:
    """The index in ``text`` of byte ``offset`` of its UTF-8 form (libyaml counts bytes)."""
    return len(text.encode("utf-8")[:offset].decode("utf-8", "ignore"))


def detect_kind(data: object) -> SpecKind | str:
    """The specification ``data`` follows, or a one-line reason it is not an API document."""
    if not isinstance(data, dict):
        return "not an API document: the top level is not a mapping"
    for key, family in (("openapi", "openapi"), ("swagger", "openapi"), ("asyncapi", "asyncapi")):
        if key in data:
            version = str(data[key])
            major_minor = ".".join(version.split(".")[:2])
            if major_minor not in SUPPORTED[key]:
                return f"unsupported {key} version {version!r} (supported: {', '.join(SUPPORTED[key])})"
            return SpecKind(family, version)
    return "not an API document: no top-level 'openapi', 'swagger' or 'asyncapi' field"


def load(
    path: Path,
    *,
    allow_remote_refs: bool = False,
    display: str | None = None,
    ref_map: RefMap = NO_MAP,
) -> tuple[Document | None, list[Diagnostic]]:
    """Load a spec and every file its ``$ref``s reach.

    ``ref_map`` resolves network refs under a mapped URL prefix from local files.
    Returns ``(None, diagnostics)`` when the root file cannot be parsed. A
    document that is not an API description comes back with ``kind=None``.
    """
    forget_resolved_paths()
    with collector_paused():
        return _load(path, allow_remote_refs, display, ref_map)


def _load(
    path: Path, allow_remote_refs: bool, display: str | None, ref_map: RefMap
) -> tuple[Document | None, list[Diagnostic]]:
    path = Path(path).absolute()
    try:
        root, diagnostics = read_source(path, display)
    except LoadFailure as failure:
        return None, [failure.diagnostic]
    root_dir = path.resolve().parent
    kind = detect_kind(root.data)
    doc = Document(
        root=root,
        root_dir=root_dir,
        kind=kind if isinstance(kind, SpecKind) else None,
        files={path.resolve(): root},
        allow_remote_refs=allow_remote_refs,
        ref_map=ref_map,
    )
    if doc.kind is not None:
        doc.ref_diagnostics = check_refs(doc)
        diagnostics += doc.ref_diagnostics
    return doc, diagnostics


def open_in(doc: Document, failures: list[Diagnostic]) -> _Opener:
    """A file opener that caches parsed files in ``doc.files``."""
    return _Opener(doc, failures)


class _Opener:
    def __init__(self, doc: Document, failures: list[Diagnostic]) -> None:
        self.doc = doc
        self.failures = failures

    def __call__(self, path: Path) -> Source:
        cached = self.doc.files.get(path)
        if cached is not None:
            return cached
        size = _file_size(path)
        if size is None:
            raise MissingFile(str(path))
        if len(self.doc.files) >= MAX_FILES:
            raise RefError("too-many-files", f"more than {MAX_FILES} files reached through $ref")
        try:
            source, warnings = read_source(path, size=size)
        except LoadFailure as failure:
            self.failures.append(failure.diagnostic)
            raise RefError(
                "unreadable-ref", f"referenced file {display_path(path)} cannot be loaded"
            ) from None
        self.failures.extend(warnings)
        self.doc.files[path] = source
        return source


_NOT_THERE = frozenset({errno.ENOENT, errno.ENOTDIR, errno.EBADF, errno.ELOOP})
"""What ``Path.is_file`` takes for "no such file" rather than raising."""


def _file_size(path: Path) -> int | None:
    """The size of ``path`` if it is a regular file, else ``None`` (``Path.is_file``, one ``stat``).

    ``read_source`` then needs no ``stat`` of its own: one per file less, of DigitalOcean's 2,850.
    """
    try:
        status = os.stat(path)
    except OSError as exc:
        if exc.errno in _NOT_THERE or getattr(exc, "winerror", None) in (21, 123, 1921):
            return None
        raise
    except ValueError:  # a NUL in the path
        return None
    return status.st_size if stat.S_ISREG(status.st_mode) else None


def check_refs(doc: Document) -> list[Diagnostic]:
    """Resolve every ``$ref`` in every reachable file; Diagnostics for those that fail.

    Besides refs that do not resolve, this finds chains of refs that never reach
    a value (``A -> B -> A``). Recursive schemas (a property of ``A`` that refers
    to ``A``) are fine: they reach a value first.
    """
    failures: list[Diagnostic] = []
    opener = open_in(doc, failures)
    pending = [doc.root]
    seen: set[int] = set()
    cycles = _CycleFinder(doc, opener)
    # Refs that resolved, by where they lead from: a ref naming a file by its folder
    # (DigitalOcean's 9,934 refs are 4,135 such), one within its file ("#/...", "") by
    # that file. A failure is never kept: each ref to an unreadable file reports it, as before.
    resolved: dict[tuple[object, str], Target] = {}
    while pending:
        source = pending.pop()
        if id(source) in seen:
            continue
        seen.add(id(source))
        for pointer, ref in iter_refs(source.data):
            key = (
                (id(source) if ref[:1] in ("", "#") else source.folder, ref)
                if type(ref) is str
                else None
            )
            target = resolved.get(key) if key is not None else None
            if target is None:
                try:
                    target = resolve_ref(
                        ref,
                        source,
                        doc.root_dir,
                        opener,
                        allow_remote=doc.allow_remote_refs,
                        ref_map=doc.ref_map,
                    )
                except RefError as exc:
                    failures.append(
                        doc.diagnostic(pointer + "/$ref", exc.code, str(exc), source=source)
                    )
                    continue
                if key is not None:
                    resolved[key] = target
            if _is_ref(target.value) and cycles.loops(target):
                failures.append(
                    doc.diagnostic(
                        pointer + "/$ref",
                        "ref-cycle",
                        f"$ref {ref!r} never reaches a value: the $refs it leads to form a loop",
                        source=source,
                    )
                )
            if id(target.source) not in seen:
                pending.append(target.source)
    return failures


def _is_ref(value: object) -> bool:
    return isinstance(value, dict) and isinstance(value.get("$ref"), str)


class _CycleFinder:
    """Does a chain of ``$ref``-only objects loop? Memoised, so long chains cost once."""

    def __init__(self, doc: Document, opener: _Opener) -> None:
        self.doc = doc
        self.opener = opener
        self.verdict: dict[tuple[int, str], bool] = {}

    def loops(self, start: Target) -> bool:
        chain: list[tuple[int, str]] = []
        on_chain: set[tuple[int, str]] = set()
        target = start
        result = False
        while True:
            key = (id(target.source), target.pointer)
            if key in self.verdict:
                result = self.verdict[key]
                break
            if key in on_chain:
                result = True
                break
            chain.append(key)
            on_chain.add(key)
            if not _is_ref(target.value):
                break
            try:
                target = resolve_ref(
                    target.value["$ref"],
                    target.source,
                    self.doc.root_dir,
                    self.opener,
                    allow_remote=self.doc.allow_remote_refs,
                    ref_map=self.doc.ref_map,
                )
            except RefError:  # reported where that ref is written
                break
        for key in chain:
            self.verdict[key] = result
        return result
