"""The fast path for YAML: yaml-rs (Rust), taken only where it reads as ``Yaml12Loader`` does.

Parsing dominates validation of large specs: libyaml plus PyYAML's Python
constructor takes about 2 s on stripe's 4 MB spec, yaml-rs about 0.2 s. yaml-rs
is young, so it is a fast path, not the loader: ``fast_load`` returns ``None``
(meaning "use ``Yaml12Loader``") whenever the result could differ from what the
full loader makes, or the full loader has something to say:

* any parse error, duplicate key or alias-replay limit (the full loader gives
  the located Diagnostic or warning);
* tags (``!!value``, ``!foo``): the full loader warns about them;
* anchors and aliases (recursive ones, alias bombs), and a plain ``=``;
* scalars YAML 1.2's core schema reads differently from yaml-rs (``1_000``,
  ``007:`` keys, ``+1:``), and keys that are not strings or plain integers;
* a text without a final line break (a last block scalar differs);
* nesting that might be deep: yaml-rs recurses and would overflow the stack;
* anything but a mapping at the top (multi-document streams, lists, empty).

``tests/load/test_fastyaml.py`` holds both paths equal over the corpus.
"""

from __future__ import annotations

import re
from typing import Any

__all__ = ["fast_load"]

_NEEDS_FULL_LOADER = re.compile(
    # a tag (``!!value``, ``!foo``, ``!<...>``), not a Markdown image ``![``
    r"(?:^|[\s\[{,])![\w!<]"
    # an anchor: yaml-rs reads a recursive alias as null, and the full loader
    # shares aliased values, which ``limits.measure`` relies on against alias bombs
    r"|(?:^|[\s\[{,])&[^\s]"
    # a plain ``=``: YAML 1.1's value key, which the full loader warns about
    r"|(?m:[-:?][ \t]+=[ \t]*$)"
    # a plain number with digit separators: a string in YAML 1.2, a number in yaml-rs
    r"|(?m:(?:^|[:\-,\[{?][ \t]+|[,\[{])[-+]?[0-9][0-9_]*_[0-9_.]*[ \t]*(?:[,\]}:#]|$))"
    # keys whose integer text does not survive ``str(int(...))``: 007: 0x1F: +1:
    r"|(?m:^[ \t\-?]*(?:[-+]?0[0-9xXoObB]\w*|\+[0-9]+)[ \t]*:(?:[ \t]|$))"
)


_MAX_OPENERS = 7000
"""Most ``[``/``{`` in a text yaml-rs may read: it recurses per level and overflows the
stack (a crash, not an error) somewhere past 10,000 levels on an 8 MB stack."""
_DEEP_BLOCK = re.compile(r"(?m:^[ \t]{500,})|(?:[-?][ \t]+){500,}")


def _shallow(text: str) -> bool:
    """Is nesting provably under 8,000 levels (so yaml-rs cannot overflow the stack)?

    Flow nesting is at most the number of ``[``/``{`` (closers are not counted:
    they may sit in quotes); block nesting at most the indentation plus a run
    of compact ``- - -`` indicators, both kept under 500 here.
    """
    if text.count("[") + text.count("{") > _MAX_OPENERS:
        return False
    return _DEEP_BLOCK.search(text) is None


def fast_load(text: str) -> Any | None:
    """The document's data, or ``None`` when only the full loader may read it."""
    try:
        import yaml_rs
    except ImportError:  # pragma: no cover - yaml-rs is a dependency; this keeps it optional
        return None
    if not text.endswith("\n") or not _shallow(text) or _NEEDS_FULL_LOADER.search(text):
        # Without a final line break, yaml-rs keeps one in a last block scalar.
        return None
    try:
        data = yaml_rs.loads(text, parse_datetime=False)
    except Exception:  # any refusal means "ask the full loader"
        return None
    if not isinstance(data, dict) or not _plain(data):
        return None
    return data


def _plain(data: dict[Any, Any]) -> bool:
    """Make integer keys strings in place; ``False`` on any other non-JSON key or value."""
    stack: list[Any] = [data]
    while stack:
        value = stack.pop()
        if isinstance(value, dict):
            if not all(type(k) is str for k in value):
                if not all(type(k) is str or type(k) is int for k in value):
                    return False
                renamed = {str(k): v for k, v in value.items()}
                if len(renamed) != len(value):  # 1 and "1" both present
                    return False
                value.clear()
                value.update(renamed)
            stack.extend(v for v in value.values() if isinstance(v, (dict, list)))
            if not all(type(v) in _SCALARS for v in value.values()):
                return False
        elif isinstance(value, list):
            stack.extend(v for v in value if isinstance(v, (dict, list)))
            if not all(type(v) in _SCALARS for v in value):
                return False
    return True


_SCALARS = frozenset({str, int, float, bool, type(None), dict, list})
