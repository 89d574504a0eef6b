"""The check cache: replayed only while every input is unchanged, without heavy imports."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from generator.cli import entry

from .conftest import SPEC, run


def replay(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int | None, str]:
    capsys.readouterr()
    code = entry._replay(["check", *args])
    return code, capsys.readouterr().out


def test_unchanged_check_is_replayed_verbatim(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    run("generate")
    first = run("check")
    assert first.exit_code == 0
    code, out = replay(capsys)
    assert (code, out) == (0, first.stdout)
    (project / "specs/pets.yaml").write_text(SPEC)  # rewritten, same bytes
    assert replay(capsys)[0] == 0


@pytest.mark.parametrize(
    "touch",
    [
        lambda p: (p / "specs/pets.yaml").write_text(SPEC.replace("List pets", "Pets!")),
        lambda p: (p / "out/pets/fake/fakepkg/__init__.py").write_text("# x\n"),
        lambda p: (p / "out/pets/fake/fakepkg/ops/listPets.py").unlink(),
        lambda p: (p / "out/pets/fake/fakepkg/handlers.py").write_text("# done\n"),
        lambda p: (p / "out/pets/fake/.twinspec-manifest.json").write_text("{}"),
        lambda p: (p / "twinspec.yaml").write_text((p / "twinspec.yaml").read_text() + "\n"),
    ],
    ids=["spec", "generated-file", "deleted-file", "user-file", "manifest", "config"],
)
def test_any_input_change_misses(
    project: Path, capsys: pytest.CaptureFixture[str], touch: Callable[[Path], object]
) -> None:
    run("generate")
    run("check")
    touch(project)
    assert replay(capsys) == (None, "")


def test_referenced_spec_file_is_an_input(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (project / "specs/common.yaml").write_text("Pet: {type: object}\n")
    (project / "specs/pets.yaml").write_text(
        SPEC + "components:\n  schemas:\n    Pet: {$ref: 'common.yaml#/Pet'}\n"
    )
    run("generate")
    run("check")
    assert replay(capsys)[0] == 0
    (project / "specs/common.yaml").write_text("Pet: {type: string}\n")
    assert replay(capsys) == (None, "")


def test_drift_result_is_cached_too_and_options_are_keyed(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    first = run("check", "--format", "json")
    assert first.exit_code == 1
    assert replay(capsys, "--format", "json") == (1, first.stdout)
    assert replay(capsys) == (None, "")
    assert replay(capsys, "--diff") == (None, "")
    assert replay(capsys, "--no-cache") == (None, "")


def test_no_cache_neither_reads_nor_writes(project: Path) -> None:
    root = Path(os.environ["TWINSPEC_CACHE_DIR"])
    run("check", "--no-cache")
    assert list(root.iterdir()) == []
    run("check")
    assert not (project / ".twinspec-cache").exists(), "the cache lives outside the project"
    (folder,) = (p for p in root.iterdir() if p.is_dir())
    assert sorted(p.name.split("-")[0] for p in folder.iterdir()) == ["check", "plan", "plan"]
    assert oct((root / "key").stat().st_mode & 0o777) == "0o600"


def test_cache_folder_is_per_config_real_path(
    project: Path, tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = Path(os.environ["TWINSPEC_CACHE_DIR"])
    run("generate")
    run("check")
    link = tmp_path_factory.mktemp("elsewhere") / "same-project"
    link.symlink_to(project)
    monkeypatch.chdir(link)
    run("check")
    assert len([p for p in root.iterdir() if p.is_dir()]) == 1


def test_default_cache_root_is_the_user_cache_folder(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from generator.write.cachefiles import cache_root

    monkeypatch.delenv("TWINSPEC_CACHE_DIR")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert cache_root() == str(tmp_path / "xdg" / "twinspec")
    monkeypatch.setenv("XDG_CACHE_HOME", "relative/ignored")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert cache_root() == str(tmp_path / "home" / ".cache" / "twinspec")


def test_cached_path_imports_no_click_jinja_yaml_or_pydantic(project: Path) -> None:
    run("generate")
    assert run("check").exit_code == 0
    probe = (
        "import sys\n"
        "from generator.cli import entry\n"
        "code = entry._replay(['check'])\n"
        "heavy = sorted(m for m in ('click', 'jinja2', 'yaml', 'pydantic', 'jsonschema') if m in sys.modules)\n"
        "print(code, heavy, file=sys.stderr)\n"
    )
    env = {k: v for k, v in os.environ.items() if k != "TWINSPEC_NO_CACHE"}
    done = subprocess.run(
        [sys.executable, "-c", probe],
        cwd=project,
        capture_output=True,
        text=True,
        env=env,
        check=True,
    )
    assert done.stderr.strip() == "0 []"
    assert "in step" in done.stdout


def test_replay_from_a_subfolder_and_with_config_option(
    project: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    run("generate")
    monkeypatch.chdir(project / "specs")
    first = run("check")
    assert first.exit_code == 0
    assert "/out/pets/fake/fakepkg/hooks.py:1:1: info" in first.stdout
    assert replay(capsys) == (0, first.stdout)
    monkeypatch.chdir(project)
    explicit = run("check", "--config", "twinspec.yaml")
    assert replay(capsys, "--config", "twinspec.yaml") == (0, explicit.stdout)
    assert replay(capsys, "--config=twinspec.yaml") == (0, explicit.stdout)


def test_required_dependencies_name_the_real_packs_and_code() -> None:
    """The fast path's own idea of where the packs are agrees with the renderer's."""
    from generator.render.packs import templates_root
    from generator.write.cachefiles import CODE, TREE, required_deps

    needed = dict((kind, path) for kind, path in required_deps("twinspec.yaml") if kind != "file")
    assert needed[TREE] == str(templates_root())
    assert Path(needed[CODE]) == Path(__file__).resolve().parents[2] / "generator"
