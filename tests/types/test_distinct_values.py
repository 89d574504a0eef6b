"""Enum values lose repeats in linear time and exactly as the pairwise rule says.

The rule: a value repeats an earlier one when they are equal and of the same
type (so ``1``, ``1.0`` and ``True`` all stay, and NaN, equal to nothing, always stays).
"""

from __future__ import annotations

import math
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.translate._schema_helpers import distinct_values


def _pairwise(values: list[Any]) -> list[Any]:
    out: list[Any] = []
    for v in values:
        if not any(v == d and type(v) is type(d) for d in out):
            out.append(v)
    return out


NAN = math.nan
POOL = [1, 1.0, True, False, 0, 0.0, -0.0, "1", "a", None, NAN, float("nan"), 2**70]
value = (
    st.sampled_from(POOL)
    | st.lists(st.sampled_from([1, "a"]), max_size=2)
    | st.dictionaries(st.sampled_from(["k", "v"]), st.sampled_from([1, 1.0]), max_size=1)
)


@settings(suppress_health_check=[HealthCheck.too_slow])  # a busy 2-core CI box stalls draws
@given(st.lists(value, max_size=12))
def test_agrees_with_the_pairwise_rule(values: list[Any]) -> None:
    got, want = distinct_values(values), _pairwise(values)
    assert len(got) == len(want)
    assert all(a is b for a, b in zip(got, want, strict=True))  # the first occurrences, in order


def test_types_and_nan() -> None:
    assert distinct_values([1, 1.0, True, 1, "1", None, None]) == [1, 1.0, True, "1", None]
    kept = distinct_values([NAN, NAN])
    assert len(kept) == 2


def test_a_long_list_repeated_keeps_the_first_occurrences() -> None:
    codes = [f"c{i}" for i in range(20_000)] * 2
    assert distinct_values(codes) == codes[:20_000]
