"""Stage: two loaded documents -> the changes between them, as located Diagnostics.

``twinspec diff`` runs after ``load`` (and translate's normalisation of
Swagger 2.0 and AsyncAPI 2.x): it compares the resolved shapes of an old and
a new version of one API and reports each change with a stable rule code
(``rules.RULES``), a severity (error = breaking, warning = potentially
breaking, info = compatible) and the place in NEW (in OLD for removals).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from generator.diagnostics import Diagnostic, has_errors, sort_unique
from generator.diff.changes import Collector
from generator.diff.rules import RULES
from generator.load import Document, RefMap, load

__all__ = ["RULES", "DiffResult", "diff_documents", "diff_files", "spec_ref_maps"]


@dataclass(frozen=True, slots=True)
class DiffResult:
    """The changes, or why the two versions could not be compared (``problems``)."""

    changes: tuple[Diagnostic, ...]
    problems: tuple[Diagnostic, ...] = ()
    usage: str = ""
    """Set when the inputs cannot be compared at all (different families, not an API)."""


def spec_ref_maps(jobs: Iterable[tuple[Path, RefMap]], extra: RefMap) -> dict[Path, RefMap]:
    """The ``ref_map`` each job spec is read with, ``extra`` (``--ref-map``) added.

    The first job naming a spec decides, as in ``generate`` and ``check``: a run
    loads each spec once (``drive.specs.SpecRuns``), with its first job's map.
    """
    maps: dict[Path, RefMap] = {}
    for spec, ref_map in jobs:
        maps.setdefault(spec, ref_map.merged(extra))
    return maps


def diff_documents(old: Document, new: Document) -> list[Diagnostic]:
    """Every change from ``old`` to ``new`` (same family), sorted by position."""
    out = Collector()
    assert old.kind is not None and new.kind is not None
    if new.kind.family == "asyncapi":
        from generator.diff.asyncapi import diff_asyncapi

        diff_asyncapi(old, new, out)
    else:
        from generator.diff.openapi import diff_openapi

        diff_openapi(old, new, out)
    return sort_unique(out.diagnostics())


def diff_files(
    old: Path,
    new: Path,
    *,
    old_display: str | None = None,
    new_display: str | None = None,
    allow_remote_refs: bool = False,
    ref_map: RefMap | None = None,
    label_old: Callable[[Path], str] | None = None,
) -> DiffResult:
    """Load both versions and compare them; problems loading either are reported, not raised.

    ``label_old`` names each file of the old version (``REF:path`` for a git revision).
    """
    problems: list[Diagnostic] = []
    docs: list[Document] = []
    for path, display in ((old, old_display), (new, new_display)):
        if path is old and label_old is not None:
            display = label_old(Path(path))
        doc, diagnostics = load(
            path,
            allow_remote_refs=allow_remote_refs,
            display=display,
            ref_map=ref_map or RefMap(),
        )
        if doc is not None and path is old and label_old is not None:
            for source in doc.files.values():
                source.display = label_old(source.path)
        problems += [d for d in diagnostics if d.severity.value == "error"]
        if doc is None:
            return DiffResult((), tuple(problems))
        if doc.kind is None:
            return DiffResult(
                (), tuple(problems), f"{display or path}: not an OpenAPI or AsyncAPI document"
            )
        docs.append(doc)
    old_doc, new_doc = docs
    assert old_doc.kind is not None and new_doc.kind is not None
    if old_doc.kind.family != new_doc.kind.family:
        return DiffResult(
            (),
            (),
            f"cannot compare {old_doc.kind} with {new_doc.kind}: both must be OpenAPI or both AsyncAPI",
        )
    if has_errors(problems):
        return DiffResult((), tuple(sort_unique(problems)))
    return DiffResult(tuple(diff_documents(old_doc, new_doc)))
