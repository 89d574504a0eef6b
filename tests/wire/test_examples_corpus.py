"""Over the whole corpus: every example served or emitted validates, by plain ``jsonschema``.

For each corpus OpenAPI document, the success example of every operation (what the
generated server's default handlers answer) is validated against its response schema
in the bundled spec the server serves at ``/openapi.json``; for each AsyncAPI document,
every example payload of every message (what ``--demo`` and ``POST /_twinspec/emit/<op>``
publish) against its payload schema. ``-s`` prints the counts: examples checked, spec
examples replaced, and those written as JSON text and served parsed (each an
``example-invalid`` warning).
"""

from __future__ import annotations

import collections

import pytest

from generator.load import load
from generator.translate.rest_ir import translate_rest
from generator.translate.stream_ir import translate_server
from tests.shared_corpus import CORPUS, needs_corpus
from tests.types.corpus_support import corpus_documents
from tests.wire.examples_support import (
    errors,
    rest_examples,
    rest_validator,
    stream_examples,
    stream_validator,
)

pytestmark = [needs_corpus, pytest.mark.slow, pytest.mark.timeout(600)]


def test_every_served_and_emitted_example_validates() -> None:
    tally: collections.Counter[str] = collections.Counter()
    failures: list[str] = []
    for rel in corpus_documents(CORPUS):
        doc, _ = load(CORPUS / rel)
        if doc is None or doc.kind is None:
            continue
        if doc.kind.family == "openapi":
            ir, found = translate_rest(doc)
            validator = rest_validator(ir, doc.kind.major_minor)
            served = list(rest_examples(ir, doc.kind.major_minor))
        else:
            sir, found = translate_server(doc, None)
            validator = stream_validator(doc)
            served = list(stream_examples(sir.api, doc))
        tally[f"{doc.kind.family} documents"] += 1
        tally[f"{doc.kind.family} examples checked"] += len(served)
        invalid = [d for d in found if d.code == "example-invalid"]
        parsed = sum("JSON text" in d.message for d in invalid)
        tally["spec examples invalid, replaced (example-invalid)"] += len(invalid) - parsed
        tally["spec examples written as JSON text, served parsed"] += parsed
        tally["example-unsatisfiable"] += sum(d.code == "example-unsatisfiable" for d in found)
        for item in served:
            problems = errors(validator, item)
            if problems is None:
                tally["not checkable by jsonschema"] += 1
            elif problems:
                failures.append(f"{rel}: {item.label}: {problems[0]}")
    print(dict(tally))
    assert tally["openapi examples checked"] > 4000
    assert tally["asyncapi examples checked"] > 400
    assert tally["not checkable by jsonschema"] < 50
    assert not failures, f"{len(failures)} invalid:\n" + "\n".join(failures[:30])
    assert tally["example-unsatisfiable"] == 0
