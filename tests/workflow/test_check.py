"""`twinspec check`: in step, stale, missing, orphaned, user files, formats, --diff."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from .conftest import SPEC, run, snapshot


def check(*args: str) -> tuple[int, str]:
    result = run("check", "--no-cache", *args)
    return result.exit_code, result.stdout


def test_in_step_passes_and_lists_operations_still_on_defaults(project: Path) -> None:
    run("generate")
    code, out = check()
    assert code == 0, out
    infos = [line for line in out.splitlines() if "out/pets/fake/" in line]
    assert infos == [
        "out/pets/fake/fakepkg/NOTES.txt: info [not-implemented] user-owned file is still the "
        "generated default: its operations are not implemented yet",
        "out/pets/fake/fakepkg/handlers.py:4:1: info [not-implemented] Handlers.createPet is not "
        "implemented yet: it still runs the generated default from DefaultHandlers",
        "out/pets/fake/fakepkg/handlers.py:4:1: info [not-implemented] Handlers.listPets is not "
        "implemented yet: it still runs the generated default from DefaultHandlers",
        "out/pets/fake/fakepkg/hooks.py:1:1: info [not-implemented] verify is not implemented "
        "yet: its body is still the default",
    ]
    assert out.rstrip().endswith("in step")
    user = project / "out/pets/fake/fakepkg"
    (user / "handlers.py").write_text(
        "from .defaults import DefaultHandlers\n\n\nclass Handlers(DefaultHandlers):\n"
        "    def listPets(self) -> str:\n        return 'rex'\n"
    )
    (user / "hooks.py").write_text("def verify(token: str) -> bool:\n    return token == 'ok'\n")
    (user / "NOTES.txt").write_text("mine\n")
    code, out = check()
    assert code == 0
    infos = [line for line in out.splitlines() if "out/pets/fake/" in line]
    assert infos == [
        "out/pets/fake/fakepkg/handlers.py:4:1: info [not-implemented] Handlers.createPet is not "
        "implemented yet: it still runs the generated default from DefaultHandlers"
    ]
    assert "out/pets/fake2/fakepkg/hooks.py:1:1: info [not-implemented] verify" in out


def test_check_never_writes(project: Path) -> None:
    check()
    assert not (project / "out").exists()
    run("generate")
    (project / "specs/pets.yaml").write_text(SPEC.replace("title: Pets", "title: Dogs"))
    before = snapshot(project)
    check("--diff")
    assert snapshot(project) == before


def test_stale_file_located_at_first_difference_with_diff(project: Path) -> None:
    run("generate")
    (project / "specs/pets.yaml").write_text(SPEC.replace("List pets", "List all pets"))
    code, out = check("--diff")
    assert code == 1
    assert (
        "out/pets/fake/fakepkg/ops/listPets.py:2:1: error [stale] generated file is out of "
        "date with specs/pets.yaml (target fake); run `twinspec generate`" in out
    )
    assert "--- a/out/pets/fake/fakepkg/ops/listPets.py" in out
    assert "-SUMMARY = 'List pets'\n+SUMMARY = 'List all pets'" in out
    assert "twinspec check: 2 generated file(s) out of date; run `twinspec generate`" in out


def test_missing_and_orphaned_files(project: Path) -> None:
    run("generate")
    (project / "out/pets/fake/fakepkg/__init__.py").unlink()
    (project / "specs/pets.yaml").write_text(SPEC.replace("createPet", "addPet"))
    code, out = check()
    assert code == 1
    assert "out/pets/fake/fakepkg/__init__.py: error [missing] generated file is missing" in out
    assert "out/pets/fake/fakepkg/ops/addPet.py: error [missing]" in out
    assert (
        "out/pets/fake/fakepkg/ops/createPet.py: error [orphaned] specs/pets.yaml (target fake) "
        "no longer generates this file" in out
    )
    assert run("generate").exit_code == 0
    assert check()[0] == 0


def test_hand_edit_is_stale_and_user_edits_are_not(project: Path) -> None:
    run("generate")
    (project / "out/pets/fake2/fakepkg/handlers.py").write_text("# mine\n")
    (project / "out/pets/fake2/fakepkg/hooks.py").write_text("# mine too\n")
    assert check()[0] == 0
    (project / "out/pets/fake2/fakepkg/ops/listPets.py").write_text("# tweak\n")
    code, out = check()
    assert code == 1
    assert "out/pets/fake2/fakepkg/ops/listPets.py:1:1: error [stale]" in out
    assert "edited by hand since twinspec wrote it: add --force" in out


def test_missing_manifest_is_reported(project: Path) -> None:
    run("generate")
    (project / "out/pets/fake/.twinspec-manifest.json").unlink()
    code, out = check()
    assert code == 1
    assert "out/pets/fake/.twinspec-manifest.json: error [stale-manifest]" in out


def test_invalid_spec_fails_with_located_message(project: Path) -> None:
    run("generate")
    (project / "specs/pets.yaml").write_text(SPEC.replace("version: 1.0.0", "version: [1]"))
    code, out = check()
    assert code == 1
    assert out.startswith("specs/pets.yaml:2:")
    assert "error [" in out


def test_json_and_github_formats(project: Path) -> None:
    run("generate")
    (project / "out/pets/fake/fakepkg/__init__.py").write_text("# x\n")
    code, out = check("--format", "json", "--diff")
    assert code == 1
    items = json.loads(out)
    stale = [d for d in items if d["code"] == "stale"]
    assert stale == [
        {
            "file": "out/pets/fake/fakepkg/__init__.py",
            "line": 1,
            "column": 1,
            "pointer": "",
            "severity": "error",
            "code": "stale",
            "message": stale[0]["message"],
        }
    ]
    code, out = check("--format", "github")
    assert code == 1
    assert "::error file=out/pets/fake/fakepkg/__init__.py,line=1,col=1,title=stale::" in out
    assert (
        "::notice file=out/pets/fake2/fakepkg/hooks.py,line=1,col=1,title=not-implemented::"
        "[not-implemented] verify is not implemented yet" in out
    )


def test_config_problems_are_located(project: Path) -> None:
    (project / "twinspec.yaml").write_text(
        "jobs:\n"
        "  - spec: specs/pets.yaml\n"
        "    targets: [fake, nope]\n"
        "    output: ../elsewhere\n"
        "    colour: blue\n"
        "  - spec: specs/missing.yaml\n"
        "    targets: [fake]\n"
        "    output: out\n"
    )
    code, out = check()
    assert code == 1
    lines = out.splitlines()
    assert "twinspec.yaml:3:21: error [unknown-target] unknown target 'nope'" in lines[0]
    assert lines[1].startswith(
        "twinspec.yaml:4:5: error [config-path] output '../elsewhere' must be a relative path"
    )
    assert lines[2].startswith(
        "twinspec.yaml:5:5: error [config-unknown-key] unknown job key 'colour'"
    )
    assert lines[3].startswith(
        "twinspec.yaml:6:5: error [spec-not-found] spec file specs/missing.yaml does not exist"
    )


def test_no_config_is_a_usage_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = run("check")
    assert result.exit_code == 2
    assert "twinspec init" in result.stderr


def test_user_file_the_spec_no_longer_produces_is_kept_and_pointed_at(project: Path) -> None:
    run("generate")
    handlers = project / "out/pets/fake/fakepkg/handlers.py"
    handlers.write_text("# my logic\n")
    config = project / "twinspec.yaml"
    config.write_text(config.read_text() + "    package: pets_api\n")
    result = run("generate")
    assert result.exit_code == 0, result.output
    assert "     skip  out/pets/fake/fakepkg/handlers.py" in result.stdout
    assert handlers.read_text() == "# my logic\n"
    code, out = check()
    assert code == 0
    assert (
        "out/pets/fake/fakepkg/handlers.py: warning [orphaned-user-file] user-owned file is no "
        "longer part of what specs/pets.yaml (target fake) generates; it is kept" in out
    )
    handlers.unlink()
    run("generate")
    assert "out/pets/fake/fakepkg/handlers.py: warning" not in check()[1]


def test_a_target_refusing_a_path_is_a_located_error(project: Path) -> None:
    config = project / "twinspec.yaml"
    config.write_text(config.read_text() + "    package: refused\n")
    code, out = check()
    assert code == 1
    assert "twinspec.yaml:3:15: error [unsafe-output-path] refusing output path '../x'" in out
    assert "Traceback" not in out
