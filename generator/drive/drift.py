"""``check``'s verdict: drift between a planned folder and the disk, as Diagnostics.

Each generated file that ``generate`` would create, update or remove is an
error located at the file (and at its first differing line when it is
stale), so editors and pre-commit show it like any other problem. Operations
a user file still leaves to their generated default are information, one per
operation where the code shows it (see ``defaults``), else one per user file
that is still byte-identical to the default twinspec first wrote.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable

from generator.diagnostics import Diagnostic, Severity
from generator.drive.defaults import unimplemented, untouched
from generator.drive.project import PlannedFolder
from generator.load import display_path
from generator.render.plan import Owner
from generator.write.changes import Action, Change
from generator.write.paths import MANIFEST_NAME

__all__ = ["FIX_COMMAND", "drift_diagnostics", "drift_diffs"]

FIX_COMMAND = "twinspec generate"


def _first_difference(old: str, new: str) -> int:
    old_lines, new_lines = old.splitlines(), new.splitlines()
    for number, (a, b) in enumerate(zip(old_lines, new_lines, strict=False), start=1):
        if a != b:
            return number
    return min(len(old_lines), len(new_lines)) + 1


def _text(data: bytes | None) -> str:
    return data.decode("utf-8", "replace") if data is not None else ""


def _diagnostic(folder: PlannedFolder, change: Change) -> Diagnostic | None:
    unit = folder.unit
    shown = display_path(unit.out_dir / change.path)
    origin = f"{unit.spec_label} (target {unit.target})"
    source = f"from {unit.spec_label}, target {unit.target}"
    if change.owner is Owner.USER:
        if change.new is None:
            message = (
                f"user-owned file is no longer part of what {origin} generates; "
                "it is kept: move its code where the generated project now expects it, "
                "or delete it"
            )
            return Diagnostic(shown, 0, 0, "", Severity.WARNING, "orphaned-user-file", message)
        if change.action is Action.CREATE:
            message = (
                f"user-owned file is missing; `{FIX_COMMAND}` writes its default again ({source})"
            )
            return Diagnostic(shown, 0, 0, "", Severity.ERROR, "missing", message)
        if change.pristine:
            message = "user-owned file is still the generated default: its operations are not implemented yet"
            return Diagnostic(shown, 0, 0, "", Severity.INFO, "not-implemented", message)
        return None
    if change.action is Action.CREATE:
        message = f"generated file is missing ({source}); run `{FIX_COMMAND}`"
        return Diagnostic(shown, 0, 0, "", Severity.ERROR, "missing", message)
    if change.new is None and change.action in (Action.REMOVE, Action.CONFLICT):
        message = f"{origin} no longer generates this file; run `{FIX_COMMAND}` to remove it"
        return Diagnostic(shown, 0, 0, "", Severity.ERROR, "orphaned", message)
    if change.action in (Action.UPDATE, Action.CONFLICT) and change.new is not None:
        line = _first_difference(_text(change.old), change.new)
        message = f"generated file is out of date with {origin}; run `{FIX_COMMAND}`"
        if change.action is Action.CONFLICT:
            message += f" (it was {change.reason}: add --force to discard that)"
        return Diagnostic(shown, line, 1, "", Severity.ERROR, "stale", message)
    return None


def _not_implemented(folder: PlannedFolder, change: Change) -> list[Diagnostic] | None:
    """Info per operation a user Python file leaves to its default; None if none is recognised."""
    if change.old is None or change.new is None or not change.path.endswith(".py"):
        return None
    user_text = _text(change.old)
    generated = {
        c.path: c.new
        for c in folder.changes.changes
        if c.owner is Owner.GENERATED and c.new is not None and c.path.endswith(".py")
    }
    inherited = unimplemented(user_text, generated)
    found = [*(inherited or ()), *untouched(user_text, change.new or "")]
    if inherited is None and not found:
        return None
    shown = display_path(folder.unit.out_dir / change.path)
    return [
        Diagnostic(
            shown,
            item.line,
            item.column,
            "",
            Severity.INFO,
            "not-implemented",
            f"{item.name} is not implemented yet: {item.reason}",
        )
        for item in sorted(found, key=lambda i: (i.line, i.name))
    ]


def _user_info(folder: PlannedFolder, change: Change) -> list[Diagnostic]:
    precise = _not_implemented(folder, change)
    if precise is not None:
        return precise
    plain = _diagnostic(folder, change)
    return [plain] if plain else []


def drift_diagnostics(folders: Iterable[PlannedFolder]) -> list[Diagnostic]:
    """Every stale, missing or orphaned file (errors) and unimplemented operation (info).

    Operations are found in user classes that inherit generated ones; a user
    file without that pattern is reported as a whole while it is still the
    default twinspec first wrote.
    """
    found: list[Diagnostic] = []
    for folder in folders:
        mine: list[Diagnostic] = []
        for change in folder.changes.changes:
            if change.owner is Owner.USER and change.action is Action.SKIP:
                mine.extend(_user_info(folder, change))
            elif diagnostic := _diagnostic(folder, change):
                mine.append(diagnostic)
        found.extend(mine)
        drifted = any(d.severity is Severity.ERROR for d in mine)
        if folder.changes.manifest_stale and not drifted:  # else implied by the files
            shown = display_path(folder.unit.out_dir / MANIFEST_NAME)
            message = f"the generation manifest is out of date; run `{FIX_COMMAND}`"
            found.append(Diagnostic(shown, 0, 0, "", Severity.ERROR, "stale-manifest", message))
    return found


def drift_diffs(folders: Iterable[PlannedFolder]) -> str:
    """Unified diffs, disk -> plan, of every generated file ``generate`` would change."""
    parts: list[str] = []
    for folder in folders:
        for change in folder.changes.changes:
            if change.owner is Owner.USER or change.action in (Action.IDENTICAL, Action.SKIP):
                continue
            shown = display_path(folder.unit.out_dir / change.path)
            old = _text(change.old).splitlines(keepends=True)
            new = (change.new or "").splitlines(keepends=True)
            before = f"a/{shown}" if change.old is not None else "/dev/null"
            after = f"b/{shown}" if change.new is not None else "/dev/null"
            parts.extend(difflib.unified_diff(old, new, before, after))
            if parts and not parts[-1].endswith("\n"):
                parts[-1] += "\n\\ No newline at end of file\n"
    return "".join(parts)
