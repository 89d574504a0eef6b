"""A big module formatted in parts is byte for byte the module formatted whole.

``format_chunks.CHUNK`` is made small so a few hundred lines are "big"; each
case formats with cutting and again with cutting off, and compares.
"""

from __future__ import annotations

from pathlib import Path

import pytest

import generator.render.format_chunks as chunks
from generator.render.format import format_python

HEAD = "from __future__ import annotations\nimport sys\nimport os\n__all__ = ['b', 'a']\n\n"
CLASS = "class C{n}:\n    x:int=1\n    def f(self):\n        return {{'n':{n},'argv':sys.argv}}\n"
ROUTE = "@decorate( 'x{n}' )\nasync def route{n}( a,b ):\n    return [a,b]\nLAZY{n} = make({n})\n"


def _module(body: str, count: int = 300) -> str:
    return HEAD + "\n\n".join(body.format(n=n) for n in range(count)) + "\n"


@pytest.fixture(autouse=True)
def small_chunks(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(chunks, "CHUNK", 2000)


def _whole(files: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    with monkeypatch.context() as patch:
        patch.setattr(chunks, "CHUNK", 10**9)
        return format_python(files, compile_check=False)


def test_cut_parts_join_back_to_the_text() -> None:
    source = _module(CLASS).encode()
    starts = chunks.cut(source)
    assert len(starts) > 5
    assert starts[0] == 0
    assert all(source[start:].startswith(b"class ") for start in starts[1:])


@pytest.mark.parametrize(
    "text",
    [
        _module(CLASS),
        _module(ROUTE),
        _module(CLASS + "    # a comment closing the body\n"),
        _module(CLASS + "# a comment at column 0\n"),
        # a cut inside a string: the parts do not parse, the module is formatted whole
        HEAD + 'DOC = """\n' + _module("    text {n}\n\nclass Fake{n}:\n") + '"""\n',
        _module(CLASS) + "# fmt: off\nX = [1,\n  2]\n",
        # the check's fixes reach past the first cut (an unsorted ``__all__`` at the end): the
        # parts formatted beside the check are not the fixed text's, the module is formatted whole
        _module(CLASS) + "__all__ = ['z', 'a']\n",
        _module(CLASS).replace("class C290:", "import json\nclass C290:"),
    ],
    ids=[
        "classes",
        "routes",
        "indented-comment",
        "column-0-comment",
        "string",
        "fmt-off",
        "fix-in-tail",
        "import-near-end",
    ],
)
def test_parts_format_as_the_whole(
    text: str, request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch
) -> None:
    files = {"pkg/__init__.py": "", "pkg/models.py": text, "pkg/small.py": "import os\nX=1\n"}
    joined: list[int] = []
    real_join = chunks.join

    def counting_join(parts: list[Path], target: Path) -> None:
        joined.append(len(parts))
        real_join(parts, target)

    monkeypatch.setattr(chunks, "join", counting_join)
    assert format_python(files, compile_check=False) == _whole(files, monkeypatch)
    # no cut after a comment (its blank lines are ruff's to decide), none with a directive,
    # and a cut inside a string is refused by ruff: those modules are formatted whole
    whole_only = request.node.callspec.id not in ("classes", "routes")
    assert (joined == []) if whole_only else (len(joined) == 1 and joined[0] > 5)
