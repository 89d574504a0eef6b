"""The recipe: load -> validate -> build and render (per target) -> plan.

``cli.py`` and ``config`` jobs call these functions; writing is left to
``generator.write`` so that ``check`` can compare the same plan without writing.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from generator.diagnostics import Diagnostic, as_warnings, has_errors, sort_unique
from generator.load import Document, load
from generator.render.targets import plan_document, target_for
from generator.validate import validate
from generator.write.plan import WritePlan

__all__ = ["load_and_validate", "plan_target"]


def load_and_validate(
    spec: Path, *, allow_remote_refs: bool = False, display: str | None = None
) -> tuple[Document | None, list[Diagnostic]]:
    """Load ``spec`` and validate it; ``(None, diags)`` when it cannot be loaded at all."""
    doc, diagnostics = load(spec, allow_remote_refs=allow_remote_refs, display=display)
    if doc is None:
        return None, sort_unique(diagnostics)
    if doc.kind is None:
        return doc, sort_unique(diagnostics)
    return doc, sort_unique([*diagnostics, *validate(doc)])


def plan_target(
    spec: Path,
    target: str,
    *,
    package: str | None = None,
    options: Mapping[str, object] | None = None,
    templates: Path | None = None,
    allow_invalid: bool = False,
    allow_remote_refs: bool = False,
    spec_label: str | None = None,
) -> tuple[WritePlan | None, list[Diagnostic]]:
    """Plan the files ``target`` makes from ``spec``; ``None`` when the spec is refused."""
    target_for(None, target, spec)
    doc, diagnostics = load_and_validate(spec, allow_remote_refs=allow_remote_refs)
    if doc is None:
        return None, diagnostics
    target_for(doc, target, spec)
    if has_errors(diagnostics):
        if not allow_invalid:
            return None, diagnostics
        diagnostics = as_warnings(diagnostics)
    plan, more = plan_document(
        doc,
        target,
        spec=spec,
        spec_label=spec_label or Path(spec).name,
        package=package,
        options=options,
        templates=templates,
    )
    return plan, sort_unique([*diagnostics, *more])
