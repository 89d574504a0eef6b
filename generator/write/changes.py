"""Compare a ``WritePlan`` with one output folder: copier's per-file verbs.

``plan_changes`` never writes. ``generate`` prints its verbs and applies them;
``check`` turns the ones that are not ``identical``/``skip`` into drift
Diagnostics. The rules, for a generated file:

* absent -> ``create``; same bytes -> ``identical``;
* different, and the disk still holds what twinspec last wrote -> ``update``;
* different otherwise (edited by hand, or never written by twinspec) -> ``conflict``.

A user file is ``create``d when absent and otherwise ``skip``ped, forever.
A generated file in the old manifest that the plan no longer has is
``remove``d, or a ``conflict`` if it was edited since; such a user file is
``skip``ped (with a reason) and stays listed, so ``check`` can point at it.
"""

from __future__ import annotations

import enum
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from generator.errors import OutputPathError
from generator.render.plan import Owner, WritePlan
from generator.write.manifest import Entry, Manifest, read_manifest, sha256_bytes, sha256_text
from generator.write.paths import MANIFEST_NAME, check_inside, check_plan_paths, check_relative

__all__ = ["Action", "Change", "FolderChanges", "plan_changes", "summarize"]


class Action(str, enum.Enum):
    """What writing the plan would do to one file."""

    CREATE = "create"
    IDENTICAL = "identical"
    UPDATE = "update"
    SKIP = "skip"
    CONFLICT = "conflict"
    REMOVE = "remove"


@dataclass(frozen=True, slots=True)
class Change:
    """One file's fate. ``new`` is ``None`` for removals, ``old`` when absent on disk."""

    path: str
    action: Action
    owner: Owner
    new: str | None
    old: bytes | None
    reason: str = ""
    pristine: bool = False
    """For a skipped user file: still byte-identical to the default twinspec first wrote."""

    @property
    def writes(self) -> bool:
        """True when applying the change touches the disk (conflicts only under --force)."""
        return self.action in (Action.CREATE, Action.UPDATE, Action.REMOVE, Action.CONFLICT)


@dataclass(frozen=True, slots=True)
class FolderChanges:
    """Every change for one output folder, and the manifest text it should end with."""

    out_dir: Path
    target: str
    changes: tuple[Change, ...]
    manifest_text: str
    old_manifest_text: str | None

    @property
    def manifest_stale(self) -> bool:
        """True when the manifest on disk differs from what writing would leave."""
        return self.manifest_text != self.old_manifest_text

    @property
    def conflicts(self) -> tuple[Change, ...]:
        """Changes that need ``--force``."""
        return tuple(c for c in self.changes if c.action is Action.CONFLICT)


def _read(path: Path) -> bytes | None:
    try:
        return path.read_bytes() if path.is_file() else None
    except OSError:
        return None


def _generated(path: str, new: str, old: bytes | None, known: Entry | None) -> Change:
    if old is None:
        return Change(path, Action.CREATE, Owner.GENERATED, new, None)
    if old == new.encode("utf-8"):
        return Change(path, Action.IDENTICAL, Owner.GENERATED, new, old)
    if known is not None and known.owner is Owner.GENERATED:
        if sha256_bytes(old) == known.sha256:
            return Change(path, Action.UPDATE, Owner.GENERATED, new, old)
        reason = "edited by hand since twinspec wrote it"
    else:
        reason = "exists but was not written by twinspec"
    return Change(path, Action.CONFLICT, Owner.GENERATED, new, old, reason)


def plan_changes(plan: WritePlan, out_dir: Path) -> FolderChanges:
    """What writing ``plan`` into ``out_dir`` would do, file by file (sorted by path).

    Raises ``OutputPathError`` when a planned path is unsafe.
    """
    planned = plan.by_path()
    check_plan_paths(planned)
    manifest = read_manifest(out_dir)
    known = dict(manifest.files) if manifest else {}
    changes: list[Change] = []
    entries: dict[str, Entry] = {}
    for path, file in sorted(planned.items()):
        target = check_inside(out_dir, path)
        if target.is_dir():
            raise OutputPathError(f"{target} is a folder; twinspec will not replace it with a file")
        old = _read(target)
        if file.owner is Owner.USER:
            if old is None:
                changes.append(Change(path, Action.CREATE, Owner.USER, file.content, None))
                entries[path] = Entry(Owner.USER, sha256_text(file.content))
            else:
                previous = known.get(path)
                keep = previous if previous and previous.owner is Owner.USER else None
                pristine = keep is not None and sha256_bytes(old) == keep.sha256
                changes.append(
                    Change(path, Action.SKIP, Owner.USER, file.content, old, pristine=pristine)
                )
                entries[path] = keep or Entry(Owner.USER, sha256_text(file.content))
            continue
        changes.append(_generated(path, file.content, old, known.get(path)))
        entries[path] = Entry(Owner.GENERATED, sha256_text(file.content))
    for path, entry in sorted(known.items()):
        if path in planned:
            continue
        try:
            on_disk = check_inside(out_dir, check_relative(path))
        except OutputPathError:  # an unsafe path in a tampered manifest: never touch it
            continue
        old = _read(on_disk)
        if entry.owner is Owner.USER:
            if old is not None:  # kept forever, but no longer part of the project
                entries[path] = entry
                reason = "no longer generated; kept because it is yours"
                changes.append(Change(path, Action.SKIP, Owner.USER, None, old, reason))
            continue
        if old is not None and sha256_bytes(old) != entry.sha256:
            changes.append(
                Change(
                    path,
                    Action.CONFLICT,
                    Owner.GENERATED,
                    None,
                    old,
                    "no longer generated, but edited by hand since twinspec wrote it",
                )
            )
        else:
            changes.append(Change(path, Action.REMOVE, Owner.GENERATED, None, old))
    changes.sort(key=lambda c: c.path)
    old_text = _read(out_dir / MANIFEST_NAME)
    return FolderChanges(
        out_dir=out_dir,
        target=plan.target,
        changes=tuple(changes),
        manifest_text=Manifest(plan.target, entries).to_text(),
        old_manifest_text=old_text.decode("utf-8", "replace") if old_text is not None else None,
    )


_SUMMARY = (
    (Action.CREATE, "created"),
    (Action.UPDATE, "updated"),
    (Action.REMOVE, "removed"),
    (Action.CONFLICT, "edited by hand"),
    (Action.SKIP, "user-owned kept"),
    (Action.IDENTICAL, "unchanged"),
)


def summarize(actions: Iterable[Action]) -> str:
    """``3 created, 95 unchanged, 1 removed``: how many files each verb touched, busiest first.

    Gives the one line ``generate`` ends with, so a run over a hundred files does
    not have to be read file by file.
    """
    counts = Counter(actions)
    return ", ".join(f"{counts[a]} {word}" for a, word in _SUMMARY if counts[a]) or "no files"
