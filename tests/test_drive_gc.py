"""The driver imports a target's modules with the loaded document frozen (no collector pass over it)."""

from __future__ import annotations

import gc
from pathlib import Path

import pytest

from generator.drive.target import plan_document
from generator.load import load
from generator.render.targets import TargetInfo

SPEC = Path(__file__).resolve().parents[1] / "specs" / "petstore.yaml"


def test_target_modules_are_imported_with_the_document_frozen(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    doc, _ = load(SPEC)
    assert doc is not None
    frozen_at: dict[str, int] = {}
    for name in ("load_translator", "load"):
        original = getattr(TargetInfo, name)

        def recording(self: TargetInfo, _name: str = name, _original: object = original) -> object:
            frozen_at[_name] = gc.get_freeze_count()
            return _original(self)  # type: ignore[operator]

        monkeypatch.setattr(TargetInfo, name, recording)
    assert gc.get_freeze_count() == 0
    plan, _ = plan_document(doc, "rest-server", spec=SPEC, spec_label=SPEC.name)
    assert plan.files
    assert set(frozen_at) == {"load_translator", "load"}
    assert all(count > 0 for count in frozen_at.values()), frozen_at
    assert gc.get_freeze_count() == 0  # released after
