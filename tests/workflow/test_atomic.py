"""Atomicity: a failure while rendering or writing leaves the previous output byte-identical."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from . import fake_target
from .conftest import CACHE_MARK, SPEC, run, snapshot


def _change_spec(project: Path) -> None:
    (project / "specs/pets.yaml").write_text(
        SPEC.replace("createPet", "addPet").replace("title: Pets", "title: Birds")
    )


def test_render_error_in_a_later_target_leaves_output_untouched(project: Path) -> None:
    assert run("generate").exit_code == 0
    before = snapshot(project / "out")
    _change_spec(project)
    fake_target.FAIL_ON.add("fake2")
    with pytest.raises(RuntimeError, match="injected render failure"):
        run("generate")
    assert snapshot(project / "out") == before
    assert sorted(p.name for p in (project / "out/pets").iterdir()) == ["fake", "fake2"]


@pytest.mark.parametrize("fail_at", [1, 3, 6, 9])
def test_write_failure_midway_rolls_back(
    project: Path, monkeypatch: pytest.MonkeyPatch, fail_at: int
) -> None:
    assert run("generate").exit_code == 0
    before = snapshot(project / "out")
    _change_spec(project)
    calls = {"n": 0}
    real_replace = os.replace

    def flaky_replace(src: str | os.PathLike[str], dst: str | os.PathLike[str]) -> None:
        if CACHE_MARK not in str(dst):  # count only the output's moves
            calls["n"] += 1
        if calls["n"] == fail_at:
            raise OSError(28, "No space left on device (injected)")
        real_replace(src, dst)

    monkeypatch.setattr(os, "replace", flaky_replace)
    result = run("generate")
    assert result.exit_code == 1
    assert "cannot write output, nothing changed" in result.stderr
    monkeypatch.setattr(os, "replace", real_replace)
    assert snapshot(project / "out") == before
    leftovers = [p.name for p in (project / "out/pets").iterdir()]
    assert sorted(leftovers) == ["fake", "fake2"], "temporary folders must be removed"


def test_failed_first_generation_leaves_no_folder(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_replace = os.replace

    def broken_replace(src: str, dst: str) -> None:
        if CACHE_MARK in str(dst):
            real_replace(src, dst)
            return
        raise OSError(13, "Permission denied (injected)")

    monkeypatch.setattr(os, "replace", broken_replace)
    assert run("generate").exit_code == 1
    assert not (project / "out/pets/fake").exists()
    assert list((project / "out/pets").iterdir()) == []


def test_removing_the_last_file_of_a_folder_prunes_it(project: Path) -> None:
    run("generate")
    (project / "specs/pets.yaml").write_text(
        SPEC.replace("operationId: listPets", "x-op: listPets").replace(
            "operationId: createPet", "x-op: createPet"
        )
    )
    assert run("generate").exit_code == 0
    assert not (project / "out/pets/fake/fakepkg/ops").exists()
    assert (project / "out/pets/fake/fakepkg/__init__.py").exists()
