"""Examples judged as JSON Schema judges them: the ``jsonschema`` library, the document's draft.

``JsonSchemaCheck(doc).problem(value, schema, source, pointer)`` says what is
wrong with ``value`` for the schema found at ``pointer`` in ``source`` (``None``
when it validates). The validator is the one the document's kind implies:

- OpenAPI 3.0 and Swagger 2.0: ``openapi_schema_validator.OAS30ReadValidator``
  (draft 4 with ``nullable``; ``x-nullable`` for 2.0; a required ``writeOnly``
  property may be absent, since examples are served as responses);
- OpenAPI 3.1: ``OAS31Validator`` (draft 2020-12);
- AsyncAPI 2.x/3.x: draft 7 (the AsyncAPI Schema Object), or the payload's
  ``schemaFormat`` (OpenAPI 3.0, a JSON Schema draft) when it names one.

Formats are asserted (JSON Schema leaves that optional; a served example that a
client's validator refuses is no example): ``date-time`` with its timezone
(``rfc3339-validator``), ``date``, ``time``, ``email``, ``uuid``, ``ipv4``/``ipv6``,
``regex``, and OpenAPI's ``int32``/``int64``/``byte``. ``pattern`` runs in bounded
time (Rust's engines, through ``jsonschema-rs``), never Python's backtracking ``re``. ``$ref``s are resolved
through every file the loader read (a ``referencing`` registry keyed by file
URI); a network ``$ref`` or a pattern Python cannot compile is not checkable,
and then the value passes (the model check in ``example_checks`` still applies).
"""

from __future__ import annotations

import functools
import weakref
from collections.abc import Iterator, Mapping
from contextlib import suppress
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from generator.load import Document, Source
from generator.load.heap import collected_apart
from generator.translate._example_scalars import pattern_matches
from generator.translate._example_surely import Surely
from generator.translate._jsonschema_release import release, releasing
from generator.validate.oas_import import oas_package

if TYPE_CHECKING:  # imported on first use: openapi_schema_validator alone costs ~0.2 s to import
    import jsonschema
    import referencing
    from jsonschema.exceptions import ValidationError

__all__ = [
    "JsonSchemaCheck",
    "check_for",
    "dialect_of_document",
    "dialect_of_format",
    "forget_checks",
    "format_conforms",
    "formats",
]

DIALECTS = ("swagger2", "oas30", "oas31", "draft4", "draft6", "draft7", "draft2019", "draft2020")


_JSON_SCHEMA_FORMATS = (
    "date-time",
    "date",
    "time",
    "email",
    "idn-email",
    "uuid",
    "ipv4",
    "ipv6",
    "regex",
)
_OPENAPI_FORMATS = ("int32", "int64", "byte")


@functools.cache
def formats() -> jsonschema.FormatChecker:
    """The formats every served example must meet: JSON Schema 2020-12's own checks
    (``time`` with its offset, as RFC 3339 says), and OpenAPI's integer sizes and ``byte``."""
    import jsonschema

    oas = oas_package()  # without pydantic-settings: see oas_import

    checker = jsonschema.FormatChecker(formats=())
    draft2020 = jsonschema.Draft202012Validator.FORMAT_CHECKER.checkers
    for name in _JSON_SCHEMA_FORMATS:
        if name in draft2020:
            checker.checkers[name] = draft2020[name]
    for name in _OPENAPI_FORMATS:
        checker.checkers[name] = oas.oas30_format_checker.checkers[name]
    return checker


def format_conforms(value: Any, fmt: str) -> bool:
    """``formats().conforms(value, fmt)``, without importing ``jsonschema`` for a format it does
    not check (stripe's ``unix-time`` and ``decimal``): those pass."""
    if fmt not in _JSON_SCHEMA_FORMATS and fmt not in _OPENAPI_FORMATS:
        return True
    return bool(formats().conforms(value, fmt))


def _x_nullable_type(
    validator: Any, types: Any, instance: Any, schema: Mapping[str, Any]
) -> Iterator[ValidationError]:
    """Swagger 2.0: ``x-nullable: true`` lets ``null`` through, as the models do."""
    oas = oas_package()  # without pydantic-settings: see oas_import

    if instance is None and schema.get("x-nullable") is True:
        return
    yield from oas.OAS30ReadValidator.VALIDATORS["type"](validator, types, instance, schema)


def _bounded_pattern(
    validator: Any, pattern: Any, instance: Any, schema: Mapping[str, Any]
) -> Iterator[ValidationError]:
    """``pattern`` in bounded time (``pattern_matches``): an untrusted spec cannot stall generation."""
    from jsonschema.exceptions import ValidationError

    if (
        isinstance(instance, str)
        and isinstance(pattern, str)
        and pattern_matches(pattern, instance) is False
    ):
        yield ValidationError(f"{instance!r} does not match {pattern!r}")


@functools.cache
def _validator_class(dialect: str) -> Any:
    """The validator class of ``dialect`` (one of ``DIALECTS``), made on first use.

    Only when an example is not surely valid (``_example_surely``): stripe's never are,
    and generating it imports no ``jsonschema`` (~0.1 s). Making one leaves cyclic
    garbage (attrs' discarded classes, ~0.2-0.35 MiB), freed at once by
    ``collected_apart``: ``translate.rest_ir`` pauses the collector meanwhile.
    """
    with collected_apart():
        return _made_validator_class(dialect)


def _made_validator_class(dialect: str) -> Any:
    import jsonschema

    more: dict[str, Any] = {}
    if dialect in ("swagger2", "oas30", "oas31"):
        oas = oas_package()  # without pydantic-settings: see oas_import

        base = oas.OAS31Validator if dialect == "oas31" else oas.OAS30ReadValidator
        if dialect == "swagger2":
            more["type"] = _x_nullable_type
    else:
        base = {
            "draft4": jsonschema.Draft4Validator,
            "draft6": jsonschema.Draft6Validator,
            "draft7": jsonschema.Draft7Validator,
            "draft2019": jsonschema.Draft201909Validator,
            "draft2020": jsonschema.Draft202012Validator,
        }[dialect]
    more = {**releasing(base.VALIDATORS), "pattern": _bounded_pattern, **more}
    return jsonschema.validators.extend(base, validators=more)  # type: ignore[no-untyped-call]


def _specification(dialect: str) -> Any:
    """The ``referencing`` specification whose rules resolve ``$ref`` in ``dialect``'s schemas."""
    import referencing.jsonschema as specs

    return {
        "swagger2": specs.DRAFT4,
        "oas30": specs.DRAFT4,
        "oas31": specs.DRAFT202012,
        "draft4": specs.DRAFT4,
        "draft6": specs.DRAFT6,
        "draft7": specs.DRAFT7,
        "draft2019": specs.DRAFT201909,
        "draft2020": specs.DRAFT202012,
    }[dialect]


def dialect_of_document(doc: Document) -> str:
    """The JSON Schema dialect of ``doc``'s own schemas."""
    if doc.kind is None:
        return "oas31"
    if doc.kind.family == "asyncapi":
        return "draft7"
    return {"2.0": "swagger2", "3.0": "oas30"}.get(doc.kind.major_minor, "oas31")


def dialect_of_format(schema_format: str, default: str) -> str:
    """The dialect an AsyncAPI ``schemaFormat`` names (``default`` when it names none)."""
    fmt = schema_format.lower()
    if fmt.startswith("application/vnd.oai.openapi"):
        return "oas31" if "version=3.1" in fmt else "oas30"
    for marker, dialect in (
        ("draft-04", "draft4"),
        ("draft-06", "draft6"),
        ("draft-07", "draft7"),
        ("2019-09", "draft2019"),
        ("2020-12", "draft2020"),
    ):
        if marker in fmt:
            return dialect
    return default


class JsonSchemaCheck:
    """Validates values against the schemas of one document, with ``jsonschema``."""

    def __init__(self, doc: Document) -> None:
        """Ready to check values against ``doc``'s schemas (validators made on first use)."""
        # held weakly: ``check_for`` keys its cache by the document, which must stay collectable
        self._doc = weakref.ref(doc)
        self.dialect = dialect_of_document(doc)
        self._validators: dict[str, Any] = {}
        self._registries: dict[str, referencing.Registry[Any]] = {}
        self._memo: dict[tuple[int, str, str, str], str | None] = {}
        self._uris: dict[int, str] = {}
        self._roots: dict[tuple[str, str], Any] = {}
        self._surely: Surely | None = None

    @property
    def doc(self) -> Document:
        """The document whose schemas are checked (alive while anyone checks against it)."""
        doc = self._doc()
        if doc is None:
            raise ReferenceError("the document of this check is gone")
        return doc

    def _uri(self, source: Source) -> str:
        if id(source) not in self._uris:
            self._uris[id(source)] = source.path.resolve().as_uri()
        return self._uris[id(source)]

    def _validator(self, dialect: str, source: Source) -> tuple[Any, str]:
        """The validator for ``dialect`` whose registry holds ``source``, and its URI there.

        The loaded files are registered by file URI; a source made in memory (an Avro
        schema read as JSON Schema) under a URN of its own, so it cannot hide its file.
        """
        import referencing

        spec = _specification(dialect)
        if dialect not in self._validators:
            sources = {id(s): s for s in (self.doc.root, *self.doc.files.values())}
            registry: referencing.Registry[Any] = referencing.Registry().with_resources(
                (self._uri(s), spec.create_resource(s.data)) for s in sources.values()
            )
            self._registries[dialect] = registry
            self._validators[dialect] = _validator_class(dialect)(
                {}, registry=registry, format_checker=formats()
            )
        loaded = source is self.doc.root or self.doc.files.get(source.path) is source
        if loaded:
            return self._validators[dialect], self._uri(source)
        key = f"{dialect} {id(source)}"
        if key not in self._validators:
            uri = f"urn:twinspec:memory:{len(self._validators)}"
            registry = self._registries[dialect].with_resource(
                uri, spec.create_resource(source.data)
            )
            self._validators[key] = (
                _validator_class(dialect)({}, registry=registry, format_checker=formats()),
                uri,
            )
        validator, uri = self._validators[key]
        return validator, uri

    def problem(
        self, value: Any, schema: Any, source: Source, pointer: str, dialect: str | None = None
    ) -> str | None:
        """What makes ``value`` invalid for ``schema`` at ``pointer`` in ``source``; ``None``: valid.

        A schema that cannot be located by ``pointer`` (a value built in memory)
        or checked (a network ``$ref``, a pattern Python's ``re`` refuses) passes.
        Answers for JSON scalars are memoised (enums and defaults repeat).
        """
        dialect = dialect or self.dialect
        if isinstance(value, (dict, list)):
            return self._problem(value, schema, source, pointer, dialect)
        key = (id(source), pointer, dialect, repr(value))
        if key not in self._memo:
            self._memo[key] = self._problem(value, schema, source, pointer, dialect)
        return self._memo[key]

    def valid(
        self, value: Any, schema: Any, source: Source, pointer: str, dialect: str | None = None
    ) -> bool:
        """Whether ``value`` validates against ``schema`` at ``pointer`` in ``source``."""
        return self.problem(value, schema, source, pointer, dialect) is None

    def _root_resolver(self, base: Any, uri: str, dialect: str, pointer: str) -> Any:
        """The resolver looking ``uri#pointer`` up ends with, when it is ``uri``'s own.

        ``referencing`` walks the pointer token by token and enters a subresource
        (which may change the base URI) only below a schema keyword it starts with
        (``definitions``, ``properties``...); a pointer starting elsewhere (``/paths``,
        ``/components``) never leaves the file's resolver. ``None``: look it up.
        """
        first = pointer.split("/", 2)[1] if pointer else ""
        first = first.replace("~1", "/").replace("~0", "~")
        if not _transparent(dialect, first):
            return None
        key = (dialect, uri)
        if key not in self._roots:
            resolver = getattr(base, "_resolver", None)  # jsonschema's, private: absent, look it up
            self._roots[key] = None if resolver is None else resolver.lookup(uri).resolver
        return self._roots[key]

    def _sure(self, value: Any, schema: Any, source: Source, pointer: str, dialect: str) -> bool:
        """Whether ``value`` surely validates: a loaded file's schema, read with the file's own
        base URI (its pointer enters no subresource), that ``Surely`` finds valid."""
        first = pointer.split("/", 2)[1] if pointer else ""
        if first not in OPEN_TOKENS and not _transparent(
            dialect, first.replace("~1", "/").replace("~0", "~")
        ):
            return False
        doc = self.doc
        if source is not doc.root and doc.files.get(source.path) is not source:
            return False
        if self._surely is None:
            self._surely = Surely(doc, format_conforms)
        return self._surely.valid(value, schema, source)

    def _problem(
        self, value: Any, schema: Any, source: Source, pointer: str, dialect: str
    ) -> str | None:
        if _at(source.data, pointer) is not schema:
            return None
        if self._sure(value, schema, source, pointer, dialect):
            return None  # what jsonschema says of it, told faster (``_example_surely``)
        base, uri = self._validator(dialect, source)
        from jsonschema.exceptions import best_match

        try:
            root = self._root_resolver(base, uri, dialect, pointer)
            validator = None
            if root is not None:
                # What validating against ``{"$ref": ref}`` does (look the target up, descend
                # into it with the resolver the lookup ends with), minus the pointer walk:
                # that walk ends with the file's own resolver (see ``_root_resolver``).
                with suppress(TypeError):  # a jsonschema whose evolve takes no resolver
                    validator = base.evolve(schema=schema, _resolver=root)
            if validator is None:  # quoted only here: ``quote`` took a fifth of the checks' time
                validator = base.evolve(schema={"$ref": f"{uri}#{quote(pointer, safe='/~')}"})
            errors = list(validator.iter_errors(value))
            error = best_match(errors)
        except Exception:  # an unresolvable ref or a regex Python cannot compile: not checkable
            return None
        found = None if error is None else _describe(error)
        release(errors)
        return found


OPEN_TOKENS = frozenset({"paths", "components", "webhooks", "channels"})
"""First pointer tokens no dialect reads as a schema keyword: ``_transparent`` for each
(a test holds it to that), known without importing ``referencing``."""


class _Probe:
    """A resolver stand-in: tells whether ``maybe_in_subresource`` would enter a subresource."""

    def in_subresource(self, subresource: Any) -> Any:
        return None


@functools.cache
def _transparent(dialect: str, token: str) -> bool:
    """Whether a pointer starting with ``token`` stays in its file's resolver all the way.

    ``maybe_in_subresource`` reads the segments from the first one and answers the
    resolver unchanged as soon as one is no subschema keyword. ``token`` is none when
    neither ``[token]`` (a keyword whose value is a schema) nor ``[token, "x"]`` (one
    holding schemas) enters a subresource, an object below it: then no longer pointer does.
    """
    probe = _Probe()
    spec = _specification(dialect)
    return all(
        spec.maybe_in_subresource(
            segments=segments, resolver=probe, subresource=spec.create_resource({})
        )
        is probe
        for segments in ([token], [token, "x"])
    )


def _at(data: Any, pointer: str) -> Any:
    for token in pointer.split("/")[1:] if pointer else []:
        token = token.replace("~1", "/").replace("~0", "~")
        if isinstance(data, dict) and token in data:
            data = data[token]
        elif isinstance(data, list) and token.isdigit() and int(token) < len(data):
            data = data[int(token)]
        else:
            return _MISSING
    return data


_MISSING = object()


def _describe(error: ValidationError) -> str:
    where = "".join(
        f"[{p}]" if isinstance(p, int) else f".{p}" for p in error.absolute_path
    ).lstrip(".")
    message = error.message
    shown = repr(error.instance)
    if len(shown) > 60 and message.startswith(shown):  # "<the whole value> is not of type ..."
        message = shown[:45] + "..." + shown[-1] + message[len(shown) :]
    message = message if len(message) <= 200 else message[:197] + "..."
    return f"{message} (at {where})" if where else message


_CHECKS: weakref.WeakKeyDictionary[Document, JsonSchemaCheck] = weakref.WeakKeyDictionary()


def check_for(doc: Document) -> JsonSchemaCheck:
    """The one ``JsonSchemaCheck`` of ``doc`` (its validators and memo are shared)."""
    found = _CHECKS.get(doc)
    if found is None:
        found = _CHECKS[doc] = JsonSchemaCheck(doc)
    return found


def forget_checks(doc: Document) -> None:
    """Let ``doc``'s check and its memos go (translated: rendering never asks)."""
    _CHECKS.pop(doc, None)
