"""The fast path for YAML: yaml-rs (Rust), taken only where it reads as ``Yaml12Loader`` does.

Parsing dominates validation of large specs: libyaml plus PyYAML's Python
constructor takes about 2 s on stripe's 4 MB spec, yaml-rs about 0.1 s. yaml-rs
is young, so it is a fast path in front of the loader: ``load_yaml`` (the load
stage's entry point) takes it first and imports the full loader (``yaml12``,
PyYAML) only when ``fast_load`` returns ``None`` (meaning "use
``Yaml12Loader``"), which it does whenever the result could differ from what
the full loader makes, or the full loader has something to say that this path
cannot say the same way:

* a C0 control character (YAML 1.2 refuses it; yaml-rs does not), any
  parse error, duplicate key or alias-replay limit (the full loader gives
  the located Diagnostic or warning);
* tags (``!!value``, ``!foo``): the full loader warns about them;
* anchors and aliases (recursive ones, alias bombs); an ``&`` that only
  looks like an anchor is text (a code sample's ``&godo.ListOptions{``, in a
  hundred of DigitalOcean's files): ``_anchors_are_text`` proves it, and the
  text is read here;
* scalars YAML 1.2's core schema reads differently from yaml-rs (``1_000``,
  ``007:`` keys, ``+1:``), and keys that are not strings or plain integers;
* a last block scalar yaml-rs reads with one line break too many (one that
  ends the text without a final line break, or an empty one);
* nesting that might be deep: yaml-rs recurses and would overflow the stack;
* anything but a mapping at the top (multi-document streams, lists, empty).

A plain ``=`` (YAML 1.1's value key, found in published enums) is read as the
string ``"="`` by both, and warned about: here each one is found in the text,
confirmed in the data (``_equals``) and reported at the full loader's position.
The scans are in ``guards``; ``tests/load/test_fastyaml.py`` holds both paths
equal, warnings included, over the corpus.
"""

from __future__ import annotations

import json
import re
from collections import deque
from typing import Any

from generator.load.guards import anchor_starts, needs_full_loader, shallow
from generator.load.limits import Shape, make_plain, plain_shape
from generator.load.masking import first_control

__all__ = ["YAML11_VALUE", "LoadWarning", "fast_load", "load_yaml", "read_yaml"]

LoadWarning = tuple[int, int, str, str]
"""(line, column, code, message) of a problem the loader tolerated."""

YAML11_VALUE = (
    "yaml11-value",
    "'=' is read as the string '='; YAML 1.1 tools (PyYAML, openapi-spec-validator)"
    " fail on it: quote it",
)
"""(code, message) of the warning on a plain ``=`` (the full loader gives it too)."""


def load_yaml(text: str) -> tuple[Any, list[LoadWarning]]:
    """Parse one YAML document into plain JSON-compatible data.

    Raises ``yaml.YAMLError`` for malformed text (the caller makes a Diagnostic).
    yaml-rs reads it when it reads it the same way; PyYAML (``yaml12``), whose
    import alone is about 15 ms, is imported only for the others.
    """
    data, warnings, _ = read_yaml(text)
    return data, warnings


def read_yaml(text: str) -> tuple[Any, list[LoadWarning], Shape | None]:
    """``load_yaml``, and the data's ``Shape`` when the fast path measured it on the way."""
    fast = _read(text, anchors=True)
    if fast is not None:
        return fast
    import yaml

    from generator.load.yaml12 import full_load, tagged_load

    try:
        return (*full_load(text), None)
    except yaml.YAMLError:
        # libyaml's YAML 1.1 rules refused it: yaml-rs decides whether YAML 1.2 reads it.
        read = _read(text, anchors=False)
        if read is not None:
            return read
        tagged = tagged_load(text)
        if tagged is None:
            raise
        return (*tagged, None)


def fast_load(text: str) -> tuple[Any, list[LoadWarning]] | None:
    """The document's data and load warnings, or ``None`` when only the full loader may read it."""
    read = _read(text, anchors=True)
    return None if read is None else read[:2]


def _read(text: str, *, anchors: bool) -> tuple[Any, list[LoadWarning], Shape | None] | None:
    """yaml-rs's data, warnings and measured ``Shape``, or ``None`` for the full loader.

    ``anchors=False`` (after libyaml refused a text) lets real anchors through:
    yaml-rs expands aliases within its replay limits and the loader measures the result.
    """
    try:
        import yaml_rs
    except ImportError:  # pragma: no cover - yaml-rs is a dependency; this keeps it optional
        return None
    if not shallow(text) or needs_full_loader(text, anchors=False) or first_control(text):
        return None
    anchored = anchor_starts(text) if anchors else []
    equals = _equals_candidates(text)
    if equals is None:
        return None
    try:
        read = _with_sentinels(text, equals)
        data = yaml_rs.loads(read, parse_datetime=False)
        if anchored and not _anchors_are_text(read, anchored, data):
            return None
    except Exception:  # any refusal means "ask the full loader"
        return None
    if not isinstance(data, dict):
        return None
    renamed: list[int] = []  # integer keys made strings, per mapping
    shape = plain_shape(data, renamed)  # one pass where it can; ``make_plain`` where it cannot
    if shape is False or (shape is None and not make_plain(data, renamed)):
        return None
    if renamed and _SPELLED_INT_KEY.search(text):
        return None
    if _extra_last_break(text, data):
        return None
    warnings = _restore_equals(text, data, equals) if equals else []
    return None if warnings is None else (data, warnings, shape)


_SPELLED_INT_KEY = re.compile(r"(?m:[,{\[?]|^[ \t?\-]*)[ \t]*(?:[-+]?0[0-9xXoObB]|\+[0-9]|-0)")
"""Where an integer key may be spelled so ``str(int(...))`` changes it (``{007: x}``,
``? +1``, ``-0:``, a key on the line after ``{``): the full loader keeps a key's text.
``guards`` sends block keys like ``007:`` there already; this wider scan runs only
when yaml-rs read an integer key, and over-matches (``- 007``) only into the full
loader; a value after ``key: `` (``n: 0x1F``) is not a key."""
_EQUALS = re.compile(r"=(?=[ \t]*(?:[\r\n,\]}]|\Z)|[ \t]+#)")
"""An ``=`` that ends a plain scalar; ``_equals_candidates`` checks where it starts."""
_NODE_START = "\n-:?[{,"
"""What precedes (past spaces) the first character of a node; also the text's start."""
_SENTINEL = 0xF0000
"""``=`` candidates are read as private-use characters from here (plane 15) ..."""
_SENTINELS = re.compile(r"[\U000F0000-\U0010FFFF]")
_SENTINEL_ESCAPES = re.compile(r"\\(?:U00(?:0[Ff]|10)|u[Dd][Bb][89A-Fa-f])")
"""... so neither such a character nor an escape that makes one may be in the text."""
_LONE_CR = re.compile(r"\r(?!\n)")
"""A line break to libyaml, which counts lines for its warnings."""
_MAX_EQUALS = 0xFFFE


def _equals_candidates(text: str) -> list[int] | None:
    """Offsets of every ``=`` that may be a whole plain scalar; ``None``: cannot tell them apart.

    A superset, found in one cheap scan: a candidate in a comment, a key, a
    block scalar or a longer scalar sends the text to the full loader
    (``_restore_equals`` finds it is not a whole value).
    """
    found: list[int] = []
    for match in _EQUALS.finditer(text):
        at = match.start()
        before = at - 1
        while before >= 0 and text[before] in " \t":
            before -= 1
        if before < 0 or (
            text[before] in _NODE_START and (before < at - 1 or text[before] not in "-?")
        ):  # ``-`` and ``?`` are indicators only before a space
            found.append(at)
    if found and (
        len(found) > _MAX_EQUALS
        or (not text.isascii() and _SENTINELS.search(text))
        or _SENTINEL_ESCAPES.search(text)
        or _LONE_CR.search(text)
    ):
        return None
    return found


_NOT_ANCHOR = "\U0010fffd"
"""What ``_anchors_are_text`` writes for an ``&``: a private-use character no YAML reads
as an indicator, so where an anchor was it starts a plain scalar instead."""


def _anchors_are_text(text: str, anchors: list[int], data: Any) -> bool:
    """Is every ``&`` at ``anchors`` part of a scalar (or comment), not an anchor?

    ``text`` is read again with each such ``&`` swapped for ``_NOT_ANCHOR``:
    where one was an anchor, the name it was is now content (or the text no
    longer parses), so the data differs once the swap is undone; where each
    was content, the data is the same. Then yaml-rs read no anchor, and the
    guards (which look right after an indicator) saw every node as it is.
    """
    if _NOT_ANCHOR in text:
        return False
    marked = list(text)
    for at in anchors:
        marked[at] = _NOT_ANCHOR
    import yaml_rs

    again = yaml_rs.loads("".join(marked), parse_datetime=False)
    same = json.dumps(again, ensure_ascii=False).replace(_NOT_ANCHOR, "&")
    return same == json.dumps(data, ensure_ascii=False)


def _with_sentinels(text: str, equals: list[int]) -> str:
    """``text`` with the ``i``-th candidate ``=`` replaced by the ``i``-th sentinel."""
    if not equals:
        return text
    parts: list[str] = []
    last = 0
    for index, at in enumerate(equals):
        parts += (text[last:at], chr(_SENTINEL + index))
        last = at + 1
    parts.append(text[last:])
    return "".join(parts)


def _restore_equals(text: str, data: dict[str, Any], equals: list[int]) -> list[LoadWarning] | None:
    """Put ``=`` back where a sentinel is a whole value and warn there, as the full loader does.

    PyYAML constructs nested collections breadth first, so its warnings come in
    that order. ``None`` when a candidate is not a whole value (in a comment,
    a key, a longer scalar): the full loader decides then.
    """
    pending: dict[str, tuple[int, int]] = {}
    line, line_start, counted = 1, 0, 0
    for index, at in enumerate(equals):
        line += text.count("\n", counted, at)
        line_start = text.rfind("\n", counted, at) + 1 or line_start
        pending[chr(_SENTINEL + index)] = (line, at - line_start + 1)
        counted = at
    warnings: list[LoadWarning] = []
    queue: deque[Any] = deque([data])
    while queue:
        value = queue.popleft()
        items = value.items() if isinstance(value, dict) else enumerate(value)
        restored = []
        for key, item in items:
            if isinstance(item, (dict, list)):
                queue.append(item)
            elif type(item) is str and item in pending:
                restored.append(key)
                warnings.append((*pending.pop(item), *YAML11_VALUE))
        for key in restored:
            value[key] = "="
    return None if pending else warnings


def _extra_last_break(text: str, data: dict[str, Any]) -> bool:
    """Might yaml-rs have read the document's last node with a line break libyaml does not?

    It keeps the line break a last block scalar has not got when the text does
    not end with one, and reads an empty last one (``a: |``) as a line break.
    The first is taken back (``_drop_last_break``) where the text's last line
    is plainly that scalar's last line (DigitalOcean has such a file: reading
    it with the full loader imported PyYAML for the whole run).
    """
    parent: Any = None
    key: Any = None
    last: Any = data
    while isinstance(last, (dict, list)) and last:
        parent = last
        if isinstance(last, dict):
            key = next(reversed(last))
            if key.endswith("\n"):
                return True
            last = last[key]
        else:
            key = len(last) - 1
            last = last[key]
    if not (isinstance(last, str) and last.endswith("\n")):
        return False
    if not last.strip("\n"):
        return True
    if text.endswith("\n"):
        return False
    return not _drop_last_break(text, parent, key, last)


def _drop_last_break(text: str, parent: Any, key: Any, last: str) -> bool:
    """Take the line break off a last block scalar when the text ends on its last line.

    Only for one line break after text that is the text's last line as written
    (past its indentation), so the line is the scalar's own: not a comment, a
    quote, a folded or more-indented line, nor a document marker.
    """
    line = text[text.rfind("\n") + 1 :]
    content = line.lstrip(" ")
    value = last[:-1]
    if (
        not content
        or content.startswith(("#", "...", "---"))
        or value.endswith("\n")
        or "\r" in line
        or len(content) == len(line)  # not indented: not a block scalar's line
    ):
        return False
    if value.rsplit("\n", 1)[-1] != content:
        return False
    parent[key] = value
    return True
