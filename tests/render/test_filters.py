"""The escaping filters against hostile text: nothing a spec says can become code."""

from __future__ import annotations

import ast
import html
import math
import subprocess
import sys
from pathlib import Path

import pytest
import tomllib
from hypothesis import given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from generator.render.filters import (
    FILTERS,
    comment,
    docstring,
    md_code,
    md_text,
    pyident,
    pyrepr,
    pystr,
    pystr_wrapped,
    toml_str,
)

HOSTILE = [
    "",
    "plain",
    '"""',
    "'''",
    '""""""',
    'ends with a quote"',
    'ends with two quotes""',
    "ends with backslash\\",
    "ends with two backslashes\\\\",
    'backslash then quote\\"',
    '\\"""; import os; os.system("echo pwned") #',
    '"""\nimport os\nos._exit(3)\n"""',
    "\\N{BULLET} and \\N{not a name} and \\x41 and \\u0041",
    "line one\nline two\r\nline three\rfour",
    "nul \x00 byte and bell \x07 and escape \x1b[31m",
    "unicode line separators \u2028 and \u2029 and next line \x85",
    "tab\tand vertical tab\x0b and form feed\x0c",
    "lone surrogate \udc80 here",
    "emoji 🐍 and accents éàü and CJK 漢字",
    "# -*- coding: unicode_escape -*-",
    "coding=latin-1 \\u000a import os",
    "{{ jinja }} {% raw %} {# comment #}",
    "    leading and trailing spaces    ",
    "'single' and \"double\" quotes",
    'f\'{__import__("os").system("x")}\'',
]

text = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=[])
    | st.sampled_from(list("\"\\\n\r'#")),
    max_size=60,
)


def _literal(code: str) -> object:
    return ast.literal_eval(code)


@pytest.mark.parametrize("raw", HOSTILE)
def test_pystr_round_trips_and_is_one_literal(raw: str) -> None:
    code = pystr(raw)
    tree = ast.parse(code, mode="eval")
    assert isinstance(tree.body, ast.Constant)
    assert tree.body.value == raw


@given(text)
def test_pystr_round_trips_any_text(raw: str) -> None:
    assert _literal(pystr(raw)) == raw


@pytest.mark.parametrize(
    "value",
    [
        None,
        True,
        False,
        0,
        -7,
        10**40,
        1.5,
        -0.0,
        1e300,
        "x",
        [1, "two", None, [3.5]],
        {"a": [1, {"b": None}], "quote\"'": "\\"},
        {"__import__('os')": "os.system('x')"},
    ],
    ids=repr,
)
def test_pyrepr_makes_an_equal_literal(value: object) -> None:
    assert _literal(pyrepr(value)) == value


@pytest.mark.parametrize(
    ("value", "code"), [(math.inf, 'float("inf")'), (-math.inf, '-float("inf")')]
)
def test_pyrepr_infinities(value: float, code: str) -> None:
    assert pyrepr(value) == code
    assert eval(code, {"__builtins__": {"float": float}}) == value


def test_pyrepr_nan() -> None:
    code = pyrepr(math.nan)
    assert code == 'float("nan")'
    assert math.isnan(eval(code, {"__builtins__": {"float": float}}))


@given(
    st.recursive(
        st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | text,
        lambda inner: st.lists(inner, max_size=4) | st.dictionaries(text, inner, max_size=4),
        max_leaves=12,
    )
)
def test_pyrepr_round_trips_json_values(value: object) -> None:
    code = pyrepr(value)
    tree = ast.parse(code, mode="eval")
    calls = [n for n in ast.walk(tree) if isinstance(n, (ast.Call, ast.Name, ast.Attribute))]
    assert all(isinstance(n, (ast.Call, ast.Name)) for n in calls)  # only float("inf")-style calls
    assert eval(compile(tree, "<pyrepr>", "eval"), {"__builtins__": {"float": float}}) == value


def _docstring_of(literal: str, indent: int = 4) -> str | None:
    source = f"def f() -> None:\n    {literal}\n"
    tree = ast.parse(source)
    func = tree.body[0]
    assert isinstance(func, ast.FunctionDef)
    assert len(func.body) == 1, "the docstring must be the only statement"
    return ast.get_docstring(func, clean=False)


def _normalised(raw: str) -> str:
    lines = raw.replace("\r\n", "\n").replace("\r", "\n").strip().split("\n")
    return "\n".join(line.rstrip() for line in lines)


@pytest.mark.parametrize("raw", HOSTILE)
def test_docstring_holds_any_text(raw: str) -> None:
    literal = docstring(raw, 4)
    assert literal.startswith('"""') and literal.endswith('"""')
    found = _docstring_of(literal)
    assert found is not None
    expected = _normalised(raw)
    got = "\n".join(line.removeprefix("    ").rstrip() for line in found.split("\n")).strip("\n ")
    assert got == expected.strip("\n ")


@given(text)
def test_docstring_never_breaks_out(raw: str) -> None:
    literal = docstring(raw, 8)
    tree = ast.parse(f"def f() -> None:\n        {literal}\n")
    func = tree.body[0]
    assert isinstance(func, ast.FunctionDef) and len(func.body) == 1
    assert isinstance(func.body[0], ast.Expr) and isinstance(func.body[0].value, ast.Constant)


def test_docstring_has_no_trailing_whitespace_and_indents_continuations() -> None:
    literal = docstring("Summary.  \n\n  Details   \nmore", 4)
    assert literal == '"""Summary.\n\n      Details\n    more\n    """'


LONG = (
    "A pet as the store knows it, with every field the clinic asked for, "
    'including """ quotes, back\\slashes and a \\"""; import os; os._exit(3) # attempt, '
    "and a URL https://example.com/a/very/long/path/that/cannot/be/broken/anywhere/at/all/x.\n"
    "\n"
    "    indented code lines are kept whole however long they are, as Markdown code blocks"
)


@pytest.mark.parametrize("raw", [*HOSTILE, LONG, LONG.replace(" ", " " * 3), "word " * 80])
def test_wrapped_docstring_keeps_every_word_and_stays_one_literal(raw: str) -> None:
    literal = docstring(raw, 4, width=60)
    found = _docstring_of(literal)
    assert found is not None
    assert found.split() == "\n".join(_normalised(raw).split("\n")).split()


def test_wrapped_docstring_fits_the_width_except_long_words_and_indented_lines() -> None:
    literal = docstring(LONG, 4, width=60)
    lines = literal.split("\n")
    too_long = [line for line in lines if len(line) > 60]
    assert all("https://" in line or line.startswith("        indented") for line in too_long)
    assert len(lines) >= 5
    assert max(len(line) for line in docstring(LONG, 4).split("\n")) > 200  # width is opt-in


@given(text, st.integers(min_value=0, max_value=120))
def test_wrapped_docstring_never_breaks_out(raw: str, width: int) -> None:
    literal = docstring(raw * 3, 8, width=width)
    tree = ast.parse(f"def f() -> None:\n        {literal}\n")
    func = tree.body[0]
    assert isinstance(func, ast.FunctionDef) and len(func.body) == 1
    assert isinstance(func.body[0], ast.Expr) and isinstance(func.body[0].value, ast.Constant)


@pytest.mark.parametrize("raw", [*HOSTILE, LONG, "x" * 200, " " * 100, "a " * 100])
def test_pystr_wrapped_is_one_expression_equal_to_the_text(raw: str) -> None:
    code = pystr_wrapped(raw, 30)
    tree = ast.parse(code, mode="eval")
    assert isinstance(tree.body, ast.Constant)
    assert tree.body.value == raw
    if len(raw) > 30 and " " in raw.strip():
        assert code.startswith("(") and code.count("\n") == 0


@given(text, st.integers(min_value=1, max_value=80))
def test_pystr_wrapped_round_trips_any_text(raw: str, width: int) -> None:
    assert _literal(pystr_wrapped(raw * 3, width)) == raw * 3


@pytest.mark.parametrize("raw", HOSTILE)
def test_comment_is_one_inert_line(raw: str) -> None:
    line = comment(raw)
    assert "\n" not in line and "\r" not in line
    source = f"x = 1  # {line}\ny = 2\n"
    tree = ast.parse(source)
    assert len(tree.body) == 2
    assert source.count("\n") == 2
    assert "coding:" not in line.lower() and "coding=" not in line.lower()


@given(text)
def test_comment_never_adds_a_statement(raw: str) -> None:
    source = f"# {comment(raw)}\nx = 1\n"
    assert len(ast.parse(source).body) == 1
    assert len(source.splitlines()) == 2


def test_comment_cannot_declare_an_encoding(tmp_path: Path) -> None:
    """PEP 263: a first-line comment 'coding: unicode_escape' would turn \\u000a into a newline."""
    canary = tmp_path / "canary"
    payload = f"# -*- coding: unicode_escape -*- \\u000aopen({str(canary)!r}, 'w').close()"
    module = tmp_path / "mod.py"
    module.write_text(f"# {comment(payload)}\nVALUE = 1\n", encoding="utf-8")
    subprocess.run([sys.executable, str(module)], check=True)
    assert not canary.exists()


@pytest.mark.parametrize("raw", [h for h in HOSTILE if "\udc80" not in h])
def test_toml_str_round_trips(raw: str) -> None:
    assert tomllib.loads(f"key = {toml_str(raw)}\nother = 1\n") == {"key": raw, "other": 1}


def test_toml_str_cannot_add_a_table() -> None:
    hostile = 'x"\n[tool.evil]\nrun = "yes'
    assert tomllib.loads(f"name = {toml_str(hostile)}\n") == {"name": hostile}


def test_toml_str_replaces_lone_surrogates() -> None:
    literal = toml_str("a\udc80b")
    assert tomllib.loads(f"k = {literal}")["k"] == "a\ufffdb"


@given(text.filter(lambda s: not any(0xD800 <= ord(c) <= 0xDFFF for c in s)))
def test_toml_str_round_trips_any_text(raw: str) -> None:
    assert tomllib.loads(f"k = {toml_str(raw)}")["k"] == raw


MD = MarkdownIt("commonmark")


@pytest.mark.parametrize(
    "raw",
    [
        "[click](javascript:alert(1))",
        "<script>alert(1)</script>",
        "# heading",
        "- item",
        "1. item",
        "*bold* _em_ `code`",
        "![img](http://x/y.png)",
        "line\n\n# second paragraph heading",
        "| table | row |",
        "&amp; entity",
        "back\\slash",
        "https://auto.link/",
    ],
)
def test_md_text_renders_literally(raw: str) -> None:
    escaped = md_text(raw)
    assert "\n" not in escaped
    rendered = MD.render(escaped).strip()
    flat = " ".join(raw.split())
    expected = html.escape(flat, quote=True).replace("&#x27;", "'")
    assert rendered == f"<p>{expected}</p>"


@pytest.mark.parametrize(
    "raw",
    [
        "specs/orders-api.yaml + specs/orders-events.yaml",
        "specs/my_api.yaml",
        "a `tick` b",
        "`starts and ends`",
        "``double``",
        "<script>alert(1)</script> *x* \\ [l](u)",
        "two\nlines",
    ],
)
def test_md_code_shows_the_text_as_written(raw: str) -> None:
    span = md_code(raw)
    rendered = MD.render(span).strip()
    flat = " ".join(raw.split())
    assert rendered == f"<p><code>{html.escape(flat, quote=False)}</code></p>"


@settings(max_examples=200)
@given(st.text(alphabet=st.characters(codec="ascii"), max_size=40))
def test_md_text_never_makes_markup(raw: str) -> None:
    code = MD.render(md_code(raw))
    assert raw.strip() == "" or (code.startswith("<p><code>") and code.count("<code>") == 1)
    rendered = MD.render(md_text(raw))
    assert "<a " not in rendered and "<h" not in rendered and "<script" not in rendered
    assert "<li>" not in rendered and "<em>" not in rendered and "<code>" not in rendered


@pytest.mark.parametrize("raw", HOSTILE)
def test_pyident_is_an_identifier(raw: str) -> None:
    name = pyident(raw)
    assert name.isidentifier() and name.isascii()


def test_every_filter_is_registered() -> None:
    assert sorted(FILTERS) == [
        "argparse_text",
        "comment",
        "docstring",
        "md_code",
        "md_text",
        "pyident",
        "pyrepr",
        "pystr",
        "pystr_wrapped",
        "pytuple",
        "toml_str",
    ]


@pytest.mark.parametrize("title", ["100%", "%(prog)s %", "a %(prog) b %(x)s", "%%", "plain"])
def test_argparse_text_is_shown_as_written(title: str) -> None:
    """argparse prints the description exactly, whether or not it %-formats it."""
    import argparse

    parser = argparse.ArgumentParser(prog="p", description=FILTERS["argparse_text"](title))
    assert title in parser.format_help()
