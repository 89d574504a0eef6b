"""Jinja filters: the only way spec text reaches generated files.

A spec is untrusted input. Every description, name, example, default and
pattern is printed through one of these filters, each of which makes a
complete literal (or an escaped comment) that cannot end early:

==========  =================================================================
``pyrepr``  any JSON value -> Python literal (``float("inf")``, nested lists/dicts)
``pystr``   text -> Python ``str`` literal
``pystr_wrapped`` text -> the same, long text as ``("..." "...")`` pieces
``pytuple`` JSON values -> a tuple literal (``pyrepr`` of each)
``docstring`` text -> a complete ``\"\"\"...\"\"\"`` literal, continuation lines indented
``comment`` text -> one line for after ``#`` (line breaks and ``coding:`` defused)
``toml_str``  text -> TOML basic string with its quotes
``md_text`` text -> one line of Markdown with every special character escaped
``argparse_text`` text -> a parser description argparse shows verbatim (``%`` escaped as needed)
``pyident`` text -> Python identifier (``generator.naming.py_identifier``)
==========  =================================================================

Templates write ``{{ x | pystr }}``, never ``"{{ x }}"``. The literal makers live in
``generator.literals`` (translate uses them too) and are re-exported here.
"""

from __future__ import annotations

import functools
import re
import textwrap
from collections.abc import Callable

from generator.literals import pyrepr, pystr, pystr_wrapped, pytuple
from generator.naming import Style, py_identifier

__all__ = [
    "FILTERS",
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

_LINE_BREAKS = re.compile(r"[\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029]+")
_CODING = re.compile(r"coding([:=])", re.IGNORECASE)


def _escape_char(ch: str) -> str:
    code = ord(ch)
    if code <= 0xFF:
        return f"\\x{code:02x}"
    if code <= 0xFFFF:
        return f"\\u{code:04x}"
    return f"\\U{code:08x}"


def _printable(text: str, keep: str = "") -> str:
    """Escape every non-printable character (and lone surrogates) as ``\\xNN``/``\\uNNNN``."""
    if text.isprintable():  # the common case; lone surrogates are never printable
        return text
    return "".join(
        ch
        if (ch.isprintable() or ch in keep) and not 0xD800 <= ord(ch) <= 0xDFFF
        else _escape_char(ch)
        for ch in text
    )


def docstring(text: object, indent: int = 0, width: int = 0) -> str:
    """A complete triple-quoted literal holding ``text``, safe for any text.

    Backslashes and quote runs are escaped, a trailing quote cannot merge with
    the closing quotes, non-printable characters become escapes, trailing
    spaces are dropped, and lines after the first are indented by ``indent``.
    With ``width``, prose lines are wrapped at spaces so that, indented, they
    fit in ``width`` columns (indented lines, such as code, are kept whole).
    """
    return _docstring(text if isinstance(text, str) else str(text), indent, width)


@functools.lru_cache(maxsize=8192)
def _docstring(raw: str, indent: int, width: int) -> str:
    """``docstring``'s work, kept per text: large specs repeat descriptions (stripe's ``id``,
    ``object``, ``livemode``, ``metadata`` fields), and wrapping is the costly part."""
    raw = raw.replace("\r\n", "\n").replace("\r", "\n").strip()
    if width:
        raw = _wrap(raw, max(width - indent - 3, 40))
    body = raw.replace("\\", "\\\\")
    body = body.replace('"""', '""\\"')
    lines = [_printable(line, keep="").rstrip() for line in body.split("\n")]
    pad = " " * indent
    joined = "\n".join([lines[0], *[(pad + line) if line else "" for line in lines[1:]]])
    if joined.endswith('"'):
        backslashes = len(joined[:-1]) - len(joined[:-1].rstrip("\\"))
        if backslashes % 2 == 0:
            joined = joined[:-1] + '\\"'
    if len(lines) > 1:
        joined += "\n" + pad
    return f'"""{joined}"""'


def _wrap(text: str, width: int) -> str:
    """Each long unindented line of ``text`` wrapped at spaces; words are never split."""
    out: list[str] = []
    for line in text.split("\n"):
        if len(line) <= width or line[:1].isspace():
            out.append(line)
            continue
        out.extend(
            textwrap.wrap(
                line,
                width,
                expand_tabs=False,
                replace_whitespace=False,
                break_long_words=False,
                break_on_hyphens=False,
            )
            or [line]
        )
    return "\n".join(out)


def comment(text: object) -> str:
    """``text`` as one safe line of comment text (no ``#`` prefix added).

    Line breaks of every kind become spaces, other control characters are
    escaped, and ``coding:`` is defused so the text can never act as a PEP 263
    encoding declaration.
    """
    raw = text if isinstance(text, str) else str(text)
    line = _LINE_BREAKS.sub(" ", raw)
    line = " ".join(_printable(line).split())
    return _CODING.sub(r"coding \1", line)


def toml_str(text: object) -> str:
    """A TOML basic string literal (with quotes) for ``text``."""
    raw = text if isinstance(text, str) else str(text)
    out: list[str] = []
    for ch in raw:
        code = ord(ch)
        if ch == "\\":
            out.append("\\\\")
        elif ch == '"':
            out.append('\\"')
        elif ch in "\b\t\n\f\r":
            out.append({"\b": "\\b", "\t": "\\t", "\n": "\\n", "\f": "\\f", "\r": "\\r"}[ch])
        elif code < 0x20 or code == 0x7F or 0x80 <= code <= 0x9F:
            out.append(f"\\u{code:04X}")
        elif 0xD800 <= code <= 0xDFFF:
            out.append("\\uFFFD")
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()<>#+!|~=^$&])")


def md_text(text: object) -> str:
    """``text`` as one line of inline Markdown that renders literally (no links, HTML, headings)."""
    raw = text if isinstance(text, str) else str(text)
    line = " ".join(_printable(_LINE_BREAKS.sub(" ", raw)).split())
    line = _MD_SPECIAL.sub(r"\\\1", line)
    if line[:1] in {"-", "."} or re.match(r"\d+[.)]", line):
        line = re.sub(r"^(\d*)([-.)])", r"\1\\\2", line)
    return line


def md_code(text: object, table: bool = False) -> str:
    """``text`` as an inline Markdown code span, backticks included, showing it as written.

    Escapes mean nothing inside a code span (``md_text``'s would show), so the span's
    fence is one backtick longer than any run of backticks in ``text``; one line; in a
    table cell (``table=True``) ``|`` is written ``\\|``, which GitHub's tables read as ``|``.
    """
    raw = text if isinstance(text, str) else str(text)
    line = " ".join(_printable(_LINE_BREAKS.sub(" ", raw)).split())
    if not line:
        return ""
    if table:
        line = line.replace("|", "\\|")
    fence = "`" * (max((len(run) for run in re.findall("`+", line)), default=0) + 1)
    pad = " " if line[0] == "`" or line[-1] == "`" else ""
    return f"{fence}{pad}{line}{pad}{fence}"


def argparse_text(text: object) -> str:
    """``text`` for an ``ArgumentParser`` description, shown as written.

    argparse %-formats a description only when it holds ``%(prog)``; then every
    ``%`` must be doubled, otherwise none may be (a title like ``100% %(prog)``
    would crash ``--help``).
    """
    raw = text if isinstance(text, str) else str(text)
    return raw.replace("%", "%%") if "%(prog)" in raw else raw


def pyident(text: object, style: Style = "snake") -> str:
    """A Python identifier for ``text`` (see ``generator.naming.py_identifier``)."""
    return py_identifier(text if isinstance(text, str) else str(text), style)


FILTERS: dict[str, Callable[..., str]] = {
    "argparse_text": argparse_text,
    "comment": comment,
    "docstring": docstring,
    "md_code": md_code,
    "md_text": md_text,
    "pyident": pyident,
    "pyrepr": pyrepr,
    "pystr": pystr,
    "pystr_wrapped": pystr_wrapped,
    "pytuple": pytuple,
    "toml_str": toml_str,
}
"""Every filter the Jinja environment registers."""
