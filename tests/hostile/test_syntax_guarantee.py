"""The syntax guarantee after issue 16: ruff checks pack output, ``compile`` checks override output.

Files rendered from twinspec's own packs are no longer compiled: they can only
turn invalid through spec text escaping a literal, which ruff's check pass
reports. These tests hold that claim to hostile spec text in every field (the
output must still compile, checked here with ``compile`` itself), and show that
a user's override template keeps the full ``compile``: an error ruff's parser
accepts, or one no ruff rule reports, is a diagnostic and nothing is written.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

import generator.render.env as render_env
from generator.render.packs import templates_root

from .builders import asyncapi_injection, openapi_injection
from .harness import (
    compile_errors,
    no_traceback,
    plan_ok,
    require_target,
    twinspec_limited,
    write_spec,
)

BREAKOUTS: dict[str, str] = {
    "double-quote": 'a"b',
    "single-quote": "a'b",
    "triple-double": '"""',
    "triple-single": "'''",
    "backslash": "\\",
    "backslash-newline": "a\\\nb",
    "newline-indent": "a\n    return 1\nbreak",
    "line-separators": "a\u2028return 1\u2029b\x85",
    "nul": "a\x00b",
    "fstring-braces": "{x}{{y}}{",
    "hash": "# a comment? #",
    "everything": "\"'\\\"\"\"'''\n{0}\u2028\x00#\\",
}
"""Spec text shaped to end a string, docstring, comment or line wherever it lands."""

BUILDERS = {
    "rest-server": openapi_injection,
    "rest-client": openapi_injection,
    "stream-server": asyncapi_injection,
    "stream-client": asyncapi_injection,
}


@pytest.mark.timeout(120)
@pytest.mark.parametrize("text", list(BREAKOUTS.values()), ids=list(BREAKOUTS))
@pytest.mark.parametrize("target", list(BUILDERS))
def test_breakout_text_in_every_field_still_compiles(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, target: str, text: str
) -> None:
    """Names, descriptions, enums, defaults, examples, paths, headers, server URLs: all data."""
    checks: list[bool] = []
    real = render_env.format_python

    def spy(files: dict[str, str], **options: bool) -> dict[str, str]:
        checks.append(options["compile_check"])
        return real(files, **options)

    monkeypatch.setattr(render_env, "format_python", spy)
    spec = write_spec(tmp_path, "spec.json", BUILDERS[target](text))
    plan = plan_ok(spec, target)
    assert checks and not any(checks), "pack output should be left to ruff's check"
    assert not compile_errors(plan), compile_errors(plan)


def test_breakout_text_generates_without_a_traceback(tmp_path: Path) -> None:
    """The whole CLI, in a fresh process: exit 0, files written, no traceback."""
    require_target("rest-server")
    doc: dict[str, Any] = openapi_injection(BREAKOUTS["everything"])
    spec = write_spec(tmp_path, "spec.json", doc)
    proc = twinspec_limited(
        ["generate", str(spec), "-t", "rest-server", "-o", "out"], cwd=tmp_path, timeout=120
    )
    assert proc.returncode == 0 and no_traceback(proc), proc.stdout + proc.stderr
    assert list((tmp_path / "out").rglob("*.py"))


TEMPLATE = "__main__.py.jinja"
OVERRIDES = {
    "return-at-module-level": ("x = 1\nreturn 1\n", "'return' outside function (line 2)"),
    "break-outside-a-loop": (
        "for x in ():\n    pass\nbreak\n",
        "'break' outside loop (line 3)",
    ),
    # no ruff rule reports this one: only compile does, so overrides keep it
    "valued-return-in-async-generator": (
        "async def f():\n    yield 1\n    return 2\n",
        "'return' with value in async generator (line 3)",
    ),
}


@pytest.mark.timeout(120)
@pytest.mark.parametrize(("source", "message"), list(OVERRIDES.values()), ids=list(OVERRIDES))
def test_invalid_python_from_an_override_is_a_diagnostic_and_nothing_is_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, source: str, message: str
) -> None:
    require_target("rest-server")
    assert (templates_root() / "rest-server" / TEMPLATE).is_file()  # the file it replaces
    monkeypatch.setenv("TWINSPEC_CACHE_DIR", str(tmp_path / "cache"))
    (tmp_path / "overrides").mkdir()
    (tmp_path / "overrides" / TEMPLATE).write_text(source, encoding="utf-8")
    spec = write_spec(tmp_path, "spec.json", openapi_injection("pets"))
    args = ["generate", str(spec), "-t", "rest-server", "-o", "out", "--templates", "overrides"]
    proc = twinspec_limited(args, cwd=tmp_path, timeout=120)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert no_traceback(proc), proc.stderr
    (line,) = [line for line in proc.stdout.splitlines() if "error" in line]
    assert "__main__.py" in line and "is not valid Python" in line and message in line, line
    assert not (tmp_path / "out").exists()


def test_a_default_nested_past_what_cpython_reads_is_a_diagnostic(tmp_path: Path) -> None:
    """ruff parses the literal at any depth; compile does not, so such a file is compiled."""
    require_target("rest-server")
    deep: Any = 1
    for _ in range(235):  # under the loader's 256 levels, over CPython's 200 brackets
        deep = {"a": deep}
    doc = openapi_injection("pets")
    doc["components"]["schemas"]["Item"]["properties"]["deep"] = {"default": deep}
    spec = write_spec(tmp_path, "spec.json", doc)
    proc = twinspec_limited(
        ["generate", str(spec), "-t", "rest-server", "-o", "out"], cwd=tmp_path, timeout=120
    )
    assert proc.returncode == 1 and no_traceback(proc), proc.stdout + proc.stderr
    assert "is not valid Python: too many nested parentheses" in proc.stdout, proc.stdout
    assert not (tmp_path / "out").exists()
