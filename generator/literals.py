"""Python literals for JSON values and text: the leaf that translate and render share.

Translate decides some literals itself (field defaults, constraints, aliases in
the type model), render's filters make the rest; both come from here, so each
value has one spelling and no stage imports a later one for it. Each function
makes a complete literal that cannot end early, whatever the (untrusted) text.
"""

from __future__ import annotations

import functools
import math
import re
from typing import Any

__all__ = ["pyrepr", "pystr", "pystr_wrapped", "pytuple"]


def pyrepr(value: Any) -> str:
    """A Python literal equal to the JSON value ``value``; never evaluable as other code."""
    if value is None or isinstance(value, bool):
        return repr(value)
    if isinstance(value, int):
        return repr(int(value))
    if isinstance(value, float):
        if math.isnan(value):
            return 'float("nan")'
        if math.isinf(value):
            return 'float("inf")' if value > 0 else '-float("inf")'
        return repr(float(value))
    if isinstance(value, str):
        return pystr(value)
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(pyrepr(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{pystr(str(k))}: {pyrepr(v)}" for k, v in value.items()) + "}"
    return pystr(str(value))


def pystr(value: object) -> str:
    """A Python ``str`` literal for ``value`` (made a string first)."""
    text = value if isinstance(value, str) else str(value)
    # repr() escapes quotes, backslashes, control characters and lone surrogates.
    return repr(text)


def pystr_wrapped(value: object, width: int = 72) -> str:
    """A Python ``str`` literal for ``value``; when long, parenthesised implicit concatenation
    of pieces cut after spaces, so a formatter can lay it out one piece per line."""
    text = value if isinstance(value, str) else str(value)
    if len(text) <= width:
        return pystr(text)
    return _wrapped(text, width)


@functools.lru_cache(maxsize=8192)
def _wrapped(text: str, width: int) -> str:
    """``pystr_wrapped`` of a long text; memoised, as specs repeat descriptions on many fields."""
    pieces: list[str] = []
    for word in _WORDS.findall(text):
        if pieces and len(pieces[-1]) + len(word) <= width:
            pieces[-1] += word
        else:
            pieces.append(word)
    if len(pieces) == 1:
        return pystr(text)
    return "(" + " ".join(pystr(piece) for piece in pieces) + ")"


_WORDS = re.compile(r"\S+\s*|\s+")


def pytuple(items: object) -> str:
    """A tuple literal of JSON values (``pyrepr`` of each), for typed ``tuple[...]`` arguments."""
    values = list(items) if isinstance(items, (list, tuple)) else [items]
    return "(" + "".join(f"{pyrepr(v)}, " for v in values) + ")"
