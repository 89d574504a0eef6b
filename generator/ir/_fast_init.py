"""A cheaper ``__init__`` for the IR's most-built frozen, slotted dataclasses.

A frozen dataclass's generated ``__init__`` sets each field with
``object.__setattr__(self, name, value)``: a global lookup, an attribute lookup
and a by-name slot search per field. Translating stripe builds ~50,000 IR
objects (fields, types, Field(...) arguments), and those calls were ~15% of the
stage. ``fast_init`` swaps in an ``__init__`` of the very same signature that
writes each slot through its own descriptor (found once, when the class is
made): ~1/3 less per object, and the class stays what it was (frozen, same
equality, hash, order, repr, pickling). ``fast_replace`` is ``dataclasses.replace`` for
those classes (a changed type or a nullable copy, a few thousand a spec) without its
per-call walk over the fields and its keyword ``__init__``.
"""

from __future__ import annotations

import dataclasses
import inspect
from typing import Any, TypeVar

__all__ = ["fast_init", "fast_replace"]

T = TypeVar("T")

_REPLACERS: dict[type, Any] = {}
"""Each ``fast_init`` class's generated ``replace``: a copy with some fields changed."""
_KEEP = object()


def fast_init(cls: type[T]) -> type[T]:
    """``cls`` (a frozen, slotted, keyword-only dataclass) with a descriptor-setting ``__init__``.

    Only for the plain case: every field in ``__init__``, defaults given as values
    (no ``default_factory``), no ``__post_init__``; anything else is refused, so a
    later field that needs more keeps failing loudly instead of initialising wrongly.
    """
    params = dataclasses.fields(cls)  # type: ignore[arg-type]
    plain = all(f.init and f.kw_only and f.default_factory is dataclasses.MISSING for f in params)
    if not plain or hasattr(cls, "__post_init__") or not hasattr(cls, "__slots__"):
        raise TypeError(f"fast_init: {cls.__name__} is not a plain frozen, slotted dataclass")
    scope: dict[str, Any] = {}
    signature: list[str] = []
    body: list[str] = []
    for index, f in enumerate(params):
        setter, default = f"_set{index}", f"_default{index}"
        scope[setter] = vars(cls)[f.name].__set__  # the slot's member descriptor
        if f.default is dataclasses.MISSING:
            signature.append(f.name)
        else:
            scope[default] = f.default
            signature.append(f"{f.name}={default}")
        body.append(f"    {setter}(self, {f.name})")
    source = f"def __init__(self, *, {', '.join(signature)}):\n" + "\n".join(body) + "\n"
    exec(source, scope)  # as dataclasses itself makes __init__
    init = scope["__init__"]
    stock = vars(cls)["__init__"]
    init.__qualname__ = stock.__qualname__
    init.__annotations__ = stock.__annotations__
    init.__doc__ = stock.__doc__
    if inspect.signature(init) != inspect.signature(stock):  # pragma: no cover - a guard
        raise TypeError(f"fast_init: {cls.__name__}'s signature would change")
    type.__setattr__(cls, "__init__", init)
    _REPLACERS[cls] = _replacer(cls, params)
    return cls


def _replacer(cls: type, params: tuple[dataclasses.Field[Any], ...]) -> Any:
    """A function ``(obj, *, field=...)`` copying ``obj`` with the given fields changed."""
    scope: dict[str, Any] = {"_new": object.__new__, "_cls": cls, "_KEEP": _KEEP}
    signature: list[str] = []
    body = ["    new = _new(_cls)"]
    for index, f in enumerate(params):
        scope[f"_set{index}"] = vars(cls)[f.name].__set__
        signature.append(f"{f.name}=_KEEP")
        body.append(f"    _set{index}(new, obj.{f.name} if {f.name} is _KEEP else {f.name})")
    source = f"def replace(obj, *, {', '.join(signature)}):\n" + "\n".join(body)
    exec(source + "\n    return new\n", scope)
    return scope["replace"]


def fast_replace(obj: T, **changes: Any) -> T:
    """``dataclasses.replace(obj, **changes)`` for an instance of a ``fast_init`` class."""
    made: T = _REPLACERS[type(obj)](obj, **changes)
    return made
