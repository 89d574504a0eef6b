"""Planned output paths: anything that could land outside the output folder is refused."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from generator.errors import OutputPathError
from generator.write.paths import check_inside, check_plan_paths, check_relative

GOOD = ["a.py", "pkg/sub/mod.py", "README.md", ".gitignore", "pkg/données.py", "x/y-z_1.txt"]
BAD = [
    ("", "empty"),
    ("../evil.py", "leaves or re-enters"),
    ("pkg/../../evil.py", "leaves or re-enters"),
    ("./a.py", "leaves or re-enters"),
    ("a//b.py", "leaves or re-enters"),
    ("/etc/passwd", "absolute"),
    ("C:/x.py", "absolute"),
    ("a\\b.py", "backslash"),
    ("a\x00b.py", "NUL or control"),
    ("a\nb.py", "NUL or control"),
    ("pkg/CON.py", "reserved name"),
    ("lpt1", "reserved name"),
    ("dir./x.py", "no filesystem accepts"),
    ("pkg/x:stream", "no filesystem accepts"),
    (".twinspec-manifest.json", "manifest"),
]


@pytest.mark.parametrize("path", GOOD)
def test_ordinary_paths_pass(path: str) -> None:
    assert check_relative(path) == path


@pytest.mark.parametrize(("path", "reason"), BAD, ids=[repr(p) for p, _ in BAD])
def test_hostile_paths_are_refused(path: str, reason: str) -> None:
    with pytest.raises(OutputPathError, match=reason):
        check_relative(path)


def test_case_collisions_and_file_folder_clashes() -> None:
    with pytest.raises(OutputPathError, match="case-insensitive"):
        check_plan_paths(["pkg/User.py", "pkg/user.py"])
    with pytest.raises(OutputPathError, match="needs it as a folder"):
        check_plan_paths(["pkg/models", "pkg/models/a.py"])
    check_plan_paths(["pkg/models.py", "pkg/models/a.py"])


def test_symlinks_inside_the_folder(tmp_path: Path) -> None:
    out = tmp_path / "out"
    (out / "inner").mkdir(parents=True)
    os.symlink(out / "inner", out / "alias")
    assert check_inside(out, "alias/x.py") == out / "alias/x.py"
    os.symlink(tmp_path, out / "escape")
    with pytest.raises(OutputPathError, match="outside the output folder"):
        check_inside(out, "escape/x.py")
    os.symlink("/etc/passwd", out / "file.py")
    with pytest.raises(OutputPathError, match="outside the output folder"):
        check_inside(out, "file.py")
