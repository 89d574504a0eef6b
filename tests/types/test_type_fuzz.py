"""Random schemas with hostile names: the models always import, and their examples validate.

CI runs a fixed 30 examples; ``TWINSPEC_FUZZ_EXAMPLES=2000 pytest tests/types/test_type_fuzz.py``
runs a long random campaign.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from model_support import build
from pydantic import TypeAdapter

from generator.ir.schema import TypeKind

NAMES = st.one_of(
    st.sampled_from(
        [
            "id",
            "class",
            "model_config",
            "schema",
            "user-id",
            "userId",
            "user_id",
            "1st",
            "",
            "__init__",
            "type",
            "match",
            "🐍",
            '"""',
            "\\",
            "l",
            "re_pattern",
            "datetime",
        ]
    ),
    st.text(min_size=0, max_size=12),
)

SCALARS = st.one_of(
    st.just({"type": "string"}),
    st.just({"type": "integer", "minimum": 3}),
    st.just({"type": "number", "exclusiveMaximum": 1}),
    st.just({"type": "boolean"}),
    st.just({"type": "string", "format": "date-time"}),
    st.just({"type": "string", "format": "uuid"}),
    st.just({"type": ["string", "null"]}),
    st.just({"type": "string", "pattern": "^[a-z]+(?=x)x$"}),
    st.just({"type": "string", "minLength": 5, "maxLength": 5}),
    st.lists(NAMES, min_size=1, max_size=4, unique=True).map(
        lambda v: {"type": "string", "enum": v}
    ),
    st.just({"const": "fixed"}),
    st.just({}),
    st.just({"$ref": "#/components/schemas/Root"}),
)


def _schemas(children: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.one_of(
        st.builds(lambda items: {"type": "array", "items": items}, children),
        st.builds(
            lambda props, req: {
                "type": "object",
                "properties": dict(props),
                # A required property that leads back to Root has no finite instance.
                "required": [k for k, v in props if "$ref" not in json.dumps(v)][:req],
            },
            st.lists(st.tuples(NAMES, children), max_size=4, unique_by=lambda p: p[0]),
            st.integers(0, 4),
        ),
        st.builds(lambda a, b: {"oneOf": [a, b]}, children, children),
        st.builds(lambda a, b: {"allOf": [a, b]}, children, children),
        st.builds(lambda v: {"type": "object", "additionalProperties": v}, children),
    )


SCHEMAS = st.recursive(SCALARS, _schemas, max_leaves=8)


@settings(
    max_examples=int(os.environ.get("TWINSPEC_FUZZ_EXAMPLES", "30")),  # long run on demand
    deadline=None,
    derandomize="TWINSPEC_FUZZ_EXAMPLES" not in os.environ,
    phases=[Phase.explicit, Phase.generate],  # no shrinking: each example runs ruff
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(st.dictionaries(NAMES, SCHEMAS, min_size=1, max_size=4), SCHEMAS)
def test_random_schemas_make_importable_models(
    tmp_path: Path, schemas: dict[str, Any], root: Any
) -> None:
    document = {
        "openapi": "3.1.0",
        "info": {"title": "fuzz", "version": "1"},
        "paths": {},
        "components": {"schemas": {"Root": root, **schemas}},
    }
    built = build(tmp_path, json.dumps(document))
    for name, ref in built.refs.items():
        if ref.kind is TypeKind.ANY:
            continue
        TypeAdapter(eval(ref.annotation, vars(built.module))).validate_python(built.examples[name])
