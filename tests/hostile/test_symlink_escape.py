"""Config paths that leave the project through a symlink are refused, located, and nothing moves.

A repository can carry symlinks: ``output: out`` where ``out`` links to
``~/.ssh``, a ``spec:`` linking to a private file, an override folder linking
elsewhere, a cache folder inside the project that links out. Real paths
decide, not the text of the config: each is a Diagnostic at its config line,
and nothing outside the project is read into the output or written.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from generator.cli import cli

SPEC = """\
openapi: 3.1.0
info: {title: Linked, version: 1.0.0}
paths:
  /pets:
    get:
      operationId: listPets
      responses: {"200": {description: ok}}
"""


def run(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def tree(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and not p.is_symlink()
    }


@pytest.fixture
def layout(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[Path, Path]]:
    """A project and, beside it, a victim folder the project must never touch."""
    project, victim = tmp_path / "project", tmp_path / "victim"
    project.mkdir()
    victim.mkdir()
    (victim / "secret.yaml").write_text(SPEC.replace("Linked", "Secret"))
    (project / "api.yaml").write_text(SPEC)
    monkeypatch.chdir(project)
    monkeypatch.setenv("TWINSPEC_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("TWINSPEC_NO_CACHE", raising=False)
    yield project, victim


def configure(project: Path, job: str) -> None:
    (project / "twinspec.yaml").write_text(f"jobs:\n  - {job}\n")


def refused(project: Path, victim: Path, line_text: str) -> None:
    """``generate`` and ``check`` refuse with a located config-symlink error; the victim is as it was."""
    before = tree(victim)
    line = next(
        i + 1
        for i, text in enumerate((project / "twinspec.yaml").read_text().splitlines())
        if line_text in text
    )
    for command in ("generate", "check"):
        result = run(command)
        assert result.exit_code == 1, result.output
        assert f"twinspec.yaml:{line}:" in result.stdout
        assert "error [config-symlink]" in result.stdout
        assert "outside the config's folder" in result.stdout
        assert "Traceback" not in result.output
    assert tree(victim) == before


def test_output_through_a_symlinked_folder(layout: tuple[Path, Path]) -> None:
    project, victim = layout
    (project / "out").symlink_to(victim, target_is_directory=True)
    configure(project, "spec: api.yaml\n    targets: [rest-client]\n    output: out/gen")
    refused(project, victim, "output:")
    assert not (victim / "gen").exists()


def test_output_that_is_itself_a_symlink(layout: tuple[Path, Path]) -> None:
    project, victim = layout
    (project / "out").symlink_to(victim, target_is_directory=True)
    configure(project, "spec: api.yaml\n    targets: [rest-client]\n    output: out")
    refused(project, victim, "output:")


def test_target_folder_under_output_is_a_symlink(layout: tuple[Path, Path]) -> None:
    project, victim = layout
    (project / "out").mkdir()
    (project / "out" / "rest-client").symlink_to(victim, target_is_directory=True)
    configure(project, "spec: api.yaml\n    targets: [rest-client]\n    output: out")
    refused(project, victim, "output:")


def test_spec_that_links_outside(layout: tuple[Path, Path]) -> None:
    project, victim = layout
    (project / "linked.yaml").symlink_to(victim / "secret.yaml")
    configure(project, "spec: linked.yaml\n    targets: [rest-client]\n    output: out")
    refused(project, victim, "spec:")
    assert not (project / "out").exists()


def test_spec_in_a_folder_that_links_outside(layout: tuple[Path, Path]) -> None:
    project, victim = layout
    (project / "specs").symlink_to(victim, target_is_directory=True)
    configure(project, "spec: specs/secret.yaml\n    targets: [rest-client]\n    output: out")
    refused(project, victim, "spec:")


def test_templates_override_that_links_outside(layout: tuple[Path, Path]) -> None:
    project, victim = layout
    (project / "overrides").symlink_to(victim, target_is_directory=True)
    configure(
        project,
        "spec: api.yaml\n    targets: [rest-client]\n    output: out\n    templates: overrides",
    )
    refused(project, victim, "templates:")


def test_symlinks_that_stay_inside_are_fine(layout: tuple[Path, Path]) -> None:
    project, _ = layout
    (project / "real-out").mkdir()
    (project / "out").symlink_to(project / "real-out", target_is_directory=True)
    (project / "alias.yaml").symlink_to(project / "api.yaml")
    configure(project, "spec: alias.yaml\n    targets: [rest-client]\n    output: out")
    assert run("generate").exit_code == 0
    assert (project / "real-out" / "rest-client" / "pyproject.toml").is_file()
    assert run("check").exit_code == 0


def test_cache_folder_inside_the_project_that_links_out(
    layout: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    project, victim = layout
    (project / ".cache").symlink_to(victim, target_is_directory=True)
    monkeypatch.setenv("TWINSPEC_CACHE_DIR", str(project / ".cache"))
    configure(project, "spec: api.yaml\n    targets: [rest-client]\n    output: out")
    before = tree(victim)
    result = run("generate")
    assert result.exit_code == 0
    assert run("check").exit_code == 0
    noted = CliRunner().invoke(cli, ["check"])
    assert "goes through a symlink" in noted.stderr
    assert "goes through a symlink" not in noted.stdout  # a note, never part of the verdict
    assert tree(victim) == before
    assert os.listdir(victim) == ["secret.yaml"]


def test_the_config_cache_folder_is_a_symlink(layout: tuple[Path, Path], tmp_path: Path) -> None:
    from generator.write.cachefiles import project_folder

    project, victim = layout
    configure(project, "spec: api.yaml\n    targets: [rest-client]\n    output: out")
    folder = Path(project_folder(str(project / "twinspec.yaml")))
    folder.parent.mkdir(parents=True)
    folder.symlink_to(victim, target_is_directory=True)
    assert run("generate").exit_code == 0
    checked = CliRunner().invoke(cli, ["check"])
    assert checked.exit_code == 0
    assert "is a symlink; the cache is not used" in checked.stderr
    assert os.listdir(victim) == ["secret.yaml"]
