"""Build, render and import a models.py from an inline spec, for the type-model tests."""

from __future__ import annotations

import importlib.util
import itertools
import sys
import textwrap
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

from corpus_support import component_schemas, dialect_of

from generator.diagnostics import Diagnostic
from generator.ir.schema import TypeModel, TypeRef
from generator.load import load
from generator.render.env import RenderItem, make_environment, render_plan
from generator.translate.examples import example_value
from generator.translate.schema import TypeModelBuilder

_COUNTER = itertools.count()


@dataclass
class Built:
    """What one inline spec produced."""

    module: ModuleType
    types: TypeModel
    refs: dict[str, TypeRef]
    examples: dict[str, Any]
    diagnostics: list[Diagnostic]
    source: str
    path: Path


def render_models(types: TypeModel, label: str = "spec.yaml") -> str:
    """models.py text for ``types``."""
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
    return plan.files[0].content


def import_file(path: Path) -> ModuleType:
    """Import ``path`` under a unique module name."""
    name = f"twinspec_models_{next(_COUNTER)}"
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def build(tmp_path: Path, spec: str, *, files: dict[str, str] | None = None) -> Built:
    """Write ``spec`` (and extra ``files``), build every component, render and import."""
    folder = tmp_path / f"spec{next(_COUNTER)}"
    folder.mkdir()
    for name, text in (files or {}).items():
        (folder / name).write_text(textwrap.dedent(text), encoding="utf-8")
    path = folder / "spec.yaml"
    path.write_text(textwrap.dedent(spec), encoding="utf-8")
    doc, diagnostics = load(path)
    assert doc is not None and doc.kind is not None, diagnostics
    builder = TypeModelBuilder(doc, dialect=dialect_of(doc))
    refs: dict[str, TypeRef] = {}
    examples: dict[str, Any] = {}
    for name, schema, source, pointer in component_schemas(doc):
        refs[name] = builder.add_component(name, schema, source, pointer)
        examples[name] = example_value(doc, schema, source, pointer)
    types = builder.finish()
    text = render_models(types)
    out = folder / "models.py"
    out.write_text(text, encoding="utf-8")
    return Built(import_file(out), types, refs, examples, builder.diagnostics, text, out)
