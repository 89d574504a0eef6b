"""``FormatBatch``: a failed run leaves no ruff process and no scratch folder behind.

``format_python`` is one ``FormatBatch``; its bytes and errors are held by
``test_format.py``. Here the run fails after ruff started (a big module's check
and its parts' formatting, ``format_chunks.CHUNK`` made small so a few hundred
lines are big): leaving the block must stop ruff and remove both scratch folders.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

import generator.render.format as fmt
import generator.render.format_chunks as chunks
from generator.render.format import FormatBatch, format_python

HEAD = "from __future__ import annotations\nimport sys\nimport os\n__all__ = ['b', 'a']\n\n"
CLASS = "class C{n}:\n    x:int=1\n    def f(self):\n        return {{'n':{n},'argv':sys.argv}}\n"
BIG = HEAD + "\n\n".join(CLASS.format(n=n) for n in range(300)) + "\n"
FILES = {"pkg/__init__.py": "", "pkg/models.py": BIG, "pkg/small.py": "import os\nX=1\n"}


@pytest.fixture(autouse=True)
def small_chunks(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(chunks, "CHUNK", 2000)


def test_a_big_module_formats_as_ruff_formats_it() -> None:
    done = format_python(FILES)
    assert list(done) == list(FILES)
    assert '__all__ = ["a", "b"]' in done["pkg/models.py"]
    assert "import os\n" not in done["pkg/models.py"]  # the unused import went


def test_leaving_early_stops_ruff_and_removes_the_scratch_folders(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    seen: dict[str, Any] = {}

    def failing(*args: object) -> None:
        batch = seen["batch"]
        seen["children"] = [child for _, child in batch.checks]
        seen["folders"] = [batch.root, batch.formatting.parts_root]
        assert seen["children"] and all(Path(f).is_dir() for f in seen["folders"])
        raise RuntimeError("the render failed")

    monkeypatch.setattr(fmt, "refuse", failing)
    with pytest.raises(RuntimeError), FormatBatch(FILES) as batch:
        seen["batch"] = batch
        for path, text in FILES.items():
            batch.take(path, text)
        batch.result()
    assert all(child.returncode is not None for child in seen["children"])
    assert not any(Path(folder).exists() for folder in seen["folders"])
