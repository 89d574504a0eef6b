"""The generation manifest: what twinspec wrote into one output folder.

``.twinspec-manifest.json`` lists every file by relative path with its owner
and the SHA-256 of the text twinspec wrote (for user files: the first,
default version). No timestamps, sorted keys: it is committed with the output
and must not change unless the output does. It lets regeneration remove files
the spec no longer produces, refuse to overwrite hand edits, and lets
``check`` tell an unimplemented user file from an implemented one.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from generator.render.plan import Owner
from generator.write.paths import MANIFEST_NAME

__all__ = ["Entry", "Manifest", "read_manifest", "sha256_bytes", "sha256_text"]

_FORMAT = 1


def sha256_bytes(data: bytes) -> str:
    """Hex SHA-256 of raw bytes."""
    return hashlib.sha256(data).hexdigest()


def sha256_text(text: str) -> str:
    """Hex SHA-256 of text as twinspec writes it (UTF-8)."""
    return sha256_bytes(text.encode("utf-8"))


@dataclass(frozen=True, slots=True)
class Entry:
    """One file twinspec wrote: its owner and the hash of what it wrote."""

    owner: Owner
    sha256: str


@dataclass(frozen=True, slots=True)
class Manifest:
    """The manifest of one output folder (one target)."""

    target: str
    files: Mapping[str, Entry] = field(default_factory=dict)

    def to_text(self) -> str:
        """Stable JSON text: sorted paths, two-space indent, final newline."""
        data = {
            "format": _FORMAT,
            "target": self.target,
            "files": {
                path: {"owner": entry.owner.value, "sha256": entry.sha256}
                for path, entry in sorted(self.files.items())
            },
        }
        return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def read_manifest(out_dir: Path) -> Manifest | None:
    """The manifest in ``out_dir``; ``None`` when absent or unreadable.

    An unreadable manifest is treated as absent: every existing file then
    counts as not written by twinspec, so nothing is overwritten silently.
    """
    try:
        data = json.loads((out_dir / MANIFEST_NAME).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or not isinstance(data.get("files"), dict):
        return None
    files: dict[str, Entry] = {}
    for path, raw in data["files"].items():
        if not isinstance(raw, dict):
            continue
        try:
            files[str(path)] = Entry(Owner(raw.get("owner")), str(raw["sha256"]))
        except (KeyError, ValueError):
            continue
    return Manifest(target=str(data.get("target", "")), files=files)
