"""yaml-rs (the fast path) must read every document exactly as the full loader does."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.load.fastyaml import fast_load
from generator.load.yaml12 import full_load

SMALL = 300_000
"""Files up to this size are compared (the full loader takes seconds on the big ones)."""


def test_fast_path_equals_full_loader_over_the_corpus(corpus: Path) -> None:
    compared = 0
    mismatched: list[str] = []
    for path in sorted(corpus.rglob("*")):
        if path.suffix not in (".yaml", ".yml") or path.stat().st_size > SMALL:
            continue
        text = path.read_bytes().decode("utf-8-sig")
        fast = fast_load(text)
        if fast is None:
            continue
        compared += 1
        full, _ = full_load(text)
        if fast != full:
            mismatched.append(str(path.relative_to(corpus)))
    assert mismatched == []
    assert compared > 2000  # the fast path is taken for nearly all real files


@pytest.mark.parametrize(
    "text",
    [
        "a: 1\na: 2\n",  # duplicate key: the full loader warns
        "a: !custom 5\n",  # tag: the full loader warns
        "a: &x [1]\nb: *x\n",  # anchors: shared values, alias-bomb bounds
        "a: &x\n  b: *x\n",  # recursive alias: yaml-rs would say null
        "a: 1_000\n",  # a string in YAML 1.2
        "007: x\n",  # a key "007", not 7
        "+1: x\n",
        "- =\n",  # YAML 1.1 value key
        "a: 1\n---\nb: 2\n",  # two documents
        "- a\n",  # not a mapping
        "a: |\n  text",  # no final line break
        "a: [1,\n",  # malformed
        "true: 1\n",  # a non-string key
    ],
)
def test_full_loader_decides_when_readings_could_differ(text: str) -> None:
    assert fast_load(text) is None


def test_fast_path_keeps_openapi_reading() -> None:
    text = "200: {description: ok}\nd: 2024-01-01\non: yes\ne:\nn: 0x1F\nm: '![img](x)'\n"
    assert fast_load(text) == {
        "200": {"description": "ok"},
        "d": "2024-01-01",
        "on": "yes",
        "e": None,
        "n": 31,
        "m": "![img](x)",
    }
