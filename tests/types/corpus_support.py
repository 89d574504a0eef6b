"""Helpers for the corpus-wide type-model tests: find documents, build and render models."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from generator.diagnostics import Diagnostic
from generator.ir.schema import TypeKind
from generator.load import Document, Source, load
from generator.render.env import RenderItem, make_environment, render_plan
from generator.translate.examples import example_value
from generator.translate.schema import Dialect, TypeModelBuilder

SUPPORTED = re.compile(r"^(2\.0|3\.[0-9](\.[0-9]+)?|2\.[0-6]\.[0-9])$")
_ROW = re.compile(r"^\| ((?:openapi|asyncapi)/[^ |]+) \|(?:[^|]*\|){4} ([^ |]+) \|")


def corpus_documents(corpus: Path) -> list[str]:
    """Relative paths of every OpenAPI/AsyncAPI document SOURCES.md lists, in a version we read."""
    found: list[str] = []
    for line in (corpus / "SOURCES.md").read_text(encoding="utf-8").splitlines():
        match = _ROW.match(line)
        if match and SUPPORTED.match(match.group(2)):
            found.append(match.group(1))
    return sorted(found)


def dialect_of(doc: Document) -> Dialect:
    """The schema dialect a document's kind implies."""
    assert doc.kind is not None
    if doc.kind.family == "asyncapi":
        return "asyncapi3" if doc.kind.major_minor.startswith("3") else "asyncapi2"
    return {"2.0": "swagger2", "3.0": "oas30"}.get(doc.kind.major_minor, "oas31")  # type: ignore[return-value]


def _escape(token: str) -> str:
    return token.replace("~", "~0").replace("/", "~1")


def component_schemas(doc: Document) -> list[tuple[str, Any, Source, str]]:
    """(name, schema, source, pointer) of every named schema and message payload."""
    data = doc.data if isinstance(doc.data, dict) else {}
    out: list[tuple[str, Any, Source, str]] = []
    comps = data.get("components") if isinstance(data.get("components"), dict) else {}
    for base, table in (
        ("/components/schemas", comps.get("schemas")),
        ("/definitions", data.get("definitions")),
    ):
        if isinstance(table, dict):
            out += [(str(n), s, doc.root, f"{base}/{_escape(str(n))}") for n, s in table.items()]
    messages = comps.get("messages") if doc.kind and doc.kind.family == "asyncapi" else None
    if isinstance(messages, dict):
        for name, message in messages.items():
            if not isinstance(message, dict) or "payload" not in message:
                continue
            payload, pointer = (
                message["payload"],
                f"/components/messages/{_escape(str(name))}/payload",
            )
            fmt = str(message.get("schemaFormat", ""))
            if isinstance(payload, dict) and "schemaFormat" in payload and "schema" in payload:
                fmt, payload, pointer = (
                    str(payload["schemaFormat"]),
                    payload["schema"],
                    pointer + "/schema",
                )
            if fmt and "json" not in fmt and "openapi" not in fmt and "asyncapi" not in fmt:
                continue
            out.append((f"{name}Payload", payload, doc.root, pointer))
    return out


@dataclass(frozen=True)
class BuiltModule:
    """models.py text, the (annotation, example) pairs to check, and the builder's warnings."""

    source: str
    checks: list[tuple[str, object]]
    diagnostics: list[Diagnostic]
    declarations: int


def build_module(path: Path, label: str) -> BuiltModule:
    """Load ``path``, declare its component schemas, render models.py, and make examples."""
    doc, _ = load(path)
    assert doc is not None and doc.kind is not None, f"{path} does not load"
    builder = TypeModelBuilder(doc, dialect=dialect_of(doc))
    checks: list[tuple[str, object]] = []
    for name, schema, source, pointer in component_schemas(doc):
        ref = builder.add_component(name, schema, source, pointer)
        if ref.kind is not TypeKind.ANY:
            checks.append((ref.annotation, example_value(doc, schema, source, pointer)))
    types = builder.finish()
    plan = render_plan(
        "types",
        make_environment("rest-server"),
        [
            RenderItem(
                template="_common/models.py.jinja",
                path="models.py",
                context={"types": types, "spec_label": label, "target": "types"},
            )
        ],
    )
    return BuiltModule(
        source=plan.files[0].content,
        checks=checks,
        diagnostics=list(builder.diagnostics),
        declarations=len(types.declarations),
    )


def write_module(built: BuiltModule, folder: Path) -> None:
    """Write models.py and checks.json into ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "models.py").write_text(built.source, encoding="utf-8")
    (folder / "checks.json").write_text(json.dumps(built.checks), encoding="utf-8")
