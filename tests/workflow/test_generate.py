"""`twinspec generate`: verbs, manifest, regeneration, hand edits, user files, unsafe paths."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest

from .conftest import SPEC, run, snapshot


def test_first_generation_creates_files_and_manifest(project: Path) -> None:
    result = run("generate")
    assert result.exit_code == 0, result.output
    assert "   create  out/pets/fake/fakepkg/ops/listPets.py" in result.stdout
    assert "   create  out/pets/fake2/fakepkg/handlers.py" in result.stdout
    manifest = json.loads((project / "out/pets/fake/.twinspec-manifest.json").read_text())
    assert manifest["target"] == "fake"
    assert manifest["files"]["fakepkg/handlers.py"]["owner"] == "user"
    assert manifest["files"]["fakepkg/ops/createPet.py"]["owner"] == "generated"
    assert "time" not in json.dumps(manifest)


def test_second_run_is_identical_and_writes_nothing(project: Path) -> None:
    run("generate")
    before = snapshot(project / "out")
    result = run("generate")
    assert result.exit_code == 0
    # one summary line; the unchanged files are listed only with -v
    assert re.fullmatch(r"6 user-owned kept, 8 unchanged in \d+\.\d s\n", result.stdout)
    verbose = run("generate", "-v")
    assert "identical  out/pets/fake/fakepkg/__init__.py" in verbose.stdout
    assert "     skip  out/pets/fake/fakepkg/handlers.py" in verbose.stdout
    assert snapshot(project / "out") == before


def test_spec_change_updates_creates_and_removes(project: Path) -> None:
    run("generate")
    spec = project / "specs/pets.yaml"
    spec.write_text(
        SPEC.replace("createPet", "addPet").replace("title: Pets", "title: Animals"),
        encoding="utf-8",
    )
    result = run("generate")
    assert result.exit_code == 0, result.output
    assert "   update  out/pets/fake/fakepkg/__init__.py" in result.stdout
    assert "   create  out/pets/fake/fakepkg/ops/addPet.py" in result.stdout
    assert "   remove  out/pets/fake/fakepkg/ops/createPet.py" in result.stdout
    assert not (project / "out/pets/fake/fakepkg/ops/createPet.py").exists()
    assert "Animals" in (project / "out/pets/fake/fakepkg/__init__.py").read_text()


def test_user_file_is_never_overwritten_or_removed(project: Path) -> None:
    run("generate")
    handlers = project / "out/pets/fake/fakepkg/handlers.py"
    handlers.write_text("# my logic\n", encoding="utf-8")
    spec = project / "specs/pets.yaml"
    spec.write_text(SPEC.replace("createPet", "addPet"), encoding="utf-8")
    assert run("generate").exit_code == 0
    assert handlers.read_text() == "# my logic\n"
    # Even when the spec no longer produces a handlers file at all (another package name):
    (project / "twinspec.yaml").write_text(
        "jobs:\n  - {spec: specs/pets.yaml, targets: [fake], output: out/pets, package: other}\n"
    )
    assert run("generate").exit_code == 0
    assert handlers.read_text() == "# my logic\n"
    assert not (project / "out/pets/fake/fakepkg/__init__.py").exists()


def test_hand_edited_generated_file_is_refused_then_forced(project: Path) -> None:
    run("generate")
    edited = project / "out/pets/fake/fakepkg/ops/listPets.py"
    edited.write_text("# hand edit\n", encoding="utf-8")
    (project / "specs/pets.yaml").write_text(
        SPEC.replace("title: Pets", "title: Cats"), encoding="utf-8"
    )
    before = snapshot(project / "out")
    result = run("generate")
    assert result.exit_code == 1
    assert " conflict  out/pets/fake/fakepkg/ops/listPets.py" in result.stdout
    assert "out/pets/fake/fakepkg/ops/listPets.py (edited by hand" in result.stderr
    assert "--force" in result.stderr
    assert snapshot(project / "out") == before, "a refused run must write nothing"
    forced = run("generate", "--force")
    assert forced.exit_code == 0, forced.output
    assert "SUMMARY = 'List pets'" in edited.read_text()


def test_existing_file_not_written_by_twinspec_is_a_conflict(tmp_path: Path) -> None:
    (tmp_path / "api.yaml").write_text(SPEC, encoding="utf-8")
    out = tmp_path / "out"
    (out / "fakepkg").mkdir(parents=True)
    (out / "fakepkg/__init__.py").write_text("# someone else's file\n")
    result = run("generate", str(tmp_path / "api.yaml"), "-t", "fake", "-o", str(out))
    assert result.exit_code == 1
    assert "exists but was not written by twinspec" in result.stderr
    assert (out / "fakepkg/__init__.py").read_text() == "# someone else's file\n"


def test_dry_run_prints_plan_and_writes_nothing(project: Path) -> None:
    result = run("generate", "--dry-run")
    assert result.exit_code == 0
    assert "   create  out/pets/fake/fakepkg/__init__.py" in result.stdout
    assert not (project / "out").exists()


def test_single_spec_mode_and_usage_errors(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "api.yaml").write_text(SPEC, encoding="utf-8")
    result = run("generate", "api.yaml", "-t", "fake", "-o", "client", "--package", "pets")
    assert result.exit_code == 0, result.output
    header = (tmp_path / "client/pets/__init__.py").read_text().splitlines()[0]
    assert header == "# generated by twinspec from api.yaml (target fake)"
    picked = run("generate", "api.yaml", "-o", "x")  # no -t: the family's server and client
    assert picked.exit_code == 0, picked.output
    assert (tmp_path / "x/rest-server").is_dir() and (tmp_path / "x/rest-client").is_dir()
    assert run("generate", "missing.yaml", "-t", "fake", "-o", "x").exit_code == 2
    assert (
        run("generate", "api.yaml", "-t", "nope", "-o", "x").exit_code == 2
    )  # a usage error, with "did you mean"
    assert "no twinspec.yaml" in run("generate").stderr


@pytest.mark.parametrize(
    "package",
    ["../evil", "/abs", "a\x00b", "con", "x/../../y"],
    ids=["dotdot", "abs", "nul", "reserved", "nested"],
)
def test_unsafe_package_path_is_refused_and_nothing_written(tmp_path: Path, package: str) -> None:
    (tmp_path / "api.yaml").write_text(SPEC, encoding="utf-8")
    out = tmp_path / "deep" / "out"
    result = run(
        "generate", str(tmp_path / "api.yaml"), "-t", "fake", "-o", str(out), "--package", package
    )
    assert result.exit_code == 1
    assert "unsafe-output-path" in result.stdout
    assert "Traceback" not in result.output
    assert sorted(p.name for p in tmp_path.rglob("*")) == ["api.yaml"]


def test_symlink_escaping_the_output_folder_is_refused(tmp_path: Path) -> None:
    (tmp_path / "api.yaml").write_text(SPEC, encoding="utf-8")
    outside = tmp_path / "outside"
    outside.mkdir()
    out = tmp_path / "out"
    out.mkdir()
    os.symlink(outside, out / "fakepkg")
    result = run("generate", str(tmp_path / "api.yaml"), "-t", "fake", "-o", str(out))
    assert result.exit_code == 1
    assert "outside the output folder" in result.stdout
    assert list(outside.iterdir()) == []


def test_invalid_spec_writes_nothing_unless_allowed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    broken = SPEC.replace("  /pets:\n", "  pets:\n")  # a path must start with "/"
    (tmp_path / "api.yaml").write_text(broken, encoding="utf-8")
    result = run("generate", "api.yaml", "-t", "fake", "-o", "out")
    assert result.exit_code == 1
    assert result.stdout.startswith("api.yaml:")
    assert "nothing written: fix the errors above" in result.stderr
    assert not (tmp_path / "out").exists()
    allowed = run("generate", "api.yaml", "-t", "fake", "-o", "out", "--allow-invalid")
    assert allowed.exit_code == 0, allowed.output
    assert (tmp_path / "out/fakepkg/__init__.py").is_file()


def test_unreadable_spec_reports_each_error_once_even_when_allowed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "api.yaml").write_text("openapi: 3.0.3\ninfo: {title: t\n", encoding="utf-8")
    result = run("generate", "api.yaml", "-t", "fake", "-o", "out", "--allow-invalid")
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        "api.yaml:3:1: error [yaml-syntax] while parsing a flow mapping"
        " did not find expected ',' or '}'"
    ]
    assert not (tmp_path / "out").exists()


def test_tampered_manifest_cannot_remove_files_outside(tmp_path: Path) -> None:
    (tmp_path / "api.yaml").write_text(SPEC, encoding="utf-8")
    out = tmp_path / "out"
    assert run("generate", str(tmp_path / "api.yaml"), "-t", "fake", "-o", str(out)).exit_code == 0
    victim = tmp_path / "victim.txt"
    victim.write_text("keep me\n")
    manifest_path = out / ".twinspec-manifest.json"
    manifest = json.loads(manifest_path.read_text())
    from generator.write.manifest import sha256_text

    for evil in ("../victim.txt", str(victim), "a/../../victim.txt"):
        manifest["files"][evil] = {"owner": "generated", "sha256": sha256_text("keep me\n")}
    manifest_path.write_text(json.dumps(manifest))
    result = run("generate", str(tmp_path / "api.yaml"), "-t", "fake", "-o", str(out))
    assert result.exit_code == 0, result.output
    assert victim.read_text() == "keep me\n"
    assert "victim" not in manifest_path.read_text()


def test_deleted_manifest_is_rewritten_and_reported(project: Path) -> None:
    run("generate")
    manifest = project / "out/pets/fake/.twinspec-manifest.json"
    text = manifest.read_text()
    manifest.unlink()
    result = run("generate", "-q")
    assert result.exit_code == 0
    assert result.stdout == "   create  out/pets/fake/.twinspec-manifest.json\n"
    assert manifest.read_text() == text


def test_folder_in_the_way_of_a_file_is_refused(tmp_path: Path) -> None:
    (tmp_path / "api.yaml").write_text(SPEC, encoding="utf-8")
    out = tmp_path / "out"
    (out / "fakepkg/hooks.py").mkdir(parents=True)
    (out / "fakepkg/hooks.py/mine.txt").write_text("precious\n")
    result = run("generate", str(tmp_path / "api.yaml"), "-t", "fake", "-o", str(out))
    assert result.exit_code == 1
    assert "is a folder; twinspec will not replace it with a file" in result.stdout
    assert (out / "fakepkg/hooks.py/mine.txt").read_text() == "precious\n"


def test_output_folder_that_is_a_symlink_is_followed(tmp_path: Path) -> None:
    (tmp_path / "api.yaml").write_text(SPEC, encoding="utf-8")
    real = tmp_path / "real"
    real.mkdir()
    os.symlink(real, tmp_path / "out")
    result = run("generate", str(tmp_path / "api.yaml"), "-t", "fake", "-o", str(tmp_path / "out"))
    assert result.exit_code == 0, result.output
    assert (real / "fakepkg/__init__.py").is_file()
    assert (tmp_path / "out").is_symlink()
    again = run("generate", str(tmp_path / "api.yaml"), "-t", "fake", "-o", str(tmp_path / "out"))
    assert "   create  " not in again.stdout


def test_generate_only_selected_jobs(project: Path) -> None:
    (project / "specs/zoo.yaml").write_text(SPEC.replace("Pets", "Zoo"))
    (project / "twinspec.yaml").write_text(
        "jobs:\n"
        "  - {spec: specs/pets.yaml, targets: [fake], output: out/pets}\n"
        "  - {spec: specs/zoo.yaml, targets: [fake], output: out/zoo}\n"
        "  - {spec: specs/later.yaml, targets: [fake], output: out/later}\n"
    )
    result = run("generate", "-q", "--job", "specs/zoo.yaml")
    assert result.exit_code == 0, result.output
    assert (project / "out/zoo/fake/fakepkg/__init__.py").is_file()
    assert not (project / "out/pets").exists()
    assert run("generate", "-j", str(project / "specs/pets.yaml")).exit_code == 0
    assert (project / "out/pets/fake/fakepkg/__init__.py").is_file()
    missing = run("generate", "-j", "specs/later.yaml")
    assert missing.exit_code == 1
    assert "twinspec.yaml:4:6: error [spec-not-found]" in missing.stdout
    unknown = run("generate", "-j", "specs/nope.yaml")
    assert unknown.exit_code == 2
    assert (
        "no job has that spec (jobs: specs/pets.yaml, specs/zoo.yaml, specs/later.yaml)"
        in unknown.stderr
    )
    everything = run("generate")
    assert everything.exit_code == 1, "a missing spec still stops a full run"
