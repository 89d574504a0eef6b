"""The HTTP builder's view of the shared type model.

``TypeSink`` registers the document's component schemas with
``generator.translate.schema.TypeModelBuilder`` and hands the builder ``TypeRef``s
whose annotations name models as ``models.X``. Routers and clients import the
models module under that one name, so a schema called ``Request``,
``Depends`` or ``Client`` can never shadow what generated code imports.
"""

from __future__ import annotations

import ast
import keyword
from functools import lru_cache
from typing import Any

from generator.diagnostics import Diagnostic, escape_pointer
from generator.ir.schema import Import, TypeKind, TypeModel, TypeRef
from generator.load import Document
from generator.load.document import Source
from generator.translate.examples import Candidate, example_conforms, synthesize, vet
from generator.translate.schema import Dialect, TypeModelBuilder

__all__ = ["MODELS", "TypeSink"]

MODELS = "models"
"""The name generated modules import the models module as."""

_PLAIN: dict[str, TypeRef] = {
    "str": TypeRef(kind=TypeKind.PRIMITIVE, annotation="str"),
    "bytes": TypeRef(kind=TypeKind.PRIMITIVE, annotation="bytes", format="binary"),
    "None": TypeRef(kind=TypeKind.NONE, annotation="None"),
    "Any": TypeRef(
        kind=TypeKind.ANY, annotation="Any", imports=(Import(module="typing", name="Any"),)
    ),
    "dict[str, Any]": TypeRef(
        kind=TypeKind.DICT,
        annotation="dict[str, Any]",
        imports=(Import(module="typing", name="Any"),),
    ),
}


class _Qualify(ast.NodeTransformer):
    def __init__(self, names: frozenset[str]) -> None:
        self.names = names

    def visit_Name(self, node: ast.Name) -> ast.AST:
        if node.id in self.names:
            return ast.copy_location(
                ast.Attribute(
                    value=ast.Name(id=MODELS, ctx=ast.Load()), attr=node.id, ctx=ast.Load()
                ),
                node,
            )
        return node


def qualify(ref: TypeRef) -> TypeRef:
    """``ref`` with every name declared in models.py written as ``models.Name``."""
    if not ref.declarations:
        return ref
    if ref.declarations == (ref.annotation,) and _plain_name(ref.annotation):
        # a model or enum named alone (most body and response types): what the parse gives
        return ref.written_as(f"{MODELS}.{ref.annotation}")
    return ref.written_as(_qualified(ref.annotation, frozenset(ref.declarations)))


def _plain_name(text: str) -> bool:
    """Whether ``text`` parses to a name, written as it is (ASCII: no normalising)."""
    return text.isascii() and text.isidentifier() and not keyword.iskeyword(text)


@lru_cache(maxsize=4096)
def _qualified(annotation: str, names: frozenset[str]) -> str:
    """``annotation`` with ``names`` as ``models.X``: memoised, since operations share types."""
    tree = ast.parse(annotation, mode="eval")
    return ast.unparse(_Qualify(names).visit(tree))


class TypeSink:
    """Schemas in, ``TypeRef``s and examples out; ``finish()`` gives the model for rendering."""

    def __init__(self, doc: Document) -> None:
        """Register every component schema of ``doc`` (3.x ``components`` or 2.0 ``definitions``)."""
        self.doc = doc
        version = doc.kind.major_minor if doc.kind is not None else "3.0"
        dialect: Dialect = {"2.0": "swagger2", "3.0": "oas30"}.get(version, "oas31")  # type: ignore[assignment]
        self.builder = TypeModelBuilder(doc, dialect=dialect)
        data = doc.data if isinstance(doc.data, dict) else {}
        components = data.get("components")
        schemas = components.get("schemas") if isinstance(components, dict) else None
        if isinstance(schemas, dict):
            for name in schemas:
                self.builder.add_component(
                    name, schemas[name], doc.root, "/components/schemas/" + escape_pointer(name)
                )
        definitions = data.get("definitions")
        if isinstance(definitions, dict):
            for name in definitions:
                self.builder.add_component(
                    name, definitions[name], doc.root, "/definitions/" + escape_pointer(name)
                )
        self._model: TypeModel | None = None
        self._examples: dict[tuple[int, int, str], tuple[object, object]] = {}
        self._example_diagnostics: list[Diagnostic] = []
        self._vetted: dict[object, tuple[object, object, list[object], list[Diagnostic]]] = {}

    def plain(self, annotation: str) -> TypeRef:
        """A built-in type: ``str``, ``bytes``, ``None``, ``Any`` or ``dict[str, Any]``."""
        return _PLAIN[annotation]

    def type_for(self, schema: Any, source: Source, pointer: str, hint: str) -> TypeRef:
        """The type of ``schema`` found at ``pointer`` in ``source``; inline models named from ``hint``."""
        return qualify(self.builder.type_for(schema, source, pointer, hint))

    def example(self, schema: Any, source: Source, pointer: str) -> object:
        """An example value valid for ``schema`` (synthesised from it).

        Memoised by the schema its ``$ref`` chain ends at: at the top of a
        synthesis (depth 0, nothing on the recursion stack) the value depends on
        that schema and its location alone, and operations share response
        schemas. The entry keeps the schema alive, so its ``id`` stays unique.
        """
        found = self.builder.doc.refs.follow(schema, source, pointer)
        if found is None:
            return self._synthesize(schema, source, pointer)
        key = (id(found.value), id(found.source), found.pointer)
        if key not in self._examples:
            made = self._synthesize(schema, source, pointer)
            self._examples[key] = (found.value, made)
        return self._examples[key][1]

    def _synthesize(self, schema: Any, source: Source, pointer: str) -> object:
        made = synthesize(self.builder, schema, source, pointer)
        self._example_diagnostics.extend(made.diagnostics)
        return made.value

    def vet(
        self, candidates: list[Candidate], schema: Any, source: Source, pointer: str
    ) -> list[object]:
        """The spec-given examples valid for ``schema``; the invalid ones are warned about.

        Memoised by the candidates (value and place) and the schema their ``$ref``
        chain ends at: responses shared by operations offer the same examples again.
        The entry keeps the values alive, so their ``id``s stay unique.
        """
        target = self.builder.doc.refs.follow(schema, source, pointer)
        if target is None:
            kept, found = vet(self.builder, candidates, schema, source, pointer)
            self._example_diagnostics.extend(found)
            return kept
        key = (
            tuple((id(c.value), id(c.source), c.pointer) for c in candidates),
            id(target.value),
            id(target.source),
            target.pointer,
        )
        if key not in self._vetted:
            kept, found = vet(self.builder, candidates, schema, source, pointer)
            self._vetted[key] = (candidates, target.value, kept, found)
        _, _, kept, found = self._vetted[key]
        self._example_diagnostics.extend(found)
        return list(kept)

    def conforms(self, value: object, schema: Any, source: Source, pointer: str) -> bool:
        """Whether a spec-given example validates against the model made for ``schema``."""
        return example_conforms(self.builder, value, schema, source, pointer)

    def footprint(self) -> tuple[object, ...]:
        """What the model and the example checks hold: unchanged by a translation that declared,
        named and warned about nothing (so its result depends on the content it read alone)."""
        return (*self.builder.footprint(), len(self._example_diagnostics))

    def diagnostics(self) -> list[Diagnostic]:
        """What the type model could not make sense of, and the examples that do not validate."""
        return [*self.builder.diagnostics, *self._example_diagnostics]

    def finish(self) -> TypeModel:
        """The finished type model, for ``_common/models.py.jinja``."""
        if self._model is None:
            self._model = self.builder.finish()
        return self._model
