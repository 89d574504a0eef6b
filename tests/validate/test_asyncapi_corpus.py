"""twinspec's AsyncAPI verdicts against the official AsyncAPI JSON Schemas (the oracle).

Every AsyncAPI document in ../shared/corpus gets the same verdict from twinspec
as from the official schemas run with jsonschema, except the cases listed in
``STRICTER`` / ``REFUSED``, each with the reason twinspec is right. A mutation
suite then perturbs every valid corpus document systematically (each field
removed, each value given a wrong type, an unknown field added to each object)
and requires the same agreement.
"""

from __future__ import annotations

import functools
import json
import os
import random
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft7Validator, FormatChecker
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT7
from shared_corpus import CORPUS, needs_corpus

from generator.diagnostics import Diagnostic, Severity
from generator.drive.spec import load_and_validate
from generator.load import Document, Source, detect_kind, load
from generator.load import check_refs as loader_check_refs
from generator.load.document import SpecKind
from generator.validate import validate

pytestmark = needs_corpus

# Documents where twinspec says "invalid" and the official schemas say "valid",
# each because twinspec checks something the schemas cannot express.
STRICTER: dict[str, str] = {
    "asyncapi/parser-js-v1-good/test/good/asyncapi.json": (
        "its $ref 'refs/refed.yaml' was resolved by parser-js's test runner against test/, "
        "not against the file's own folder (RFC 3986); for a user the file does not exist"
    ),
    "asyncapi/parser-js-v1-good/test/good/asyncapi.yaml": (
        "relative $ref resolved by parser-js's test runner against test/ (see asyncapi.json)"
    ),
    "asyncapi/parser-js-v1-good/test/good/circular-refs.yaml": (
        "relative $ref './good/circular-refs-file-ref.yaml' is relative to test/, not to good/"
    ),
    "asyncapi/spec-json-schemas-testdocs-3.0.0/streetlights-all.json": (
        "relative $refs to .avsc/.raml/.yaml files that do not exist upstream either"
    ),
    "asyncapi/spec-json-schemas-testdocs-3.0.0/streetlights-asyncapi.json": (
        "relative $ref to a file that does not exist upstream either"
    ),
    "asyncapi/spec-json-schemas-testdocs-3.0.0/streetlights-avro.json": (
        "relative $ref to a file that does not exist upstream either"
    ),
    "asyncapi/spec-json-schemas-testdocs-3.0.0/streetlights-json.json": (
        "relative $refs to files that do not exist upstream either"
    ),
    "asyncapi/spec-json-schemas-testdocs-3.0.0/streetlights-openapi.json": (
        "relative $ref to a file that does not exist upstream either"
    ),
    "asyncapi/spec-json-schemas-testdocs-3.0.0/streetlights-unknown.json": (
        "relative $ref to a file that does not exist upstream either"
    ),
    "asyncapi/diamond-blueapi/asyncapi.yaml": (
        "payload $refs point at https:// URLs; twinspec never fetches remote refs"
    ),
    "asyncapi/spec-examples-3.1.0/adeo-kafka-request-reply-asyncapi.yml": (
        "payload schemas are $refs to https:// .avsc files; twinspec never fetches remote refs"
    ),
    "invalid/asyncapi/parser-js-v1-wrong/test/wrong/good-ref-to-broken-file.yaml": (
        "the schema file its message refers to is broken (properties that are not schemas); "
        "the oracle only sees the $ref. (As a fixture the path is test/-relative, so twinspec "
        "reports the ref itself as unresolved.)"
    ),
    "invalid/asyncapi/parser-js-v1-wrong/test/wrong/inexisting-http-ref.yaml": (
        "$ref to an https:// URL: refused (and it 404s anyway)"
    ),
    "invalid/asyncapi/parser-js-v1-wrong/test/wrong/inexisting-local-ref.yaml": (
        "dangling local $ref; the oracle does not resolve refs"
    ),
    "invalid/asyncapi/parser-js-v1-wrong/test/wrong/inexisting-root-ref.yaml": (
        "$ref '/components/...' is an absolute path (missing '#'), refused"
    ),
    "invalid/asyncapi/parser-js-v1-wrong/test/wrong/invalid-asyncapi-root-with-duplicate-tags.yaml": (
        "duplicate tag names; the schemas' uniqueItems only catches identical tag objects"
    ),
    "invalid/asyncapi/parser-js-v1-wrong/test/wrong/invalid-message-traits-with-duplicate-tags.yaml": (
        "duplicate tag names in a message trait"
    ),
    "invalid/asyncapi/parser-js-v1-wrong/test/wrong/invalid-message-with-duplicate-tags.yaml": (
        "duplicate tag names in a message"
    ),
    "invalid/asyncapi/parser-js-v1-wrong/test/wrong/invalid-operation-traits-with-duplicate-tags.yaml": (
        "duplicate tag names in an operation trait"
    ),
    "invalid/asyncapi/parser-js-v1-wrong/test/wrong/invalid-operation-with-duplicate-tags.yaml": (
        "duplicate tag names in an operation"
    ),
}
# Multi-file examples whose refs leave the spec's folder ("../common/..."): refused by
# default (DESIGN §4), and valid, in agreement with the oracle, once allowed.
OUTSIDE_ROOT = {
    f"asyncapi/spec-examples-{version}/social-media/{service}/asyncapi.yaml"
    for version in ("2.6.0", "3.0.0", "3.1.0")
    for service in ("backend", "comments-service", "frontend", "notification-service", "public-api")
}
# Documents the oracle rejects only through a bug of its own, which twinspec rejects
# for another, real reason: the verdicts agree, the reasons must not.
ORACLE_BUG: dict[str, tuple[str, str]] = {
    "asyncapi/spec-examples-3.0.0/adeo-kafka-request-reply-asyncapi.yml": (
        "remote-ref",
        "the official 3.0.0 schema rejects a Kafka binding 'key: {$ref: ...}' because it "
        "matches both alternatives of its oneOf [Schema, Reference]; twinspec accepts the "
        "key and refuses the document's https:// $refs instead",
    ),
}
# AsyncAPI 1.x is not supported: twinspec refuses it as a usage error.
UNSUPPORTED = {"asyncapi/slack-events-api/slack_events_api_async_v1.json"}


@functools.cache
def _oracle() -> tuple[Registry[Any], dict[str, dict[str, Any]]]:
    """The official schemas, registered by $id so their cross-references resolve."""
    registry: Registry[Any] = Registry()
    roots: dict[str, dict[str, Any]] = {}
    for path in sorted((CORPUS / "asyncapi-schemas").glob("[23]*.json")):
        if "without" in path.name:
            continue
        schema = json.loads(path.read_text(encoding="utf-8"))
        roots[path.stem] = schema
        registry = registry.with_resource(schema["$id"], Resource.from_contents(schema))
        for sub in schema.get("definitions", {}).values():
            if isinstance(sub, dict) and "$id" in sub:
                resource = Resource.from_contents(sub, default_specification=DRAFT7)
                registry = registry.with_resource(sub["$id"], resource)
    return registry, roots


@functools.cache
def _oracle_validator(version: str) -> Draft7Validator:
    registry, roots = _oracle()
    return Draft7Validator(roots[version], registry=registry, format_checker=FormatChecker())


def oracle_valid(data: Any) -> bool:
    """The official AsyncAPI schema's verdict on ``data`` (invalid when no schema exists)."""
    version = str(data.get("asyncapi")) if isinstance(data, dict) else ""
    _, roots = _oracle()
    if version not in roots:
        return False
    return not any(True for _ in _oracle_validator(version).iter_errors(data))


def _documents(folder: str) -> list[str]:
    if not CORPUS.is_dir():
        return []
    found = []
    for path in sorted((CORPUS / folder).rglob("*")):
        if path.suffix not in (".yaml", ".yml", ".json") or not path.is_file():
            continue
        head = path.read_text(encoding="utf-8", errors="replace")[:4000]
        if "asyncapi" in head and ("asyncapi:" in head or '"asyncapi"' in head):
            found.append(path.relative_to(CORPUS).as_posix())
    return found


DOCUMENTS = _documents("asyncapi") + _documents("invalid/asyncapi")


def twinspec_errors(path: Path, *, allow_outside: bool = False) -> list[Diagnostic] | None:
    """twinspec's errors for a corpus file; None when it is refused outright (not AsyncAPI 2/3)."""
    doc, diagnostics = load_and_validate(path, allow_remote_refs=allow_outside)
    if doc is not None and doc.kind is None:
        return None
    return [d for d in diagnostics if d.severity is Severity.ERROR]


@pytest.mark.parametrize("relpath", DOCUMENTS)
def test_verdict_agrees_with_the_official_schemas(relpath: str) -> None:
    path = CORPUS / relpath
    doc, _ = load(path)
    errors = twinspec_errors(path)
    if relpath in UNSUPPORTED:
        assert errors is None, "AsyncAPI 1.x must be refused, not validated"
        return
    if doc is None:  # not even YAML: nothing for the oracle to judge
        assert errors, "an unparseable file must fail"
        return
    assert errors is not None
    oracle = oracle_valid(doc.data)
    ours = not errors
    shown = "\n".join(d.to_text() for d in errors[:10])
    if relpath in STRICTER:
        assert oracle, f"STRICTER lists {relpath}, but the oracle rejects it too: stale entry"
        assert not ours, f"STRICTER lists {relpath} ({STRICTER[relpath]}), but twinspec accepts it"
        return
    if relpath in ORACLE_BUG:
        assert not oracle, f"ORACLE_BUG lists {relpath}, but the oracle accepts it: stale entry"
        assert {d.code for d in errors} == {ORACLE_BUG[relpath][0]}, shown
        return
    if relpath in OUTSIDE_ROOT:
        assert {d.code for d in errors} == {"ref-outside-root"}, shown
        allowed = twinspec_errors(path, allow_outside=True)
        assert allowed == [], "\n".join(d.to_text() for d in allowed or [])
        assert oracle
        return
    assert ours == oracle, f"oracle says {'valid' if oracle else 'invalid'}; twinspec:\n{shown}"


# --- the mutation suite ------------------------------------------------------------


@dataclass(frozen=True)
class Mutation:
    """One systematic change to a document: what, where, and the changed data."""

    kind: str  # "remove" | "wrong-type" | "unknown-field"
    pointer: str
    data: Any


_WRONG: dict[type, Any] = {
    str: 12345,
    int: "not-a-number",
    float: "not-a-number",
    bool: "not-a-boolean",
    list: "not-a-list",
    dict: "not-an-object",
    type(None): 12345,
}
UNKNOWN_FIELD = "twinspecUnknownField"


def _replace(data: Any, path: tuple[str | int, ...], change: Any) -> Any:
    """A copy of ``data`` with the node at ``path`` changed; untouched subtrees are shared."""
    if not path:
        return change(data)
    head, rest = path[0], path[1:]
    if isinstance(data, dict):
        copy = dict(data)
        copy[head] = _replace(data[head], rest, change)
        return copy
    items = list(data)
    items[int(head)] = _replace(data[int(head)], rest, change)
    return items


def _nodes(data: Any) -> Iterator[tuple[tuple[str | int, ...], Any]]:
    stack: list[tuple[tuple[str | int, ...], Any]] = [((), data)]
    while stack:
        path, value = stack.pop()
        yield path, value
        if isinstance(value, dict):
            stack.extend(((*path, k), v) for k, v in reversed(list(value.items())))
        elif isinstance(value, list):
            stack.extend(((*path, i), v) for i, v in reversed(list(enumerate(value))))


def mutations(data: dict[str, Any]) -> Iterator[Mutation]:
    """Every mutation of ``data`` (the ``asyncapi`` version field itself is left alone)."""
    for path, value in _nodes(data):
        pointer = "".join(f"/{p}" for p in path)
        if path == ("asyncapi",):
            continue
        if isinstance(value, dict):
            if UNKNOWN_FIELD not in value:
                yield Mutation(
                    "unknown-field",
                    pointer,
                    _replace(data, path, lambda node: {**node, UNKNOWN_FIELD: "x"}),
                )
            for key in value:
                if path == () and key == "asyncapi":
                    continue
                yield Mutation(
                    "remove",
                    f"{pointer}/{key}",
                    _replace(
                        data, path, lambda node, k=key: {x: y for x, y in node.items() if x != k}
                    ),
                )
        if path:
            wrong = _WRONG.get(type(value), 12345)
            yield Mutation("wrong-type", pointer, _replace(data, path, lambda _node, w=wrong: w))


def _mutated_document(base: Document, data: Any) -> Document:
    """``base`` with new root data; the position tree of the original text is reused."""
    root = base.root
    source = Source(
        path=root.path,
        display=root.display,
        text=root.text,
        data=data,
        is_json=root.is_json,
        _tree=root._node_tree(),
    )
    files = {path: (source if src is root else src) for path, src in base.files.items()}
    kind = detect_kind(data)
    return Document(
        root=source,
        root_dir=base.root_dir,
        kind=kind if isinstance(kind, SpecKind) else None,
        files=files,
        allow_remote_refs=base.allow_remote_refs,
    )


def twinspec_mutation_errors(base: Document, data: Any) -> list[Diagnostic] | None:
    """twinspec's errors for mutated data; None when the document is refused outright."""
    doc = _mutated_document(base, data)
    if doc.kind is None or doc.kind.family != "asyncapi":
        return None
    found = [*loader_check_refs(doc), *validate(doc)]
    return [d for d in found if d.severity is Severity.ERROR]


# Codes of checks the official schemas cannot express; a mutation that only these
# reject is twinspec being stricter, not disagreeing (each has unit tests).
SEMANTIC_CODES = frozenset(
    {
        "unresolved-ref",
        "invalid-ref",
        "ref-cycle",
        "asyncapi-channel-not-in-root",
        "asyncapi-message-not-in-channel",
        "asyncapi-undeclared-parameter",
        "asyncapi-unused-parameter",
        "asyncapi-duplicate-operation-id",
        "asyncapi-duplicate-message-id",
        "asyncapi-duplicate-tag",
        "asyncapi-unknown-security-scheme",
        "asyncapi-unknown-server",
        "asyncapi-bad-runtime-expression",
        "asyncapi-undeclared-server-variable",
        "asyncapi-security-scopes-not-allowed",
        "asyncapi-bad-template",
    }
)

# Mutations where the official schema is weaker than the specification and
# twinspec's schema is right: (mutation kind, pointer regex) -> reason.
SCHEMA_STRICTER: dict[tuple[str, str], str] = {
    ("wrong-type", r"/parameters/[^/]+$"): (
        "a Parameter Object must be an object; the official parameter schema has no 'type'"
    ),
    ("unknown-field", r"/parameters$"): (
        "the added 'parameter' is a string, not a Parameter Object (same gap as above)"
    ),
    ("unknown-field", r"/(securitySchemes/[^/]+|security/\d+)$"): (
        "an oauth2 Security Scheme has fixed fields; the official oauth2Flows schema "
        "forgets additionalProperties: false"
    ),
    ("wrong-type", r"/bindings/[a-z0-9]+$"): (
        "a protocol's binding must be an object; the official schemas accept any value "
        "for protocols they have no binding schema for"
    ),
}

# A deterministic sample keeps the suite near a minute; TWINSPEC_MUTATIONS=all runs
# every mutation of every document (about 40,000; slow, for a local check).
MUTATIONS_PER_DOCUMENT = int(os.environ.get("TWINSPEC_MUTATIONS", "30").replace("all", "0"))
MAX_MUTATION_DOCUMENT_BYTES = 100_000


def _mutation_bases() -> list[str]:
    return [
        r
        for r in DOCUMENTS
        if r.startswith("asyncapi/")
        and r not in UNSUPPORTED
        and (CORPUS / r).stat().st_size <= MAX_MUTATION_DOCUMENT_BYTES
    ]


def test_mutations_agree_with_the_official_schemas() -> None:
    tally: Counter[str] = Counter()
    disagreements: list[str] = []
    for relpath in _mutation_bases():
        path = CORPUS / relpath
        base, _ = load(path, allow_remote_refs=relpath in OUTSIDE_ROOT)
        assert base is not None and isinstance(base.data, dict)
        baseline = twinspec_mutation_errors(base, base.data)
        if baseline or not oracle_valid(base.data):
            continue  # only documents both call valid tell us something when mutated
        candidates = list(mutations(base.data))
        rng = random.Random(relpath)
        wanted = MUTATIONS_PER_DOCUMENT or len(candidates)
        sample = rng.sample(candidates, min(wanted, len(candidates)))
        for mutation in sample:
            tally["mutations"] += 1
            oracle = oracle_valid(mutation.data)
            errors = twinspec_mutation_errors(base, mutation.data)
            ours = errors == []
            if not oracle:
                tally["oracle rejects"] += 1
            if ours == oracle:
                tally["agreed"] += 1
                continue
            codes = {d.code for d in errors or []}
            if not ours and oracle and codes and codes <= SEMANTIC_CODES:
                tally["stricter (semantic rule)"] += 1
                continue
            reason = next(
                (
                    why
                    for (kind, pattern), why in SCHEMA_STRICTER.items()
                    if kind == mutation.kind and re.search(pattern, mutation.pointer)
                ),
                None,
            )
            if reason is not None and not ours:
                tally["stricter (listed)"] += 1
                continue
            shown = "; ".join(d.to_text() for d in (errors or [])[:3]) or "refused"
            disagreements.append(
                f"{relpath} {mutation.kind} {mutation.pointer}: oracle "
                f"{'valid' if oracle else 'invalid'}, twinspec {'valid' if ours else shown}"
            )
    summary = ", ".join(f"{k}: {v}" for k, v in sorted(tally.items()))
    print(f"\nAsyncAPI mutation suite: {summary}, disagreements: {len(disagreements)}")
    assert tally["mutations"] >= 500, summary
    assert not disagreements, f"{summary}\n" + "\n".join(disagreements[:200])


# --- every invalid document fails, located at the offending node -------------------

W = "invalid/asyncapi/parser-js-v1-wrong/test/wrong/"
INVALID_LOCATIONS: dict[str, tuple[int, int, str]] = {
    "invalid/asyncapi/asyncapi-cli/specification-invalid.yml": (4, 1, "schema-unknown-field"),
    W + "good-ref-to-broken-file.yaml": (9, 9, "unresolved-ref"),
    W + "inexisting-http-ref.yaml": (9, 9, "remote-ref"),
    W + "inexisting-local-ref.yaml": (9, 9, "unresolved-ref"),
    W + "inexisting-root-ref.yaml": (9, 9, "ref-outside-root"),
    W + "invalid-asyncapi-messages-example.yml": (22, 13, "schema-missing-field"),
    W + "invalid-asyncapi-root-with-duplicate-tags.yaml": (6, 5, "asyncapi-duplicate-tag"),
    W + "invalid-asyncapi-with-ref-with-line-break.yaml": (67, 9, "invalid-ref"),
    W + "invalid-asyncapi.json": (3, 2, "schema-missing-field"),
    W + "invalid-asyncapi.yaml": (15, 1, "schema-unknown-field"),
    W + "invalid-message-traits-with-duplicate-tags.yaml": (20, 11, "asyncapi-duplicate-tag"),
    W + "invalid-message-with-duplicate-tags.yaml": (15, 13, "asyncapi-duplicate-tag"),
    W + "invalid-operation-traits-with-duplicate-tags.yaml": (26, 11, "asyncapi-duplicate-tag"),
    W + "invalid-operation-with-duplicate-tags.yaml": (23, 11, "asyncapi-duplicate-tag"),
    W + "invalid-operation-with-oneof-and-duplicate-tags.yaml": (21, 17, "asyncapi-duplicate-tag"),
    W + "invalid-payload-asyncapi-format.json": (13, 13, "schema-wrong-type"),
    W + "malformed-asyncapi.yaml": (19, 11, "yaml-syntax"),
}


def test_every_invalid_document_is_listed() -> None:
    invalid = {r for r in DOCUMENTS if r.startswith("invalid/")}
    assert invalid == set(INVALID_LOCATIONS)


@pytest.mark.parametrize("relpath", sorted(INVALID_LOCATIONS))
def test_invalid_document_fails_at_the_offending_node(relpath: str) -> None:
    errors = twinspec_errors(CORPUS / relpath)
    assert errors, "an invalid document must fail"
    found = {(d.line, d.column, d.code) for d in errors if d.file.endswith(Path(relpath).name)}
    assert INVALID_LOCATIONS[relpath] in found, "\n".join(d.to_text() for d in errors)
