"""format_python's syntax check: whatever ``compile`` rejects is a PackError naming the file.

The check runs in a child interpreter beside ruff; these tests hold it to the
in-process ``compile`` it replaces, including errors ruff's parser accepts
(``return`` outside a function), and to the fallbacks when no child can run.
"""

from __future__ import annotations

import re
import sys

import pytest

import generator.render.format as fmt
import generator.render.format_run as format_run
from generator.errors import PackError
from generator.render.format import format_python

GOOD = {"pkg/a.py": "import os\nimport sys\nVALUE = {'a': sys.argv}\n", "b.py": "X = 1\n"}
FORMATTED = {"pkg/a.py": 'import sys\n\nVALUE = {"a": sys.argv}\n', "b.py": "X = 1\n"}
# ruff formats each of these without complaint; only compile() refuses them
COMPILE_ONLY = {
    "return 1\n": "'return' outside function",
    "def f(a, a):\n    pass\n": "duplicate argument",
    "for x in y:\n    pass\nbreak\n": "'break' outside loop",
}


def test_formats_a_batch() -> None:
    assert format_python(GOOD) == FORMATTED


@pytest.mark.parametrize(("source", "message"), list(COMPILE_ONLY.items()))
def test_errors_only_compile_finds_name_file_and_line(source: str, message: str) -> None:
    with pytest.raises(PackError, match=rf"generated pkg/bad\.py is not valid Python: {message}"):
        format_python({**GOOD, "pkg/bad.py": source})


def test_a_nul_byte_is_reported_not_raised() -> None:
    with pytest.raises(PackError, match=r"generated b\.py is not valid Python"):
        format_python({**GOOD, "b.py": "X = 1\x00\n"})


@pytest.mark.parametrize("executable", ["", "/nonexistent/python3"])
def test_without_a_child_interpreter_the_check_runs_here(
    monkeypatch: pytest.MonkeyPatch, executable: str
) -> None:
    monkeypatch.setattr(sys, "executable", executable)
    assert format_python(GOOD) == FORMATTED
    with pytest.raises(PackError, match=r"pkg/bad\.py is not valid Python: 'return' outside"):
        format_python({**GOOD, "pkg/bad.py": "return 1\n"})


def test_a_checker_that_fails_on_valid_code_is_an_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(format_run, "COMPILE_ALL", "raise SystemExit(3)")
    monkeypatch.setattr(fmt, "_COMPILED", set())  # GOOD compiled earlier in this process
    with pytest.raises(PackError, match="syntax check failed"):
        format_python(GOOD)


def test_a_source_compiled_once_is_not_compiled_again(monkeypatch: pytest.MonkeyPatch) -> None:
    """Both REST targets write the same models module: its text is checked once per process."""
    monkeypatch.setattr(fmt, "_COMPILED", set())
    assert format_python(GOOD) == FORMATTED
    checked: list[set[str]] = []
    real = fmt.SyntaxCheck

    def spy(files: dict[str, str]) -> object:
        checked.append(set(files))
        return real(files)

    monkeypatch.setattr(fmt, "SyntaxCheck", spy)
    renamed = {"other/a.py": GOOD["pkg/a.py"], "c.py": "Y = 2\n"}
    assert format_python(renamed) == {"other/a.py": FORMATTED["pkg/a.py"], "c.py": "Y = 2\n"}
    assert checked == [{"c.py"}]
    with pytest.raises(PackError, match=r"pkg/bad\.py is not valid Python: 'return' outside"):
        format_python({**GOOD, "pkg/bad.py": "return 1\n"})


def test_sources_that_differ_only_in_a_header_comment_are_compiled_once(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The header names the target; an encoding declaration or a hidden line break is not blanked."""
    monkeypatch.setattr(fmt, "_COMPILED", set())
    checked: list[set[str]] = []
    real = fmt.SyntaxCheck

    def spy(files: dict[str, str]) -> object:
        if files:
            checked.append(set(files))
        return real(files)

    monkeypatch.setattr(fmt, "SyntaxCheck", spy)
    body = "X = 1\n"
    format_python({"s/m.py": "# generated (target rest-server)\n" + body})
    format_python({"c/m.py": "# generated (target rest-client)\n" + body})
    format_python({"d/m.py": "# -*- coding: latin-1 -*-\n" + body})
    assert checked == [{"s/m.py"}, {"d/m.py"}]
    with pytest.raises(PackError, match=r"e/m\.py is not valid Python"):
        format_python({"e/m.py": "# generated\rreturn 1\n" + body})


# -- pack output: ruff's check pass instead of compile ---------------------------------------

RUFF_FINDS = {
    "import os\nreturn 1\n": "'return' outside function \\(line 2\\)",
    "for x in y:\n    pass\nbreak\n": "'break' outside loop \\(line 3\\)",
    "while x:\n    pass\ncontinue\n": "'continue' not properly in loop \\(line 3\\)",
    "class A:\n    yield 1\n": "'yield' outside function \\(line 2\\)",
    "X = 1\nawait x\n": "'await' outside function \\(line 2\\)",
    "def f():\n    await x\n": "'await' outside async function \\(line 2\\)",
    "def f(a, a):\n    pass\n": "duplicate argument 'a'",
    "X = 'abc\n": "unterminated string literal",
    'X = """abc\n': "unterminated triple-quoted string literal",
    "X = 1\x00\n": "source code string cannot contain null bytes",
    "a, *b, *c = d\n": "multiple starred expressions",
    "try:\n    pass\nexcept:\n    pass\nexcept E:\n    pass\n": "default 'except:' must be last",
}
"""What escaped spec text can do to pack output, as compile words it (ruff finds each)."""


@pytest.mark.parametrize(("source", "message"), list(RUFF_FINDS.items()))
def test_without_compiling_ruff_finds_the_error_and_compile_words_it(
    monkeypatch: pytest.MonkeyPatch, source: str, message: str
) -> None:
    checked: list[dict[str, str]] = []
    real = fmt.SyntaxCheck

    def spy(files: dict[str, str]) -> object:
        checked.append(dict(files))
        return real(files)

    monkeypatch.setattr(fmt, "SyntaxCheck", spy)
    monkeypatch.setattr(fmt, "_COMPILED", set())
    assert format_python(GOOD, compile_check=False) == FORMATTED
    with pytest.raises(PackError, match=rf"generated pkg/bad\.py is not valid Python: {message}"):
        format_python({**GOOD, "pkg/bad.py": source}, compile_check=False)
    assert checked == [{}, {}]  # nothing compiled but the file ruff refused


def test_an_error_only_ruff_sees_is_still_refused() -> None:
    """ruff holds the output to the target version; compile holds it to the running Python."""
    source = "try:\n    pass\nexcept* ValueError:\n    pass\n"
    with pytest.raises(PackError, match=r"pkg/bad\.py is not valid Python: Cannot use `except\*`"):
        format_python({**GOOD, "pkg/bad.py": source}, compile_check=False)


def test_what_no_ruff_rule_sees_is_why_overrides_are_compiled() -> None:
    source = "async def f():\n    yield 1\n    return 2\n"
    assert "pkg/bad.py" in format_python({**GOOD, "pkg/bad.py": source}, compile_check=False)
    with pytest.raises(PackError, match=r"'return' with value in async generator \(line 3\)"):
        format_python({**GOOD, "pkg/bad.py": source})


def test_brackets_nested_deeper_than_cpython_reads_are_compiled() -> None:
    """ruff parses any depth; spec values (a default, an example) can nest past CPython's 200."""
    deep = "X = " + "[" * 230 + "1" + "]" * 230 + "\n"
    with pytest.raises(PackError, match=r"pkg/bad\.py is not valid Python: too many nested paren"):
        format_python({**GOOD, "pkg/bad.py": deep}, compile_check=False)
    strings = "X = ['" + "[" * 300 + "', \"]]\", '''((''', {'a': (1, [2])}]  # ((((\n"
    assert fmt._deep(strings) is False  # brackets in strings and comments do not nest
    assert fmt._deep("X = " + "(" * 160 + ")" * 160 + "\n") is True


def test_for_an_override_compile_has_the_last_word_as_before() -> None:
    """Syntax newer than the target version: ruff refuses it, the running Python compiles it."""
    source = "try:\n    pass\nexcept* ValueError:\n    pass\n"
    assert "pkg/new.py" in format_python({**GOOD, "pkg/new.py": source})


_OLD_LEXEMES = re.compile(
    r'"""(?:[^\\]|\\.)*?"""|\'\'\'(?:[^\\]|\\.)*?\'\'\''
    r'|"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\'|#[^\n]*',
    re.DOTALL,
)


@pytest.mark.parametrize(
    "text",
    [
        "X = ['" + "[" * 30 + "', \"]]\", '''((''', {'a': (1, [2])}]  # ((((\n",
        'f(b"(", rb\'[\\\'\', f"{x!r}(", u"\\"(")  # "\' ([\n',
        'def f():\n    """A doc (with \\""" and \'\'\' and [ ]."""\n    return {1: (2,)}\n',
        "S = '''\n(\n# not a comment ['\n'''\nT = [\"#\", '#', ('a' 'b')]\n",
        "L = [1,\n  # (\n  2]\nM = 'a\\\\'  # ]\n",
        "X = 'abc(\nY = [\"]\n",  # quotes that start no literal
    ],
)
def test_one_pass_bracket_reading_is_the_two_pass_one(text: str) -> None:
    """``_deep`` reads brackets with one regex pass: the same brackets as stripping string
    literals and comments first, then everything but brackets (the reading it replaced)."""
    two_pass = re.sub(r"[^()\[\]{}]+", "", _OLD_LEXEMES.sub("", text))
    one_pass = fmt._NOT_BRACKETS.sub("", text).replace("'", "").replace('"', "")
    assert one_pass == two_pass
    assert fmt._deep(text) is fmt._deep(two_pass)
