"""The write plan: what a target would put on disk, before anything is written.

``render`` produces a ``WritePlan``; ``write`` applies it atomically and
``check`` compares it with the disk. ``owner`` decides regeneration: generated
files are rewritten every run, user files are created once and never touched.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field

__all__ = ["Owner", "PlannedFile", "WritePlan"]


class Owner(str, enum.Enum):
    """Who owns a file after it is first written."""

    GENERATED = "generated"
    USER = "user"


@dataclass(frozen=True, slots=True)
class PlannedFile:
    """One output file: a POSIX path relative to the output folder, its text and owner."""

    path: str
    content: str
    owner: Owner = Owner.GENERATED


@dataclass(frozen=True, slots=True)
class WritePlan:
    """Every file one target writes into its output folder, sorted by path."""

    target: str
    files: tuple[PlannedFile, ...] = field(default_factory=tuple)

    def by_path(self) -> dict[str, PlannedFile]:
        """Files keyed by their relative path."""
        return {f.path: f for f in self.files}
