"""Helpers: write a pair of specs and run ``twinspec diff`` on them as a user would."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner

from generator.cli import cli


def write(path: Path, doc: dict[str, Any]) -> Path:
    path.write_text(yaml.safe_dump(doc, sort_keys=False), encoding="utf-8")
    return path


def run_diff(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["diff", *args])
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception  # a traceback is a bug, never an answer
    return result.exit_code, result.output


def diff_json(old: Path, new: Path, *extra: str) -> tuple[int, list[dict[str, Any]]]:
    code, out = run_diff(str(old), str(new), "--format", "json", *extra)
    return code, json.loads(out)


@pytest.fixture
def in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path
