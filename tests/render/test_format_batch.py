"""``FormatBatch``: files added one by one as they render give the bytes of one batch.

A big module starts its ruff passes when it is added (its check alone, its parts
formatting), beside the render of the rest, in a scratch folder that holds every
path of the plan from the start; the result, and the error for an invalid file,
are ``format_python``'s. ``format_chunks.CHUNK`` is made small so a few hundred
lines are big.
"""

from __future__ import annotations

from pathlib import Path

import pytest

import generator.render.format_chunks as chunks
from generator.errors import PackError
from generator.render.format import FormatBatch, format_python

HEAD = "from __future__ import annotations\nimport sys\nimport os\n__all__ = ['b', 'a']\n\n"
CLASS = "class C{n}:\n    x:int=1\n    def f(self):\n        return {{'n':{n},'argv':sys.argv}}\n"
BIG = HEAD + "\n\n".join(CLASS.format(n=n) for n in range(300)) + "\n"
# isort's first-party detection: ``pkg`` and ``helpers`` are modules of the plan
FILES = {
    "pkg/__init__.py": "",
    "pkg/models.py": BIG.replace(
        "import os\n", "import helpers\nimport pkg.small\nimport pydantic\n"
    )
    + "Y = helpers.x, pkg.small.X, pydantic.BaseModel\n",
    "pkg/small.py": "import os\nimport helpers\nX=helpers.y\n",
    "helpers.py": "import json\nx=1\ny = json.dumps(x)\n",
}


@pytest.fixture(autouse=True)
def small_chunks(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(chunks, "CHUNK", 2000)


def _streamed(files: dict[str, str], *, compile_check: bool) -> tuple[dict[str, str], list[int]]:
    started: list[int] = []
    with FormatBatch(files, compile_check=compile_check) as batch:
        for path, text in files.items():
            batch.add(path, text)
            started.append(len(batch.checks))
            for _, child in batch.checks:
                child.wait()  # as if the render of the rest took long (its report fits the pipe)
        return batch.result(), started


@pytest.mark.parametrize("compile_check", [True, False])
def test_a_streamed_batch_formats_as_one_batch(compile_check: bool) -> None:
    streamed, started = _streamed(FILES, compile_check=compile_check)
    assert streamed == format_python(FILES, compile_check=compile_check)
    assert list(streamed) == list(FILES)
    assert started == [0, 1, 1, 1]  # the big module went to ruff as it came, alone
    # helpers.py and pkg/ were in the scratch folder when the big module was checked alone
    assert "import pydantic\n\nimport helpers\nimport pkg.small\n" in streamed["pkg/models.py"]


def test_the_first_invalid_file_in_render_order_is_named_as_in_one_batch() -> None:
    bad = {
        "pkg/models.py": BIG + "def broken(:\n",
        "pkg/a.py": "x = (\n",
        "pkg/__init__.py": "",
    }
    with pytest.raises(PackError) as one:
        format_python(bad, compile_check=False)
    with pytest.raises(PackError) as streamed:
        _streamed(bad, compile_check=False)
    assert str(streamed.value) == str(one.value)
    assert "pkg/models.py" in str(one.value)


def test_leaving_early_stops_ruff_and_removes_the_scratch_folders() -> None:
    with pytest.raises(RuntimeError), FormatBatch(FILES) as batch:
        batch.add("pkg/models.py", FILES["pkg/models.py"])
        children = [child for _, child in batch.checks]
        assert batch.root is not None and batch.formatting is not None
        folders = [batch.root, batch.formatting.parts_root]
        assert children and all(Path(folder).is_dir() for folder in folders)
        raise RuntimeError("the render failed")
    assert all(child.returncode is not None for child in children)
    assert not any(Path(folder).exists() for folder in folders)
