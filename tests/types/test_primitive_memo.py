"""Memoised primitive types are exactly the types built afresh.

``primitive`` answers repeated scalar schemas from a cache keyed by the keywords it
reads, each value with its type: ``1``, ``1.0`` and ``True`` are different bounds
(``True`` is none), and so are ``0.0`` and ``-0.0``, though they compare equal.
"""

from __future__ import annotations

from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from generator.translate._schema_types import _primitive, primitive

BOUNDS = [None, 0, 1, 1.0, True, False, 0.0, -0.0, 5, "5", [1], 2**70]
schemas = st.fixed_dictionaries(
    {},
    optional={
        "type": st.sampled_from(["string", "integer", "file", ["string", "null"]]),
        "format": st.sampled_from(["", "date-time", "binary", "uuid", 7]),
        "minLength": st.sampled_from(BOUNDS),
        "maxLength": st.sampled_from(BOUNDS),
        "minimum": st.sampled_from(BOUNDS),
        "maximum": st.sampled_from(BOUNDS),
        "exclusiveMinimum": st.sampled_from(BOUNDS),
        "exclusiveMaximum": st.sampled_from(BOUNDS),
        "multipleOf": st.sampled_from(BOUNDS),
        "pattern": st.sampled_from(["^a+$", "(?<n>x)", "(", 3]),
    },
)


@given(st.sampled_from(["string", "integer", "number", "boolean"]), st.lists(schemas, max_size=6))
def test_cached_types_equal_fresh_ones(json_type: str, seq: list[dict[str, Any]]) -> None:
    for schema in seq:  # in sequence, so look-alike schemas meet a warm cache
        assert primitive(json_type, schema) == _primitive(json_type, schema)


def test_look_alike_bounds_stay_apart() -> None:
    one, true = primitive("integer", {"minimum": 1}), primitive("integer", {"minimum": True})
    assert one[0].annotation == "Annotated[int, Field(ge=1)]"
    assert true[0].annotation == "int"
    assert (
        primitive("number", {"maximum": -0.0})[0].annotation == "Annotated[float, Field(le=-0.0)]"
    )
    assert primitive("number", {"maximum": 0.0})[0].annotation == "Annotated[float, Field(le=0.0)]"
    assert primitive("string", {"maxLength": 1.0})[0].annotation == "str"
    assert (
        primitive("string", {"maxLength": 1})[0].annotation == "Annotated[str, Field(max_length=1)]"
    )
