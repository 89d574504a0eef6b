"""Apply changes to output folders all at once, or not at all.

Every new file is first written into a temporary folder beside its output
folder (same filesystem, so moves are atomic renames). Then each affected
file is moved aside into that temporary folder and the new one moved into
place, in a journal. Any failure replays the journal backwards, so the
previous output is left byte for byte as it was; success deletes the
temporary folders. Nothing outside the output folders is written except these
temporary folders, which are always removed.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from generator.write.changes import Action, FolderChanges
from generator.write.paths import MANIFEST_NAME, check_inside

__all__ = ["apply_all"]


@dataclass
class _Journal:
    """Undo steps, newest last: ("restore", target, backup) / ("unlink", path) / ("rmdir", dir)."""

    steps: list[tuple[str, Path, Path | None]] = field(default_factory=list)

    def rollback(self) -> None:
        for kind, path, backup in reversed(self.steps):
            try:
                if kind == "restore" and backup is not None:
                    os.replace(backup, path)
                elif kind == "unlink":
                    path.unlink(missing_ok=True)
                elif kind == "rmdir":
                    path.rmdir()
            except OSError:  # pragma: no cover - best effort; keep undoing the rest
                continue


def _makedirs(directory: Path, journal: _Journal) -> None:
    missing: list[Path] = []
    current = directory
    while not current.exists():
        missing.append(current)
        current = current.parent
    for path in reversed(missing):
        path.mkdir()
        journal.steps.append(("rmdir", path, None))


def _stage(folder: FolderChanges, force: bool) -> Path:
    """Write the new files of one folder into a fresh temporary folder beside it."""
    parent = folder.out_dir.parent
    parent.mkdir(parents=True, exist_ok=True)
    temp = Path(tempfile.mkdtemp(prefix=f".{folder.out_dir.name}.twinspec-", dir=parent))
    new_root = temp / "new"
    for change in folder.changes:
        if change.new is None or not _applies(change.action, force):
            continue
        staged = new_root / change.path
        staged.parent.mkdir(parents=True, exist_ok=True)
        staged.write_bytes(change.new.encode("utf-8"))
    if folder.manifest_stale:
        new_root.mkdir(exist_ok=True)
        (new_root / MANIFEST_NAME).write_bytes(folder.manifest_text.encode("utf-8"))
    return temp


def _applies(action: Action, force: bool) -> bool:
    if action is Action.CONFLICT:
        return force
    return action in (Action.CREATE, Action.UPDATE, Action.REMOVE)


def _commit(folder: FolderChanges, temp: Path, force: bool, journal: _Journal) -> list[Path]:
    """Move staged files into place; return the folders removals may have emptied."""
    emptied: list[Path] = []
    backup_root = temp / "old"
    moves = [(c.path, c.new is not None) for c in folder.changes if _applies(c.action, force)]
    if folder.manifest_stale:
        moves.append((MANIFEST_NAME, True))
    _makedirs(folder.out_dir, journal)
    for relative, has_new in moves:
        target = check_inside(folder.out_dir, relative)
        if target.exists() or target.is_symlink():
            backup = backup_root / relative
            backup.parent.mkdir(parents=True, exist_ok=True)
            os.replace(target, backup)
            journal.steps.append(("restore", target, backup))
        if has_new:
            _makedirs(target.parent, journal)
            os.replace(temp / "new" / relative, target)
            journal.steps.append(("unlink", target, None))
        else:
            emptied.append(target.parent)
    return emptied


def _prune(out_dir: Path, folders: Sequence[Path]) -> None:
    """Remove folders left empty by removals, up to (not including) ``out_dir``."""
    for start in sorted(set(folders), key=lambda p: len(p.parts), reverse=True):
        current = start
        while current != out_dir and out_dir in current.parents:
            try:
                current.rmdir()
            except OSError:
                break
            current = current.parent


def apply_all(folders: Sequence[FolderChanges], *, force: bool = False) -> None:
    """Apply every folder's changes atomically: all of them, or none.

    Conflicts are applied only with ``force``; callers refuse earlier otherwise.
    Re-raises whatever failed after undoing everything already moved.
    """
    folders = [
        f for f in folders if f.manifest_stale or any(_applies(c.action, force) for c in f.changes)
    ]
    temps: list[Path] = []
    journal = _Journal()
    emptied: dict[Path, list[Path]] = {}
    try:
        for folder in folders:
            temps.append(_stage(folder, force))
        for folder, temp in zip(folders, temps, strict=True):
            emptied[folder.out_dir] = _commit(folder, temp, force, journal)
    except BaseException:
        journal.rollback()
        raise
    finally:
        for temp in temps:
            shutil.rmtree(temp, ignore_errors=True)
    for out_dir, dirs in emptied.items():
        _prune(out_dir, dirs)
