"""``validate`` and ``generate`` agree: a value no JSON text or Python module can hold is refused.

The family: unpaired UTF-16 surrogates (``"\\ud800"``), NaN and infinities
(``NaN``, ``.inf``, ``1e400``), integers beyond a JSON number's range, integer
literals longer than Python converts. Each is refused by the loader with a
located Diagnostic, the same one from ``validate`` and ``generate``, wherever it
sits (a description, an example, a default, an enum, a bound, a property
name) and whichever parser reads it (JSON, YAML through yaml-rs, YAML through
the full loader). Values at the edge that *are* representable generate code
that compiles.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.cli import cli

YAML_SPEC = """\
openapi: 3.1.0
{anchor}info: {{title: Edge, version: "1", description: {text}}}
paths:
  /things:
    get:
      operationId: listThings
      parameters:
        - name: q
          in: query
          schema: {{type: {kind}, {bound}default: {value}, example: {value}}}
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema:
                type: object
                properties:
                  {key}: {{type: string}}
                  amount: {{type: {kind}, enum: [{value}]}}
"""
HUGE = "1" + "0" * 400  # beyond a double, below Python's conversion limit
ENDLESS = "9" * (sys.get_int_max_str_digits() + 10)

# (name, literal as JSON, literal as YAML, codes accepted from the loader)
STRING = {"unpaired-surrogate", "yaml-syntax"}
REFUSED = [
    ("lone-high-surrogate", '"\\ud800"', '"\\ud800"', STRING),
    ("lone-low-surrogate", '"\\udfff"', '"\\udfff"', STRING),
    ("reversed-pair", '"\\udc00\\ud800"', '"\\udc00\\ud800"', STRING),
    ("nan", "NaN", ".nan", {"not-a-json-number"}),
    ("infinity", "Infinity", ".inf", {"not-a-json-number"}),
    ("minus-infinity", "-Infinity", "-.inf", {"not-a-json-number"}),
    ("overflowing-float", "1e400", "1e400", {"not-a-json-number"}),
    ("integer-beyond-a-double", HUGE, HUGE, {"number-out-of-range"}),
    ("integer-beyond-the-digit-limit", ENDLESS, ENDLESS, {"number-out-of-range"}),
]
PLACES = ["text", "value", "key", "bound"]
LOADERS = ["json", "yaml", "yaml-full"]


def _json_spec(kind: str, bound: bool) -> str:
    """The YAML spec's JSON twin, with ``"@TEXT@"``-style markers where the literals go."""
    schema: dict[str, object] = {"type": kind, "default": "@VALUE@", "example": "@VALUE@"}
    if bound:
        schema = {"type": kind, "maximum": "@BOUND@", "default": "@VALUE@", "example": "@VALUE@"}
    body = {
        "type": "object",
        "properties": {"@KEY@": {"type": "string"}, "amount": {"type": kind, "enum": ["@VALUE@"]}},
    }
    operation = {
        "operationId": "listThings",
        "parameters": [{"name": "q", "in": "query", "schema": schema}],
        "responses": {
            "200": {"description": "ok", "content": {"application/json": {"schema": body}}}
        },
    }
    return json.dumps(
        {
            "openapi": "3.1.0",
            "info": {"title": "Edge", "version": "1", "description": "@TEXT@"},
            "paths": {"/things": {"get": operation}},
        }
    )


def document(loader: str, literal: str, places: set[str]) -> str:
    """The spec as JSON or YAML text with ``literal`` at each of ``places``."""
    is_string = literal.startswith('"')
    fields = {
        "anchor": "x-a: &a 1\n" if loader == "yaml-full" else "",  # anchors need the full loader
        "text": literal if "text" in places else '"plain"',
        "kind": "string" if is_string else "number",
        "value": literal if "value" in places else ('"v"' if is_string else "1"),
        "bound": literal,
        "key": literal if "key" in places else '"name"',
    }
    if loader == "json":
        text = _json_spec(fields["kind"], "bound" in places)
        for name in ("text", "value", "bound", "key"):
            text = text.replace(f'"@{name.upper()}@"', fields[name])
        return text
    fields["bound"] = f"maximum: {literal}, " if "bound" in places else ""
    return YAML_SPEC.format(**fields)


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    assert "Traceback" not in result.output
    return result.exit_code, result.output


def refused_cases() -> list[object]:
    """Every (loader, place, value) where the value can stand: strings as text or keys, numbers
    as bounds; values anywhere."""
    cases: list[object] = []
    for name, as_json, as_yaml, codes in REFUSED:
        is_string = as_json.startswith('"')
        for loader in LOADERS:
            for place in PLACES:
                if (place == "bound" and is_string) or (place == "text" and not is_string):
                    continue
                if place == "key" and not is_string:  # keys stay text as written (YAML too)
                    continue
                literal = as_json if loader == "json" else as_yaml
                cases.append(
                    pytest.param(loader, place, literal, codes, id=f"{name}-{place}-{loader}")
                )
    return cases


@pytest.mark.parametrize(("loader", "place", "literal", "codes"), refused_cases())
def test_unrepresentable_value_is_refused_located_by_validate_and_generate(
    tmp_path: Path, loader: str, place: str, literal: str, codes: set[str]
) -> None:
    spec = tmp_path / ("edge.json" if loader == "json" else "edge.yaml")
    spec.write_text(document(loader, literal, {place}), encoding="utf-8")
    code, out = run("validate", "--format", "json", str(spec))
    assert code == 1, out
    (found,) = json.loads(out)
    assert found["code"] in codes, found
    assert found["line"] >= 1 and found["column"] >= 1, f"not located: {found}"
    for target in ("rest-server", "rest-client"):
        generated, said = run("generate", str(spec), "-t", target, "-o", str(tmp_path / target))
        assert generated == 1, said
        assert f"error [{found['code']}]" in said
        assert not (tmp_path / target).exists()


EDGE_VALUES = [
    ("largest-double", "1.7976931348623157e308"),
    ("smallest-subnormal", "5e-324"),
    ("negative-zero", "-0.0"),
    ("integer-just-inside-a-double", str(2**1023)),
    ("uint64-overflow", str(2**64)),
    ("nul-character", '"a\\u0000b"'),
    ("control-characters", '"\\u0007\\u001b\\u007f\\u2028"'),
]


EDGE_CASES = [
    *(
        pytest.param(loader, literal, id=f"{name}-{loader}")
        for name, literal in EDGE_VALUES
        for loader in LOADERS
    ),
    # A pair of escapes is one character in JSON; YAML's \\u escapes are code points.
    pytest.param("json", '"\\ud83d\\ude00"', id="surrogate-pair-json"),
]


@pytest.mark.parametrize(("loader", "literal"), EDGE_CASES)
def test_representable_edge_values_generate_code_that_compiles(
    tmp_path: Path, loader: str, literal: str
) -> None:
    places = {"text", "value", "key"} if literal.startswith('"') else {"value", "bound"}
    spec = tmp_path / ("edge.json" if loader == "json" else "edge.yaml")
    spec.write_text(document(loader, literal, places), encoding="utf-8")
    code, out = run("validate", str(spec))
    assert code == 0, out
    for target in ("rest-server", "rest-client"):
        out_dir = tmp_path / target
        generated, said = run("generate", str(spec), "-t", target, "-o", str(out_dir))
        assert generated == 0, said
        for module in out_dir.rglob("*.py"):
            compile(module.read_text(encoding="utf-8"), str(module), "exec")
