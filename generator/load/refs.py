"""``$ref`` resolution across files, with the safety rules users rely on.

Local pointers and relative files under the spec's root folder resolve. A ref
that leaves the root folder (``..``, an absolute path, a symlink pointing
outside), ``file://`` or ``http(s)://`` is refused with a Diagnostic unless the
caller allowed remote refs explicitly; no network access ever happens here.

A ``RefMap`` (``--ref-map URL_PREFIX=FOLDER``, ``ref_map`` in the config) lets
an ``http(s)://`` ref whose URL starts with a mapped prefix resolve from the
local copy: the rest of the URL is a path inside the mapped folder, which it
may not leave (no ``..``, no symlink out). Still nothing is fetched.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from generator.load.document import Source, split_pointer

__all__ = ["RefError", "RefMap", "Target", "iter_refs", "resolve_ref"]

MAX_FILES = 20_000
"""Most files one spec may pull in through ``$ref`` (DigitalOcean's has about 2,900)."""


@dataclass(frozen=True, slots=True)
class Target:
    """Where a ``$ref`` leads: the file, the pointer inside it, and the value there."""

    source: Source
    pointer: str
    value: Any


@dataclass(frozen=True, slots=True)
class RefMap:
    """URL prefixes mapped to local folders, longest prefix first (the most specific wins).

    ``entries`` holds ``(url_prefix, folder)`` pairs; folders are absolute.
    """

    entries: tuple[tuple[str, Path], ...] = ()

    @classmethod
    def of(cls, pairs: Iterable[tuple[str, Path]]) -> RefMap:
        """A map from ``(prefix, folder)`` pairs; a later pair for the same prefix wins."""
        merged = {prefix: Path(os.path.realpath(folder)) for prefix, folder in pairs}
        ordered = sorted(merged.items(), key=lambda item: (-len(item[0]), item[0]))
        return cls(tuple(ordered))

    def __bool__(self) -> bool:
        """True when some prefix is mapped."""
        return bool(self.entries)

    def merged(self, other: RefMap) -> RefMap:
        """This map with ``other``'s entries added (``other`` wins for the same prefix)."""
        return RefMap.of([*self.entries, *other.entries])

    def lookup(self, url: str) -> tuple[str, Path] | None:
        """The ``(prefix, folder)`` that maps ``url``, or ``None``."""
        return next(((p, f) for p, f in self.entries if url.startswith(p)), None)

    def folders(self) -> tuple[Path, ...]:
        """The mapped folders: files there may refer to each other by relative refs."""
        return tuple(folder for _, folder in self.entries)


NO_MAP = RefMap()


class MissingFile(Exception):
    """Raised by a ``resolve_ref`` opener for a path that is not a file.

    The opener checks only files it has not parsed yet: a big spec names the
    same few thousand files in ten thousand refs, and a ``stat`` per ref adds up.
    """


class RefError(Exception):
    """A ``$ref`` that cannot be followed; ``code`` is the Diagnostic code."""

    def __init__(self, code: str, message: str) -> None:
        """Keep the Diagnostic code beside the message."""
        super().__init__(message)
        self.code = code


@functools.lru_cache(maxsize=16384)
def _resolved(folder: str, location: str) -> Path:
    """``folder / location`` with symlinks resolved (cached: a big spec asks thousands of times).

    ``Path.resolve`` checks every component of every path (DigitalOcean's spec
    asks for 3,400 paths, 35,000 ``lstat`` calls); here each folder is resolved
    once and only a path's last component is checked for a symlink.
    """
    head, name = os.path.split(os.path.join(folder, location))
    if name in ("", ".", ".."):
        return Path(os.path.realpath(os.path.join(head, name)))
    return _real_file(os.path.join(_real_folder(head), name))


@functools.lru_cache(maxsize=16384)
def _real_file(path: str) -> Path:
    """``path``, in a resolved folder, with its last component resolved if a symlink.

    Cached apart from ``_resolved``: refs from several folders spell one file
    several ways (DigitalOcean: 3,363 spellings of 2,849 files), and each
    miss cost an ``lstat`` and a ``Path``; one file is now one ``Path`` object.
    """
    return Path(os.path.realpath(path) if os.path.islink(path) else path)


@functools.lru_cache(maxsize=4096)
def _real_folder(folder: str) -> str:
    """``os.path.realpath(folder)``, built on its parent's (cached): one ``lstat`` per folder.

    ``realpath`` checks every component of every path it is given: DigitalOcean's
    483 folders cost 8,000 ``lstat`` calls, a tenth of its load. A component is
    resolved here as ``realpath`` does it: a symlink by ``realpath`` itself, ``..``
    as the resolved parent's parent, ``.`` and an empty name as nothing.
    """
    head, name = os.path.split(folder)
    if head == folder:  # the root (or an empty folder name)
        return os.path.realpath(folder)
    parent = _real_folder(head)
    if name in ("", "."):
        return parent
    if name == "..":
        return os.path.dirname(parent)
    path = os.path.join(parent, name)
    return os.path.realpath(path) if os.path.islink(path) else path


def forget_resolved_paths() -> None:
    """Empty the symlink caches: a new load sees the disk as it is now.

    Within one load a file is taken as it was first resolved; across loads in one
    process (pre-commit, ``validate a b``, an embedding host) a file since replaced
    by a symlink out of the spec's folder must be refused, not read through a
    stale answer.
    """
    _resolved.cache_clear()
    _real_file.cache_clear()
    _real_folder.cache_clear()


def _inside(path: Path, root: Path) -> bool:
    """``path.is_relative_to(root)`` for resolved paths, without building ``PurePath`` parts."""
    text, prefix = str(path), str(root)
    return text == prefix or text.startswith(prefix if prefix.endswith(os.sep) else prefix + os.sep)


def _walk(value: Any, pointer: str) -> Any:
    for token in split_pointer(pointer):
        if isinstance(value, dict) and token in value:
            value = value[token]
        elif isinstance(value, list) and token.isdigit() and int(token) < len(value):
            value = value[int(token)]
        else:
            raise KeyError(token)
    return value


def resolve_ref(
    ref: str,
    base: Source,
    root_dir: Path,
    open_file: Callable[[Path], Source],
    *,
    allow_remote: bool = False,
    ref_map: RefMap = NO_MAP,
) -> Target:
    """Follow one ``$ref`` written in ``base``; raise ``RefError`` when it cannot be.

    ``ref_map`` resolves ``http(s)://`` refs under a mapped prefix from local files.
    """
    if not isinstance(ref, str):
        raise RefError("invalid-ref", "$ref must be a string")
    if "\n" in ref or "\r" in ref:
        raise RefError("invalid-ref", f"$ref {ref!r} contains a line break")
    location, _, fragment = ref.partition("#")
    lowered = location.lower()
    if lowered.startswith(("http://", "https://")):
        source = _mapped(ref, location, ref_map, open_file)
        pointer = _pointer(ref, fragment)
        return Target(source, pointer, _value(ref, source, base, pointer))
    if "://" in lowered or lowered.startswith("file:"):
        raise RefError(
            "remote-ref", f"$ref {ref!r} uses a URL scheme; only relative files are allowed"
        )
    pointer = _pointer(ref, fragment)
    if location:
        if location.startswith("/") or (len(location) > 1 and location[1] == ":"):
            raise RefError(
                "ref-outside-root", f"$ref {ref!r} is an absolute path; use a relative one"
            )
        candidate = _resolved(base.folder, unquote(location))
        if not (
            allow_remote
            or _inside(candidate, root_dir)
            or any(_inside(candidate, folder) for folder in ref_map.folders())
        ):
            raise RefError(
                "ref-outside-root",
                f"$ref {ref!r} leaves the spec's folder {root_dir.name}/; refused",
            )
        try:
            source = open_file(candidate)
        except MissingFile:
            raise RefError(
                "unresolved-ref", f"$ref {ref!r}: file {location!r} does not exist"
            ) from None
    else:
        source = base
    return Target(source, pointer, _value(ref, source, base, pointer))


def _pointer(ref: str, fragment: str) -> str:
    if fragment and not fragment.startswith("/"):
        raise RefError("invalid-ref", f"$ref {ref!r}: the part after '#' must be a JSON pointer")
    return unquote(fragment)


def _value(ref: str, source: Source, base: Source, pointer: str) -> Any:
    try:
        return _walk(source.data, pointer)
    except KeyError as missing:
        raise RefError(
            "unresolved-ref",
            f"$ref {ref!r} does not resolve: {missing.args[0]!r} not found"
            + (f" in {source.display}" if source is not base else ""),
        ) from None


def _mapped(ref: str, url: str, ref_map: RefMap, open_file: Callable[[Path], Source]) -> Source:
    """The local copy of network ref ``url`` under ``ref_map``; ``RefError`` when there is none."""
    found = ref_map.lookup(url)
    if found is None:
        raise RefError(
            "remote-ref",
            f"$ref {ref!r} points at the network; twinspec never fetches remote refs"
            " (bundle the file into the repository, or map its URL prefix to a local folder"
            " with --ref-map URL_PREFIX=FOLDER or ref_map in twinspec.yaml)",
        )
    prefix, folder = found
    rest = unquote(url[len(prefix) :].split("?", 1)[0])
    parts = rest.replace("\\", "/").split("/")
    shown = f"{_shown(folder)}/{rest}"
    if not rest or rest.startswith("/") or ".." in parts or "\0" in rest or ":" in rest:
        raise RefError(
            "ref-map-outside",
            f"$ref {ref!r} maps to {shown!r}, which is not a file inside the mapped folder"
            f" {_shown(folder)}/ (prefix {prefix!r}); refused",
        )
    candidate = _resolved(str(folder), rest)
    if not _inside(candidate, folder):
        raise RefError(
            "ref-map-outside",
            f"$ref {ref!r} maps to {shown}, a symlink leading out of the mapped folder"
            f" {_shown(folder)}/; refused",
        )
    try:
        return open_file(candidate)
    except MissingFile:
        raise RefError(
            "unresolved-ref",
            f"$ref {ref!r} maps to {shown} (ref map {prefix} -> {_shown(folder)}/),"
            " which does not exist",
        ) from None


def _shown(folder: Path) -> str:
    """``folder`` relative to the working directory when inside it (messages carry no home paths)."""
    try:
        return folder.relative_to(Path.cwd().resolve()).as_posix() or "."
    except ValueError:
        return folder.as_posix()


LITERAL_KEYS = frozenset({"example", "default", "enum", "const"})
"""Keys whose values are data, not description: a ``$ref`` inside them is a literal."""

NAME_CONTAINERS = frozenset(
    {
        "$defs",
        "callbacks",
        "channels",
        "components",
        "content",
        "definitions",
        "examples",
        "headers",
        "links",
        "messages",
        "operations",
        "parameters",
        "paths",
        "pathItems",
        "patternProperties",
        "properties",
        "requestBodies",
        "responses",
        "schemas",
        "securitySchemes",
        "servers",
        "variables",
        "webhooks",
    }
)
"""Keys whose children are user-chosen names (a property may be called ``example``)."""


def iter_refs(data: Any, pointer: str = "") -> Iterator[tuple[str, Any]]:
    """Every ``$ref`` in ``data`` as (pointer of the ``$ref`` key's object, ref value).

    Iterative (any depth), and blind to sample data: ``example``, ``default``,
    ``enum``, ``const`` values, Example Objects' ``value`` and ``examples`` lists
    are payloads, where ``$ref`` is just a field name.
    """
    stack: list[tuple[Any, str, str, str]] = [(data, pointer, "", "")]
    while stack:
        value, ptr, own_key, parent_key = stack.pop()
        if isinstance(value, dict):
            ref = value.get("$ref")
            if ref is not None and not isinstance(ref, dict):
                yield ptr, ref
            names = own_key in NAME_CONTAINERS  # its keys are names, never sample data
            for key, child in reversed(value.items()):
                if not isinstance(child, (dict, list)):
                    continue
                name = key if type(key) is str else str(key)
                # An Example Object's ``value`` (``examples: {name: {value: ...}}``) and JSON
                # Schema's ``examples: [...]`` hold sample payloads, which may say "$ref".
                if not names and (
                    name in LITERAL_KEYS or (name == "value" and parent_key == "examples")
                ):
                    continue
                if name == "examples" and isinstance(child, list):
                    continue
                token = name.replace("~", "~0").replace("/", "~1")
                stack.append((child, f"{ptr}/{token}", name, own_key))
        elif isinstance(value, list):
            for i in range(len(value) - 1, -1, -1):
                if isinstance(value[i], (dict, list)):
                    stack.append((value[i], f"{ptr}/{i}", own_key, parent_key))
