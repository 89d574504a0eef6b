"""Where twinspec's caches live, and how an entry proves it may be trusted.

A cache must never change a verdict, so nothing in it is believed on its
word. Entries live outside the project (``$TWINSPEC_CACHE_DIR``, else
``$XDG_CACHE_HOME/twinspec``, else ``~/.cache/twinspec``), one folder per
config, keyed by the config's real path: a ``.twinspec-cache/`` committed or
planted in a repository is never read. Each entry is signed with a keyed
BLAKE2b (the key is a private, per-user file in the cache root, never in the
project), names what it is for, and lists the content hashes of everything it
depends on; the entry is used only when the signature, its purpose and the
dependencies every entry of its kind must have all check out, and every hash
still matches. Anything else is ignored, with a note when it is not a plain
miss. Standard library only: ``check``'s fast path imports this module.
"""

from __future__ import annotations

import json
import os
import stat
import sys
from collections.abc import Iterable

import generator

TYPE_CHECKING = False  # typing itself costs this path ~1 ms

# BLAKE2 and SHA-256 straight from their C modules: importing hashlib loads OpenSSL (~2 ms)
if TYPE_CHECKING:
    from hashlib import blake2b, sha256
else:
    try:
        from _blake2 import blake2b
    except ImportError:  # pragma: no cover - a Python built without it
        from hashlib import blake2b
    try:
        from _sha256 import sha256  # Python 3.11
    except ImportError:  # pragma: no cover - 3.12+ names it _sha2
        try:
            from _sha2 import sha256
        except ImportError:
            from hashlib import sha256

__all__ = [
    "CACHE_ENV",
    "CODE",
    "FILE",
    "FORMAT",
    "STAT",
    "TREE",
    "Entry",
    "blake2b",
    "cache_root",
    "digest",
    "folder_problem",
    "generated_files_match",
    "leads_out",
    "project_folder",
    "read_entry",
    "required_deps",
    "same_file",
    "sign",
    "signing_key",
    "write_entry",
]

CACHE_ENV = "TWINSPEC_CACHE_DIR"
"""Environment variable naming the cache root (default: the user cache folder)."""
FORMAT = 2
FILE, TREE, CODE, STAT = "file", "tree", "code", "stat"
"""Dependency kinds: a file's bytes, a folder's files' bytes, a code folder's file stats,
a (large, binary) file's size and mtime."""
_KEY_NAME = "key"
_MANIFEST_NAME = (
    ".twinspec-manifest.json"  # generator.write.paths.MANIFEST_NAME, without its imports
)
_PERSON = b"twinspec-cache"

Entry = dict[str, object]
"""An entry's body: ``kind``, ``id``, ``version``, ``config``, ``deps`` and its payload."""


def cache_root() -> str:
    """The cache root: ``$TWINSPEC_CACHE_DIR``, ``$XDG_CACHE_HOME/twinspec`` or ``~/.cache/twinspec``."""
    explicit = os.environ.get(CACHE_ENV)
    if explicit:
        return os.path.abspath(explicit)
    xdg = os.environ.get("XDG_CACHE_HOME", "")
    if not os.path.isabs(xdg):  # the XDG spec: a relative value is invalid, ignore it
        xdg = os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(xdg, "twinspec")


def project_folder(config: str) -> str:
    """The cache folder of one config, keyed by its real path."""
    real = os.path.realpath(config)
    name = blake2b(real.encode("utf-8", "surrogateescape"), digest_size=12).hexdigest()
    return os.path.join(cache_root(), f"project-{name}")


def _under(path: str, folder: str) -> bool:
    return path == folder or path.startswith(folder.rstrip(os.sep) + os.sep)


def leads_out(folder: str, project: str) -> bool:
    """True when ``folder`` lies inside ``project`` but a symlink takes it outside."""
    folder, project = os.path.abspath(folder), os.path.abspath(project)
    return _under(folder, project) and not _under(
        os.path.realpath(folder), os.path.realpath(project)
    )


def folder_problem(config: str) -> str | None:
    """Why the cache folder of ``config`` must not be used, if it must not.

    A cache root placed inside the project must not lead out of it through a
    symlink (it would read and write wherever the link points), and the
    config's own cache folder must not be a symlink at all.
    """
    folder = project_folder(config)
    project = os.path.dirname(os.path.abspath(config))
    if leads_out(folder, project):
        real = os.path.realpath(folder)
        return f"the cache folder {folder} goes through a symlink to {real}, outside the project; the cache is not used"
    if os.path.islink(folder):
        return f"the cache folder {folder} is a symlink; the cache is not used"
    return None


def _generator_dir() -> str:
    return os.path.dirname(os.path.realpath(generator.__file__))


def _templates_dir() -> str:
    """``generator.render.packs.templates_root()``, without importing pathlib."""
    here = _generator_dir()
    packaged = os.path.join(here, "_templates")
    return packaged if os.path.isdir(packaged) else os.path.join(os.path.dirname(here), "templates")


def required_deps(config: str) -> list[tuple[str, str]]:
    """What every entry depends on, whatever else it lists: the config, twinspec's code and packs."""
    return [(FILE, os.path.realpath(config)), (CODE, _generator_dir()), (TREE, _templates_dir())]


def same_file(a: str, b: str) -> bool:
    """True when two paths name the same file (compared as real paths)."""
    return a == b or os.path.realpath(a) == os.path.realpath(b)


# -- hashes -------------------------------------------------------------------------------


def _file_digest(path: str) -> str | None:
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return None
    try:
        total = blake2b()
        while chunk := os.read(fd, 1 << 20):
            total.update(chunk)
        return total.hexdigest()
    except OSError:
        return None
    finally:
        os.close(fd)


def _tree_digest(path: str) -> str | None:
    if not os.path.isdir(path):
        return None
    total = blake2b()
    for folder, dirs, files in os.walk(path):
        dirs[:] = sorted(d for d in dirs if d != "__pycache__" and not d.startswith("."))
        for name in sorted(files):
            if name.endswith((".pyc", ".pyo")):
                continue
            full = f"{folder}/{name}"
            total.update(full[len(path) :].encode("utf-8", "surrogateescape"))
            total.update(b"\0" + (_file_digest(full) or "-").encode() + b"\n")
    return total.hexdigest()


def _code_digest(path: str) -> str | None:
    """Names, sizes and mtimes of a code folder's ``.py`` files: twinspec's own version."""
    if not os.path.isdir(path):
        return None
    total = blake2b()
    for folder, dirs, files in os.walk(path):
        dirs[:] = sorted(d for d in dirs if d != "__pycache__" and not d.startswith("."))
        for name in sorted(files):
            if name.endswith(".py"):
                info = os.stat(os.path.join(folder, name))
                total.update(f"{folder}/{name}\0{info.st_size}\0{info.st_mtime_ns}\n".encode())
    return total.hexdigest()


def digest(kind: str, path: str) -> str | None:
    """Hash of a file, a folder's files (``TREE``) or a code folder (``CODE``); None if absent."""
    if kind == TREE:
        return _tree_digest(path)
    if kind == CODE:
        return _code_digest(path)
    if kind == STAT:
        try:
            info = os.stat(path)
        except OSError:
            return None
        return f"{info.st_size}:{info.st_mtime_ns}"
    return _file_digest(path)


def generated_files_match(out_dir: str) -> bool:
    """True when every generated file the folder's manifest lists still has the listed SHA-256.

    False for a missing or unreadable manifest too: only a folder whose files
    are what twinspec wrote can be answered from a cache.
    """
    try:
        with open(os.path.join(out_dir, _MANIFEST_NAME), encoding="utf-8") as handle:
            files = json.load(handle)["files"]
        for path, entry in files.items():
            if entry.get("owner") != "generated":
                continue
            parts = str(path).split("/")
            if any(p in ("", ".", "..") for p in parts) or "\\" in path or "\0" in path:
                return False
            with open(os.path.join(out_dir, *parts), "rb") as data:
                if sha256(data.read()).hexdigest() != entry["sha256"]:
                    return False
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return False
    return True


# -- signed entries -------------------------------------------------------------------------


def _private(info: os.stat_result) -> bool:
    mine = not hasattr(os, "getuid") or info.st_uid == os.getuid()
    return stat.S_ISREG(info.st_mode) and mine and not info.st_mode & 0o077


def _key(create: bool) -> tuple[bytes | None, str | None]:
    """The signing key and, when it cannot be used, why (``None`` for "no cache yet")."""
    root = cache_root()
    path = os.path.join(root, _KEY_NAME)
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        if not create:
            return None, None
        return _new_key(root, path), None
    except OSError as exc:
        return None, f"cannot read the cache key {path}: {exc.strerror}"
    if not _private(info):
        return None, (
            f"the cache key {path} is not a private file of this user; the cache is not used "
            "(delete it and twinspec makes a new one)"
        )
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
        try:
            key = os.read(fd, 64)
        finally:
            os.close(fd)
    except OSError as exc:
        return None, f"cannot read the cache key {path}: {exc.strerror}"
    return (key, None) if len(key) == 32 else (None, f"the cache key {path} is damaged")


def _new_key(root: str, path: str) -> bytes | None:
    """Create the key atomically (a race with another twinspec keeps the first one)."""
    try:
        os.makedirs(root, mode=0o700, exist_ok=True)
        temp = f"{path}.{os.getpid()}.tmp"
        fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            os.write(fd, os.urandom(32))
        finally:
            os.close(fd)
        try:
            os.link(temp, path)
        except FileExistsError:
            pass
        finally:
            os.unlink(temp)
    except OSError:
        return None
    return _key(create=False)[0]


def signing_key(create: bool) -> bytes | None:
    """This user's private cache key (made when ``create`` and there is none); None if unusable."""
    return _key(create)[0]


def sign(key: bytes, *parts: bytes | memoryview) -> str:
    """The keyed BLAKE2b of ``parts`` one after another, as every cache entry is signed."""
    mac = blake2b(key=key, person=_PERSON)
    for part in parts:
        mac.update(part)
    return mac.hexdigest()


def read_entry(path: str, kind: str, ident: str, config: str) -> tuple[Entry | None, str | None]:
    """The entry at ``path`` if it is valid and every dependency unchanged; else a note or None.

    The note says why an entry was ignored when that is not an ordinary miss
    (absent, or some input changed since): a bad signature, a different
    purpose, a missing required dependency, a symlink, a damaged file.
    """
    if problem := folder_problem(config):
        return None, problem
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
    except FileNotFoundError:
        return None, None
    except OSError as exc:
        return None, f"ignored the cache entry {path}: cannot open it ({exc.strerror})"
    try:
        with os.fdopen(fd, "rb") as handle:
            raw = handle.read()
    except OSError as exc:
        return None, f"ignored the cache entry {path}: cannot read it ({exc.strerror})"
    key, problem = _key(create=False)
    if key is None:
        return None, problem or f"ignored the cache entry {path}: there is no key to verify it"
    mac, _, body = raw.partition(b"\n")
    if mac.decode("ascii", "replace") != sign(key, body):
        return None, f"ignored the cache entry {path}: its signature does not verify"
    try:
        entry = json.loads(body)
        deps = [(str(k), str(p), e) for k, p, e in entry["deps"]]
        claimed = (entry["format"], entry["kind"], entry["id"], entry["version"], entry["config"])
    except (ValueError, KeyError, TypeError):
        return None, f"ignored the cache entry {path}: it is damaged"
    if claimed != (FORMAT, kind, ident, generator.__version__, os.path.realpath(config)):
        return None, f"ignored the cache entry {path}: it was made for something else"
    listed = {(k, p) for k, p, _ in deps}
    for need in required_deps(config):  # stored with these very paths
        if need not in listed:
            return None, f"ignored the cache entry {path}: it does not depend on {need[1]}"
    for dep_kind, dep, expected in deps:
        if digest(dep_kind, dep) != expected:
            return None, None
    return entry, None


def write_entry(
    path: str,
    kind: str,
    ident: str,
    config: str,
    deps: Iterable[tuple[str, str]],
    payload: dict[str, object],
) -> None:
    """Sign and store an entry with the hashes of its ``(kind, path)`` dependencies now.

    Best effort: an unwritable cache folder just means no cache.
    """
    if folder_problem(config):
        return
    key, _ = _key(create=True)
    if key is None:
        return
    entry = {
        **payload,
        "format": FORMAT,
        "kind": kind,
        "id": ident,
        "version": generator.__version__,
        "config": os.path.realpath(config),
        "deps": [[k, p, digest(k, p)] for k, p in sorted({*deps, *required_deps(config)})],
    }
    body = json.dumps(entry, separators=(",", ":")).encode("utf-8", "surrogateescape")
    folder = os.path.dirname(path)
    try:
        os.makedirs(folder, mode=0o700, exist_ok=True)
        temp = f"{path}.{os.getpid()}.tmp"
        fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as handle:
            handle.write(sign(key, body).encode("ascii") + b"\n" + body)
        os.replace(temp, path)
    except OSError:
        return


def identity(*parts: object) -> str:
    """A stable id for an entry (also its file name): what it answers, for which invocation."""
    text = json.dumps([generator.__version__, sys.version, sys.executable, *parts], default=repr)
    return blake2b(text.encode("utf-8", "surrogateescape"), digest_size=16).hexdigest()
