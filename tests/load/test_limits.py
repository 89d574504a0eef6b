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


def two_pass(data: Any) -> Shape | bool:
    """What the fast path did before ``plain_shape``: ``make_plain``, then ``measure``."""
    return limits.make_plain(data) and measure(data)


PLAIN_CASES = [
    lambda: {"a": 1, "b": [1, {"c": None}], "d": {}},
    lambda: {1: "a", "2": {3: [4, {5: 6}]}},  # integer keys become strings
    lambda: {"a": {1: "x", "1": "y"}},  # ... unless one is there already
    lambda: {"a": [{2.5: "x"}]},  # a float key: not JSON's
    lambda: {"a": [1, {True: "x"}]},  # a bool key
    lambda: {"a": {None: 1}},
    lambda: {"a": [(1, 2)]},  # a tuple value
    lambda: {"a": [1.5, float("nan")]},  # not clean, still plain
    lambda: {"a": {"\ud800": 1}},  # an unpaired surrogate key
    lambda: {"a": {10**400: 1}},  # an integer key too wide for a float, made a string
    lambda: {"a": [10**400]},
    lambda: {"a": nested(MAX_DEPTH)},
    lambda: {"a": nested(MAX_DEPTH + 1)},  # too deep: measure says where
    lambda: {"a": nested(MAX_DEPTH + 1), "b": {2.5: 1}},  # too deep, and not plain
    lambda: shared(),
    lambda: {"a": [{1: {2: {3: "x"}}}] * 1, "b": [[{4: 5}]]},
]


@pytest.mark.parametrize("make", PLAIN_CASES)
def test_plain_shape_is_make_plain_then_measure(make: Any) -> None:
    fused, reference = make(), make()
    expected = two_pass(reference)
    shape = limits.plain_shape(fused)
    if shape is None:  # not decided in one pass: the fast path runs the two
        shape = two_pass(fused)
    assert shape == expected
    if expected is not False:
        assert repr(fused) == repr(reference)  # the same keys made strings (and NaN is NaN)


def test_plain_shape_is_one_pass_over_the_corpus(corpus: Any) -> None:
    import yaml_rs

    checked = 0
    for path in sorted(corpus.rglob("*.y*ml"))[:1500]:
        try:
            data = yaml_rs.loads(path.read_text("utf-8-sig"), parse_datetime=False)
        except Exception:  # what yaml-rs refuses, the full loader reads
            continue
        if not isinstance(data, dict):
            continue
        again = yaml_rs.loads(path.read_text("utf-8-sig"), parse_datetime=False)
        assert limits.plain_shape(data) == two_pass(again), path
        checked += 1
    assert checked > 1000


@pytest.mark.parametrize("plain", [False, True])
def test_the_walk_decides_some_cases_itself(plain: bool) -> None:
    """The agreement test below would pass vacuously if the walk left every case to the level walk."""
    decided = sum(limits._walk_shape(make(), plain, []) is not None for make in PLAIN_CASES)
    assert decided >= 3, decided  # most cases are odd data on purpose, left to the level walk


@pytest.mark.parametrize("make", PLAIN_CASES)
@pytest.mark.parametrize("plain", [False, True])
def test_the_walk_agrees_with_the_level_walk_or_leaves_it_to_it(make: Any, plain: bool) -> None:
    walked, levelled = make(), make()
    found = limits._walk_shape(walked, plain, [])
    if found is None:  # not decided here: ``_tree_shape`` decides
        return
    if found is False:  # not JSON's data: the level walk says so, or leaves it to ``make_plain``
        assert limits._tree_shape(levelled, plain, []) in (False, None)
        assert not limits.make_plain(make())
        return
    assert found == limits._tree_shape(levelled, plain, [])
    assert repr(walked) == repr(levelled)  # the same integer keys made strings
