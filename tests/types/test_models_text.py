"""How models.py reads: sorted ``__all__``, merged literals, field descriptions, wrapped docstrings."""

from __future__ import annotations

import ast
import random
import subprocess
from pathlib import Path

from model_support import build

from generator.ir.schema import export_order
from generator.render.format import ruff_binary

SPEC = """\
openapi: 3.1.0
info: {title: Text, version: "1"}
paths: {}
components:
  schemas:
    Address:
      type: object
      description: >-
        Where a parcel goes. This description is deliberately long so that it has to be wrapped
        over several lines of the class docstring, and it mentions a closing \"\"\" on purpose.
      required: [kind]
      properties:
        kind:
          description: >-
            How the address is used; shown in the API docs and by editors, and long enough
            that the formatter has to split the literal over several lines.
          oneOf:
            - const: home
            - const: work
            - enum: [other, unknown]
        code:
          anyOf: [{const: 1}, {const: "z"}, {type: string}]
          description: "A short \\"code\\"'s description."
          default: "q"
        HTTP_VERSION: {type: string, description: x, default: "1.1"}
    aardvark: {type: string}
    Item10: {type: object, properties: {tags: {type: array, items: {oneOf: [{const: a}, {const: b}]}}}}
    Item2: {type: string, enum: [a, b]}
"""


def test_export_order_is_ruffs(tmp_path: Path) -> None:
    names = ["ApiModel", "Aardvark", "Item10", "Item2", "Item02", "HTTP_X", "HTTP", "Http"]
    names += ["re_pattern", "A", "_private", "Item_2", "Pet_2", "Pet2", "aB", "AB", "X1"]
    random.Random(3).shuffle(names)
    module = tmp_path / "m.py"
    module.write_text("__all__ = [\n" + "".join(f"    {n!r},\n" for n in names) + "]\n")
    subprocess.run(
        [ruff_binary(), "check", "--isolated", "--select", "RUF022", "--fix", "-q", str(module)],
        check=False,
    )
    tree = ast.parse(module.read_text())
    assert isinstance(tree.body[0], ast.Assign)
    assert ast.literal_eval(tree.body[0].value) == sorted(names, key=export_order)


def test_models_read_well_and_pass_ruff(tmp_path: Path) -> None:
    built = build(tmp_path, SPEC)
    exports = ("Aardvark", "Address", "AddressKindOption3", "ApiModel", "Item2", "Item10")
    assert built.types.exports == exports
    text = built.source
    assert 'kind: Literal["home", "work"] | AddressKindOption3' in text
    assert "Literal[1, " in text and "Literal[1] |" not in text
    assert max(len(line) for line in text.splitlines()) <= 100
    lint = subprocess.run(
        [
            *(ruff_binary(), "check", "--isolated", "--line-length", "100"),
            *("--output-format", "concise", "--select", "E,F,W,RUF022,PYI030", str(built.path)),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert lint.returncode == 0, lint.stdout


def test_descriptions_reach_the_json_schema_and_the_docstring(tmp_path: Path) -> None:
    built = build(tmp_path, SPEC)
    address = built.module.Address
    schema = address.model_json_schema()["properties"]
    assert schema["kind"]["description"].startswith("How the address is used; shown in the API")
    assert schema["kind"]["description"].endswith("split the literal over several lines.")
    assert schema["code"]["description"] == 'A short "code"\'s description.'
    assert schema["HTTP_VERSION"]["description"] == "x"
    assert address.model_validate({"kind": "home"}).http_version == "1.1"
    assert address.model_validate({"kind": "other"}).code == "q"
    doc = " ".join((address.__doc__ or "").split())
    assert doc.startswith("Where a parcel goes.") and 'a closing """ on purpose.' in doc
    assert len((address.__doc__ or "").strip().splitlines()) == 2  # wrapped, not one long line


def test_a_referenced_schema_keeps_its_description_to_itself(tmp_path: Path) -> None:
    built = build(
        tmp_path,
        """\
        openapi: 3.0.3
        info: {title: Refs, version: "1"}
        paths: {}
        components:
          schemas:
            Owner: {type: object, description: A person who owns pets., properties: {n: {type: string}}}
            Pet:
              type: object
              properties:
                owner: {$ref: "#/components/schemas/Owner"}
                keeper: {$ref: "#/components/schemas/Name"}
                name: {type: string, title: The pet's name}
            Name: {type: string, description: A name of something.}
        """,
    )
    schema = built.module.Pet.model_json_schema()
    assert "description" not in schema["properties"]["owner"]
    assert schema["properties"]["name"]["description"] == "The pet's name"
    assert schema["$defs"]["Owner"]["description"] == "A person who owns pets."
    assert built.source.count("A person who owns pets.") == 1
    assert built.source.count("A name of something.") == 1
