"""``ir._fast_init``: the swapped ``__init__`` makes the same objects as the dataclass's own."""

from __future__ import annotations

import copy
import dataclasses
import inspect
import pickle
from typing import Any

import pytest

from generator.ir import http, http_errors, schema
from generator.ir._fast_init import fast_init, fast_replace

PATCHED = [
    schema.Value,
    schema.TypeRef,
    schema.FieldArg,
    schema.ModelField,
    schema.EnumMember,
    http.Parameter,
    http.Operation,
    http.SchemeUse,
    http.SecurityRequirement,
    http_errors.Failure,
]


def _stock(cls: type[Any]) -> type[Any]:
    """The same class made by ``dataclass`` alone (its generated ``__init__``)."""
    plain = type(cls.__name__, (), {"__annotations__": dict(cls.__annotations__)})
    for f in dataclasses.fields(cls):
        if f.default is not dataclasses.MISSING:
            setattr(plain, f.name, f.default)
    plain.__module__ = cls.__module__
    made: type[Any] = dataclasses.dataclass(frozen=True, slots=True, kw_only=True)(plain)
    return made


def _sample(cls: type[Any], *, all_fields: bool) -> dict[str, Any]:
    """Keyword arguments: every required field, and every defaulted one too if ``all_fields``."""
    kwargs: dict[str, Any] = {}
    for i, f in enumerate(dataclasses.fields(cls)):
        if f.default is dataclasses.MISSING or all_fields:
            kwargs[f.name] = f"value-{i}" if f.default is dataclasses.MISSING else f.default
            if all_fields and isinstance(f.default, (str, tuple, bool)):
                kwargs[f.name] = type(f.default)() if f.default else f"x{i}"
    return kwargs


@pytest.mark.parametrize("cls", PATCHED, ids=lambda c: c.__name__)
def test_same_signature_and_fields(cls: type[Any]) -> None:
    stock = _stock(cls)
    assert inspect.signature(cls.__init__) == inspect.signature(stock.__init__)
    for all_fields in (False, True):
        kwargs = _sample(cls, all_fields=all_fields)
        fast, slow = cls(**kwargs), stock(**kwargs)
        for f in dataclasses.fields(cls):
            assert getattr(fast, f.name) is getattr(slow, f.name)
        assert fast == cls(**kwargs) and hash(fast) == hash(cls(**kwargs))
        assert pickle.loads(pickle.dumps(fast)) == fast
        assert copy.deepcopy(fast) == fast


@pytest.mark.parametrize("cls", PATCHED, ids=lambda c: c.__name__)
def test_still_frozen_and_strict(cls: type[Any]) -> None:
    kwargs = _sample(cls, all_fields=False)
    made = cls(**kwargs)
    name = dataclasses.fields(cls)[0].name
    with pytest.raises(dataclasses.FrozenInstanceError):
        setattr(made, name, "other")
    with pytest.raises(TypeError):
        cls(**kwargs, not_a_field=1)
    required = [f.name for f in dataclasses.fields(cls) if f.default is dataclasses.MISSING]
    if required:
        with pytest.raises(TypeError):
            cls(**{k: v for k, v in kwargs.items() if k != required[0]})
    with pytest.raises(TypeError):
        cls(*kwargs.values())  # keyword-only, as before


def test_refuses_what_it_cannot_copy() -> None:
    @dataclasses.dataclass(frozen=True, slots=True, kw_only=True)
    class Factory:
        items: list[int] = dataclasses.field(default_factory=list)

    @dataclasses.dataclass(frozen=True, slots=True, kw_only=True)
    class NotInit:
        kind: str = dataclasses.field(default="k", init=False)

    @dataclasses.dataclass(frozen=True, kw_only=True)
    class NoSlots:
        name: str

    for cls in (Factory, NotInit, NoSlots):
        with pytest.raises(TypeError):
            fast_init(cls)


@pytest.mark.parametrize("cls", PATCHED, ids=lambda c: c.__name__)
def test_fast_replace_is_dataclasses_replace(cls: type[Any]) -> None:
    made = cls(**_sample(cls, all_fields=True))
    for f in dataclasses.fields(cls):
        other = fast_replace(made, **{f.name: "changed"})
        assert type(other) is cls
        assert other == dataclasses.replace(made, **{f.name: "changed"})
        assert made == cls(**_sample(cls, all_fields=True))  # the original is untouched
    assert fast_replace(made) == made
    with pytest.raises(TypeError):
        fast_replace(made, not_a_field=1)
