"""The wheel works on its own: built, installed into a fresh venv, run outside the repo.

The venv gets twinspec's dependencies from the running interpreter through a
``.pth`` line (no network, seconds not minutes); twinspec itself comes only
from the wheel, which must carry the template packs as ``generator/_templates``.
"""

from __future__ import annotations

import subprocess
import sys
import sysconfig
import venv
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SPEC = "openapi: 3.0.3\ninfo: {title: Pets, version: '1'}\npaths: {}\n"


def sh(*args: str | Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(a) for a in args], cwd=cwd, capture_output=True, text=True, check=False, timeout=300
    )


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh venv with only the built wheel of twinspec installed; returns its bin/."""
    root = tmp_path_factory.mktemp("packaging")
    built = sh(sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", root, REPO, cwd=root)
    assert built.returncode == 0, built.stderr[-2000:]
    wheel = next(root.glob("twinspec-*.whl"))
    env = root / "venv"
    venv.EnvBuilder(with_pip=False).create(env)
    site = Path(sysconfig.get_path("purelib", vars={"base": str(env), "platbase": str(env)}))
    (site / "_twinspec_deps.pth").write_text(sysconfig.get_path("purelib") + "\n")
    bindir = env / "bin"
    pip = sh(
        sys.executable,
        "-m",
        "pip",
        "--python",
        bindir / "python",
        "install",
        "-q",
        "--no-deps",
        "--no-index",
        wheel,
        cwd=root,
    )
    assert pip.returncode == 0, pip.stderr[-2000:]
    return bindir


def test_installed_twinspec_validates_outside_the_repo(installed: Path, tmp_path: Path) -> None:
    (tmp_path / "pets.yaml").write_text(SPEC)
    (tmp_path / "bad.yaml").write_text(SPEC.replace(", version: '1'", ""))
    ok = sh(installed / "twinspec", "validate", "pets.yaml", cwd=tmp_path)
    assert (ok.returncode, ok.stdout) == (0, "pets.yaml: OK (openapi 3.0.3)\n")
    bad = sh(installed / "twinspec", "validate", "bad.yaml", cwd=tmp_path)
    assert bad.returncode == 1
    assert bad.stdout.startswith("bad.yaml:2:1: error [schema-missing-field]")


def test_the_wheel_carries_package_and_templates(installed: Path, tmp_path: Path) -> None:
    probe = sh(
        installed / "python",
        "-c",
        "import generator, generator.render.packs as p;"
        "print(generator.__file__); print(p.templates_root())",
        cwd=tmp_path,
    )
    assert probe.returncode == 0, probe.stderr
    module, templates = (Path(line) for line in probe.stdout.splitlines())
    env = installed.parent
    assert module.is_relative_to(env) and templates.is_relative_to(env)
    assert templates.name == "_templates"
    assert {"_common", "rest-server", "rest-client"} <= {p.name for p in templates.iterdir()}


def test_python_dash_m_generator(installed: Path, tmp_path: Path) -> None:
    version = sh(installed / "python", "-m", "generator", "--version", cwd=tmp_path)
    assert version.returncode == 0
    assert version.stdout.startswith("twinspec, version ")


def test_every_generator_package_ships(installed: Path, tmp_path: Path) -> None:
    """A package missing from pyproject's list works in the repo and fails once installed."""
    root = Path(__file__).resolve().parents[1]
    packages = sorted(
        ".".join(init.parent.relative_to(root).parts)
        for init in (root / "generator").rglob("__init__.py")
    )
    probe = sh(
        installed / "python",
        "-c",
        "import importlib, sys\nfor name in sys.argv[1:]: importlib.import_module(name)",
        *packages,
        cwd=tmp_path,
    )
    assert probe.returncode == 0, probe.stderr
    diff = sh(installed / "twinspec", "diff", "--help", cwd=tmp_path)
    assert diff.returncode == 0, diff.stderr
