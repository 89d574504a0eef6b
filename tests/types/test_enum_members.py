"""Enums that repeat a value list (inline, as big specs do) get the same members; others their own.

Member names are made once per distinct list of values, so the names must
depend on that list alone: order and every value count, the schema does not.
"""

from __future__ import annotations

from pathlib import Path

from model_support import build

from generator.ir.schema import EnumDecl

SPEC = """\
openapi: 3.0.3
info: {title: Enums, version: "1"}
paths: {}
components:
  schemas:
    A:
      type: object
      properties:
        currency: {type: string, enum: [usd, eur, a-b, a_b]}
        again: {type: string, enum: [usd, eur, a-b, a_b]}
        reordered: {type: string, enum: [a_b, a-b, eur, usd]}
        fewer: {type: string, enum: [usd, eur, a-b]}
        numbers: {type: integer, enum: [1, 2]}
        texts: {type: string, enum: ["1", "2"]}
        floats: {type: number, enum: [1.0, 2.0]}
"""


def _members(decl: EnumDecl) -> list[tuple[str, object]]:
    return [(m.name, m.value.raw) for m in decl.members]


def test_repeated_value_lists_share_member_names(tmp_path: Path) -> None:
    built = build(tmp_path, SPEC)
    enums = {d.wire_name: d for d in built.types.declarations if isinstance(d, EnumDecl)}
    assert _members(enums["ACurrency"]) == [
        ("USD", "usd"),
        ("EUR", "eur"),
        ("A_B", "a-b"),
        ("A_B_2", "a_b"),
    ]
    assert _members(enums["AAgain"]) == _members(enums["ACurrency"])
    assert _members(enums["AReordered"]) == [
        ("A_B", "a_b"),
        ("A_B_2", "a-b"),
        ("EUR", "eur"),
        ("USD", "usd"),
    ]
    assert _members(enums["AFewer"]) == [("USD", "usd"), ("EUR", "eur"), ("A_B", "a-b")]
    assert _members(enums["ANumbers"]) == [("V_1", 1), ("V_2", 2)]
    assert _members(enums["ATexts"]) == [("V_1", "1"), ("V_2", "2")]
    assert built.module.ANumbers.V_1.value == 1
    assert built.module.ATexts.V_1.value == "1"


def test_equal_values_of_another_type_get_their_own_members(tmp_path: Path) -> None:
    """``[1.0, 2.0]`` equals ``[1, 2]`` but is another enum: its members print as floats."""
    built = build(tmp_path, SPEC)
    enums = {d.wire_name: d for d in built.types.declarations if isinstance(d, EnumDecl)}
    assert [m.value.python for m in enums["AFloats"].members] == ["1.0", "2.0"]
    assert [m.value.python for m in enums["ANumbers"].members] == ["1", "2"]
    assert built.module.AFloats.V_1_0.value == 1.0
