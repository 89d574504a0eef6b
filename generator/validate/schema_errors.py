"""jsonschema ``ValidationError``s -> located, readable Diagnostics.

Used for AsyncAPI (twinspec's own schemas) and OpenAPI (openapi-spec-validator,
whose errors are ``ValidationError`` subclasses). Three things make raw
jsonschema output unusable for people, and this module fixes each:

* ``oneOf``/``anyOf`` failures list every alternative. We keep only the branch
  the document evidently meant (it has the same kind of value, carries the
  ``$ref`` or the required keys that branch asks for, and got furthest), and
  say how many other alternatives were not shown.
* Messages are Python reprs (``'title' is a required property``). We say
  ``missing required field 'title'``, ``unknown field 'test'``,
  ``expected string, got integer``.
* Unknown fields are located at the field itself, so the line points at it.

Errors found in the value a ``$ref`` leads to are wrapped in
``ReferencedErrors`` by the validator and reported in the file that holds them.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Sequence
from typing import Any

from jsonschema import ValidationError

from generator.diagnostics import Diagnostic, join_pointer
from generator.load import Document, Source

__all__ = ["ReferencedErrors", "diagnostics_from_errors", "json_type"]

_BRANCHING = frozenset({"oneOf", "anyOf"})
_KIND_KEYWORDS = frozenset({"type"})
_MAX_LISTED = 8


class ReferencedErrors(ValidationError):
    """Errors in the value a ``$ref`` points at, to be located in ``source`` at ``pointer``."""

    def __init__(self, source: Source, pointer: str, errors: Sequence[ValidationError]) -> None:
        """Keep where the referenced value lives and what is wrong with it."""
        super().__init__(f"the value $ref points at ({pointer or '/'}) is invalid")
        self.source = source
        self.pointer = pointer
        self.errors = list(errors)


def json_type(value: object) -> str:
    """The JSON type name of a loaded value (``integer``, ``object``...)."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    if isinstance(value, dict):
        return "object"
    return type(value).__name__


def diagnostics_from_errors(
    doc: Document, errors: Iterable[ValidationError], *, code_prefix: str = "schema"
) -> list[Diagnostic]:
    """Located Diagnostics for ``errors`` (paths relative to ``doc``'s root file)."""
    out: list[Diagnostic] = []
    for error in errors:
        _emit(doc, doc.root, "", error, code_prefix, 0, out)
    return out


def _emit(
    doc: Document,
    source: Source,
    base: str,
    error: ValidationError,
    prefix: str,
    hidden: int,
    out: list[Diagnostic],
) -> None:
    """Append the Diagnostics for one error (recursing through branches and refs).

    ``hidden`` counts the alternatives left out on the way down, for the note.
    """
    if isinstance(error, ReferencedErrors):
        for inner in error.errors:
            _emit(doc, error.source, error.pointer, inner, prefix, hidden, out)
        return
    note = f" ({hidden} other alternative{'s' if hidden != 1 else ''} not shown)" if hidden else ""
    pointer = base + join_pointer(list(error.absolute_path))
    if not isinstance(error.validator, str):
        out.extend(_from_message(doc, source, pointer, error, prefix))
        return
    if error.validator in _BRANCHING and error.context:
        alternatives = _required_alternatives(error)
        if alternatives:
            quantity = "at least one" if error.validator == "anyOf" else "exactly one"
            message = f"needs {quantity} of the fields {alternatives}"
            out.append(_at(doc, source, pointer, f"{prefix}-missing-field", message + note))
            return
        branch, others = _meant_branch(error)
        if branch is None:
            expected = _expected_kinds(error)
            got = json_type(error.instance)
            message = f"expected {expected}, got {got}" if expected else _plain(error)
            out.append(_at(doc, source, pointer, f"{prefix}-wrong-type", message + note))
            return
        for inner in branch:
            _emit(doc, source, base, inner, prefix, hidden + others, out)
        return
    if error.validator == "oneOf":
        message = "matches more than one of the allowed alternatives; it must match exactly one"
        out.append(_at(doc, source, pointer, f"{prefix}-ambiguous", message + note))
        return
    if error.validator in ("additionalProperties", "unevaluatedProperties"):
        names = _unknown_fields(error)
        if names:
            for name in names:
                out.append(
                    _at(
                        doc,
                        source,
                        pointer + join_pointer([name]),
                        f"{prefix}-unknown-field",
                        f"unknown field {name!r}{_did_you_mean(name, error)}{note}",
                    )
                )
            return
    code, message = _describe(error)
    out.append(_at(doc, source, pointer, f"{prefix}-{code}", message + note))


def _at(doc: Document, source: Source, pointer: str, code: str, message: str) -> Diagnostic:
    return doc.diagnostic(pointer, code, message, source=source)


def _describe(error: ValidationError) -> tuple[str, str]:
    """A stable code suffix and a plain message for a leaf error."""
    keyword = error.validator
    value: Any = error.validator_value
    instance: Any = error.instance
    if keyword == "required" and isinstance(instance, dict):
        # jsonschema reports each missing field as its own error; name the one this is.
        missing = _missing(error)
        named = [k for k in missing if repr(k) in str(error.message)] or missing or list(value)
        fields = ", ".join(repr(k) for k in named[:1] if named)
        return "missing-field", f"missing required field {fields}"
    if keyword == "type":
        expected = " or ".join(value) if isinstance(value, list) else str(value)
        return "wrong-type", f"expected {expected}, got {json_type(instance)}"
    if keyword == "enum":
        return "invalid-value", f"expected one of {_listing(value)}, got {_short(instance)}"
    if keyword == "const":
        return "invalid-value", f"expected {_short(value)}, got {_short(instance)}"
    if keyword == "pattern":
        return "invalid-format", f"{_short(instance)} does not match the pattern {value!r}"
    if keyword == "format":
        return "invalid-format", f"{_short(instance)} is not a valid {value}"
    if keyword == "uniqueItems":
        return "duplicate-items", "items must be unique"
    if keyword == "propertyNames":
        return "invalid-field-name", _plain(error)
    if keyword in ("dependentRequired", "dependencies"):
        return "missing-field", _plain(error)
    if keyword is None or error.schema is False:
        return "not-allowed", "this value is not allowed here"
    if keyword == "not":
        return "not-allowed", "this value is not allowed here (it matches a forbidden form)"
    return "constraint", _plain(error)


def _plain(error: ValidationError) -> str:
    """jsonschema's message with the instance repr shortened."""
    message = str(error.message)
    return message if len(message) <= 200 else message[:197] + "..."


def _short(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _listing(values: Iterable[object]) -> str:
    items = [repr(v) for v in values]
    if len(items) > _MAX_LISTED:
        items = [*items[:_MAX_LISTED], f"... ({len(items) - _MAX_LISTED} more)"]
    return ", ".join(items)


def _missing(error: ValidationError) -> list[str]:
    """The required fields a ``required`` error's instance lacks."""
    required: Any = error.validator_value
    instance: Any = error.instance
    if not isinstance(required, list) or not isinstance(instance, dict):
        return []
    return [k for k in required if k not in instance]


_UNEXPECTED = re.compile(r"\((.*) (?:was|were) unexpected\)")


def _did_you_mean(name: str, error: ValidationError) -> str:
    """`` (did you mean 'paths'?)`` when the schema names a field close to ``name``."""
    known: set[str] = set()
    schemas: list[Any] = [error.schema]
    while schemas:  # the object's own fields, and those of its allOf/anyOf/oneOf parts
        schema = schemas.pop()
        if isinstance(schema, dict):
            known.update(k for k in schema.get("properties") or {} if isinstance(k, str))
            for keyword in ("allOf", "anyOf", "oneOf"):
                schemas += schema.get(keyword) or []
    close = difflib.get_close_matches(name, sorted(known), n=1, cutoff=0.75)
    return f" (did you mean {close[0]!r}?)" if close else ""


def _unknown_fields(error: ValidationError) -> list[str]:
    """The fields an ``additionalProperties``/``unevaluatedProperties`` error rejects."""
    instance: Any = error.instance
    schema: Any = error.schema
    if not isinstance(instance, dict):
        return []
    if error.validator == "additionalProperties" and isinstance(schema, dict):
        known = schema.get("properties") or {}
        patterns = [re.compile(p) for p in schema.get("patternProperties") or {}]
        return [k for k in instance if k not in known and not any(p.search(k) for p in patterns)]
    found = _UNEXPECTED.search(str(error.message))
    if not found:
        return []
    return [k for k in instance if repr(k) in found.group(1)]


def _meant_branch(error: ValidationError) -> tuple[list[ValidationError] | None, int]:
    """The errors of the alternative the document evidently meant, and how many others there were."""
    branches: dict[int, list[ValidationError]] = {}
    for sub in error.context or ():
        index = sub.relative_schema_path[0] if sub.relative_schema_path else 0
        branches.setdefault(int(index), []).append(sub)
    total = len(error.validator_value) if isinstance(error.validator_value, list) else 0
    total = max(total, len(branches))
    scored = [
        (_mismatch(subs, error.instance), _effort(subs), index) for index, subs in branches.items()
    ]
    candidates = [s for s in scored if s[0] == 0]
    if not candidates:
        return None, total - 1
    best = min(candidates, key=lambda s: (s[1], s[2]))
    return branches[best[2]], total - 1


def _mismatch(errors: list[ValidationError], instance: object) -> int:
    """Non-zero when a branch is for another kind of value than the document's.

    A branch wants something else when the instance has the wrong JSON type for
    it, or lacks ``$ref`` where the branch is a Reference (or has ``$ref`` where
    it is not). A wrong value of the right type (``enum``) still counts as meant.
    """
    for sub in errors:
        if sub.relative_path:
            continue
        if sub.validator in _KIND_KEYWORDS:
            return 1
        if sub.validator == "required" and "$ref" in _missing(sub):
            return 1
        if sub.validator in _BRANCHING and sub.context:
            nested, _ = _meant_branch(sub)
            if nested is None:
                return 1
    if isinstance(instance, dict) and "$ref" in instance:
        for sub in errors:
            if (
                sub.validator == "additionalProperties"
                and not sub.relative_path
                and "$ref" in _unknown_fields(sub)
            ):
                return 1
    return 0


def _effort(errors: list[ValidationError]) -> tuple[int, int]:
    """How much the document would have to change to fit a branch (less is likelier meant).

    Counts problems at the branch's own level (each missing required key and
    each unknown field counts once), then prefers branches whose problems are
    deeper, i.e. where the document got further.
    """
    count = 0
    for sub in errors:
        if sub.relative_path:
            count += 1
        elif sub.validator == "required":
            count += 2
        elif sub.validator in ("additionalProperties", "unevaluatedProperties"):
            count += max(1, len(_unknown_fields(sub))) * 2
        else:
            count += 2
    depth = max((len(sub.relative_path) for sub in errors), default=0)
    return count, -depth


def _expected_kinds(error: ValidationError) -> str:
    """``object or string`` from the type errors of every alternative."""
    kinds: list[str] = []
    for sub in error.context or ():
        if sub.relative_path or sub.validator != "type":
            continue
        value = sub.validator_value
        for kind in value if isinstance(value, list) else [value]:
            if isinstance(kind, str) and kind not in kinds:
                kinds.append(kind)
    return " or ".join(kinds)


def _required_alternatives(error: ValidationError) -> str:
    """``'payload', 'headers'`` when every alternative only asks for a field that is missing."""
    names: list[str] = []
    for sub in error.context or ():
        if sub.relative_path or sub.validator != "required":
            return ""
        names.extend(k for k in _missing(sub) if k not in names)
    return ", ".join(repr(k) for k in names)


_FAILED_KEYWORD = re.compile(r'Failed validating "(\w+)"')
_QUOTED = re.compile(r"'([^']*)'|\"([^\"]*)\"")


def _from_message(
    doc: Document, source: Source, pointer: str, error: ValidationError, prefix: str
) -> list[Diagnostic]:
    """Diagnostics for an error that carries only a message (jsonschema-rs, as used by
    openapi-spec-validator): the keyword and names are read from the text."""
    text = str(error.message)
    first = text.split("\n\n", 1)[0].strip()
    found = _FAILED_KEYWORD.search(text)
    keyword = found.group(1) if found else ""
    names = [a or b for a, b in _QUOTED.findall(first)]
    if keyword == "required" and names:
        message = f"missing required field {names[0]!r}"
        return [_at(doc, source, pointer, f"{prefix}-missing-field", message)]
    if keyword in ("additionalProperties", "unevaluatedProperties") and names:
        return [
            _at(
                doc,
                source,
                pointer + join_pointer([name]),
                f"{prefix}-unknown-field",
                f"unknown field {name!r}{_did_you_mean(name, error)}",
            )
            for name in names
        ]
    if keyword == "type" and " is not of type " in first:
        expected = " or ".join(
            a or b for a, b in _QUOTED.findall(first.rsplit(" is not of type ", 1)[1])
        )
        got = json_type(_value_at(source.data, pointer))
        return [
            _at(doc, source, pointer, f"{prefix}-wrong-type", f"expected {expected}, got {got}")
        ]
    if keyword in _BRANCHING:
        message = "does not match any of the allowed forms"
        return [_at(doc, source, pointer, f"{prefix}-no-match", message)]
    return [_at(doc, source, pointer, f"{prefix}-constraint", first[:200])]


def _value_at(data: Any, pointer: str) -> Any:
    """The value at ``pointer`` in ``data`` (None when it is not there)."""
    for token in pointer.split("/")[1:]:
        token = token.replace("~1", "/").replace("~0", "~")
        if isinstance(data, dict):
            data = data.get(token)
        elif isinstance(data, list) and token.isdigit() and int(token) < len(data):
            data = data[int(token)]
        else:
            return None
    return data
