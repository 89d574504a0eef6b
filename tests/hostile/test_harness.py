"""The harness itself can fail: the canary fires when code runs, unsafe paths are caught."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.render.plan import PlannedFile, WritePlan

from .harness import CANARY, compile_errors, dump_yaml, import_and_serve, unsafe_reason
from .test_injection import code_names


def test_canary_fires_when_payload_runs(tmp_path: Path) -> None:
    """A module whose body is the canary expression trips it on import."""
    package = tmp_path / "out" / "victim"
    package.mkdir(parents=True)
    (package / "__init__.py").write_text(CANARY + "\n")
    result = import_and_serve(tmp_path / "out", tmp_path / "canary")
    assert result.canary_fired
    assert (tmp_path / "canary").exists()


def test_canary_stays_cold_for_data(tmp_path: Path) -> None:
    """The same text as a string literal is inert, and the AST scan sees no code in it."""
    package = tmp_path / "out" / "victim"
    package.mkdir(parents=True)
    (package / "__init__.py").write_text(f"TEXT = {CANARY!r}\n")
    result = import_and_serve(tmp_path / "out", tmp_path / "canary")
    assert not result.canary_fired
    assert result.imported == ("victim",)
    assert "__import__" not in code_names(f"TEXT = {CANARY!r}\n")
    assert "__import__" in code_names(CANARY)


@pytest.mark.parametrize(
    "path",
    [
        "../x.py",
        "/etc/x",
        "a/../../x",
        "a\x00b",
        "con.py",
        "pkg/aux/x.py",
        "a\\b",
        "",
        "a//b",
        "x. ",
    ],
)
def test_unsafe_paths_are_caught(path: str) -> None:
    """Every way out of the output folder, or into trouble on Windows, is named."""
    assert unsafe_reason(path)


def test_compile_errors_count_warnings() -> None:
    """An invalid escape sequence counts as an error, not a warning to ignore."""
    plan = WritePlan(
        "t", (PlannedFile("a.py", '"""tail\\ tag"""\n'), PlannedFile("b.py", "x = 1\n"))
    )
    assert list(compile_errors(plan)) == ["a.py"]


def test_yaml_writer_quotes_every_string() -> None:
    """Strings YAML 1.1 and 1.2 would read differently stay strings."""
    text = dump_yaml({"a": "0o17", "b": "on", "c": 1, "d": True})
    assert text == '"a": "0o17"\n"b": "on"\n"c": 1\n"d": true\n'
