"""``twinspec validate``: what a user sees on the terminal, and the exit codes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.cli import cli

VALID = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\n"
INVALID = "openapi: 3.0.3\ninfo: {title: t}\npaths: {}\n"
WARNING = VALID + "components:\n  schemas:\n    P: {required: [a], properties: {b: {}}}\n"


@pytest.fixture
def in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    for name, text in {"ok.yaml": VALID, "bad.yaml": INVALID, "warn.yaml": WARNING}.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    return tmp_path


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, ["validate", *args])
    return result.exit_code, result.stdout, result.stderr


def test_valid_file_prints_an_ok_line(in_tmp: Path) -> None:
    assert run("ok.yaml") == (0, "ok.yaml: OK (openapi 3.0.3)\n", "")


def test_invalid_file_prints_located_errors(in_tmp: Path) -> None:
    code, out, err = run("bad.yaml")
    assert code == 1 and err == ""
    assert out == (
        "bad.yaml:2:1: error [schema-missing-field] info is missing required field"
        " 'version' (at /info)\n"
    )


def test_many_files_one_run(in_tmp: Path) -> None:
    code, out, _ = run("ok.yaml", "bad.yaml", "warn.yaml")
    assert code == 1
    lines = out.splitlines()
    assert lines[0] == "ok.yaml: OK (openapi 3.0.3)"
    assert lines[1].startswith("bad.yaml:2:1: error")
    assert lines[2].startswith("warn.yaml:6:20: warning [required-not-in-properties]")
    assert lines[3] == "warn.yaml: OK (openapi 3.0.3)"


def test_warnings_fail_only_under_strict(in_tmp: Path) -> None:
    assert run("warn.yaml")[0] == 0
    code, out, _ = run("--strict", "warn.yaml")
    assert code == 1 and "OK" not in out


def test_quiet_prints_only_problems(in_tmp: Path) -> None:
    assert run("-q", "ok.yaml") == (0, "", "")


@pytest.mark.parametrize(
    ("name", "text", "message"),
    [
        ("missing.yaml", None, "twinspec: missing.yaml: no such file\n"),
        (
            "v9.yaml",
            "openapi: 9.0.0\n",
            "twinspec: v9.yaml: unsupported openapi version '9.0.0' (supported: 3.0, 3.1, 3.2)\n",
        ),
        (
            "other.yaml",
            "name: not an API\n",
            "twinspec: other.yaml: not an API document: no top-level 'openapi',"
            " 'swagger' or 'asyncapi' field\n",
        ),
        (
            "list.yaml",
            "- a\n",
            "twinspec: list.yaml: not an API document: the top level is not a mapping\n",
        ),
    ],
    ids=["missing", "unknown-version", "not-api", "not-a-mapping"],
)
def test_usage_errors_exit_2_with_one_line(
    in_tmp: Path, name: str, text: str | None, message: str
) -> None:
    if text is not None:
        (in_tmp / name).write_text(text, encoding="utf-8")
    assert run(name) == (2, "", message)


def test_json_format(in_tmp: Path) -> None:
    code, out, _ = run("--format", "json", "bad.yaml", "ok.yaml")
    assert code == 1
    assert json.loads(out) == [
        {
            "file": "bad.yaml",
            "line": 2,
            "column": 1,
            "pointer": "/info",
            "severity": "error",
            "code": "schema-missing-field",
            "message": "info is missing required field 'version'",
        }
    ]


def test_github_format(in_tmp: Path) -> None:
    code, out, _ = run("--format", "github", "bad.yaml")
    assert code == 1
    assert out == (
        "::error file=bad.yaml,line=2,col=1,title=schema-missing-field::[schema-missing-field]"
        " info is missing required field 'version' (at /info)\n"
    )


def test_problems_are_sorted_and_deduplicated(in_tmp: Path) -> None:
    (in_tmp / "two.yaml").write_text(
        "openapi: 3.0.3\ninfo: {title: t, version: '1', x: 1}\npaths:\n"
        "  /a/{id}:\n    get:\n      responses: {'200': {description: ok}}\n"
        "    put:\n      responses: {'200': {description: ok}}\n"
    )
    _, out, _ = run("two.yaml")
    positions = [tuple(map(int, line.split(":")[1:3])) for line in out.splitlines()]
    assert positions == sorted(positions) and len(out.splitlines()) == len(set(out.splitlines()))
    assert len(positions) == 3


def test_no_traceback_for_a_hostile_file(in_tmp: Path) -> None:
    (in_tmp / "deep.yaml").write_text("openapi: 3.0.0\nx: " + "[" * 50_000 + "]" * 50_000)
    code, out, err = run("deep.yaml")
    assert code == 1 and err == ""
    assert out.startswith("deep.yaml:2:260: error [too-deep]")


def test_python_dash_m_reports_the_version() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "generator", "--version"],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1])},
    )
    assert result.returncode == 0
    assert result.stdout.startswith("twinspec, version ")
