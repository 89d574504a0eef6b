"""The format cache: ruff's output for a source it formatted before, signed, per user.

Formatting (ruff, and the ``compile`` syntax check beside it) is a third of a
big spec's generation, and its result is a pure function of the unformatted
text, the file's path, the batch's layout, the ruff binary and its options:
``generator.render.format`` hashes all of these into the key. An entry is
the formatted text, stored under ``<cache root>/format/<key>.py`` and signed
with the user's private cache key (``cachefiles``) over the key and the text,
so an entry planted by someone else, or renamed to answer another key, is
never used. Only text that compiled and that ruff formatted is stored.
Entries are touched when used; past ``LIMIT_BYTES`` the oldest are removed.
Best effort throughout: a cache that cannot be read or written is no cache.
"""

from __future__ import annotations

import contextlib
import os
import re

from generator.write.cachefiles import cache_root, leads_out, sign, signing_key

__all__ = ["LIMIT_BYTES", "FormatCache"]

LIMIT_BYTES = 256 * 1024 * 1024
"""Total size of the format folder beyond which the least recently used entries go."""
_KEY = re.compile(r"[0-9a-f]{64}")
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)


class FormatCache:
    """``generator.render.format.FormatStore`` over files in the user cache folder."""

    def __init__(self, root: str | None = None, project: str | None = None) -> None:
        """Use ``root`` (default: the user cache root's ``format`` folder).

        ``project`` is the folder of the run (the config's, else the working
        directory): a cache folder inside it that a symlink leads out of is not used.
        """
        self.folder = os.path.join(root or cache_root(), "format")
        self.project = project
        self._key: bytes | None = None
        self._usable: bool | None = None
        self._pruned = False

    def _ready(self, create: bool) -> bool:
        if self._usable is None or (create and self._key is None):
            planted = os.path.islink(self.folder) or (
                self.project is not None and leads_out(self.folder, self.project)
            )
            if planted:  # never read or write through a planted link
                self._usable = False
                return False
            self._key = signing_key(create)
            self._usable = self._key is not None
        return bool(self._usable)

    def get(self, key: str) -> str | None:
        """The formatted text stored for ``key``, if there is a valid entry."""
        if not _KEY.fullmatch(key) or not self._ready(create=False) or self._key is None:
            return None
        path = os.path.join(self.folder, f"{key}.py")
        try:
            fd = os.open(path, os.O_RDONLY | _NOFOLLOW)
        except OSError:
            return None
        try:
            with os.fdopen(fd, "rb") as handle:
                raw = handle.read()
        except OSError:
            return None
        split = raw.find(b"\n")
        body = memoryview(raw)[split + 1 :]  # no copy of a big module's text
        if split < 0 or raw[:split] != sign(self._key, key.encode("ascii"), b"\0", body).encode():
            return None
        try:
            text = str(body, "utf-8")
        except UnicodeDecodeError:
            return None
        finally:
            body.release()
        with contextlib.suppress(OSError):
            os.utime(path)  # least recently used goes first
        return text

    def put(self, key: str, text: str) -> None:
        """Store ``text`` as the formatted form for ``key``."""
        if not _KEY.fullmatch(key) or not self._ready(create=True) or self._key is None:
            return
        body = text.encode("utf-8", "surrogateescape")
        mac = sign(self._key, key.encode("ascii"), b"\0", body)
        path = os.path.join(self.folder, f"{key}.py")
        temp = f"{path}.{os.getpid()}.tmp"
        try:
            os.makedirs(self.folder, mode=0o700, exist_ok=True)
            fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_EXCL | _NOFOLLOW, 0o600)
            with os.fdopen(fd, "wb") as handle:
                handle.write(mac.encode("ascii") + b"\n")
                handle.write(body)
            os.replace(temp, path)
        except OSError:
            with contextlib.suppress(OSError):
                os.unlink(temp)
            return
        if not self._pruned:
            self._pruned = True
            self.prune(LIMIT_BYTES)

    def prune(self, limit: int) -> None:
        """Remove the least recently used entries while the folder holds more than ``limit`` bytes."""
        try:
            with os.scandir(self.folder) as found:
                entries = [
                    (entry.stat().st_mtime_ns, entry.stat().st_size, entry.path)
                    for entry in found
                    if entry.is_file(follow_symlinks=False) and entry.name.endswith(".py")
                ]
        except OSError:
            return
        total = sum(size for _, size, _ in entries)
        for _, size, path in sorted(entries):
            if total <= limit:
                break
            try:
                os.unlink(path)
            except OSError:
                continue
            total -= size
