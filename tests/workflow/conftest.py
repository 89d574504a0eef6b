"""Fixtures for the workflow tests: fake targets, a spec, a project with a config."""

from __future__ import annotations

import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from generator.cli import cli
from generator.render import targets

from . import fake_target

SPEC = """\
openapi: 3.1.0
info: {title: Pets, version: 1.0.0}
paths:
  /pets:
    get:
      operationId: listPets
      summary: List pets
      responses: {"200": {description: ok}}
    post:
      operationId: createPet
      summary: Create a pet
      responses: {"201": {description: created}}
"""

CACHE_MARK = "twinspec-cache"
"""Part of the name of each test's cache root (outside the project folder)."""


@pytest.fixture(autouse=True)
def fake_targets(
    monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[None]:
    """Register ``fake`` and ``fake2`` for the duration of a test; a cache root of its own."""
    for name in ("fake", "fake2"):
        monkeypatch.setitem(targets.TARGETS, name, fake_target.info(name))
    monkeypatch.delenv("TWINSPEC_NO_CACHE", raising=False)
    monkeypatch.setenv("TWINSPEC_CACHE_DIR", str(tmp_path_factory.mktemp(CACHE_MARK)))
    yield
    fake_target.FAIL_ON.clear()


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A project folder (the cwd) with specs/pets.yaml and a twinspec.yaml for two fake targets."""
    (tmp_path / "specs").mkdir()
    (tmp_path / "specs" / "pets.yaml").write_text(SPEC, encoding="utf-8")
    (tmp_path / "twinspec.yaml").write_text(
        textwrap.dedent(
            """\
            jobs:
              - spec: specs/pets.yaml
                targets: [fake, fake2]
                output: out/pets
            """
        ),
        encoding="utf-8",
    )
    monkeypatch.chdir(tmp_path)
    return tmp_path


def run(*args: str) -> Result:
    """Invoke the CLI in-process."""
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` by relative path, with its bytes."""
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }
