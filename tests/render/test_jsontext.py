"""indented_json writes exactly what json.dumps(ensure_ascii=False, indent=n) writes, errors too."""

from __future__ import annotations

import json
import math
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from generator.render.jsontext import indented_json


def _dumps(value: Any, indent: int = 1) -> str:
    return json.dumps(value, ensure_ascii=False, indent=indent)


leaf = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.integers(min_value=2**63, max_value=2**80)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text()
)
key = st.text() | st.integers() | st.floats() | st.booleans() | st.none()
value = st.recursive(
    leaf,
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.lists(inner, max_size=3).map(tuple)
        | st.dictionaries(key, inner, max_size=4)
    ),
    max_leaves=30,
)


@given(value, st.integers(min_value=0, max_value=4))
def test_same_text_as_json_dumps(data: Any, indent: int) -> None:
    assert indented_json(data, indent=indent) == _dumps(data, indent=indent)


@pytest.mark.parametrize(
    "data",
    [
        {},
        [],
        "",
        {"a": {}, "b": [], "c": [{}], "d": {"e": []}},
        {2: "int key", 1.5: "float key", True: "bool", None: "none", math.inf: "inf"},
        [math.nan, -math.inf, -0.0, 1e300, 10**40],
        'lone surrogate \udc80, NUL \x00, quote " and backslash \\ and é 漢',
    ],
    ids=repr,
)
def test_edges(data: Any) -> None:
    assert indented_json(data) == _dumps(data)


@pytest.mark.parametrize("data", [{"k": {1, 2}}, [object()], {(1, 2): "tuple key"}], ids=repr)
def test_what_json_refuses_is_refused_alike(data: Any) -> None:
    with pytest.raises(TypeError) as ours:
        indented_json(data)
    with pytest.raises(TypeError) as theirs:
        _dumps(data)
    assert str(ours.value) == str(theirs.value)


def test_cycles_are_refused() -> None:
    loop: list[Any] = [1]
    loop.append({"back": loop})
    with pytest.raises(ValueError, match="Circular reference detected"):
        indented_json(loop)
    shared = [1, 2]
    assert indented_json([shared, shared]) == _dumps([shared, shared])  # shared is not a cycle
