"""The validation child also writes a big spec's ``openapi.json`` text for rest-server.

The plan takes that text only when the child is already done (``Beside.ready``),
never waiting for it; either way the files and Diagnostics are those of a run
without a child (``tests/rest/test_beside.py`` compares whole plans).
"""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Any

import pytest

import generator.drive.specs as specs
from generator.diagnostics import Diagnostic
from generator.drive.beside import Beside, can_fork
from generator.drive.project import ProjectPlan, Unit, plan_units
from generator.render.json_text import document_text
from generator.render.targets import TARGETS
from generator.validate import validate

pytestmark = pytest.mark.skipif(not can_fork(), reason="no safe fork here: always sequential")

PETSTORE = Path(__file__).resolve().parents[2] / "specs" / "petstore.yaml"


def _units(out: Path) -> list[Unit]:
    return [Unit(spec=PETSTORE, spec_label=PETSTORE.name, target="rest-server", out_dir=out)]


def _marked(monkeypatch: pytest.MonkeyPatch) -> int:
    """The child's text says it came from the child; returns the parent's pid."""
    parent = os.getpid()
    real = document_text

    def marked(value: object) -> str:
        return real(value) if os.getpid() == parent else "written by the child\n"

    monkeypatch.setattr(specs, "document_text", marked)
    monkeypatch.setattr(specs, "BESIDE_BYTES", 0)
    return parent


def _openapi_json(plan: ProjectPlan) -> str:
    (folder,) = plan.folders
    (change,) = [c for c in folder.changes.changes if c.path.endswith("/openapi.json")]
    assert isinstance(change.new, str)
    return change.new


def _until_ready(child: Beside[Any]) -> None:
    deadline = time.monotonic() + 60
    while not child.ready() and time.monotonic() < deadline:
        time.sleep(0.01)


def test_the_childs_text_is_used_once_it_is_done(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _marked(monkeypatch)
    real = specs.SpecRuns.written_spec

    def after_the_child(self: specs.SpecRuns, spec: Path) -> str | None:
        assert self.pending is not None
        _until_ready(self.pending.child)
        return real(self, spec)

    monkeypatch.setattr(specs.SpecRuns, "written_spec", after_the_child)
    plan = plan_units(_units(tmp_path))
    assert _openapi_json(plan) == "written by the child\n"
    assert not plan.failed


@pytest.mark.parametrize("name", ["petstore.yaml", "bookstore.yaml", "orders-api.yaml"])
def test_the_childs_text_is_the_one_written_here(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str
) -> None:
    spec = PETSTORE.parent / name
    units = [Unit(spec=spec, spec_label=name, target="rest-server", out_dir=tmp_path)]
    monkeypatch.setattr(specs, "BESIDE_BYTES", 10**12)
    alone = plan_units(units)
    monkeypatch.setattr(specs, "BESIDE_BYTES", 0)
    taken: list[str | None] = []
    real = specs.SpecRuns.written_spec

    def after_the_child(self: specs.SpecRuns, spec: Path) -> str | None:
        assert self.pending is not None
        _until_ready(self.pending.child)
        taken.append(real(self, spec))
        return taken[-1]

    monkeypatch.setattr(specs.SpecRuns, "written_spec", after_the_child)
    beside = plan_units(units)
    assert taken and taken[0] is not None
    assert _openapi_json(beside) == taken[0] == _openapi_json(alone)
    assert beside.diagnostics == alone.diagnostics


def test_a_slow_child_is_not_waited_for(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    parent = _marked(monkeypatch)
    real = validate

    def slow_there(doc: Any) -> list[Diagnostic]:
        if os.getpid() != parent:
            time.sleep(1)
        return real(doc)

    monkeypatch.setattr(specs, "validate", slow_there)
    plan = plan_units(_units(tmp_path))
    assert _openapi_json(plan).startswith('{\n "openapi"')  # written here
    monkeypatch.setattr(specs, "BESIDE_BYTES", 10**12)
    alone = plan_units(_units(tmp_path))
    assert plan.diagnostics == alone.diagnostics
    assert _openapi_json(plan) == _openapi_json(alone)


@pytest.mark.parametrize("write_spec", [False, True])
def test_the_child_writes_the_text_only_when_asked(
    monkeypatch: pytest.MonkeyPatch, write_spec: bool
) -> None:
    monkeypatch.setattr(specs, "BESIDE_BYTES", 0)
    runs = specs.SpecRuns()
    assert runs.begin(PETSTORE, allow_invalid=False, mislabelled=pytest.fail, write_spec=write_spec)
    assert runs.pending is not None
    _until_ready(runs.pending.child)
    doc = runs.document(PETSTORE)
    assert doc is not None
    text = runs.written_spec(PETSTORE)
    assert text == (document_text(doc.data) if write_spec else None)
    assert runs.diagnostics(PETSTORE)[0] == []
    assert runs.written_spec(PETSTORE) is None  # the verdict is in: nothing pending


def test_only_rest_server_serves_the_spec() -> None:
    assert [name for name, info in TARGETS.items() if info.writes_spec] == ["rest-server"]


def test_ready_says_when_the_child_is_done() -> None:
    def slow() -> str:
        time.sleep(0.3)
        return "done"

    child = Beside(slow)
    assert not child.ready()
    _until_ready(child)
    assert child.ready()
    assert child.result() == "done"
    assert not child.ready()  # no child any more: nothing to read
