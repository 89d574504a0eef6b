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
import os
import re
from collections.abc import Iterator
from pathlib import Path
from textwrap import dedent
from typing import Any
from urllib.parse import unquote, urlsplit
from urllib.request import url2pathname

import pytest
from shared_corpus import needs_corpus

from generator.load import Document, load
from generator.load.nodes import Node, RefFollower
from generator.validate.openapi import _descend, _structure
from generator.validate.openapi_keywords import keyword_errors

from .test_openapi_corpus import CORPUS, documents

Finding = tuple[str, str, str, str]  # (kind, file, pointer, message)


def ours(doc: Document, version: str) -> tuple[list[Finding], dict[str, Any]]:
    """twinspec's findings, a meta-schema one as the schema it is about (see ``oracle``),
    and for each such schema the error twinspec chose: ``(path in the schema, message)``."""
    refs = RefFollower(doc)
    out, chosen = [], {}
    for error in keyword_errors(doc, version):
        if error.check == "meta-schema" and error.inner:
            where, message = error.node, META
            chosen[where.pointer] = (error.inner, error.message)
        else:
            where, message = _descend(refs, error.node, error.inner), _words(error.message)
        out.append((error.kind, where.source.display, where.pointer, message))
    return out, chosen


META = "<one of the schema's meta-schema errors>"


def agree(doc: Document, version: str) -> list[Finding]:
    """Assert twinspec's findings are the oracle's; return them."""
    found, chosen = ours(doc, version)
    theirs, possible = oracle(doc, version)
    assert found == theirs
    for pointer, choice in chosen.items():
        assert choice in possible[pointer], (pointer, choice)
    return found


def oracle(doc: Document, version: str) -> tuple[list[Finding], dict[str, Any]]:
    """openapi-spec-validator's keyword walk, each finding placed where its check stood.

    A meta-schema finding comes back as the schema it is about, with every error
    the oracle could have reported first for it: which one it raises hangs on
    string hashing (jsonschema walks extra properties as a set).
    """
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
    root = Node(doc.data, doc.root, "")
    possible: dict[str, Any] = {}
    for error in validator.root_validator(validator.schema_path):
        message = str(getattr(error, "message", error)).splitlines()[0]
        if getattr(error, "twinspec_every", None) and error.absolute_path:
            where, message = _descend(refs, root, error.twinspec_where), META
            possible[where.pointer] = error.twinspec_every
        else:
            where, message = _descend(refs, root, error.twinspec_parts), _words(message)
        out.append((type(error).__name__, where.source.display, where.pointer, message))
    return out, possible


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
                    error.twinspec_where = where.parts
                yield error

        def _validate_schema_meta(self: Any, schema: Any, value: Any) -> Any:
            error = keyword_cls._validate_schema_meta(self, schema, value)
            if error is not None and error.absolute_path:
                checker = self._get_schema_checker(schema, value)
                error.twinspec_every = _every_meta_error(checker, value)
            return error

        namespace: dict[str, Any] = {"__call__": __call__}
        if hasattr(keyword_cls, "_validate_schema_meta"):
            namespace["_validate_schema_meta"] = _validate_schema_meta
        return type(keyword_cls.__name__, (keyword_cls,), namespace)

    keywords = {name: located(cls) for name, cls in base.keyword_validators.items()}
    return type(f"Located{base.__name__}", (base,), {"keyword_validators": keywords})


def _every_meta_error(checker: Any, value: Any) -> list[tuple[tuple[Any, ...], str]]:
    """All errors ``checker`` (a ``check_schema``, maybe partial) finds; it raises the first.

    Built as the two ``check_schema`` implementations build their validator:
    openapi-schema-validator's (its registry, the class's format checker) and
    jsonschema's (the meta-schema's class and format checker).
    """
    from jsonschema.validators import validator_for
    from openapi_schema_validator._specifications import REGISTRY
    from openapi_schema_validator.validators import check_openapi_schema

    keywords = getattr(checker, "keywords", {})
    method = getattr(checker, "func", checker)
    checker_cls = method.__self__
    meta_cls = validator_for(checker_cls.META_SCHEMA, default=checker_cls)
    if method.__func__ is check_openapi_schema:
        format_checker = keywords.get("format_checker", checker_cls.FORMAT_CHECKER)
        extra = {"registry": REGISTRY}
    else:
        format_checker = keywords.get("format_checker", meta_cls.FORMAT_CHECKER)
        extra = {}
    validator = meta_cls(checker_cls.META_SCHEMA, format_checker=format_checker, **extra)
    return [(tuple(e.absolute_path), e.message) for e in validator.iter_errors(value)]


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


@needs_corpus
@pytest.mark.parametrize("document", documents())
def test_corpus_findings_equal_the_oracles(document: str) -> None:
    loaded = _checkable(CORPUS / document)
    if loaded is None:
        return  # structure errors or broken refs: neither walk runs on this document
    doc, version = loaded
    try:
        agree(doc, version)
    except RecursionError:
        pytest.fail(f"the oracle recursed without end on {document}; list it with its reason")
    CHECKED_ON_CORPUS.append(document)


@needs_corpus
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
    found = agree(doc, version)
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
    assert ours(doc, "3.0")[0] == [
        (
            "ExtraParametersError",
            "api.yaml",
            "/components/schemas/Node",
            "Required list has not defined properties: ['next']",
        )
    ]


def test_the_meta_schema_error_reported_is_the_first_in_the_document(tmp_path: Path) -> None:
    """The oracle's pick hangs on the hash seed; twinspec's must not."""
    import subprocess
    import sys

    bad = "".join(f"    p{i}: {{type: number, exclusiveMinimum: true}}\n" for i in range(6))
    path = tmp_path / "api.yaml"
    path.write_text(
        "openapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths: {}\ncomponents:\n"
        "  schemas:\n    Knobs:\n      type: object\n      properties:\n"
        + bad.replace("    p", "        p"),
        encoding="utf-8",
    )
    outputs = {
        subprocess.run(
            [sys.executable, "-m", "generator", "validate", str(path)],
            capture_output=True,
            text=True,
            env={**os.environ, "PYTHONHASHSEED": str(seed)},
            check=False,
        ).stdout
        for seed in range(6)
    }
    assert len(outputs) == 1
    assert outputs.pop().endswith(
        "api.yaml:9:28: error [invalid-schema] True is not of type 'number'"
        " (at /components/schemas/Knobs/properties/p0/exclusiveMinimum)\n"
    )
