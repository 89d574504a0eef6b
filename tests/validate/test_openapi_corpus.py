"""twinspec's OpenAPI verdicts on real specs, against openapi-spec-validator's.

Every top-level OpenAPI document listed in the corpus's SOURCES.md is validated
by both; the verdicts (valid / invalid) must agree except for the cases in
``TWINSPEC_DIFFERS``, each with its reason. Every document under
``invalid/openapi`` must fail with an error at the node that is wrong.
"""

from __future__ import annotations

import functools
from typing import Literal

import pytest
from shared_corpus import CORPUS, needs_corpus

from generator.diagnostics import Diagnostic, Severity, has_errors
from generator.drive.spec import load_and_validate

Verdict = Literal["valid", "invalid", "crash"]

pytestmark = needs_corpus

SEPARATE = "refs like '../common/Error.yaml' leave the spec's folder, which twinspec refuses by default (it accepts them under --allow-remote-refs; see the test below)"
TWINSPEC_DIFFERS: dict[str, tuple[Verdict, Verdict, str]] = {
    # document: (oracle, twinspec, why twinspec is right)
    "openapi/oai-examples/v2.0/json/petstore-separate/spec/swagger.json": (
        "valid",
        "invalid",
        SEPARATE,
    ),
    "openapi/oai-examples/v2.0/yaml/petstore-separate/spec/swagger.yaml": (
        "valid",
        "invalid",
        SEPARATE,
    ),
    "openapi/osv-testdata-3.0/petstore-separate/spec/openapi.yaml": ("valid", "invalid", SEPARATE),
    "openapi/oai-schema-tests-3.1-pass/security-scheme-object-examples.yaml": (
        "valid",
        "invalid",
        "a $ref to https://example.com/...: twinspec never fetches the network; the oracle"
        " passes only because it never follows refs inside securitySchemes",
    ),
    "openapi/jira-apisguru/openapi.yaml": (
        "crash",
        "valid",
        "the oracle's YAML 1.1 loader fails on `- =` in an enum; YAML 1.2 (what OpenAPI"
        " uses, and the JavaScript loaders) reads the string '=', with a warning here",
    ),
}


def documents() -> list[str]:
    """Top-level OpenAPI documents, as SOURCES.md lists them."""
    sources = CORPUS / "SOURCES.md"
    if not sources.is_file():
        return []
    rows = sources.read_text(encoding="utf-8").splitlines()
    return [row.split("|")[1].strip() for row in rows if row.startswith("| openapi/")]


@functools.cache
def oracle(document: str) -> Verdict:
    """openapi-spec-validator's verdict, as its CLI gives it (first error, own file reading)."""
    from jsonschema.exceptions import ValidationError
    from openapi_spec_validator import validate
    from openapi_spec_validator.readers import read_from_filename
    from referencing.exceptions import Unresolvable

    try:
        spec, base_uri = read_from_filename(str(CORPUS / document))
        validate(spec, base_uri=base_uri)
    except (ValidationError, Unresolvable):
        return "invalid"
    except Exception:
        return "crash"
    return "valid"


@functools.cache
def twinspec(document: str, allow_remote_refs: bool = False) -> list[Diagnostic]:
    _, found = load_and_validate(CORPUS / document, allow_remote_refs=allow_remote_refs)
    return found


def verdict(found: list[Diagnostic]) -> Verdict:
    return "invalid" if has_errors(found) else "valid"


@pytest.mark.parametrize("document", documents())
def test_verdict_agrees_with_openapi_spec_validator(document: str) -> None:
    ours = verdict(twinspec(document))
    if document in TWINSPEC_DIFFERS:
        theirs, expected, _ = TWINSPEC_DIFFERS[document]
        assert (oracle(document), ours) == (theirs, expected)
    else:
        assert ours == oracle(document), [d.to_text() for d in twinspec(document)][:5]


def test_the_list_of_differences_names_real_documents() -> None:
    assert set(TWINSPEC_DIFFERS) <= set(documents())
    assert len(documents()) > 80


def test_refs_leaving_the_folder_are_allowed_on_request() -> None:
    for document, (_, _, reason) in TWINSPEC_DIFFERS.items():
        if reason is SEPARATE:
            assert {d.code for d in twinspec(document) if d.severity is Severity.ERROR} == {
                "ref-outside-root"
            }
            assert verdict(twinspec(document, allow_remote_refs=True)) == "valid"


# invalid/openapi: file -> (code, line, column) of an error at the offending node.
INVALID = {
    "oai-schema-tests-3.1-fail/example-examples.yaml": ("example-and-examples", 15, 7),
    "oai-schema-tests-3.1-fail/header-object-allowReserved.yaml": (
        "schema-unknown-field",
        12,
        7,
    ),
    "oai-schema-tests-3.1-fail/invalid_schema_types.yaml": ("schema-wrong-type", 10, 5),
    "oai-schema-tests-3.1-fail/link-object-no-body.yaml": ("link-unknown-field", 10, 7),
    "oai-schema-tests-3.1-fail/no_containers.yaml": ("schema-missing-field", 1, 1),
    "oai-schema-tests-3.1-fail/parameter-object-cookie-form-allowReserved.yaml": (
        "schema-invalid-value",
        16,
        7,
    ),
    "oai-schema-tests-3.1-fail/parameter-object-header-allowReserved.yaml": (
        "schema-unknown-field",
        10,
        7,
    ),
    "oai-schema-tests-3.1-fail/parameter-object-path-allowReserved.yaml": (
        "schema-unknown-field",
        10,
        7,
    ),
    "oai-schema-tests-3.1-fail/server_enum_empty.yaml": ("schema-constraint", 13, 9),
    "oai-schema-tests-3.1-fail/servers.yaml": ("schema-wrong-type", 9, 1),
    "oai-schema-tests-3.1-fail/unknown_container.yaml": ("schema-unknown-field", 8, 1),
    "openapi-spec-validator/v2.0/empty.yaml": ("schema-missing-field", 1, 1),
    "openapi-spec-validator/v2.0/missing-reference.yaml": ("unresolved-ref", 37, 13),
    "openapi-spec-validator/v3.0/empty.yaml": ("schema-missing-field", 1, 1),
    "openapi-spec-validator/v3.0/missing-description.yaml": ("schema-missing-field", 14, 9),
    "openapi-spec-validator/v3.0/property-missing-reference.yaml": ("unresolved-ref", 14, 11),
}
STRICTER_THAN_ORACLE = {
    "oai-schema-tests-3.1-fail/example-examples.yaml": "OAS 3.1 says 'example' and 'examples'"
    " are mutually exclusive (MUST); the oracle's schema does not encode it",
    "oai-schema-tests-3.1-fail/link-object-no-body.yaml": "a Link Object has no 'body' field;"
    " the oracle's 3.1 schema still allows the old misspelling",
}
NOT_AN_API_DOCUMENT = "openapi-spec-validator/empty.yaml"  # `{}`: twinspec exits 2, see CLI tests


def test_every_invalid_document_is_listed() -> None:
    folder = CORPUS / "invalid" / "openapi"
    present = {str(p.relative_to(folder)) for p in folder.rglob("*.yaml")}
    assert present == {*INVALID, NOT_AN_API_DOCUMENT}


@pytest.mark.parametrize("name", sorted(INVALID))
def test_invalid_documents_fail_at_the_offending_node(name: str) -> None:
    found = twinspec(f"invalid/openapi/{name}")
    errors = [(d.code, d.line, d.column) for d in found if d.severity is Severity.ERROR]
    assert INVALID[name] in errors
    if name in STRICTER_THAN_ORACLE:
        assert oracle(f"invalid/openapi/{name}") == "valid"
