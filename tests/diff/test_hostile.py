"""Malformed, invalid and self-referencing specs: diff answers with Diagnostics, never a traceback."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.diff import diff_files

from .conftest import diff_json, run_diff

ODD_OPENAPI = [
    "openapi: 3.0.3\ninfo: {title: a, version: '1'}\npaths: [1, 2]\n",
    "openapi: 3.0.3\ninfo: {title: a, version: '1'}\npaths:\n  /a: 7\n",
    "openapi: 3.0.3\ninfo: {title: a, version: '1'}\npaths:\n  /a:\n    get:\n"
    "      parameters: nope\n      responses: [x]\n      security: {a: 1}\n",
    "openapi: 3.0.3\ninfo: {title: a, version: '1'}\nservers: 3\nsecurity: [7]\npaths:\n"
    "  /a:\n    get:\n      requestBody: {content: {application/json: {schema: 5}}}\n",
    "openapi: 3.1.0\ninfo: {title: a, version: '1'}\npaths:\n  /a:\n    get:\n      responses:\n"
    "        '200':\n          description: ok\n          content:\n            application/json:\n"
    "              schema: {$ref: '#/components/schemas/Node'}\ncomponents:\n  schemas:\n"
    "    Node:\n      type: object\n      properties:\n        next: {$ref: '#/components/schemas/Node'}\n"
    "        kids: {type: array, items: {$ref: '#/components/schemas/Node'}}\n"
    "        any: {anyOf: [{$ref: '#/components/schemas/Node'}, {type: 'null'}]}\n"
    "        all: {allOf: [{$ref: '#/components/schemas/Node'}]}\n",
    "openapi: 3.0.3\ninfo: {title: a, version: '1'}\npaths:\n  /a:\n    get:\n      responses:\n"
    "        '200': {$ref: '#/components/responses/Loop'}\ncomponents:\n  responses:\n"
    "    Loop: {$ref: '#/components/responses/Loop'}\n",
]

ODD_ASYNCAPI = [
    "asyncapi: 3.0.0\ninfo: {title: a, version: '1'}\nchannels: [1]\noperations: 3\n",
    "asyncapi: 2.6.0\ninfo: {title: a, version: '1'}\nchannels:\n  a:\n    publish:\n"
    "      message: {oneOf: 5}\n    subscribe: 3\nservers: {s: 4}\n",
    "asyncapi: 3.0.0\ninfo: {title: a, version: '1'}\nchannels:\n  c: {address: x, messages: 4}\n"
    "operations:\n  o: {action: receive, channel: {$ref: '#/channels/c'}, messages: [{$ref: 5}]}\n",
]


@pytest.mark.parametrize("text", ODD_OPENAPI + ODD_ASYNCAPI)
def test_odd_documents_never_crash(in_tmp: Path, text: str) -> None:
    odd = in_tmp / "odd.yaml"
    odd.write_text(text, encoding="utf-8")
    family = "asyncapi" if text.startswith("asyncapi") else "openapi"
    other = in_tmp / "other.yaml"
    head = "asyncapi: 3.0.0" if family == "asyncapi" else "openapi: 3.1.0"
    other.write_text(f"{head}\ninfo: {{title: b, version: '2'}}\n", encoding="utf-8")
    for old, new in ((odd, odd), (odd, other), (other, odd)):
        exit_code, out = run_diff(str(old), str(new), "--format", "json")
        assert exit_code in (0, 1), out
        assert "Traceback" not in out


def test_unparseable_version_is_a_located_error(in_tmp: Path) -> None:
    good = in_tmp / "good.yaml"
    good.write_text("openapi: 3.0.3\ninfo: {title: a, version: '1'}\npaths: {}\n", encoding="utf-8")
    bad = in_tmp / "bad.yaml"
    bad.write_text("openapi: 3.0.3\npaths: {\n", encoding="utf-8")
    exit_code, changes = diff_json(good, bad)
    assert exit_code == 1
    assert [(c["code"], c["severity"], c["line"]) for c in changes] == [("yaml-syntax", "error", 3)]


@pytest.mark.corpus
def test_invalid_corpus_documents_never_crash(corpus: Path) -> None:
    files = sorted(
        p for p in (corpus / "invalid").rglob("*") if p.suffix in (".yaml", ".yml", ".json")
    )
    assert files
    for path in files:
        result = diff_files(path, path)
        assert result.usage or not [c for c in result.changes if c.severity.value == "error"], path
