"""JSON text exactly as ``json.dumps(..., ensure_ascii=False, indent=n)`` writes it, faster.

Rendering writes the bundled spec (``openapi.json``) and the example tables as
JSON files; for stripe that is megabytes, and the standard library's indenting
encoder is pure Python generators. Kept apart from ``format``: it formats data,
not Python.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from json.encoder import encode_basestring  # the C function where there is one
from typing import Any

JSON_DEPTH = 200
"""Nesting beyond which ``json_text`` leaves the value to ``json.dumps`` (and its errors)."""


_AHEAD: dict[int, tuple[object, Callable[[], str | None]]] = {}
"""``id(value)`` -> (value, a source of its ``document_text`` written elsewhere): ``written_ahead``."""


class _KeyTexts(dict[str, str]):
    """Object keys as JSON text with the ``": "`` after them, each encoded once (specs repeat
    a few keys, ``type``, ``description``, ``properties``, hundreds of thousands of times)."""

    def __missing__(self, key: str) -> str:
        text = self[key] = encode_basestring(key) + ": "
        return text


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


def json_text(value: object, indent: int = 1, end: str = "") -> str:
    """``json.dumps(value, ensure_ascii=False, indent=indent) + end``, byte for byte, faster.

    The standard library's indenting encoder is pure Python generators (the C
    encoder cannot indent). This is one recursive pass over the containers that
    writes each string leaf inline (the C ``encode_basestring`` is its only
    call; each object key is encoded once per document) into one list of
    pieces, joined every few thousand pieces, so a big document is held about
    twice at most and no text is copied once per level of nesting. Anything it does not treat exactly as ``json.dumps`` does
    (non-string keys, NaN and infinities, other types, very deep nesting) is
    handed to ``json.dumps`` itself, so output and errors stay the standard
    library's.
    """
    encode = encode_basestring
    keys = _KeyTexts()
    pads = ["\n"]
    chunks: list[str] = []
    parts: list[str] = []
    add = parts.append

    def other(item: Any, level: int) -> str:
        """A value the loops below do not write inline, as text (a container's is added)."""
        if isinstance(item, str):
            return encode(item)
        if isinstance(item, (dict, list, tuple)):
            if not item:
                return "{}" if isinstance(item, dict) else "[]"
            nested(item, level)
            return ""
        return _json_scalar(item)

    def nested(item: Any, level: int) -> None:
        """Add a non-empty dict, list or tuple at ``level``."""
        if level > JSON_DEPTH:
            raise _Unusual
        deeper = level + 1
        if deeper == len(pads):  # levels are reached one at a time
            pads.append("\n" + " " * (indent * deeper))
        inner = pads[deeper]
        separator = "," + inner
        if isinstance(item, dict):
            lead = "{" + inner
            for key, child in item.items():
                if type(key) is not str:
                    raise _Unusual
                kind = type(child)
                if kind is str:
                    add(lead + keys[key] + encode(child))
                elif (kind is dict or kind is list) and child:
                    add(lead + keys[key])
                    nested(child, deeper)
                else:
                    add(lead + keys[key])
                    add(other(child, deeper))
                lead = separator
            add(pads[level] + "}")
        else:
            lead = "[" + inner
            for child in item:
                kind = type(child)
                if kind is str:
                    add(lead + encode(child))
                elif (kind is dict or kind is list) and child:
                    add(lead)
                    nested(child, deeper)
                else:
                    add(lead)
                    add(other(child, deeper))
                lead = separator
            add(pads[level] + "]")
        if len(parts) > 4096:  # bound the small pieces held at once
            chunks.append("".join(parts))
            parts.clear()

    try:
        add(other(value, 0))
    except _Unusual:
        return json.dumps(value, ensure_ascii=False, indent=indent) + end
    add(end)
    chunks.append("".join(parts))
    return "".join(chunks)


def document_text(value: object) -> str:
    """A whole JSON document as the targets write one (``openapi.json``): indent 1, final newline.

    When the driver had it written ahead (``written_ahead``) and the text is
    there, that text is used; else it is written here.
    """
    ahead = _AHEAD.get(id(value))
    if ahead is not None and ahead[0] is value:
        text = ahead[1]()
        if text is not None:
            return text
    return json_text(value, end="\n")


@contextmanager
def written_ahead(value: object, text: Callable[[], str | None]) -> Iterator[None]:
    """Within the block, ``document_text(value)`` asks ``text()`` first (None: not there).

    ``value`` must not change meanwhile: the text is taken as written from it.
    The driver uses this for a big spec, whose ``document_text`` the
    validation child writes while this process translates.
    """
    _AHEAD[id(value)] = (value, text)
    try:
        yield
    finally:
        _AHEAD.pop(id(value), None)
