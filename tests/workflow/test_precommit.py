"""The real `pre-commit` tool using this repo's `.pre-commit-hooks.yaml`, as a user would.

pre-commit clones a hook repository at a revision and pip-installs it, so the
test snapshots the current working tree into a temporary git repository,
commits it, and points a user's `.pre-commit-config.yaml` at that path and
revision. The user repository generates with the very twinspec the hook
installed, then commits through `git commit` with the hooks installed.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from generator import __version__

REPO = Path(__file__).resolve().parents[2]
SNAPSHOT = ("generator", "templates", "pyproject.toml", "README.md", ".pre-commit-hooks.yaml")

SPEC = """\
openapi: 3.1.0
info: {title: Shop, version: 1.0.0}
paths:
  /items/{item_id}:
    get:
      operationId: getItem
      parameters:
        - {name: item_id, in: path, required: true, schema: {type: integer}}
      responses:
        "200":
          description: The item.
          content:
            application/json:
              schema:
                type: object
                properties: {name: {type: string}}
"""


def readme_configs() -> dict[str, str]:
    """The README's two ``.pre-commit-config.yaml`` examples: ``pinned`` and ``local``."""
    text = (REPO / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```yaml\n(# \.pre-commit-config\.yaml\n.*?)```", text, re.S)
    found = {"local" if "repo: local" in b else "pinned": b for b in blocks}
    assert set(found) == {"pinned", "local"}, blocks
    return found


def test_readme_pins_the_release_tag_of_this_version() -> None:
    assert f"    rev: v{__version__}\n" in readme_configs()["pinned"]
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    tags = set(re.findall(r"\bv\d+\.\d+\.\d+\b", readme))
    assert tags == {f"v{__version__}"}, tags  # the CI example installs the same release
    assert "<you>" not in readme and "<tag>" not in readme
    project = (REPO / "pyproject.toml").read_text(encoding="utf-8")
    assert f'\nversion = "{__version__}"\n' in project


def git(
    cwd: Path, *args: str, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """Run git; hook output (which git commit sends to stderr) is merged into stdout."""
    return subprocess.run(
        ["git", *args],
        cwd=cwd,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        timeout=600,
        check=False,
    )


def _env(home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GIT_", "TWINSPEC_"))}
    env.update(
        PRE_COMMIT_HOME=str(home),
        GIT_AUTHOR_NAME="t",
        GIT_AUTHOR_EMAIL="t@example.com",
        GIT_COMMITTER_NAME="t",
        GIT_COMMITTER_EMAIL="t@example.com",
        GIT_CONFIG_GLOBAL=os.devnull,
        GIT_CONFIG_NOSYSTEM="1",
    )
    return env


@pytest.fixture(scope="module")
def hooks(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, str, dict[str, str]]]:
    """(hook repo path, its commit, environment with an isolated PRE_COMMIT_HOME)."""
    root = tmp_path_factory.mktemp("hookrepo")
    env = _env(tmp_path_factory.mktemp("pre-commit-home"))
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", ".mypy_cache", ".ruff_cache")
    for name in SNAPSHOT:
        source = REPO / name
        if source.is_dir():
            shutil.copytree(source, root / name, ignore=ignore)
        else:
            shutil.copy2(source, root / name)
    assert git(root, "init", "-q", env=env).returncode == 0
    git(root, "add", "-A", env=env)
    assert git(root, "commit", "-q", "-m", "snapshot", env=env).returncode == 0
    # tagged as README's "Releasing" says, so the README's pinned config works as written
    tag = f"v{__version__}"
    assert git(root, "tag", "-a", tag, "-m", f"twinspec {__version__}", env=env).returncode == 0
    yield root, tag, env


def _pre_commit(cwd: Path, env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "pre_commit", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )


def _hook_twinspec(env: dict[str, str]) -> Path:
    """The twinspec console script pre-commit installed for the hooks."""
    found = sorted(Path(env["PRE_COMMIT_HOME"]).glob("*/py_env-*/bin/twinspec"))
    assert len(found) == 1, found
    return found[0]


@pytest.fixture
def user_repo(
    tmp_path: Path, hooks: tuple[Path, str, dict[str, str]]
) -> tuple[Path, dict[str, str]]:
    """A user's repository with a spec, a config, hooks installed and generated code committed."""
    hook_repo, rev, env = hooks
    repo = tmp_path / "shop"
    (repo / "specs").mkdir(parents=True)
    (repo / "specs/shop.yaml").write_text(SPEC)
    (repo / "twinspec.yaml").write_text(
        "jobs:\n  - spec: specs/shop.yaml\n    targets: [rest-server]\n    output: generated/shop\n"
    )
    pinned = readme_configs()["pinned"]  # the README's, with this snapshot as the repository
    assert f"    rev: {rev}\n" in pinned
    config = re.sub(r"(?m)^  - repo: \S+", f"  - repo: {hook_repo}", pinned)
    assert f"  - repo: {hook_repo} " in config
    (repo / ".pre-commit-config.yaml").write_text(config)
    assert git(repo, "init", "-q", env=env).returncode == 0
    installed = _pre_commit(repo, env, "install", "--install-hooks")
    assert installed.returncode == 0, installed.stdout + installed.stderr
    done = subprocess.run(
        [str(_hook_twinspec(env)), "generate", "-q"],
        cwd=repo,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    git(repo, "add", "-A", env=env)
    return repo, env


def test_in_step_repo_commits(user_repo: tuple[Path, dict[str, str]]) -> None:
    repo, env = user_repo
    result = git(repo, "commit", "-m", "initial", env=env)
    assert result.returncode == 0, result.stdout
    assert "twinspec check" in result.stdout and "Passed" in result.stdout


def test_invalid_spec_is_blocked_with_located_message(
    user_repo: tuple[Path, dict[str, str]],
) -> None:
    repo, env = user_repo
    assert git(repo, "commit", "-q", "-m", "initial", env=env).returncode == 0
    (repo / "specs/shop.yaml").write_text(SPEC.replace("in: path", "in: body"))
    git(repo, "add", "-A", env=env)
    result = git(repo, "commit", "-m", "break the spec", env=env)
    assert result.returncode != 0
    assert "twinspec validate" in result.stdout and "Failed" in result.stdout
    assert "specs/shop.yaml:8:27: error [schema-invalid-value]" in result.stdout
    assert git(repo, "log", "--oneline", env=env).stdout.count("\n") == 1


def test_spec_change_without_regeneration_is_blocked_until_generate(
    user_repo: tuple[Path, dict[str, str]],
) -> None:
    repo, env = user_repo
    assert git(repo, "commit", "-q", "-m", "initial", env=env).returncode == 0
    (repo / "specs/shop.yaml").write_text(SPEC.replace("title: Shop", "title: Big Shop"))
    git(repo, "add", "-A", env=env)
    blocked = git(repo, "commit", "-m", "rename", env=env)
    assert blocked.returncode != 0
    assert "twinspec validate" in blocked.stdout
    assert "[stale]" in blocked.stdout and "run `twinspec generate`" in blocked.stdout
    generated = subprocess.run(
        [str(_hook_twinspec(env)), "generate", "-q"],
        cwd=repo,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert generated.returncode == 0, generated.stdout + generated.stderr
    git(repo, "add", "-A", env=env)
    passed = git(repo, "commit", "-m", "rename", env=env)
    assert passed.returncode == 0, passed.stdout


def test_readme_local_hooks_use_the_installed_twinspec(tmp_path: Path) -> None:
    env = _env(tmp_path / "home")
    env["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), env.get("PATH", "")])
    repo = tmp_path / "shop"
    (repo / "specs").mkdir(parents=True)
    (repo / "specs/shop.yaml").write_text(SPEC)
    (repo / "twinspec.yaml").write_text(
        "jobs:\n  - spec: specs/shop.yaml\n    targets: [rest-server]\n    output: generated/shop\n"
    )
    (repo / ".pre-commit-config.yaml").write_text(readme_configs()["local"])
    assert git(repo, "init", "-q", env=env).returncode == 0
    installed = _pre_commit(repo, env, "install")
    assert installed.returncode == 0, installed.stdout + installed.stderr
    generated = subprocess.run(
        [sys.executable, "-m", "generator", "generate", "-q"],
        cwd=repo,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert generated.returncode == 0, generated.stdout + generated.stderr
    git(repo, "add", "-A", env=env)
    passed = git(repo, "commit", "-m", "initial", env=env)
    assert passed.returncode == 0, passed.stdout
    assert "twinspec check" in passed.stdout and "Passed" in passed.stdout
    (repo / "specs/shop.yaml").write_text(SPEC.replace("in: path", "in: body"))
    git(repo, "add", "-A", env=env)
    blocked = git(repo, "commit", "-m", "break the spec", env=env)
    assert blocked.returncode != 0
    assert "specs/shop.yaml:8:27: error [schema-invalid-value]" in blocked.stdout
