"""twinspec's walk of openapi-spec-validator's checks equals the oracle's own walk.

``generator.validate.openapi_keywords`` re-walks openapi-spec-validator's
keyword checks over plain data (the oracle's jsonschema-path walk is two thirds
of the time on a large spec). Here the oracle itself runs -- its SpecValidator's
keyword validators, each finding located where its check stood -- and both must
report the same findings, of the same kind, at the same place, in the same
words, on the corpus and on crafted documents for every check.
"""

from __future__ import annotations

import ast
import functools
import re
from collections.abc import Iterator
from pathlib import Path
from textwrap import dedent
from typing import Any
from urllib.parse import unquote, urlsplit
from urllib.request import url2pathname

import pytest

from generator.load import Document, load
from generator.validate._nodes import Node, RefFollower
from generator.validate.openapi import _descend, _structure
from generator.validate.openapi_keywords import keyword_errors

from .test_openapi_corpus import CORPUS, documents

Finding = tuple[str, str, str, str]  # (kind, file, pointer, message)


def ours(doc: Document, version: str) -> list[Finding]:
    refs = RefFollower(doc)
    out = []
    for error in keyword_errors(doc, version):
        where = _descend(refs, error.node, error.inner)
        out.append((error.kind, where.source.display, where.pointer, _words(error.message)))
    return out


def oracle(doc: Document, version: str) -> list[Finding]:
    """openapi-spec-validator's keyword walk, each finding placed where its check stood."""
    from jsonschema_path import SchemaPath

    spec = SchemaPath.from_dict(
        doc.data,
        base_uri=doc.root.path.resolve().as_uri(),
        handlers=_loaded_only(doc),
        resolved_cache_maxsize=128,
    )
    validator = _located_validator(version)(spec)
    refs = RefFollower(doc)
    out = []
    for error in validator.root_validator(validator.schema_path):
        where = _descend(refs, Node(doc.data, doc.root, ""), error.twinspec_parts)
        message = str(getattr(error, "message", error)).splitlines()[0]
        kind = type(error).__name__
        out.append((kind, where.source.display, where.pointer, _words(message)))
    return out


def _words(message: str) -> str:
    """The message, with the oracle's hash-ordered property list put in order."""
    found = re.match(r"(Required list has not defined properties: )(\[.*\])$", message)
    if found:
        return found.group(1) + str(sorted(ast.literal_eval(found.group(2))))
    return message


def _loaded_only(doc: Document) -> dict[str, Any]:
    def from_loaded(uri: str) -> Any:
        path = Path(url2pathname(unquote(urlsplit(uri).path))).resolve()
        return doc.files[path].data

    def refuse(uri: str) -> Any:
        raise LookupError(uri)

    return {"file": from_loaded, "http": refuse, "https": refuse, "<all_urls>": refuse}


@functools.cache
def _located_validator(version: str) -> type[Any]:
    """The version's SpecValidator whose keyword checks remember where they stood."""
    from jsonschema_path import SchemaPath
    from openapi_spec_validator import (
        OpenAPIV2SpecValidator,
        OpenAPIV30SpecValidator,
        OpenAPIV31SpecValidator,
        OpenAPIV32SpecValidator,
    )
    from openapi_spec_validator.validation.keywords import ValueValidator

    base: type[Any] = {
        "2.0": OpenAPIV2SpecValidator,
        "3.0": OpenAPIV30SpecValidator,
        "3.1": OpenAPIV31SpecValidator,
        "3.2": OpenAPIV32SpecValidator,
    }[version]

    def located(keyword_cls: type[Any]) -> type[Any]:
        suffix: tuple[str, ...] = ("default",) if issubclass(keyword_cls, ValueValidator) else ()

        def __call__(self: Any, *args: Any, **kwargs: Any) -> Iterator[Any]:
            where = next((a for a in args if isinstance(a, SchemaPath)), None)
            for error in keyword_cls.__call__(self, *args, **kwargs):
                if where is not None and getattr(error, "twinspec_parts", None) is None:
                    inner = tuple(getattr(error, "absolute_path", ()) or ())
                    error.twinspec_parts = (*where.parts, *suffix, *inner)
                yield error

        return type(keyword_cls.__name__, (keyword_cls,), {"__call__": __call__})

    keywords = {name: located(cls) for name, cls in base.keyword_validators.items()}
    return type(f"Located{base.__name__}", (base,), {"keyword_validators": keywords})


def _version(doc: Document) -> str:
    assert doc.kind is not None
    return doc.kind.major_minor


def _checkable(path: Path) -> tuple[Document, str] | None:
    """The loaded document when the keyword checks run on it (structure and refs clean)."""
    doc, _ = load(path)
    if doc is None or doc.kind is None or doc.kind.family != "openapi":
        return None
    if any(d.severity.name == "ERROR" for d in doc.ref_diagnostics):
        return None
    version = _version(doc)
    if version not in ("2.0", "3.0", "3.1", "3.2") or _structure(doc, version):
        return None
    return doc, version


CHECKED_ON_CORPUS: list[str] = []


@pytest.mark.parametrize("document", documents())
def test_corpus_findings_equal_the_oracles(document: str) -> None:
    loaded = _checkable(CORPUS / document)
    if loaded is None:
        return  # structure errors or broken refs: neither walk runs on this document
    doc, version = loaded
    try:
        theirs = oracle(doc, version)
    except RecursionError:
        pytest.fail(f"the oracle recursed without end on {document}; list it with its reason")
    CHECKED_ON_CORPUS.append(document)
    assert ours(doc, version) == theirs


def test_the_corpus_exercises_the_walk() -> None:
    checked = [d for d in documents() if _checkable(CORPUS / d) is not None]
    assert len(checked) > 60, checked


CRAFTED = {
    "every-check-3.0": """
        openapi: 3.0.3
        info: {title: t, version: '1'}
        tags: [{name: a}, {name: a}]
        paths:
          /pets/{id}:
            parameters:
              - {name: id, in: path, required: true, schema: {type: string}}
              - {name: id, in: path, required: true, schema: {type: string}}
            get:
              operationId: same
              parameters:
                - {name: extra, in: path, required: true, schema: {type: integer, default: x}}
                - $ref: '#/components/parameters/Limit'
              responses:
                '200':
                  description: ok
                  content:
                    application/json: {schema: {$ref: '#/components/schemas/Pet'}}
          /pets/{a}/{b}:
            post:
              operationId: same
              responses: {'200': {description: ok}}
        components:
          parameters:
            Limit: {name: limit, in: query, schema: {type: integer, minimum: 0, default: -1}}
          schemas:
            Pet:
              allOf:
                - {$ref: '#/components/schemas/Base'}
                - {type: object, properties: {name: {type: string}}}
              required: [id, name, colour, size]
            Base:
              type: object
              properties: {id: {type: string, format: uuid, default: not-a-uuid}}
            Nullable: {type: string, nullable: true, default: null}
            Broken: {type: strung}
            BadPattern: {type: string, pattern: '\\p{L}+'}
            Tree:
              type: object
              properties:
                children: {type: array, items: {$ref: '#/components/schemas/Tree'}}
        """,
    "dialects-3.1": """
        openapi: 3.1.0
        info: {title: t, version: '1'}
        paths: {}
        components:
          schemas:
            Yes: true
            Unknown: {$schema: 'https://example.com/nope', type: string}
            NotString: {$schema: 3}
            Formats: {type: string, format: date, default: '2024-13-45'}
            Pattern: {type: string, pattern: '(?<=a)b', default: 'ab'}
            Deep: {type: object, properties: {a: {type: [string, 3]}}}
        """,
    "tags-3.2": """
        openapi: 3.2.0
        info: {title: t, version: '1'}
        tags:
          - {name: a, parent: b}
          - {name: b, parent: a}
          - {name: c, parent: missing}
        paths:
          /x/{id}:
            additionalOperations:
              LINK:
                operationId: link
                responses: {'200': {description: ok}}
            query:
              operationId: link
              responses: {'200': {description: ok}}
        """,
    "swagger-2.0": """
        swagger: '2.0'
        info: {title: t, version: '1'}
        paths:
          /pets:
            get:
              parameters:
                - {name: limit, in: query, type: integer, default: many}
                - {name: body, in: body, schema: {$ref: '#/definitions/Pet'}}
              responses:
                '200': {description: ok, schema: {type: array, items: {type: integer, default: x}}}
        definitions:
          Pet: {type: object, properties: {age: {type: integer, default: old}}}
        """,
}


@pytest.mark.parametrize("name", sorted(CRAFTED))
def test_crafted_findings_equal_the_oracles(tmp_path: Path, name: str) -> None:
    path = tmp_path / f"{name}.yaml"
    path.write_text(dedent(CRAFTED[name]).lstrip("\n"), encoding="utf-8")
    doc, _ = load(path)
    assert doc is not None
    version = _version(doc)
    found = ours(doc, version)
    assert found == oracle(doc, version)
    assert len(found) >= 3, found  # the document really trips the checks


def test_a_cycle_through_items_is_walked_where_the_oracle_recurses_forever(tmp_path: Path) -> None:
    path = tmp_path / "api.yaml"
    path.write_text(
        dedent(
            """
            openapi: 3.0.3
            info: {title: t, version: '1'}
            paths: {}
            components:
              schemas:
                Node:
                  allOf: [{$ref: '#/components/schemas/List'}]
                  required: [next]
                List: {type: array, items: {$ref: '#/components/schemas/Node'}}
            """
        ).lstrip("\n"),
        encoding="utf-8",
    )
    doc, _ = load(path, display="api.yaml")
    assert doc is not None
    with pytest.raises(RecursionError):
        oracle(doc, "3.0")
    assert ours(doc, "3.0") == [
        (
            "ExtraParametersError",
            "api.yaml",
            "/components/schemas/Node",
            "Required list has not defined properties: ['next']",
        )
    ]
