"""``twinspec diff --base REF`` and the ``twinspec-breaking`` pre-commit hook, in real git repos."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from .conftest import run_diff

REPO = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")

CONFIG = """\
jobs:
  - spec: specs/api.yaml
    targets: [rest-client]
    output: generated/api
"""

API = """\
openapi: 3.0.3
info: {title: Pets, version: 1.0.0}
paths:
  /pets:
    get:
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema: {$ref: "schemas/pet.yaml"}
"""

PET = """\
type: object
required: [id]
properties:
  id: {type: integer}
  name: {type: string}
"""


def _git(repo: Path, *args: str) -> str:
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@example.com",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@example.com",
    }
    done = subprocess.run(
        ["git", *args], cwd=repo, env=env, capture_output=True, text=True, check=False
    )
    if done.returncode != 0 and args[0] != "commit":
        raise AssertionError(done.stderr)
    return done.stdout + done.stderr


def _repo(path: Path) -> Path:
    """A repo on ``main`` with a multi-file spec committed."""
    (path / "specs" / "schemas").mkdir(parents=True)
    (path / "twinspec.yaml").write_text(CONFIG, encoding="utf-8")
    (path / "specs" / "api.yaml").write_text(API, encoding="utf-8")
    (path / "specs" / "schemas" / "pet.yaml").write_text(PET, encoding="utf-8")
    _git(path, "init", "-q", "-b", "main")
    _git(path, "add", "-A")
    _git(path, "commit", "-q", "-m", "v1")
    return path


def test_base_compares_multi_file_spec_without_touching_the_tree(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = _repo(tmp_path / "repo")
    (repo / "specs" / "schemas" / "pet.yaml").write_text(
        PET.replace("  name: {type: string}\n", ""), encoding="utf-8"
    )
    status = _git(repo, "status", "--porcelain")
    monkeypatch.chdir(repo)
    exit_code, out = run_diff("--base", "main")
    assert exit_code == 1
    assert (
        "main:specs/schemas/pet.yaml:5:3: error [output-property-removed] property 'name' removed;"
        " affects clients reading GET /pets response 200 (application/json)"
    ) in out
    assert _git(repo, "status", "--porcelain") == status  # no checkout, nothing written
    exit_code, out = run_diff("--base", "main", "--allow", "output-property-removed")
    assert exit_code == 0 and "(allowed)" in out


def test_base_usage_errors(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    repo = _repo(tmp_path / "repo")
    monkeypatch.chdir(repo)
    assert run_diff("--base", "no-such-ref")[0] == 2
    assert run_diff("--base", "main", "--allow", "no-such-rule")[0] == 2
    assert run_diff("specs/api.yaml")[0] == 2
    asyncapi = repo / "events.yaml"
    asyncapi.write_text("asyncapi: 3.0.0\ninfo: {title: E, version: '1'}\n", encoding="utf-8")
    exit_code, out = run_diff("specs/api.yaml", "events.yaml")
    assert exit_code == 2 and "both must be OpenAPI or both AsyncAPI" in out


def _hook() -> dict[str, object]:
    hooks = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    return next(h for h in hooks if h["id"] == "twinspec-breaking")  # type: ignore[no-any-return]


def test_hook_stops_a_breaking_commit_and_lets_a_compatible_one_pass(tmp_path: Path) -> None:
    """Real pre-commit runs the shipped hook definition (as a local, system-language hook)."""
    repo = _repo(tmp_path / "repo")
    hook = {**_hook(), "language": "system"}
    config = {"repos": [{"repo": "local", "hooks": [hook]}]}
    (repo / ".pre-commit-config.yaml").write_text(yaml.safe_dump(config), encoding="utf-8")
    _git(repo, "add", ".pre-commit-config.yaml")
    _git(repo, "commit", "-q", "-m", "hooks")
    env_path = f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"
    os.environ["PRE_COMMIT_HOME"] = str(tmp_path / "pre-commit-home")
    previous = os.environ.get("PATH", "")
    os.environ["PATH"] = env_path
    try:
        subprocess.run(["pre-commit", "install"], cwd=repo, check=True, capture_output=True)
        pet = repo / "specs" / "schemas" / "pet.yaml"
        pet.write_text(PET.replace("  name: {type: string}\n", ""), encoding="utf-8")
        _git(repo, "add", "-A")
        out = _git(repo, "commit", "-m", "drop name")
        assert "twinspec breaking changes" in out and "Failed" in out
        assert ":specs/schemas/pet.yaml:5:3: error [output-property-removed] property 'name'" in out
        assert _git(repo, "log", "--format=%s", "-1").strip() == "hooks"  # stopped
        pet.write_text(PET + "  nick: {type: string}\n", encoding="utf-8")
        _git(repo, "add", "-A")
        out = _git(repo, "commit", "-m", "add nick")
        assert "twinspec breaking changes" in out and "Passed" in out
        assert _git(repo, "log", "--format=%s", "-1").strip() == "add nick"
    finally:
        os.environ["PATH"] = previous
        del os.environ["PRE_COMMIT_HOME"]
