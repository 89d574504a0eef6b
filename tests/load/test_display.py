"""File names in Diagnostics read as ``os.path.relpath`` would put them."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from generator.load import display_path


def reference(path: Path) -> str:
    relative = os.path.relpath(path)
    return str(path) if relative.startswith("..") else relative


@pytest.mark.parametrize("where", ["root", "api", "api/v1", "other", "/"])
def test_display_path_is_relative_inside_the_working_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, where: str
) -> None:
    for folder in ("api/v1", "other", "api-2"):
        (tmp_path / folder).mkdir(parents=True)
    monkeypatch.chdir(tmp_path if where == "root" else tmp_path / where)
    paths = [
        tmp_path / "api" / "v1" / "s.yaml",
        tmp_path / "api" / "s.yaml",
        tmp_path / "api-2" / "s.yaml",
        tmp_path / "api" / ".." / "other" / "s.yaml",
        tmp_path / "api",
        tmp_path,
        Path("relative") / "s.yaml",
    ]
    for path in paths:
        assert display_path(path) == reference(path), path
