"""One spec at a time: load and validate it, or plan one target from it.

``validate`` and the tests call these; ``plan_target`` takes the same path
as a ``generate`` run (``project.plan_unit``), so tests see what users get.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from generator.diagnostics import Diagnostic, sort_unique
from generator.drive.specs import warming
from generator.drive.target import target_for
from generator.load import Document, RefMap, load
from generator.validate import validate

if TYPE_CHECKING:
    from generator.render.plan import WritePlan

__all__ = ["load_and_validate", "plan_target"]


def load_and_validate(
    spec: Path,
    *,
    allow_remote_refs: bool = False,
    display: str | None = None,
    ref_map: RefMap | None = None,
) -> tuple[Document | None, list[Diagnostic]]:
    """Load ``spec`` and validate it; ``(None, diags)`` when it cannot be loaded at all.

    A big spec's OpenAPI checks are imported while it loads (``specs.warming``).
    """
    with warming(spec, _import_openapi_checks):
        doc, diagnostics = load(
            spec, allow_remote_refs=allow_remote_refs, display=display, ref_map=ref_map or RefMap()
        )
    if doc is None:
        return None, sort_unique(diagnostics)
    if doc.kind is None:
        return doc, sort_unique(diagnostics)
    return doc, sort_unique([*diagnostics, *validate(doc)])


def _import_openapi_checks() -> None:
    """What validating a big OpenAPI document imports (most big specs are OpenAPI)."""
    import jsonschema_rs  # noqa: F401

    import generator.validate.openapi
    import generator.validate.openapi_keyword_walk
    import generator.validate.openapi_rules  # noqa: F401


def plan_target(
    spec: Path,
    target: str,
    *,
    package: str | None = None,
    options: Mapping[str, object] | None = None,
    templates: Path | None = None,
    allow_invalid: bool = False,
    spec_label: str | None = None,
    ref_map: RefMap | None = None,
) -> tuple[WritePlan | None, list[Diagnostic]]:
    """Plan the files ``target`` makes from ``spec``; ``None`` when the spec is refused.

    Raises ``UsageError`` for an unknown target; every other problem is a Diagnostic.
    """
    from generator.drive.project import Unit, plan_unit  # ``validate`` needs none of it

    target_for(None, target, spec)
    unit = Unit(
        spec=Path(spec),
        spec_label=spec_label or Path(spec).name,
        target=target,
        out_dir=Path(),
        package=package,
        options=options,
        templates=templates,
        allow_invalid=allow_invalid,
        ref_map=ref_map or RefMap(),
    )
    rendered = plan_unit(unit)
    return rendered.plan, list(rendered.diagnostics)
