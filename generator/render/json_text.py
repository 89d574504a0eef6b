"""JSON text exactly as ``json.dumps(..., ensure_ascii=False, indent=n)`` writes it, faster.

Rendering writes the bundled spec (``openapi.json``) and the example tables as
JSON files; for stripe that is megabytes, and the standard library's indenting
encoder is pure Python generators. Kept apart from ``format``: it formats data,
not Python.
"""

from __future__ import annotations

import json
from json.encoder import encode_basestring  # the C function where there is one
from typing import Any

JSON_DEPTH = 200
"""Nesting beyond which ``json_text`` leaves the value to ``json.dumps`` (and its errors)."""


class _Unusual(Exception):
    """A value ``json_text`` leaves to ``json.dumps``: non-str keys, non-finite floats, others."""


def _json_scalar(value: object) -> str:
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, int):
        return int.__repr__(value)
    if isinstance(value, float) and value - value == 0.0:  # finite
        return float.__repr__(value)
    raise _Unusual


def _json_key(key: object) -> str:
    if isinstance(key, str):
        return encode_basestring(key)
    raise _Unusual


def json_text(value: object, indent: int = 1, end: str = "") -> str:
    """``json.dumps(value, ensure_ascii=False, indent=indent) + end``, byte for byte, faster.

    The standard library's indenting encoder is pure Python generators (the C
    encoder cannot indent); this is one recursive pass in which each container
    joins its children once (a child's text is never copied into a bigger
    intermediate string), so a big document is held about twice at most.
    Anything it does not treat exactly as ``json.dumps`` does (non-string keys,
    NaN and infinities, other types, very deep nesting) is handed to
    ``json.dumps`` itself, so output and errors stay the standard library's.
    """
    encode = encode_basestring

    def item_text(item: Any, level: int, tail: str = "") -> str:
        kind = type(item)
        if kind is str:
            return encode(item) + tail
        if kind is dict or kind is list or isinstance(item, (dict, list, tuple)):
            return nested(item, level, tail)
        if isinstance(item, str):
            return encode(item) + tail
        return _json_scalar(item) + tail

    def nested(item: Any, level: int, tail: str) -> str:
        if level > JSON_DEPTH:
            raise _Unusual
        if not item:
            return ("{}" if isinstance(item, dict) else "[]") + tail
        inner = "\n" + " " * (indent * (level + 1))
        separator = "," + inner
        deeper = level + 1
        parts: list[str] = []
        add = parts.append
        if isinstance(item, dict):
            lead = "{" + inner
            for key, child in item.items():
                add(lead + _json_key(key) + ": ")
                add(item_text(child, deeper))
                lead = separator
            add("\n" + " " * (indent * level) + "}" + tail)
        else:
            lead = "[" + inner
            for child in item:
                add(lead)
                add(item_text(child, deeper))
                lead = separator
            add("\n" + " " * (indent * level) + "]" + tail)
        return "".join(parts)

    try:
        return item_text(value, 0, end)
    except _Unusual:
        return json.dumps(value, ensure_ascii=False, indent=indent) + end
