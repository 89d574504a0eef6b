"""Template overrides: a job's templates folder replaces pack files by relative path."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.render.packs import templates_root

from .conftest import run, snapshot
from .test_determinism import SPEC

TEMPLATE = "__main__.py.jinja"


@pytest.fixture
def zoo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / "specs").mkdir()
    (tmp_path / "specs/zoo.yaml").write_text(SPEC, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _config(root: Path, templates: str | None) -> None:
    extra = f"    templates: {templates}\n" if templates else ""
    (root / "twinspec.yaml").write_text(
        "jobs:\n  - spec: specs/zoo.yaml\n    targets: [rest-server]\n"
        f"    output: plain\n{extra}"
        "  - spec: specs/zoo.yaml\n    targets: [rest-server]\n"
        f"    output: custom\n{extra}"
    )


def test_override_changes_exactly_one_file(zoo: Path) -> None:
    pack_file = templates_root() / "rest-server" / TEMPLATE
    override = zoo / "overrides" / "rest-server" / TEMPLATE
    override.parent.mkdir(parents=True)
    override.write_text(pack_file.read_text().replace("8000", "9000"))
    (zoo / "twinspec.yaml").write_text(
        "jobs:\n"
        "  - {spec: specs/zoo.yaml, targets: [rest-server], output: plain}\n"
        "  - {spec: specs/zoo.yaml, targets: [rest-server], output: custom, templates: overrides}\n"
    )
    result = run("generate", "-q")
    assert result.exit_code == 0, result.output
    plain = snapshot(zoo / "plain/rest-server")
    custom = snapshot(zoo / "custom/rest-server")
    changed = sorted(p for p in plain if plain[p] != custom.get(p))
    assert len(changed) == 2, changed  # the file, and its hash in the manifest
    assert changed[0] == ".twinspec-manifest.json"
    assert changed[1].endswith("/__main__.py")
    assert b'"9000"' in custom[changed[1]] and b'"8000"' in plain[changed[1]]  # the default port
    assert set(plain) == set(custom)
    assert run("check", "--no-cache").exit_code == 0
    override.write_text(pack_file.read_text().replace("8000", "9001"))
    stale = run("check", "--no-cache")
    assert stale.exit_code == 1
    assert f"custom/rest-server/{changed[1]}" in stale.stdout


def test_broken_override_names_template_and_line(zoo: Path) -> None:
    override = zoo / "overrides" / TEMPLATE
    override.parent.mkdir(parents=True)
    override.write_text("# fine\n# fine\n{% if %}\n")
    result = run(
        "generate", "specs/zoo.yaml", "-t", "rest-server", "-o", "out", "--templates", "overrides"
    )
    assert result.exit_code == 1
    assert result.stdout.startswith(f"overrides/{TEMPLATE}:3:1: error [template]")
    assert not (zoo / "out").exists()


def test_targets_lists_packs_options_and_templates() -> None:
    result = run("targets")
    assert result.exit_code == 0
    assert "rest-server  (openapi)" in result.stdout
    assert TEMPLATE in result.stdout
    listing = run("targets", "--format", "json")
    import json

    data = json.loads(listing.stdout)
    names = [t["name"] for t in data["targets"]]
    assert {"rest-server", "rest-client", "stream-server", "stream-client"} <= set(names)
    server = next(t for t in data["targets"] if t["name"] == "rest-server")
    assert TEMPLATE in server["templates"]
    assert "header.jinja" in data["common"]
