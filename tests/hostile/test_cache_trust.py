"""A cache never changes a verdict: planted, forged, incomplete or stolen entries are ignored.

The attacker controls the repository (a committed ``.twinspec-cache/``, the
generated files, their manifest) but not the user's cache folder. Tampered
generated output must make ``check`` fail and ``generate`` refuse or repair it,
with the cache on, with it off, and after either.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

import generator
from generator.cli import cli
from generator.cli import entry as fastpath
from generator.write import cache, cachefiles

SPEC = """\
openapi: 3.1.0
info: {title: Cached, version: 1.0.0}
paths:
  /pets:
    get:
      operationId: listPets
      responses: {"200": {description: ok, content: {application/json: {schema: {type: string}}}}}
"""
TARGET = "rest-client"
CONFIG = f"jobs:\n  - {{spec: api.yaml, targets: [{TARGET}], output: out}}\n"
EVIL = "import os\nos.system('echo pwned')\n"


def run(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A generated, in-step project; the cache root is a private folder outside it."""
    root = tmp_path / "project"
    root.mkdir()
    (root / "api.yaml").write_text(SPEC)
    (root / "twinspec.yaml").write_text(CONFIG)
    monkeypatch.chdir(root)
    monkeypatch.delenv("TWINSPEC_NO_CACHE", raising=False)
    monkeypatch.setenv("TWINSPEC_CACHE_DIR", str(tmp_path / "user-cache"))
    assert run("generate").exit_code == 0
    assert run("check").exit_code == 0
    yield root


def a_generated_file(project: Path) -> Path:
    manifest = json.loads((project / "out" / TARGET / ".twinspec-manifest.json").read_text())
    name = next(p for p, e in sorted(manifest["files"].items()) if e["owner"] == "generated")
    return project / "out" / TARGET / name


def replay(capsys: pytest.CaptureFixture[str]) -> tuple[int | None, str]:
    capsys.readouterr()
    code = fastpath._replay(["check"])
    return code, capsys.readouterr().err


def entries(kind: str) -> list[Path]:
    return sorted(Path(os.environ["TWINSPEC_CACHE_DIR"]).glob(f"project-*/{kind}-*.json"))


def test_cache_is_outside_the_project(project: Path) -> None:
    assert not (project / ".twinspec-cache").exists()
    assert entries("check") and entries("plan")


def test_a_committed_cache_folder_is_never_read(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The old in-repo cache, planted with an answer that depends on nothing."""
    planted = project / ".twinspec-cache"
    planted.mkdir()
    lie = {"deps": [], "stdout": "twinspec check: all in step\n", "stderr": "", "exit": 0}
    config = str(project / "twinspec.yaml")
    old_key = [generator.__version__, sys.version, sys.executable, str(project), config]
    old_key += ["text", False]  # the name twinspec 0.1 gave this run's entry
    name = hashlib.blake2b(json.dumps(old_key, separators=(",", ":")).encode()).hexdigest()
    (planted / f"check-{name[:32]}.json").write_text(json.dumps(lie))
    a_generated_file(project).write_text(EVIL)
    assert replay(capsys)[0] is None
    assert run("check").exit_code == 1
    refused = run("generate")
    assert refused.exit_code == 1 and "edited by hand" in refused.stderr
    assert run("generate", "--force").exit_code == 0
    assert EVIL not in a_generated_file(project).read_text()


def test_forged_entries_in_the_user_cache_are_ignored_with_a_note(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Entries rewritten without the user's key: right names, no valid signature."""
    target = a_generated_file(project)
    target.write_text(EVIL)
    for path in entries("check"):
        body = json.loads(path.read_bytes().partition(b"\n")[2])
        body.update(deps=[], exit=0, stdout="in step\n")
        path.write_text("0" * 128 + "\n" + json.dumps(body))
    code, err = replay(capsys)
    assert code is None
    assert "signature does not verify" in err
    for path in entries("plan"):
        body = json.loads(path.read_bytes().partition(b"\n")[2])
        for item in body["plan"]["files"]:
            if target.as_posix().endswith(item[0]):
                item[1] = EVIL
        path.write_text("0" * 128 + "\n" + json.dumps(body))
    checked = CliRunner().invoke(cli, ["check"])
    assert checked.exit_code == 1
    assert "stale" in checked.stdout
    assert "signature does not verify" in checked.stderr
    assert run("generate").exit_code == 1  # a conflict: nothing silently kept


def test_an_entry_without_its_dependencies_is_never_valid(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Signed with the real key (as a buggy writer might), but depending on nothing."""
    key, _ = cachefiles._key(create=False)
    assert key is not None
    for path in entries("check"):
        body = json.loads(path.read_bytes().partition(b"\n")[2])
        body["deps"] = []
        raw = json.dumps(body).encode()
        path.write_bytes(cachefiles.sign(key, raw).encode() + b"\n" + raw)
    code, err = replay(capsys)
    assert code is None
    assert "does not depend on" in err


def test_check_verifies_outputs_against_the_manifest_even_when_the_cache_says_in_step(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A genuine entry whose dependency list left the output out still cannot hide tampering."""
    out = project / "out" / TARGET
    deps = cachefiles.required_deps(str(project / "twinspec.yaml"))
    args = cache.CheckArgs()
    cache.store(
        str(project / "twinspec.yaml"), str(project), args, deps, [str(out)], ("in step\n", "", 0)
    )
    assert replay(capsys)[0] == 0  # the entry itself is valid
    a_generated_file(project).write_text(EVIL)
    assert replay(capsys)[0] is None
    checked = run("check")
    assert checked.exit_code == 1 and "stale" in checked.stdout


def test_tampered_output_and_manifest_together_still_fail(project: Path) -> None:
    target = a_generated_file(project)
    target.write_text(EVIL)
    manifest_path = project / "out" / TARGET / ".twinspec-manifest.json"
    manifest = json.loads(manifest_path.read_text())
    relative = target.relative_to(project / "out" / TARGET).as_posix()
    manifest["files"][relative]["sha256"] = hashlib.sha256(EVIL.encode()).hexdigest()
    manifest_path.write_text(json.dumps(manifest, indent=2) + "\n")
    assert run("check").exit_code == 1
    assert run("check", "--no-cache").exit_code == 1
    assert run("generate").exit_code == 0  # the manifest vouches for it: regenerated
    assert EVIL not in target.read_text()
    assert run("check").exit_code == 0


def test_a_plan_that_matches_tampered_output_is_not_trusted(project: Path) -> None:
    """A stored plan poisoned to hold the tampered text (the key stolen or a writer bug)."""
    target = a_generated_file(project)
    relative = target.relative_to(project / "out" / TARGET).as_posix()
    key, _ = cachefiles._key(create=False)
    assert key is not None
    for path in entries("plan"):
        body = json.loads(path.read_bytes().partition(b"\n")[2])
        for item in body["plan"]["files"]:
            if item[0] == relative:
                item[1] = EVIL
        raw = json.dumps(body).encode()
        path.write_bytes(cachefiles.sign(key, raw).encode() + b"\n" + raw)
    for path in entries("check"):
        path.unlink()
    target.write_text(EVIL)
    generated = run("generate")
    assert generated.exit_code == 1 and "edited by hand" in generated.stderr
    assert run("check").exit_code == 1


def test_an_entry_copied_to_another_purpose_is_ignored(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run("check", "--format", "json").exit_code == 0
    config = str(project / "twinspec.yaml")
    _, text_entry = cache._entry(config, str(project), cache.CheckArgs("text"))
    _, json_entry = cache._entry(config, str(project), cache.CheckArgs("json"))
    shutil.copy(json_entry, text_entry)
    code, err = replay(capsys)
    assert code is None and "made for something else" in err


def test_a_key_others_can_read_or_a_symlinked_entry_is_not_used(
    project: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    key = Path(os.environ["TWINSPEC_CACHE_DIR"]) / "key"
    key.chmod(0o644)
    code, err = replay(capsys)
    assert code is None and "not a private file" in err
    key.chmod(0o600)
    assert replay(capsys)[0] == 0
    (entry,) = entries("check")
    moved = tmp_path / "elsewhere.json"
    entry.rename(moved)
    entry.symlink_to(moved)
    code, err = replay(capsys)
    assert code is None and "cannot open it" in err


def test_disabling_the_cache_afterwards_still_sees_the_tampering(
    project: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    a_generated_file(project).write_text(EVIL)
    assert run("check").exit_code == 1
    monkeypatch.setenv("TWINSPEC_NO_CACHE", "1")
    assert replay(capsys)[0] is None
    assert run("check", "--no-cache").exit_code == 1
    assert run("generate", "--no-cache").exit_code == 1
