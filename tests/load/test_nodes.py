"""The one ``$ref`` follower every stage reads through: located, tolerant, memoised."""

from __future__ import annotations

from pathlib import Path

from generator.load import Document, load
from generator.load.nodes import Node

from .helpers import HEAD, write

COMPONENTS = """components:
  schemas:
    Pet: {$ref: 'pets.yaml#/Pet'}
    Alias: {$ref: '#/components/schemas/Pet'}
    Loop: {$ref: '#/components/schemas/Loop2'}
    Loop2: {$ref: '#/components/schemas/Loop'}
    Dangling: {$ref: '#/components/schemas/Nowhere'}
    Outside: {$ref: '../outside.yaml#/X'}
"""


def loaded(tmp_path: Path) -> Document:
    write(tmp_path, "outside.yaml", "X: {type: string}\n")
    folder = tmp_path / "api"
    write(folder, "pets.yaml", "Pet:\n  type: object\n  properties: {id: {type: integer}}\n")
    doc, _ = load(write(folder, "api.yaml", HEAD + COMPONENTS))
    assert doc is not None
    return doc


def test_a_chain_across_files_ends_at_the_value_and_where_it_is(tmp_path: Path) -> None:
    doc = loaded(tmp_path)
    schemas = doc.data["components"]["schemas"]
    found = doc.refs.follow(schemas["Alias"], doc.root, "/components/schemas/Alias")
    assert found is not None
    assert (found.source.path.name, found.pointer) == ("pets.yaml", "/Pet")
    assert found.value["type"] == "object"
    assert found.child("properties") == Node(
        found.value["properties"], found.source, "/Pet/properties"
    )


def test_broken_looping_and_refused_refs_give_none(tmp_path: Path) -> None:
    doc = loaded(tmp_path)
    schemas = doc.data["components"]["schemas"]
    for name in ("Loop", "Dangling", "Outside"):
        assert doc.refs.follow(schemas[name], doc.root) is None, name
    assert doc.refs.follow({"$ref": 7}, doc.root) is None


def test_each_ref_is_resolved_once_per_document(tmp_path: Path) -> None:
    doc = loaded(tmp_path)
    schemas = doc.data["components"]["schemas"]
    first = doc.refs.follow(schemas["Pet"], doc.root)
    again = doc.refs.follow({"$ref": "pets.yaml#/Pet"}, doc.root)
    assert first is not None and again is first  # the memo's own object
    assert doc.refs is doc.refs
