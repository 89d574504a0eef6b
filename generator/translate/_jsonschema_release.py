"""``jsonschema`` keywords that free the branch errors they throw away, at once.

A failing ``anyOf``/``oneOf`` error holds its branches' errors (``context``, and the
list it was made with in ``args``) and each of those points back at it (``parent``):
a reference cycle. ``jsonschema``'s own
keywords drop such errors whenever a later branch passes (``anyOf``, ``oneOf``) or
only a verdict is wanted (``is_valid`` in ``not``, ``if``, ``contains``, ``oneOf``'s
second-match scan), and then only the cyclic garbage collector frees them (on
openai about 950 errors per run). These versions behave exactly as the library's
(same errors, messages and order; tests compare them) but unlink the errors they
drop first, so reference counting frees them and translating needs no collection.

``releasing(validators)`` maps a validator class's keyword table to the
replacements for the keywords above (OpenAPI 3.0's ``discriminator`` handling is
kept: a schema with one goes to the library's keyword, which drops nothing).
Not covered: 2019-09/2020-12's ``unevaluatedItems``/``unevaluatedProperties``
(their evaluated-keys scan drops errors deep inside the library).
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from jsonschema.exceptions import ValidationError

__all__ = ["release", "releasing"]

Keyword = Callable[[Any, Any, Any, Mapping[str, Any]], Iterator["ValidationError"]]


def release(errors: Iterable[ValidationError]) -> None:
    """Unlink each error from the branch errors it holds (each points back at it).

    An error holds them twice: its ``context`` (a copy) and the list it was made with,
    kept in ``args`` (``Exception``'s own). Both go; the errors are not used after.
    """
    todo = list(errors)
    while todo:
        error = todo.pop()
        todo.extend(error.context)
        error.context.clear()
        error.args = ()


def _is_valid(validator: Any, instance: Any) -> bool:
    """``validator.is_valid(instance)``, freeing the first error it looks at."""
    error = next(validator.iter_errors(instance), None)
    if error is None:
        return True
    release((error,))
    return False


def any_of(
    validator: Any, any_of: Any, instance: Any, schema: Mapping[str, Any]
) -> Iterator[ValidationError]:
    """``jsonschema._keywords.anyOf``; the failed branches' errors freed when one passes."""
    from jsonschema.exceptions import ValidationError

    all_errors: list[ValidationError] = []
    for index, subschema in enumerate(any_of):
        errs = list(validator.descend(instance, subschema, schema_path=index))
        if not errs:
            release(all_errors)
            break
        all_errors.extend(errs)
    else:
        yield ValidationError(
            f"{instance!r} is not valid under any of the given schemas",
            context=all_errors,
        )


def one_of(
    validator: Any, one_of: Any, instance: Any, schema: Mapping[str, Any]
) -> Iterator[ValidationError]:
    """``jsonschema._keywords.oneOf``; dropped errors freed (the failed branches', the scan's)."""
    from jsonschema.exceptions import ValidationError

    subschemas = enumerate(one_of)
    all_errors: list[ValidationError] = []
    for index, subschema in subschemas:
        errs = list(validator.descend(instance, subschema, schema_path=index))
        if not errs:
            first_valid = subschema
            release(all_errors)
            break
        all_errors.extend(errs)
    else:
        yield ValidationError(
            f"{instance!r} is not valid under any of the given schemas",
            context=all_errors,
        )

    more_valid = [
        each for _, each in subschemas if _is_valid(validator.evolve(schema=each), instance)
    ]
    if more_valid:
        more_valid.append(first_valid)
        reprs = ", ".join(repr(schema) for schema in more_valid)
        yield ValidationError(f"{instance!r} is valid under each of {reprs}")


def not_(
    validator: Any, not_schema: Any, instance: Any, schema: Mapping[str, Any]
) -> Iterator[ValidationError]:
    """``jsonschema._keywords.not_``, its verdict's error freed."""
    from jsonschema.exceptions import ValidationError

    if _is_valid(validator.evolve(schema=not_schema), instance):
        yield ValidationError(f"{instance!r} should not be valid under {not_schema!r}")


def if_(
    validator: Any, if_schema: Any, instance: Any, schema: Mapping[str, Any]
) -> Iterator[ValidationError]:
    """``jsonschema._keywords.if_``, its verdict's error freed."""
    if _is_valid(validator.evolve(schema=if_schema), instance):
        if "then" in schema:
            yield from validator.descend(instance, schema["then"], schema_path="then")
    elif "else" in schema:
        yield from validator.descend(instance, schema["else"], schema_path="else")


def contains(
    validator: Any, contains: Any, instance: Any, schema: Mapping[str, Any]
) -> Iterator[ValidationError]:
    """``jsonschema._keywords.contains`` (2019-09 and later), its verdicts' errors freed."""
    from jsonschema.exceptions import ValidationError

    if not validator.is_type(instance, "array"):
        return
    matches = 0
    min_contains = schema.get("minContains", 1)
    max_contains = schema.get("maxContains", len(instance))
    contains_validator = validator.evolve(schema=contains)
    for each in instance:
        if _is_valid(contains_validator, each):
            matches += 1
            if matches > max_contains:
                yield ValidationError(
                    f"Too many items match the given schema (expected at most {max_contains})",
                    validator="maxContains",
                    validator_value=max_contains,
                )
                return
    if matches < min_contains:
        if not matches:
            yield ValidationError(f"{instance!r} does not contain items matching the given schema")
        else:
            yield ValidationError(
                "Too few items match the given schema (expected at least "
                f"{min_contains} but only {matches} matched)",
                validator="minContains",
                validator_value=min_contains,
            )


def contains_draft6_draft7(
    validator: Any, contains: Any, instance: Any, schema: Mapping[str, Any]
) -> Iterator[ValidationError]:
    """``jsonschema._legacy_keywords.contains_draft6_draft7``, its verdicts' errors freed."""
    from jsonschema.exceptions import ValidationError

    if not validator.is_type(instance, "array"):
        return
    contains_validator = validator.evolve(schema=contains)
    if not any(_is_valid(contains_validator, element) for element in instance):
        yield ValidationError(f"None of {instance!r} are valid under the given schema")


def _with_discriminator(mine: Keyword, theirs: Keyword) -> Keyword:
    """``mine``, but a schema with a ``discriminator`` goes to ``theirs`` (OpenAPI 3.0's keyword)."""

    def keyword(
        validator: Any, value: Any, instance: Any, schema: Mapping[str, Any]
    ) -> Iterator[ValidationError]:
        if "discriminator" in schema:
            return theirs(validator, value, instance, schema)
        return mine(validator, value, instance, schema)

    keyword.__doc__ = mine.__doc__
    return keyword


def releasing(validators: Mapping[str, Keyword]) -> dict[str, Keyword]:
    """The replacements for those of ``validators``' keywords that drop errors.

    A keyword is replaced only when it is the library's own function (one this module
    mirrors); any other implementation is kept as it is.
    """
    from jsonschema import _keywords, _legacy_keywords

    mirrors: dict[Any, Keyword] = {
        _keywords.anyOf: any_of,
        _keywords.oneOf: one_of,
        _keywords.not_: not_,
        _keywords.if_: if_,
        _keywords.contains: contains,
        _legacy_keywords.contains_draft6_draft7: contains_draft6_draft7,
    }
    # loaded already when an OpenAPI validator is in use (not imported for the drafts: ~0.2 s)
    oas_keywords = sys.modules.get("openapi_schema_validator._keywords")
    if oas_keywords is not None:
        mirrors[oas_keywords.anyOf] = _with_discriminator(any_of, oas_keywords.anyOf)
        mirrors[oas_keywords.oneOf] = _with_discriminator(one_of, oas_keywords.oneOf)
    return {name: mirrors[kw] for name, kw in validators.items() if kw in mirrors}
