"""twinspec.yaml / [tool.twinspec]: discovery, validation with located Diagnostics, `init`."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.config import find_config, load_config
from generator.drive.spec import load_and_validate

from .conftest import SPEC, run


def _write(root: Path, text: str, name: str = "twinspec.yaml") -> Path:
    (root / "specs").mkdir(exist_ok=True)
    (root / "specs/pets.yaml").write_text(SPEC)
    path = root / name
    path.write_text(text)
    return path


def test_found_upward_and_yaml_wins_over_pyproject(tmp_path: Path) -> None:
    deep = tmp_path / "a" / "b"
    deep.mkdir(parents=True)
    assert find_config(deep) is None
    _write(tmp_path, "[tool.twinspec]\njobs = []\n", "pyproject.toml")
    assert find_config(deep) == tmp_path / "pyproject.toml"
    (tmp_path / "pyproject.toml").write_text("[project]\nname = 'x'\n")
    assert find_config(deep) is None
    (tmp_path / "a" / "twinspec.yml").write_text("jobs: []\n")
    assert find_config(deep) == tmp_path / "a" / "twinspec.yml"


def test_pyproject_jobs_are_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    _write(
        tmp_path,
        '[project]\nname = "x"\n\n[[tool.twinspec.jobs]]\nspec = "specs/pets.yaml"\n'
        'targets = ["fake"]\noutput = "gen"\npackage = "pets_api"\n',
        "pyproject.toml",
    )
    config, problems = load_config(tmp_path / "pyproject.toml")
    assert problems == [] and config is not None
    (job,) = config.jobs
    assert (job.spec_label, job.targets, job.package) == ("specs/pets.yaml", ("fake",), "pets_api")
    assert job.out_dir("fake") == tmp_path / "gen" / "fake"
    result = run("generate", "-q")
    assert result.exit_code == 0, result.output
    assert (tmp_path / "gen/fake/pets_api/__init__.py").is_file()
    assert run("check", "--no-cache").exit_code == 0


def test_pyproject_problems_point_at_the_table(tmp_path: Path) -> None:
    _write(tmp_path, '[project]\nname = "x"\n\n[tool.twinspec]\njobs = "all"\n', "pyproject.toml")
    _config, problems = load_config(tmp_path / "pyproject.toml")
    assert [(p.line, p.code) for p in problems] == [(4, "config-missing")]


@pytest.mark.parametrize(
    ("job", "expected"),
    [
        (
            "{spec: specs/pets.yaml, targets: [fake], output: o, package: 'not-ident'}",
            "config-package",
        ),
        ("{spec: specs/pets.yaml, targets: [fake], output: o, package: class}", "config-package"),
        ("{spec: specs/pets.yaml, targets: fake, output: o}", "config-type"),
        ("{spec: specs/pets.yaml, targets: [fake, fake], output: o}", "config-duplicate"),
        ("{spec: specs/pets.yaml, targets: [fake], output: /abs}", "config-path"),
        ("{spec: ../pets.yaml, targets: [fake], output: o}", "config-path"),
        (
            "{spec: specs/pets.yaml, targets: [fake], output: o, templates: nowhere}",
            "templates-not-found",
        ),
        ("{spec: specs/pets.yaml, targets: [fake], output: o, allow_invalid: yes}", "config-type"),
        (
            "{spec: specs/pets.yaml, targets: [fake], output: o, options: {fake: {x: 1}}}",
            "unknown-option",
        ),
        (
            "{spec: specs/pets.yaml, targets: [fake], output: o, options: {fake2: {}}}",
            "config-options",
        ),
        ("{targets: [fake], output: o}", "config-missing"),
        ("just-a-string", "config-type"),
    ],
)
def test_job_problems(tmp_path: Path, job: str, expected: str) -> None:
    path = _write(tmp_path, f"jobs:\n  - {job}\n")
    _config, problems = load_config(path)
    assert [p.code for p in problems] == [expected]
    assert problems[0].line == 2


def test_two_jobs_writing_one_folder(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        "jobs:\n"
        "  - {spec: specs/pets.yaml, targets: [fake], output: o}\n"
        "  - {spec: specs/pets.yaml, targets: [fake2, fake], output: o}\n",
    )
    _config, problems = load_config(path)
    assert [(p.code, p.line) for p in problems] == [("config-duplicate-output", 3)]


def test_output_inside_another_output(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        "jobs:\n"
        "  - {spec: specs/pets.yaml, targets: [fake], output: gen}\n"
        "  - {spec: specs/pets.yaml, targets: [fake2], output: gen/fake/more}\n",
    )
    _config, problems = load_config(path)
    assert [(p.code, p.line, p.message) for p in problems] == [
        ("config-nested-output", 3, "gen/fake/more/fake2 is inside gen/fake, another job's output")
    ]


def test_yaml_syntax_error_is_located(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    _write(tmp_path, "jobs:\n  - spec: [unclosed\n")
    result = run("check", "--no-cache")
    assert result.exit_code == 1
    assert result.stdout.startswith("twinspec.yaml:3:1: error [yaml-syntax]")


def test_init_writes_a_starter_that_validates(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = run("init", "--example")
    assert result.exit_code == 0
    assert "   create  twinspec.yaml" in result.stdout
    text = (tmp_path / "twinspec.yaml").read_text()
    assert text.startswith("# twinspec.yaml")
    assert "# templates:" in text and "# package:" in text
    config, problems = load_config(tmp_path / "twinspec.yaml")
    assert problems == [] and config is not None
    assert config.jobs[0].targets == ("rest-server", "rest-client")
    doc, diagnostics = load_and_validate(tmp_path / "specs/example.yaml")
    assert doc is not None and diagnostics == []
    again = run("init")
    assert again.exit_code == 2
    assert "already exists" in again.stderr
    assert run("init", "--force").exit_code == 0


def test_init_refuses_to_shadow_a_pyproject_config(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "pyproject.toml").write_text("[[tool.twinspec.jobs]]\nspec = 'a.yaml'\n")
    result = run("init")
    assert result.exit_code == 2
    assert "already configures twinspec" in result.stderr
    assert not (tmp_path / "twinspec.yaml").exists()
