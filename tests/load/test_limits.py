"""``measure``'s level-by-level count agrees with the general walk it short-cuts."""

from __future__ import annotations

from typing import Any

import pytest

from generator.load import limits
from generator.load.limits import MAX_DEPTH, Shape, measure


def nested(depth: int) -> list[Any]:
    value: list[Any] = []
    for _ in range(depth):
        value = [value, 1]
    return value


def shared() -> dict[str, Any]:
    leaf = {"a": [1, 2, 3]}
    return {"x": leaf, "y": [leaf, leaf], "z": {"w": leaf}}


def cyclic() -> dict[str, Any]:
    data: dict[str, Any] = {"a": {"b": []}}
    data["a"]["b"].append(data["a"])
    return data


def bomb() -> list[Any]:
    value: list[Any] = ["lol"] * 10
    for _ in range(9):
        value = [value] * 10
    return value


@pytest.mark.parametrize(
    "data",
    [
        "scalar",
        None,
        {},
        [],
        {"a": 1, "b": [1, {"c": None}], "d": {}},
        nested(MAX_DEPTH),
        nested(MAX_DEPTH + 1),
        shared(),
        cyclic(),
        bomb(),
        [[[]] * 3],
    ],
    ids=[
        "scalar",
        "none",
        "empty-map",
        "empty-list",
        "tree",
        "deepest",
        "too-deep",
        "shared",
        "cycle",
        "bomb",
        "shared-empty",
    ],
)
def test_measure_agrees_with_the_general_walk(data: Any) -> None:
    assert measure(data) == limits._measure_shared(data)


def test_trees_are_counted_level_by_level() -> None:
    tree = {"a": [1, {"b": 2}], "c": "d"}
    assert limits._tree_shape(tree) == (6, 2, True)
    assert measure(tree) == Shape(6, 2, "", ())
    assert limits._tree_shape(shared()) is None  # the general walk counts shared values


def test_bounds_are_found_with_their_path() -> None:
    assert measure(nested(MAX_DEPTH + 1)).problem == "depth"
    assert measure(cyclic()) == Shape(0, 2, "cycle", ("a", "b", "0"))
    assert measure(bomb()).problem == "nodes"
