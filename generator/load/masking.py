"""Characters YAML 1.2 reads as text that libyaml, a YAML 1.1 reader, refuses or breaks at.

libyaml refuses every C1 control character, DEL, U+FFFE and U+FFFF anywhere in a
stream, and reads NEL, LS and PS as line breaks. YAML 1.2 allows the former in
quoted scalars (published specs have them: DocuSign's eSignature description
holds C1 characters in double-quoted strings) and reads the latter as ordinary
characters. Before libyaml reads a text, each such character is swapped for a
private-use character of plane 16 (one for one, so every line and column stays
where it was); after, ``unmask`` swaps them back in the data, node tree and
messages. C0 control characters (other than tab, LF, CR) are refused by YAML
1.2 too: ``first_control`` finds the first one for a located error.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    import yaml

__all__ = ["first_control", "mask", "unmask", "unmask_node", "unmask_text"]

_OFFSET = 0x100000
_MASKED = re.compile("[\x7f-\x9f\u2028\u2029\ufffe\uffff]")
"""DEL, C1 (NEL among them), LS, PS, U+FFFE, U+FFFF."""
_SENTINELS = re.compile("[\U0010007f-\U0010009f\U00102028\U00102029\U0010fffe\U0010ffff]")
_BACK = {_OFFSET + code: code for code in (*range(0x7F, 0xA0), 0x2028, 0x2029, 0xFFFE, 0xFFFF)}
_C0 = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")
_C0_CHARS = tuple(chr(code) for code in (*range(0x09), 0x0B, 0x0C, *range(0x0E, 0x20)))

T = TypeVar("T")


def first_control(text: str) -> tuple[int, int, str] | None:
    """(line, column, character) of the first C0 control character YAML 1.2 refuses.

    Every text is scanned: 29 substring searches (``in``, memchr-fast) answer
    the common "none" faster than the character class (stripe's 4 MB: 12 -> 5 ms
    CPU), which then finds the first.
    """
    if not any(map(text.__contains__, _C0_CHARS)):
        return None
    found = _C0.search(text)
    if found is None:
        return None
    line = text.count("\n", 0, found.start()) + 1
    column = found.start() - (text.rfind("\n", 0, found.start()) + 1) + 1
    return line, column, found.group()


def mask(text: str) -> tuple[str, bool]:
    """``text`` with each character libyaml misreads swapped for its sentinel; was any swapped?"""
    if text.isascii() and "\x7f" not in text:
        return text, False
    if not _MASKED.search(text) or _SENTINELS.search(text):
        return text, False  # nothing to do, or sentinels already there: libyaml decides
    return _MASKED.sub(lambda found: chr(_OFFSET + ord(found.group())), text), True


def unmask_text(text: str) -> str:
    """A string with its sentinels swapped back."""
    return text.translate(_BACK) if _SENTINELS.search(text) else text


def unmask(data: T) -> T:
    """``data`` with sentinels swapped back in every string, key or value, in place.

    Collections are visited once each (aliases share them), without recursion.
    """
    if isinstance(data, str):
        return unmask_text(data)  # type: ignore[return-value]
    seen: set[int] = set()
    stack: list[Any] = [data]
    while stack:
        value = stack.pop()
        if id(value) in seen:
            continue
        seen.add(id(value))
        if isinstance(value, dict):
            if any(isinstance(key, str) and _SENTINELS.search(key) for key in value):
                items = [(unmask_text(k) if isinstance(k, str) else k, v) for k, v in value.items()]
                value.clear()
                value.update(items)
            entries: Any = value.items()
        elif isinstance(value, list):
            entries = enumerate(value)
        else:
            continue
        for key, item in list(entries):
            if isinstance(item, str):
                if _SENTINELS.search(item):
                    value[key] = unmask_text(item)
            elif isinstance(item, (dict, list)):
                stack.append(item)
    return data


def unmask_node(node: yaml.Node | None) -> yaml.Node | None:
    """The composed node tree with sentinels swapped back in its scalars, in place."""
    import yaml  # only where PyYAML composed the tree

    seen: set[int] = set()
    stack: list[Any] = [node] if node is not None else []
    while stack:
        current = stack.pop()
        if id(current) in seen:
            continue
        seen.add(id(current))
        if isinstance(current, yaml.ScalarNode):
            current.value = unmask_text(current.value)
        elif isinstance(current, yaml.SequenceNode):
            stack += current.value
        elif isinstance(current, yaml.MappingNode):
            stack += [part for pair in current.value for part in pair]
    return node
