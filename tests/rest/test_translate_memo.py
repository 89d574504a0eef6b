"""Parameters, responses and example checks shared by many operations are translated once.

The memos must be invisible: the IR, the type model and the Diagnostics are
the same as when every operation is read from scratch. Each document here is
built twice, memos on and off, and the two results compared whole.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from generator.diagnostics import Diagnostic
from generator.ir.http import Api
from generator.ir.schema import TypeModel
from generator.load import Document, load
from generator.translate import openapi_parameters, openapi_payloads
from generator.translate._openapi_types import TypeSink
from generator.translate.examples import vet
from generator.translate.openapi import build
from tests.shared_corpus import CORPUS, HAS_CORPUS, MISSING, needs_corpus

SHARED = {
    "name": "id",
    "in": "path",
    "required": True,
    "type": "string",
}

SWAGGER: dict[str, Any] = {
    "swagger": "2.0",
    "info": {"title": "Shared", "version": "1"},
    "parameters": {"pretty": {"name": "pretty", "in": "query", "type": "boolean"}},
    "paths": {
        f"/things{i}/{{id}}": {
            "parameters": [SHARED, {"$ref": "#/parameters/pretty"}],
            **{
                method: {
                    "operationId": f"{method}Thing{i}",
                    "parameters": [
                        # an inline enum: its type is named after the operation, so never shared
                        {"name": "kind", "in": "query", "type": "string", "enum": ["a", "b"]},
                        # a pattern Python cannot read: a warning at each operation's place
                        {"name": "q", "in": "query", "type": "string", "pattern": "(?<=a+)b"},
                        {"name": "limit", "in": "query", "type": "integer", "maximum": 50},
                    ],
                    "responses": {
                        "200": {
                            "description": "ok",
                            "schema": {
                                "type": "object",
                                "properties": {"id": {"type": "string"}},
                            },
                            "examples": {"application/json": {"id": "x"}},
                        },
                        "404": {"description": "missing", "schema": {"type": "string"}},
                        "default": {"description": "bad", "examples": {"application/json": 3}},
                    },
                }
                for method in ("get", "delete")
            },
        }
        for i in range(3)
    },
}


def _unmemoised(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every parameter, response and example check read from scratch."""

    def parameter(self: Any, loc: Any, op_name: str, names: Any) -> Any:
        raw = loc.value if isinstance(loc.value, dict) else {}
        return self._parameter(loc, raw, op_name, names)

    def response(
        self: Any, raw: Any, pointer: str, base: Any, hint: str, status: str, code: int
    ) -> Any:
        loc = self.deref(raw, pointer, base)
        if loc is None or not isinstance(loc.value, dict):
            return None
        return self._response(loc, hint, status, code)

    def vetted(self: TypeSink, candidates: Any, schema: Any, source: Any, pointer: str) -> Any:
        kept, found = vet(self.builder, candidates, schema, source, pointer)
        self._example_diagnostics.extend(found)
        return kept

    monkeypatch.setattr(openapi_parameters.ParameterReader, "parameter", parameter)
    monkeypatch.setattr(openapi_payloads.PayloadReader, "response", response)
    monkeypatch.setattr(TypeSink, "vet", vetted)


def _built(path: Path) -> tuple[Api, TypeModel, list[Diagnostic]]:
    doc: Document | None
    doc, _ = load(path)
    assert doc is not None
    api, sink, found = build(doc)
    return api, sink.finish(), sorted(found, key=lambda d: (d.pointer, d.code, d.message))


def _same_either_way(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    memoised = _built(path)
    with monkeypatch.context() as patched:
        _unmemoised(patched)
        plain = _built(path)
    assert memoised[0] == plain[0]  # the API: operations, parameters, responses, examples
    assert memoised[1] == plain[1]  # the type model: every model, enum and alias, same names
    assert memoised[2] == plain[2]  # the warnings, each at its own place


def test_shared_parameters_and_responses_translate_as_if_read_each_time(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "shared.yaml"
    path.write_text(yaml.safe_dump(SWAGGER, sort_keys=False), encoding="utf-8")
    _same_either_way(path, monkeypatch)
    api, _, found = _built(path)
    ops = [op for tag in api.tags for op in tag.operations]
    assert len(ops) == 6
    kinds = {p.type.annotation for op in ops for p in op.parameters if p.wire_name == "kind"}
    assert len(kinds) == 6  # one enum per operation, as without the memo
    assert sum(d.code == "pattern-dropped" for d in found) == 6


@needs_corpus
@pytest.mark.skipif(not HAS_CORPUS, reason=MISSING)
@pytest.mark.parametrize(
    "spec", ["openapi/kubernetes/swagger.json", "openapi/github-apisguru/openapi.yaml"]
)
def test_corpus_specs_translate_the_same_with_and_without_memos(
    spec: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    _same_either_way(CORPUS / spec, monkeypatch)
