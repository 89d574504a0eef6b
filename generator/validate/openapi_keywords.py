"""openapi-spec-validator's own checks, walked over the data the loader read.

Beyond its JSON Schema, openapi-spec-validator 0.9 checks: duplicate tag names
(and, in 3.2, tag parents), duplicate parameters, duplicate operationIds, path
parameters against the path template, each schema against its meta-schema,
``required`` naming properties an ``allOf`` never defines, and ``default`` values
against their schemas. It walks the document with jsonschema-path, which
resolves every step anew -- two thirds of the time on a large valid spec. This
is the same walk, in the same order and with the same messages, over plain
dicts: each ``$ref`` is followed once (``RefFollower``), jsonschema-rs answers
"valid" for the meta-schema checks, and only a failure goes to the oracle's own
Python validators (openapi-schema-validator), which word it.
``tests/validate/test_openapi_keywords.py`` runs openapi-spec-validator's walk
itself and holds both equal, error for error, on the corpus.

The walk over the document is ``openapi_keyword_walk.KeywordWalk``; this module
holds what it finds (``KeywordError``) and the value checks it calls (meta-schema,
``default``).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from generator.load import Document, Source
from generator.load.nodes import Node
from generator.validate.oas_import import oas_package

__all__ = ["KeywordError", "keyword_errors"]


@dataclass(frozen=True, slots=True)
class KeywordError:
    """One finding, named as openapi-spec-validator names it.

    ``kind`` is its error class (``DuplicateOperationIDError``...), ``node`` the
    object the check stood on, ``inner`` the path below it (into a schema or a
    default value), ``check`` "meta-schema" or "default" for those two checks.
    """

    kind: str
    message: str
    node: Node
    inner: tuple[str | int, ...] = ()
    check: str = ""


def keyword_errors(doc: Document, version: str) -> Iterator[KeywordError]:
    """Every finding of openapi-spec-validator's checks for ``version`` ("2.0"..."3.2")."""
    from generator.validate.openapi_keyword_walk import KeywordWalk

    return KeywordWalk(doc, version).root(Node(doc.data, doc.root, ""))


class _ValueChecks:
    """Meta-schema and default-value checks: jsonschema-rs says "valid", Python words failures."""

    def __init__(self, doc: Document, version: str) -> None:
        self.doc = doc
        self.version = version
        self._registry: Any = None
        self._uris: dict[int, str] = {}

    @functools.cached_property
    def _oracle(self) -> tuple[Any, Any]:
        """The oracle's value validator class and format checker for the version.

        Imported on first need only: openapi-schema-validator costs ~0.1-0.2 CPU-s
        to import (pydantic-settings), which a spec with valid schemas and no
        ``default`` never needs.
        """
        oas_package()  # without pydantic-settings: see oas_import
        from openapi_schema_validator import (
            OAS30Validator,
            OAS31Validator,
            OAS32Validator,
            oas30_format_checker,
            oas31_format_checker,
            oas32_format_checker,
        )

        return {
            "2.0": (OAS30Validator, oas30_format_checker),
            "3.0": (OAS30Validator, oas30_format_checker),
            "3.1": (OAS31Validator, oas31_format_checker),
            "3.2": (OAS32Validator, oas32_format_checker),
        }[self.version]

    def meta(self, node: Node) -> KeywordError | None:
        """The oracle's meta-schema finding for the schema at ``node``, or ``None``.

        The oracle raises the first error its validator yields, and which comes
        first can hang on string hashing (jsonschema walks extra properties as a
        set). Here every error is gathered and the one earliest in the document
        is kept, so a run reports the same problem whatever the hash seed.
        """
        if self.version in ("2.0", "3.0") and _draft4_valid_fast(node.value):
            return None  # OAS30Validator's meta-schema is draft-04's: no import needed
        try:
            checker_cls, format_checker = self._meta_checker(node.value)
        except ValueError as exc:
            return KeywordError("OpenAPIValidationError", str(exc), node, check="meta-schema")
        if _meta_valid_fast(checker_cls, node.value):
            return None
        errors = list(_meta_validator(checker_cls, format_checker).iter_errors(node.value))
        if not errors:
            return None
        first = min(errors, key=lambda e: _document_order(node.value, e.absolute_path))
        inner = tuple(first.absolute_path)
        return KeywordError("OpenAPIValidationError", first.message, node, inner, "meta-schema")

    def _meta_checker(self, value: Any) -> tuple[Any, Any]:
        """The validator class (and format checker) the oracle checks ``value`` with."""
        if self.version in ("2.0", "3.0"):
            return self._oracle[0], None
        from jsonschema.validators import validator_for

        oas_package()  # without pydantic-settings: see oas_import
        from openapi_schema_validator import OAS31_BASE_DIALECT_ID, OAS32_BASE_DIALECT_ID

        if isinstance(value, dict) and "$schema" in value:
            dialect = value["$schema"]
            if not isinstance(dialect, str):
                raise ValueError(f"Unknown JSON Schema dialect: {dialect!r}")
        else:
            fallback = OAS32_BASE_DIALECT_ID if self.version == "3.2" else OAS31_BASE_DIALECT_ID
            declared = self.doc.data.get("jsonSchemaDialect")
            dialect = declared if isinstance(declared, str) else fallback
        lookup: Any = validator_for  # typed as never answering None, which it does
        checker_cls = lookup({"$schema": dialect}, default=None)
        if checker_cls is None:
            raise ValueError(f"Unknown JSON Schema dialect: {dialect!r}")
        return checker_cls, self._oracle[1]

    def default(self, node: Node, value: Any) -> Iterator[KeywordError]:
        """The oracle's findings for ``value`` as the default of the schema at ``node``."""
        value_cls, formats = self._oracle
        validator = value_cls(
            node.value, _resolver=self._resolver(node.source), format_checker=formats
        )
        for err in validator.iter_errors(value):
            inner = ("default", *err.absolute_path)
            yield KeywordError("ValidationError", err.message, node, inner, check="default")

    def _resolver(self, source: Source) -> Any:
        """A ``referencing`` resolver over the loaded files, based in ``source``."""
        from referencing import Registry
        from referencing.jsonschema import DRAFT202012

        if self._registry is None:
            files = self.doc.files.values()
            for loaded in files:
                self._uris[id(loaded)] = loaded.path.resolve().as_uri()
            self._registry = Registry().with_resources(
                (self._uris[id(loaded)], DRAFT202012.create_resource(loaded.data))
                for loaded in files
            )
        return self._registry.resolver(base_uri=self._uris.get(id(source), ""))


def _meta_validator(checker_cls: Any, format_checker: Any) -> Any:
    """The validator ``checker_cls.check_schema(schema, format_checker)`` runs, built alike.

    openapi-schema-validator's classes check against their meta-schema with its
    own registry (the OpenAPI dialects, no network) and their own format
    checker; any other dialect's class checks the way jsonschema does.
    """
    from jsonschema.validators import validator_for

    oas_package()  # without pydantic-settings: see oas_import
    from openapi_schema_validator._specifications import REGISTRY
    from openapi_schema_validator.validators import check_openapi_schema

    meta_cls = validator_for(checker_cls.META_SCHEMA, default=checker_cls)
    if getattr(checker_cls.check_schema, "__func__", None) is check_openapi_schema:
        if format_checker is None:
            format_checker = checker_cls.FORMAT_CHECKER
        return meta_cls(checker_cls.META_SCHEMA, format_checker=format_checker, registry=REGISTRY)
    if format_checker is None:
        format_checker = meta_cls.FORMAT_CHECKER
    return meta_cls(checker_cls.META_SCHEMA, format_checker=format_checker)


def _document_order(value: Any, path: Iterable[Any]) -> tuple[int, ...]:
    """Where ``path`` stands in ``value`` in reading order: each step's index among its siblings."""
    order: list[int] = []
    for step in path:
        if isinstance(value, dict) and step in value:
            order.append(list(value).index(step))
            value = value[step]
        elif isinstance(value, list) and isinstance(step, int) and 0 <= step < len(value):
            order.append(step)
            value = value[step]
        else:
            break
    return tuple(order)


def _keys(node: Node | None) -> set[Any]:
    return set(node.value) if node is not None and isinstance(node.value, dict) else set()


def _meta_valid_fast(checker_cls: Any, schema: Any) -> bool:
    """Does jsonschema-rs find ``schema`` valid against ``checker_cls``'s meta-schema?

    The only format the OpenAPI meta-schemas assert is ``regex``, which the
    oracle checks with Python's ``re``, not as an ECMA regex: jsonschema-rs runs
    without formats and every pattern is compiled here. Anything else that is
    not plainly valid goes to the slow check, which decides and words it.
    """
    check = _rs_meta_check(checker_cls)
    return check is not None and check(schema) and _patterns_compile(schema)


def _draft4_valid_fast(schema: Any) -> bool:
    """``_meta_valid_fast`` for OAS30Validator, whose meta-schema is draft-04's (``id``
    ``http://json-schema.org/draft-04/schema#``, from jsonschema-specifications, as the
    oracle's registry holds it), read from the package's data file without importing
    openapi-schema-validator. ``tests/validate/test_openapi_keywords.py`` holds the two equal.
    """
    check = _rs_draft4_check()
    return check is not None and check(schema) and _patterns_compile(schema)


@functools.cache
def draft4_meta_schema() -> Any:
    """The draft-04 meta-schema as jsonschema-specifications ships it (no import of the package)."""
    import importlib.util
    import json
    from pathlib import Path

    spec = importlib.util.find_spec("jsonschema_specifications")
    assert spec is not None and spec.submodule_search_locations, "a dependency of jsonschema"
    package = Path(next(iter(spec.submodule_search_locations)))
    return json.loads((package / "schemas" / "draft4" / "metaschema.json").read_text("utf-8"))


@functools.cache
def _rs_draft4_check() -> Callable[[Any], bool] | None:
    try:
        import jsonschema_rs

        validator = jsonschema_rs.validator_for(draft4_meta_schema(), validate_formats=False)
    except Exception:  # no jsonschema-rs, or it cannot compile it: the oracle's path decides
        return None
    check: Callable[[Any], bool] = validator.is_valid
    return check


@functools.cache
def _rs_meta_check(checker_cls: Any) -> Callable[[Any], bool] | None:
    try:
        import jsonschema_rs

        oas_package()  # without pydantic-settings: see oas_import
        from openapi_schema_validator._specifications import REGISTRY
    except ImportError:  # pragma: no cover - both are dependencies
        return None

    def retrieve(uri: str) -> Any:
        return REGISTRY.contents(uri)

    try:
        validator = jsonschema_rs.validator_for(
            checker_cls.META_SCHEMA, retriever=retrieve, validate_formats=False
        )
    except Exception:  # a meta-schema jsonschema-rs cannot compile: use the slow path
        return None
    check: Callable[[Any], bool] = validator.is_valid
    return check


def _patterns_compile(value: Any) -> bool:
    """Does every ``pattern`` string and ``patternProperties`` key compile with ``re``?"""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            pattern = item.get("pattern")
            keys = item.get("patternProperties")
            if (isinstance(pattern, str) and not _compiles(pattern)) or (
                isinstance(keys, dict) and not all(_compiles(str(k)) for k in keys)
            ):
                return False
            stack.extend(v for v in item.values() if isinstance(v, (dict, list)))
        elif isinstance(item, list):
            stack.extend(v for v in item if isinstance(v, (dict, list)))
    return True


@functools.lru_cache(maxsize=4096)
def _compiles(pattern: str) -> bool:
    try:
        re.compile(pattern)
    except (re.error, RecursionError, OverflowError):
        return False
    return True
