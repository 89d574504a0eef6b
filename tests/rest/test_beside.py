"""Validation beside planning: the same plans and Diagnostics as one after the other.

A big spec is validated in a forked child while its first target is planned
(``generator.drive.beside``); small ones are forced through that path here.
What is planned ahead is used only when the verdict allows, and its errors
surface only then; a child that fails leaves the work to the parent.
"""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Any

import pytest
from rest_support import SPECS

import generator.drive.project as project
import generator.drive.specs as specs
from generator.diagnostics import Diagnostic
from generator.drive.beside import Beside, can_fork
from generator.drive.project import ProjectPlan, Unit, plan_units

pytestmark = pytest.mark.skipif(not can_fork(), reason="no safe fork here: always sequential")

INVALID = """\
openapi: 3.1.0
info: {title: Broken, version: "1"}
paths:
  /pets/{petId}:
    get:
      responses:
        "200": {description: ok}
"""


def _units(spec: Path, out: Path, allow_invalid: bool = False) -> list[Unit]:
    return [
        Unit(
            spec=spec, spec_label=spec.name, target=t, out_dir=out / t, allow_invalid=allow_invalid
        )
        for t in ("rest-server", "rest-client")
    ]


def _seen(project_plan: ProjectPlan) -> tuple[object, ...]:
    files = {
        (f.unit.target, c.path): c.new for f in project_plan.folders for c in f.changes.changes
    }
    return files, project_plan.diagnostics


def _both(monkeypatch: pytest.MonkeyPatch, units: list[Unit]) -> tuple[Any, Any]:
    monkeypatch.setattr(specs, "BESIDE_BYTES", 10**12)
    alone = _seen(plan_units(units))
    monkeypatch.setattr(specs, "BESIDE_BYTES", 0)
    return alone, _seen(plan_units(units))


def test_a_valid_spec_plans_alike(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    alone, beside = _both(monkeypatch, _units(SPECS / "petstore.yaml", tmp_path))
    assert beside == alone
    assert alone[0]  # files were planned


@pytest.mark.parametrize("allow_invalid", [False, True])
def test_an_invalid_spec_plans_alike(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, allow_invalid: bool
) -> None:
    spec = tmp_path / "broken.yaml"
    spec.write_text(INVALID, encoding="utf-8")
    alone, beside = _both(monkeypatch, _units(spec, tmp_path / "out", allow_invalid))
    assert beside == alone
    assert bool(alone[0]) is allow_invalid
    assert any(d.code == "path-param-undeclared" for d in alone[1])


def test_a_plan_made_ahead_raises_only_if_used(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(specs, "BESIDE_BYTES", 0)

    def broken(*args: object, **kwargs: object) -> Any:
        raise RuntimeError("builder bug")

    monkeypatch.setattr(project, "plan_document", broken)
    spec = tmp_path / "broken.yaml"
    spec.write_text(INVALID, encoding="utf-8")
    refused = plan_units(_units(spec, tmp_path / "out"))  # the verdict drops the plan unseen
    assert refused.failed
    assert refused.folders == ()
    with pytest.raises(RuntimeError, match="builder bug"):
        plan_units(_units(SPECS / "petstore.yaml", tmp_path / "pets"))


def test_a_validator_that_raises_raises_here(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(specs, "BESIDE_BYTES", 0)

    def broken(doc: object) -> list[Diagnostic]:
        raise RuntimeError("validator bug")

    monkeypatch.setattr(specs, "validate", broken)
    with pytest.raises(RuntimeError, match="validator bug"):
        plan_units(_units(SPECS / "petstore.yaml", tmp_path))


def test_beside_returns_the_childs_result() -> None:
    parent = os.getpid()
    child = Beside(lambda: [os.getpid() != parent, {"x": (1, "y")}])
    assert child.forked
    assert child.result() == [True, {"x": (1, "y")}]
    assert not child.forked


def test_a_failed_child_leaves_the_work_here() -> None:
    parent = os.getpid()

    def crash_there() -> str:
        if os.getpid() != parent:
            os._exit(3)
        return "here"

    assert Beside(crash_there).result() == "here"
    calls: list[int] = []

    def raise_anywhere() -> None:
        calls.append(os.getpid())
        raise ValueError("same error here")

    with pytest.raises(ValueError, match="same error here"):
        Beside(raise_anywhere).result()
    assert calls == [parent]  # the child's call is not the parent's


def test_without_fork_it_runs_here(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("generator.drive.beside.can_fork", lambda: False)
    child = Beside(os.getpid)
    assert not child.forked
    assert child.result() == os.getpid()


def test_cancel_stops_and_reaps_the_child() -> None:
    child = Beside(lambda: time.sleep(3600))  # were it not killed, reaping it would hang
    pid = child._pid
    child.cancel()
    assert not child.forked
    with pytest.raises(ChildProcessError):
        os.waitpid(pid, 0)
