"""Output safety: nothing a spec or a package name says can make twinspec write outside its folder.

Planned paths are checked for every escaping or reserved name; the real
``twinspec generate`` runs in a subprocess against output folders booby-trapped
with symlinks, and the whole temporary tree is compared before and after.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from generator.errors import TwinspecError

from .harness import REPO, plan_ok, require_target, unsafe_paths, write_spec

HOSTILE_TAGS = [
    "../../evil",
    "/abs/evil",
    "..",
    ".",
    "a/b",
    "a\\b",
    "x\x00y",
    "aux.txt",
    "CON",
    "con",
]
HOSTILE_PACKAGES = [
    "../evil",
    "/tmp/evil",
    "a/b",
    "x\x00y",
    "con",
    "class",
    "",
    "..",
    "Evil Package!",
]

KNOWN_DEFECTS: dict[str, str] = {}
"""Open defects by case (F5, Windows device names, was here until fixed)."""


def openapi_tagged(tags: list[str]) -> dict[str, Any]:
    """One operation per tag, so each tag gets its own router module."""
    paths = {
        f"/t{i}": {"get": {"tags": [tag], "responses": {"200": {"description": "ok"}}}}
        for i, tag in enumerate(tags)
    }
    return {"openapi": "3.1.0", "info": {"title": "../../Evil", "version": "1"}, "paths": paths}


@pytest.mark.timeout(120)
@pytest.mark.parametrize(
    "target",
    [
        "rest-server",
        "rest-client",
    ],
)
def test_reserved_and_escaping_tags(tmp_path: Path, target: str) -> None:
    """Tags that are paths, NUL, dots or device names never become unsafe file names."""
    plan = plan_ok(write_spec(tmp_path, "spec.json", openapi_tagged(HOSTILE_TAGS)), target)
    assert not unsafe_paths(plan), unsafe_paths(plan)


@pytest.mark.timeout(120)
@pytest.mark.parametrize("target", ["rest-server", "rest-client"])
def test_escaping_tags_stay_inside(tmp_path: Path, target: str) -> None:
    """The path-like tags alone (no device names): every planned path stays inside."""
    tags = [t for t in HOSTILE_TAGS if t.lower() not in ("con", "aux.txt")]
    plan = plan_ok(write_spec(tmp_path, "spec.json", openapi_tagged(tags)), target)
    assert not unsafe_paths(plan), unsafe_paths(plan)


@pytest.mark.timeout(120)
@pytest.mark.parametrize(
    "package",
    [
        pytest.param(p, marks=pytest.mark.xfail(strict=True, reason=KNOWN_DEFECTS[p]))
        if p in KNOWN_DEFECTS
        else p
        for p in HOSTILE_PACKAGES
    ],
)
def test_package_option(tmp_path: Path, package: str) -> None:
    """A hostile ``--package`` is refused as a usage error or made safe; never an unsafe path."""
    from generator.drive.spec import plan_target

    require_target("rest-server")
    spec = write_spec(tmp_path, "spec.json", openapi_tagged(["pets"]))
    try:
        plan, diagnostics = plan_target(spec, "rest-server", package=package)
    except TwinspecError:
        return  # refused: a usage error naming the option
    if plan is not None:
        assert not unsafe_paths(plan), unsafe_paths(plan)
        assert all(not f.path.startswith(("/", "..")) for f in plan.files)
    else:
        assert diagnostics


def snapshot(root: Path) -> dict[str, str]:
    """Every file and link under ``root``: relative path -> content hash or link target."""
    found = {}
    for dirpath, dirnames, filenames in os.walk(root):
        for name in dirnames + filenames:
            path = Path(dirpath, name)
            rel = str(path.relative_to(root))
            if path.is_symlink():
                found[rel] = "-> " + os.readlink(path)
            elif path.is_file():
                found[rel] = hashlib.sha256(path.read_bytes()).hexdigest()
    return found


def generate(spec: Path, out: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    """``twinspec generate SPEC -t rest-server -o OUT`` in a subprocess."""
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "generator",
            "generate",
            str(spec),
            "-t",
            "rest-server",
            "-o",
            str(out),
            *extra,
        ],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=spec.parent,
        env={**os.environ, "PYTHONPATH": str(REPO)},
    )


@pytest.fixture
def workspace(tmp_path: Path) -> tuple[Path, Path, Path]:
    """(spec, out, victim folder) with a first generation already in ``out``."""
    require_target("rest-server")
    spec = write_spec(tmp_path, "spec.json", openapi_tagged(["pets"]))
    victim = tmp_path / "victim"
    victim.mkdir()
    (victim / "precious.txt").write_text("keep me\n")
    out = tmp_path / "out"
    first = generate(spec, out)
    assert first.returncode == 0, first.stdout + first.stderr
    return spec, out, victim


def _outside(
    tmp_path: Path, out: Path, before: dict[str, str]
) -> dict[str, tuple[str | None, str | None]]:
    after = snapshot(tmp_path)
    inside = str(out.relative_to(tmp_path))
    changed = {}
    for key in set(before) | set(after):
        if key == inside or key.startswith(inside + os.sep):
            continue
        if before.get(key) != after.get(key):
            changed[key] = (before.get(key), after.get(key))
    return changed


@pytest.mark.timeout(180)
@pytest.mark.parametrize("force", [False, True], ids=["plain", "force"])
def test_symlinked_file_inside_output(workspace: tuple[Path, Path, Path], force: bool) -> None:
    """A generated file replaced by a symlink to a file outside: regeneration never writes through it."""
    spec, out, victim = workspace
    target = next(
        p for p in sorted(out.rglob("*.py")) if "routers" in p.parts and p.name != "__init__.py"
    )
    target.unlink()
    target.symlink_to(victim / "precious.txt")
    tmp = out.parent
    before = snapshot(tmp)
    proc = generate(spec, out, *(["--force"] if force else []))
    assert "Traceback" not in proc.stderr, proc.stderr
    assert (victim / "precious.txt").read_text() == "keep me\n"
    assert _outside(tmp, out, before) == {}


@pytest.mark.timeout(180)
@pytest.mark.parametrize("force", [False, True], ids=["plain", "force"])
def test_symlinked_folder_inside_output(workspace: tuple[Path, Path, Path], force: bool) -> None:
    """A generated folder replaced by a symlink to a folder outside: nothing lands in that folder."""
    spec, out, victim = workspace
    routers = next(p for p in sorted(out.rglob("routers")) if p.is_dir())
    for child in sorted(routers.rglob("*"), reverse=True):
        child.unlink() if child.is_file() else child.rmdir()
    routers.rmdir()
    routers.symlink_to(victim, target_is_directory=True)
    tmp = out.parent
    before = snapshot(tmp)
    proc = generate(spec, out, *(["--force"] if force else []))
    assert "Traceback" not in proc.stderr, proc.stderr
    assert sorted(p.name for p in victim.iterdir()) == ["precious.txt"]
    assert _outside(tmp, out, before) == {}


@pytest.mark.timeout(180)
def test_output_folder_is_a_symlink(tmp_path: Path) -> None:
    """``-o link`` where link points at a folder: files land only in that folder (or nowhere)."""
    require_target("rest-server")
    spec = write_spec(tmp_path, "spec.json", openapi_tagged(["pets"]))
    real = tmp_path / "real"
    real.mkdir()
    link = tmp_path / "link"
    link.symlink_to(real, target_is_directory=True)
    before = snapshot(tmp_path)
    proc = generate(spec, link)
    assert "Traceback" not in proc.stderr, proc.stderr
    assert proc.returncode in (0, 1, 2), proc.stderr
    changed = _outside(tmp_path, real, before)
    assert changed == {}, changed
    if proc.returncode == 0:
        assert link.is_symlink() and any(real.rglob("*.py"))
