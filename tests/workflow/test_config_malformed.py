"""A config that does not parse is reported as what it is, at its line: never as "no config"."""

from __future__ import annotations

from pathlib import Path

import pytest

from .conftest import run

PYPROJECT = '[project]\nname = "x"\n\n[tool.twinspec]\n'


@pytest.mark.parametrize(
    ("text", "line", "column", "message"),
    [
        (
            PYPROJECT + 'jobs = [{spec = "a.yaml", targets = ["fake"] output = "out"}]\n',
            5,
            46,
            "Unclosed inline table",
        ),
        (PYPROJECT + "jobs = [\n", 6, 1, "Invalid value"),
        ('[project\nname = "x"\n[tool.twinspec]\n', 1, 9, "Expected ']'"),
    ],
    ids=["inline-table", "unclosed-array", "broken-elsewhere"],
)
@pytest.mark.parametrize("command", ["check", "generate"])
def test_malformed_tool_twinspec_is_a_located_toml_error(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    command: str,
    text: str,
    line: int,
    column: int,
    message: str,
) -> None:
    (tmp_path / "pyproject.toml").write_text(text)
    (tmp_path / "sub").mkdir()
    monkeypatch.chdir(tmp_path / "sub")  # found by walking up, like a real project
    result = run(command)
    assert result.exit_code == 1, result.output
    assert f"pyproject.toml:{line}:{column}: error [toml-syntax] {message}" in result.stdout
    assert "no twinspec.yaml" not in result.output


def test_pyproject_that_is_not_utf8_is_reported(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "pyproject.toml").write_bytes(PYPROJECT.encode() + b'x = "\xff"\n')
    monkeypatch.chdir(tmp_path)
    result = run("check")
    assert result.exit_code == 1
    assert "error [not-utf8]" in result.stdout


def test_pyproject_without_the_table_is_still_no_config(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "x"\n')
    monkeypatch.chdir(tmp_path)
    result = run("check")
    assert result.exit_code == 2
    assert "no twinspec.yaml or [tool.twinspec]" in result.output


@pytest.mark.parametrize(
    ("text", "line", "column"),
    [
        ("jobs:\n  - spec: a.yaml\n    targets: [fake\n    output: out\n", 4, 11),
        ("jobs:\n  - {spec: a.yaml, targets: [fake], output: out}\n\t- x\n", 3, 1),
    ],
    ids=["unclosed-flow", "tab"],
)
def test_malformed_twinspec_yaml_is_a_located_yaml_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, text: str, line: int, column: int
) -> None:
    (tmp_path / "twinspec.yaml").write_text(text)
    monkeypatch.chdir(tmp_path)
    for command in ("check", "generate"):
        result = run(command)
        assert result.exit_code == 1, result.output
        assert f"twinspec.yaml:{line}:{column}: error [yaml-syntax]" in result.stdout
