"""Over the AsyncAPI corpus: what the generated app really puts on the wire validates.

The demo (``--demo``) and ``POST /_twinspec/emit/<op>`` publish
``MessageType.dump(MessageType.example())``: the example after the generated
pydantic model read and wrote it. Every document's stream-server is generated,
a subprocess imports each ``messages`` module and dumps every message's example,
and each dumped payload is validated with plain ``jsonschema`` against the
payload schema the IR names (draft 7, formats asserted).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from generator.drive.spec import plan_target
from generator.load import load
from generator.translate.stream_ir import translate_server
from tests.shared_corpus import CORPUS, needs_corpus
from tests.types.corpus_support import corpus_documents
from tests.wire.examples_support import Served, errors, stream_validator

pytestmark = [needs_corpus, pytest.mark.slow, pytest.mark.timeout(600)]

DUMP_ALL = """
import importlib, json, sys
from pathlib import Path
for project in sorted(Path(sys.argv[1]).iterdir()):
    sys.path.insert(0, str(project))
    messages = importlib.import_module(f"{project.name}.messages")
    for value in vars(messages).values():
        if isinstance(value, messages.MessageType):
            try:
                data = value.dump(value.example())
            except Exception as exc:
                data = {"__failed__": f"{type(exc).__name__}: {exc}"[:300]}
            print(json.dumps({"package": project.name, "key": value.key, "data": data}))
"""


def test_every_emitted_message_validates(tmp_path: Path) -> None:
    documents = [r for r in corpus_documents(CORPUS) if r.startswith("asyncapi/")]
    schemas: dict[tuple[str, str], Served] = {}
    validators = {}
    for i, rel in enumerate(documents):
        doc, _ = load(CORPUS / rel)
        if doc is None:
            continue
        package = f"emit{i:03d}"
        plan, _ = plan_target(CORPUS / rel, "stream-server", package=package, allow_invalid=True)
        if plan is None:
            continue
        for item in plan.files:
            target = tmp_path / package / item.path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(item.content, encoding="utf-8")
        ir, _ = translate_server(doc, package)
        by_display = {s.display: s for s in (doc.root, *doc.files.values())}
        validators[package] = stream_validator(doc)
        for message in ir.api.messages:
            if message.payload_schema:
                display, _, pointer = message.payload_schema.partition("#")
                uri = by_display[display].path.resolve().as_uri()
                schemas[(package, message.key)] = Served(f"{rel} {message.key}", None, pointer, uri)
    result = subprocess.run(
        [sys.executable, "-c", DUMP_ALL, str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-4000:]
    failures: list[str] = []
    checked = 0
    for line in result.stdout.splitlines():
        row = json.loads(line)
        where = schemas.get((row["package"], row["key"]))
        if where is None:
            continue  # raw (unmodelled) payloads
        if isinstance(row["data"], dict) and "__failed__" in row["data"]:
            failures.append(f"{where.label}: example() failed: {row['data']['__failed__']}")
            continue
        served = Served(where.label, row["data"], where.pointer, where.uri)
        problems = errors(validators[row["package"]], served)
        checked += 1
        if problems:
            failures.append(f"{where.label}: {problems[0]} in {json.dumps(row['data'])[:200]}")
    print({"documents": len(validators), "emitted messages checked": checked})
    assert checked > 300
    assert not failures, f"{len(failures)} invalid:\n" + "\n".join(failures[:30])
