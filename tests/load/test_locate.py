"""Positions: the block-by-block locator must agree with composing the whole file."""

from __future__ import annotations

import json
import random
from pathlib import Path
from typing import Any

import pytest

from generator.diagnostics import join_pointer
from generator.load import load
from generator.load.document import Source, _position, split_pointer
from generator.load.yaml12 import compose, full_load

BIG = ["openapi/docker-engine-apisguru/openapi.yaml", "openapi/jira-apisguru/openapi.yaml"]
"""Over the 256 KB where block locating starts (stripe and github agree too: slower to test)."""


def every_path(data: Any) -> list[tuple[str, ...]]:
    out: list[tuple[str, ...]] = []
    stack: list[tuple[Any, tuple[str, ...]]] = [(data, ())]
    while stack:
        value, path = stack.pop()
        out.append(path)
        if isinstance(value, dict):
            stack.extend((child, (*path, key)) for key, child in value.items())
        elif isinstance(value, list):
            stack.extend((child, (*path, str(i))) for i, child in enumerate(value))
    return out


@pytest.mark.parametrize("name", BIG)
def test_block_locator_agrees_with_the_whole_tree(corpus: Path, name: str) -> None:
    text = (corpus / name).read_text(encoding="utf-8")
    data, _ = full_load(text)
    tree = compose(text)
    assert tree is not None
    source = Source(path=corpus / name, display=name, text=text, data=data, is_json=False)
    paths = random.Random(7).sample(every_path(data), 300)
    for path in paths:
        if path:
            assert source.locate(join_pointer(path)) == _position(tree, list(path)), path


TRICKY = """\
# a comment at the top
openapi: 3.0.3
info: {title: t, version: '1'}
'paths':
  # a comment
  "/a":
    get:
      description: |
        text: that looks
        like: keys
      responses: {'200': {description: ok}}
components:
  schemas:
    A:
      type: object
    A:
      type: string
      enum: [x,
        y]
x-pad: "{pad}"
servers:
- url: a
  x: b
-
  url: c
tags:
- name: t
"""


@pytest.mark.parametrize(
    ("pointer", "position"),
    [
        ("/paths/~1a/get/responses/200/description", (11, 27)),
        ("/paths/~1a/get/description", (8, 7)),
        ("/components/schemas/A/type", (17, 7)),  # duplicate key: the last one counts
        ("/components/schemas/A/enum/1", (19, 9)),
        ("/info/version", (3, 18)),
        ("/components/schemas/Missing", (13, 3)),
        # block sequences at their key's indentation (twilio writes servers/tags so)
        ("/servers/0/x", (23, 3)),
        ("/servers/1/url", (25, 3)),
        ("/tags/0/name", (27, 3)),
        ("/tags", (26, 1)),
    ],
)
def test_block_locator_on_tricky_yaml(
    tmp_path: Path, pointer: str, position: tuple[int, int]
) -> None:
    spec = tmp_path / "s.yaml"
    spec.write_text(TRICKY.replace("{pad}", "p" * 300_000))
    doc, _ = load(spec)
    assert doc is not None
    assert doc.root.locate(pointer) == position
    # the same as composing the whole file
    assert doc.root._tree is False
    tree = compose(doc.root.text)
    assert tree is not None
    assert _position(tree, split_pointer(pointer)) == position


def test_json_locator_agrees_with_the_whole_tree(corpus: Path) -> None:
    name = "openapi/discord/openapi.json"
    text = (corpus / name).read_text(encoding="utf-8")
    tree = compose(text)
    assert tree is not None
    source = Source(
        path=corpus / name, display=name, text=text, data=json.loads(text), is_json=True
    )
    paths = random.Random(7).sample(every_path(source.data), 300)
    for path in [*paths, ("nope",), ("paths", "/nope", "get")]:
        if path:
            assert source.locate(join_pointer(path)) == _position(tree, list(path)), path


@pytest.mark.parametrize(
    ("pointer", "position"),
    [
        ("/a/b", (1, 24)),  # duplicate key: the last one counts
        ("/list/2/x", (2, 26)),
        ("/list/9", (2, 3)),
        ("/s~1t", (3, 3)),
    ],
)
def test_json_locator_on_tricky_json(
    tmp_path: Path, pointer: str, position: tuple[int, int]
) -> None:
    text = (
        '{"a": {"b": 1, "c": 2, "b": 3},\n'
        '  "list": [1, [2, "]"], {"x": "}"}],\n'
        '  "s/t": true, "pad": "' + "p" * 300_000 + '"}\n'
    )
    spec = tmp_path / "s.json"
    spec.write_text(text)
    source = Source(path=spec, display="s.json", text=text, data=json.loads(text), is_json=True)
    assert source.locate(pointer) == position
    tree = compose(text)
    assert tree is not None
    assert _position(tree, split_pointer(pointer)) == position


def test_whole_tree_locator_remembers_mappings_and_agrees(tmp_path: Path) -> None:
    text = TRICKY.replace("{pad}", "p")
    data, _ = full_load(text)
    tree = compose(text)
    assert tree is not None
    source = Source(path=tmp_path / "s.yaml", display="s.yaml", text=text, data=data, is_json=False)
    missing = [("nope",), ("paths", "/a", "nope"), ("components", "schemas", "A", "enum", "7")]
    for _ in range(2):  # the second round reads the remembered mappings
        for path in [*every_path(data), *missing]:
            expected = _position(tree, list(path))
            assert source.locate(join_pointer(path)) == expected, path
    assert source._entries  # the mappings were remembered
    assert source.locate("/components/schemas/A/type") == (17, 7)  # the last duplicate counts


EXPLICIT = """\
openapi: 3.0.3
info: {title: t, version: '1'}
paths:
  /a:
    get: {responses: {'200': {description: a}}}
  ? /b/{Sid}.json
  : servers:
    - url: https://b.example
    get:
      responses: {'200': {description: b}}
  ? /c
  :
    get: {responses: {'200': {description: c}}}
  /d:
    get: {responses: {'200': {description: d}}}
  ? /e
  : get: {responses: {'200': {description: e}}}
x-pad: "{pad}"
x-multi:
  ? a key over
    two lines
  : v
  z: 1
"""


def test_block_locator_reads_explicit_keys_without_the_whole_tree(tmp_path: Path) -> None:
    """``? key`` / ``: value`` pairs (twilio's long paths) are located block by block.

    Neither the whole file nor all of ``paths`` is composed for them (twilio
    parsed its 1.2 MB of paths for its located warnings), and every position is the one composing the whole file gives; a
    key over several lines is left to the whole tree.
    """
    spec = tmp_path / "s.yaml"
    spec.write_text(EXPLICIT.replace("{pad}", "p" * 300_000))
    doc, _ = load(spec)
    assert doc is not None
    source = doc.root
    tree = compose(source.text)
    assert tree is not None
    assert source.locate("/paths/~1b~1{Sid}.json/get/responses") == (10, 7)
    assert source.locate("/paths/~1b~1{Sid}.json/servers/0/url") == (8, 7)
    assert source.locate("/paths/~1e/get") == (17, 5)
    assert source._tree is False  # no whole-file parse was needed
    assert max(end - start for start, end in source._block_trees) <= 5  # nor of all of paths
    paths = [path for path in every_path(source.data) if path and path[0] == "paths"]
    for path in [*paths, ("paths", "/e", "nope"), ("paths", "/nope")]:
        assert source.locate(join_pointer(path)) == _position(tree, list(path)), path
    assert source.locate("/x-multi/z") == _position(tree, ["x-multi", "z"])


@pytest.mark.parametrize("seed", range(3))
def test_the_line_counter_says_what_the_line_index_says(seed: int) -> None:
    from generator.load.lines import LineCounter, LineIndex

    rng = random.Random(seed)
    for _ in range(200):
        text = "".join(rng.choice("ab\n\n \r") for _ in range(rng.randint(0, 80)))
        index, counter = LineIndex(text), LineCounter(text)
        for offset in [rng.randint(0, len(text)) for _ in range(30)]:  # in any order
            assert counter.position(offset) == index.position(offset), (text, offset)
