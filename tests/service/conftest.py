"""Generating the example service pair (specs/orders-*.yaml) for the service tests."""

from __future__ import annotations

from pathlib import Path

from generator.drive.spec import load_and_validate
from generator.drive.target import plan_document
from generator.render.plan import WritePlan

REPO = Path(__file__).resolve().parents[2]
SPECS = REPO / "specs"


def plan_pair(
    api: Path, events: Path, target: str = "service", package: str | None = None
) -> tuple[WritePlan, list[str]]:
    """The plan of ``target`` for the pair, and the text of its diagnostics."""
    api_doc, found = load_and_validate(api)
    events_doc, more = load_and_validate(events)
    assert api_doc is not None and events_doc is not None, [d.to_text() for d in found + more]
    plan, diagnostics = plan_document(
        api_doc,
        target,
        spec=api,
        spec_label=api.name,
        package=package,
        companion=events_doc,
        companion_label=events.name,
    )
    return plan, [d.to_text() for d in diagnostics]


def write(plan: WritePlan, out: Path) -> Path:
    for item in plan.files:
        path = out / item.path
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(item.content, encoding="utf-8")
    return out


def generate_service(out: Path) -> Path:
    """The orders service, written to ``out``."""
    plan, _ = plan_pair(SPECS / "orders-api.yaml", SPECS / "orders-events.yaml")
    return write(plan, out)
