"""A job's targets share one load, validation and build of their spec; each plans as if alone.

Loading, validating and building the IR is most of the time on a big spec, so
``plan_units`` does each once per spec, not once more per target.
"""

from __future__ import annotations

import gc
from pathlib import Path
from typing import Any

import pytest
from rest_support import SPECS

import generator.drive.specs as specs
import generator.translate.rest_ir as rest_ir
from generator.drive.project import Unit, plan_units
from generator.drive.spec import plan_target
from generator.load import load
from generator.translate.openapi import build

TARGETS = ("rest-server", "rest-client")


def _units(spec: Path, out: Path, allow_invalid: bool = False) -> list[Unit]:
    return [
        Unit(
            spec=spec,
            spec_label=spec.name,
            target=target,
            out_dir=out / target,
            allow_invalid=allow_invalid,
        )
        for target in TARGETS
    ]


def _count_loads(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """Every spec the pipeline reads from disk, in order."""
    loaded: list[Path] = []

    def counting(spec: Path, **kwargs: Any) -> Any:
        loaded.append(spec)
        return load(spec, **kwargs)

    monkeypatch.setattr(specs, "load", counting)
    return loaded


def test_two_targets_load_and_build_their_spec_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    loaded = _count_loads(monkeypatch)
    built: list[object] = []

    def counting_build(doc: Any) -> Any:
        built.append(doc)
        return build(doc)

    monkeypatch.setattr(rest_ir, "build", counting_build)
    spec = SPECS / "petstore.yaml"
    planned = plan_units(_units(spec, tmp_path))
    assert loaded == [spec]
    assert len(built) == 1
    assert not planned.failed
    for folder in planned.folders:
        alone, _ = plan_target(spec, folder.unit.target, spec_label=spec.name)
        assert alone is not None
        assert {c.path: c.new for c in folder.changes.changes} == {
            f.path: f.content for f in alone.files
        }


def test_alternating_specs_are_loaded_again_not_kept(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    loaded = _count_loads(monkeypatch)
    pets, books = SPECS / "petstore.yaml", SPECS / "bookstore.yaml"
    units = [*_units(pets, tmp_path / "a")[:1], *_units(books, tmp_path / "b")[:1]]
    units += _units(pets, tmp_path / "c")[1:]
    planned = plan_units(units)
    assert not planned.failed
    assert loaded == [pets, books, pets]  # only the latest document is held


@pytest.mark.parametrize("allow_invalid", [False, True])
def test_a_spec_that_cannot_load_plans_nothing(tmp_path: Path, allow_invalid: bool) -> None:
    spec = tmp_path / "broken.yaml"
    spec.write_text("openapi: 3.1.0\ninfo: [unclosed\n", encoding="utf-8")
    planned = plan_units(_units(spec, tmp_path / "out", allow_invalid=allow_invalid))
    assert planned.folders == ()
    assert planned.failed  # even allow_invalid cannot plan from nothing: the run fails


def test_a_target_of_the_other_family_is_located(tmp_path: Path) -> None:
    spec = SPECS / "chat.yaml"
    planned = plan_units(_units(spec, tmp_path))
    assert planned.folders == ()
    assert {d.code for d in planned.diagnostics} == {"target-mismatch"}


def test_the_shared_ir_does_not_outlive_its_document(tmp_path: Path) -> None:
    plan_units(_units(SPECS / "petstore.yaml", tmp_path))
    gc.collect()
    assert len(rest_ir._BUILT) == 0
