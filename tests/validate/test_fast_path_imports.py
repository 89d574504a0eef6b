"""A valid 2.0/3.0 spec is validated without importing the oracle's Python validators.

jsonschema (~0.06 CPU-s) and openapi-schema-validator (~0.1-0.2 CPU-s, it
imports pydantic-settings) are needed only to word a failure; jsonschema-rs
says "valid" against the same schemas, read from the packages' data files.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap

from generator.validate.openapi_keywords import draft4_meta_schema

VALID_30 = """\
openapi: 3.0.3
info: {title: Fast, version: "1"}
paths:
  /pets/{id}:
    get:
      operationId: getPet
      parameters:
        - {name: id, in: path, required: true, schema: {type: integer, minimum: 1}}
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Pet"}
components:
  schemas:
    Pet:
      type: object
      required: [name]
      properties:
        name: {type: string, pattern: "^[a-z]+$", nullable: true}
"""


def test_the_draft4_meta_schema_is_the_one_the_oracle_checks_3_0_schemas_with() -> None:
    from openapi_schema_validator import OAS30Validator

    assert draft4_meta_schema() == OAS30Validator.META_SCHEMA


def test_a_valid_spec_imports_neither_jsonschema_nor_the_oracle(tmp_path: object) -> None:
    code = textwrap.dedent(
        f"""
        import sys
        from pathlib import Path
        from generator.load import load
        from generator.validate import validate
        path = Path(sys.argv[1])
        path.write_text({VALID_30!r})
        doc, found = load(path)
        assert doc is not None and not found, found
        assert validate(doc) == [], validate(doc)
        loaded = sorted(m for m in sys.modules if m.split(".")[0] in ("jsonschema", "openapi_schema_validator"))
        print(loaded)
        """
    )
    spec = f"{tmp_path}/api.yaml"
    result = subprocess.run(
        [sys.executable, "-c", code, spec], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"


def test_an_invalid_schema_is_still_worded_by_the_oracle(tmp_path: object) -> None:
    from pathlib import Path

    from generator.load import load
    from generator.validate import validate

    path = Path(f"{tmp_path}/bad.yaml")
    path.write_text(VALID_30.replace('"^[a-z]+$"', '"^[a-z+$"'))
    doc, _ = load(path)
    assert doc is not None
    found = validate(doc)
    assert [(d.code, d.message) for d in found] == [
        ("invalid-schema", "'^[a-z+$' is not a 'regex'")
    ]
