"""Strings and numbers for examples: checks that mirror the generated types, and synthesis.

``string_ok``/``bounds_ok`` decide whether a value passes the constraints the
generated type enforces (formats, lengths, Python-``re`` patterns, bounds);
``synth_string``/``synth_number`` make one that does, including strings for
patterns (walking the parsed regular expression, lookaheads included).
"""

from __future__ import annotations

import datetime
import functools
import importlib
import math
import uuid
from typing import Any

import jsonschema_rs

from generator.translate._schema_types import python_pattern

__all__ = [
    "bounds_ok",
    "from_pattern",
    "int_or",
    "number_or_none",
    "pattern_matches",
    "string_ok",
    "synth_number",
    "synth_string",
]

FORMAT_SAMPLES = {
    "date-time": "2024-01-01T00:00:00Z",
    "date": "2024-01-01",
    "time": "12:00:00Z",
    "uuid": "00000000-0000-4000-8000-000000000000",
    "email": "user@example.com",
    "idn-email": "user@example.com",
    "uri": "https://example.com/",
    "url": "https://example.com/",
    "iri": "https://example.com/",
    "uri-reference": "/example",
    "hostname": "example.com",
    "ipv4": "192.0.2.1",
    "ipv6": "2001:db8::1",
    "byte": "ZXhhbXBsZQ==",
    "password": "secret",
}


def number_or_none(value: Any) -> float | None:
    if isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value):
        return value
    return None


def int_or(value: Any, fallback: int) -> int:
    return (
        value if isinstance(value, int) and not isinstance(value, bool) and value >= 0 else fallback
    )


# strings -------------------------------------------------------------------------


def string_ok(value: str, schema: dict[str, Any]) -> bool:
    fmt = schema.get("format")
    try:
        if fmt == "date-time":
            datetime.datetime.fromisoformat(value.replace("Z", "+00:00").replace("z", "+00:00"))
            return "T" in value.upper() and len(value) >= 19
        if fmt == "date":
            datetime.date.fromisoformat(value)
            return len(value) == 10
        if fmt == "time":
            datetime.time.fromisoformat(value.replace("Z", "+00:00"))
            return True
        if fmt == "uuid":
            uuid.UUID(value)
            return len(value) in (32, 36)
    except ValueError:
        return False
    if fmt == "binary":
        return True
    if len(value) < int_or(schema.get("minLength"), 0) or len(value) > int_or(
        schema.get("maxLength"), len(value)
    ):
        return False
    pattern = schema.get("pattern")
    if isinstance(pattern, str):
        return pattern_matches(pattern, value) is not False
    return True


@functools.lru_cache(maxsize=1024)
def _pattern_check(pattern: str) -> Any:
    try:
        return jsonschema_rs.validator_for({"pattern": pattern})
    except Exception:  # a pattern Rust's engines refuse: not checkable
        return None


def pattern_matches(pattern: str, text: str) -> bool | None:
    """Whether ``text`` matches the ECMA-262 ``pattern``, in bounded time; ``None``: not checkable.

    Spec patterns and examples are untrusted: Python's backtracking ``re`` could run
    for ever on ``^(a+)+$`` and a crafted example. Rust's ``regex`` (linear time), with
    ``fancy-regex`` and its backtrack limit for lookarounds and backreferences, as
    ``jsonschema-rs`` compiles them, never does.
    """
    check = _pattern_check(pattern)
    if check is None:
        return None
    try:
        return bool(check.is_valid(text))
    except Exception:  # the backtrack limit was hit
        return None


def synth_string(schema: dict[str, Any]) -> str:
    fmt = schema.get("format")
    if isinstance(fmt, str) and fmt in ("date-time", "date", "time", "uuid"):
        return FORMAT_SAMPLES[fmt]
    low = int_or(schema.get("minLength"), 0)
    high = int_or(schema.get("maxLength"), max(low, 64))
    base = FORMAT_SAMPLES.get(fmt, "string") if isinstance(fmt, str) else "string"
    pattern = schema.get("pattern")
    converted = python_pattern(pattern) if isinstance(pattern, str) else None
    if converted is not None:
        generated = from_pattern(converted)
        base = generated if generated is not None else base
    fillers = [base[-1:], "a", "0", "A", "x"] if base else ["a", "0", "A", "x"]
    for filler in dict.fromkeys(fillers):
        text = base + filler * max(low - len(base), 0)
        text = text[:high]
        if string_ok(text, schema):
            return text
    if converted is not None:  # the pattern may need more characters than its minimum
        for extra in range(1, 8):
            for filler in ("a", "0", "A"):
                candidate = base + filler * extra
                if string_ok(candidate, schema):
                    return candidate
    return (base + "x" * max(low - len(base), 0))[:high]


def from_pattern(pattern: str) -> str | None:
    """A short string matching ``pattern`` (best effort, verified)."""
    try:
        parsed = list(importlib.import_module("re._parser").parse(pattern))
        plain = _Sample(lookahead="skip")
        text = plain.render(parsed)
        ahead = "".join(plain.ahead)
        candidates = [
            text,
            _Sample(lookahead="insert").render(parsed),
            ahead + text[len(ahead) :],  # lookahead needs overlaid on the plain match
        ]
    except Exception:  # any unusual construct: give up, the caller has fallbacks
        return None
    for candidate in candidates:
        if pattern_matches(pattern, candidate):
            return candidate
    return None


class _Sample:
    """Walks a parsed regular expression and emits the shortest plausible match.

    Positive lookaheads either add their own shortest match where they stand
    (``insert``) or are only collected in ``ahead`` (``skip``), so the caller
    can try both shapes of ``^(?=.*\\d)(?=.*[A-Z]).{8,}$``.
    """

    def __init__(self, lookahead: str) -> None:
        self.groups: dict[int, str] = {}
        self.lookahead = lookahead
        self.ahead: list[str] = []

    def render(self, items: list[tuple[Any, Any]]) -> str:
        return "".join(self.one(str(op), av) for op, av in items)

    def one(self, op: str, av: Any) -> str:
        if op == "LITERAL":
            return chr(av)
        if op == "NOT_LITERAL":
            return "a" if av != ord("a") else "b"
        if op == "ANY":
            return "a"
        if op == "IN":
            return _pick_in(av)
        if op in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"):
            low, _high, sub = av
            return self.render(list(sub)) * int(low)
        if op == "SUBPATTERN":
            group, _add, _del, sub = av
            text = self.render(list(sub))
            if group is not None:
                self.groups[group] = text
            return text
        if op == "ATOMIC_GROUP":
            return self.render(list(av))
        if op == "BRANCH":
            return self.render(list(av[1][0]))
        if op == "GROUPREF":
            return self.groups.get(av, "")
        if op == "CATEGORY":
            return _CATEGORY.get(str(av), "a")
        if op == "ASSERT" and av[0] == 1:  # positive lookahead
            text = self.render(list(av[1]))
            self.ahead.append(text)
            return text if self.lookahead == "insert" else ""
        return ""  # AT, lookbehind, ASSERT_NOT, GROUPREF_EXISTS: no characters


_CATEGORY = {
    "CATEGORY_DIGIT": "0",
    "CATEGORY_NOT_DIGIT": "a",
    "CATEGORY_SPACE": " ",
    "CATEGORY_NOT_SPACE": "a",
    "CATEGORY_WORD": "a",
    "CATEGORY_NOT_WORD": "-",
}


def _pick_in(items: list[tuple[Any, Any]]) -> str:
    if items and str(items[0][0]) == "NEGATE":
        banned = set()
        for op, av in items[1:]:
            if str(op) == "LITERAL":
                banned.add(chr(av))
            elif str(op) == "RANGE":
                banned.update(chr(c) for c in range(av[0], min(av[1], av[0] + 256) + 1))
        return next((c for c in "aZ0_-. x" if c not in banned), "~")
    op, av = items[0]
    name = str(op)
    if name == "LITERAL":
        return str(chr(av))
    if name == "RANGE":
        return chr(av[0])
    if name == "CATEGORY":
        return _CATEGORY.get(str(av), "a")
    return "a"


# numbers -------------------------------------------------------------------------


def bounds_ok(value: float, schema: dict[str, Any]) -> bool:
    if isinstance(value, float) and not math.isfinite(value):
        return False
    low, high = number_or_none(schema.get("minimum")), number_or_none(schema.get("maximum"))
    ex_low, ex_high = schema.get("exclusiveMinimum"), schema.get("exclusiveMaximum")
    strict_low, strict_high = number_or_none(ex_low), number_or_none(ex_high)
    if strict_low is not None and value <= strict_low:
        return False
    if strict_high is not None and value >= strict_high:
        return False
    if low is not None and (value < low or (ex_low is True and value <= low)):
        return False
    if high is not None and (value > high or (ex_high is True and value >= high)):
        return False
    step = number_or_none(schema.get("multipleOf"))
    if step and step > 0:
        quotient = value / step
        return abs(quotient - round(quotient)) < 1e-9
    return True


def synth_number(schema: dict[str, Any], *, integer: bool) -> int | float:
    low, high = number_or_none(schema.get("minimum")), number_or_none(schema.get("maximum"))
    ex_low, ex_high = schema.get("exclusiveMinimum"), schema.get("exclusiveMaximum")
    floor = low
    strict_floor = ex_low is True
    if number_or_none(ex_low) is not None:
        floor, strict_floor = number_or_none(ex_low), True
    ceiling = high
    strict_ceiling = ex_high is True
    if number_or_none(ex_high) is not None:
        ceiling, strict_ceiling = number_or_none(ex_high), True
    step = number_or_none(schema.get("multipleOf"))
    step = step if step and step > 0 else None
    candidates: list[float] = [0, 1]
    if floor is not None:
        near: list[float] = [
            floor + (1 if strict_floor else 0) if integer else floor + (0.5 if strict_floor else 0)
        ]
        if step:
            first = math.ceil(floor / step) * step
            near.insert(0, first + (step if strict_floor and first == floor else 0))
        # values at a non-negative floor come first; a negative one (int32's) after 0 and 1
        candidates = [*near, *candidates] if floor >= 0 else [*candidates, *near]
    if ceiling is not None:
        candidates.append(ceiling - (1 if strict_ceiling else 0))
        if floor is not None:
            candidates.append((floor + ceiling) / 2)
    if step:
        candidates.append(step)
    for candidate in candidates:
        value: int | float = math.ceil(candidate) if integer else float(candidate)
        if integer and step and value % step:
            continue
        if bounds_ok(value, schema):
            return int(value) if integer else value
    return int(low or 0) if integer else float(low or 0)
