"""While a big spec loads, a thread imports its target's code (``SpecRuns.begin``'s ``warm``).

The thread is gone before loading returns (so validation can still fork),
what it raises is ignored, and a small spec loads without it.
"""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

import generator.drive.specs as specs
from generator.diagnostics import Diagnostic
from generator.drive.beside import can_fork
from generator.drive.project import Unit, plan_units

PETSTORE = Path(__file__).resolve().parents[2] / "specs" / "petstore.yaml"


def _never(reason: str) -> Diagnostic:
    raise AssertionError(reason)


def test_the_imports_run_in_a_thread_that_is_gone_after_loading(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(specs, "BESIDE_BYTES", 0)
    seen: list[str] = []
    threads = threading.active_count()  # a plugin's own threads are no concern here

    def warm() -> None:
        seen.append(threading.current_thread().name)

    runs = specs.SpecRuns()
    beside = runs.begin(PETSTORE, allow_invalid=False, mislabelled=_never, warm=warm)
    try:
        assert seen == ["twinspec-warm"]
        assert threading.active_count() == threads
        assert beside is can_fork()  # the thread did not stop validation from forking
        assert runs.diagnostics(PETSTORE)[0] == []
    finally:
        runs.cancel()


def test_what_the_imports_raise_is_left_to_the_run(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(specs, "BESIDE_BYTES", 0)

    def broken() -> None:
        raise ImportError("no such pack")

    runs = specs.SpecRuns()
    try:
        runs.begin(PETSTORE, allow_invalid=False, mislabelled=_never, warm=broken)
        assert runs.document(PETSTORE) is not None
        assert runs.diagnostics(PETSTORE)[0] == []
    finally:
        runs.cancel()


def test_a_small_spec_loads_without_the_thread(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(specs, "BESIDE_BYTES", 10**12)
    called: list[bool] = []
    runs = specs.SpecRuns()
    runs.begin(PETSTORE, allow_invalid=False, mislabelled=_never, warm=lambda: called.append(True))
    assert called == []


def test_a_run_warms_its_targets_code(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(specs, "BESIDE_BYTES", 0)
    warmed: list[str] = []
    real = specs.SpecRuns.begin

    def recorded(self: specs.SpecRuns, spec: Path, **kwargs: object) -> bool:
        warm = kwargs.get("warm")
        warmed.append("yes" if callable(warm) else "no")
        return real(self, spec, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(specs.SpecRuns, "begin", recorded)
    unit = Unit(spec=PETSTORE, spec_label="p", target="rest-client", out_dir=tmp_path)
    assert not plan_units([unit]).failed
    assert warmed == ["yes"]


def test_validating_a_big_spec_warms_the_openapi_checks(monkeypatch: pytest.MonkeyPatch) -> None:
    import generator.drive.spec as spec

    monkeypatch.setattr(specs, "BESIDE_BYTES", 0)
    seen: list[str] = []
    threads = threading.active_count()
    monkeypatch.setattr(
        spec, "_import_openapi_checks", lambda: seen.append(threading.current_thread().name)
    )
    doc, found = spec.load_and_validate(PETSTORE)
    assert doc is not None and found == []
    assert seen == ["twinspec-warm"]
    assert threading.active_count() == threads


def test_a_json_spec_loads_without_the_thread(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(specs, "BESIDE_BYTES", 0)
    spec = tmp_path / "petstore.json"
    spec.write_text(
        '{"openapi": "3.1.0", "info": {"title": "t", "version": "1"}, "paths": {}}',
        encoding="utf-8",
    )
    called: list[bool] = []
    runs = specs.SpecRuns()
    try:
        runs.begin(spec, allow_invalid=False, mislabelled=_never, warm=lambda: called.append(True))
        assert called == []  # json.loads holds the GIL: nothing to overlap
    finally:
        runs.cancel()
