"""What plain synthesis misses, found and mended with ``jsonschema``'s verdict.

The synthesiser in ``examples`` builds a value from a schema's structure; some
constraints only show when the whole value is validated:

- a property defined in several ``allOf`` parts must fit every definition;
- an object with ``properties`` and ``anyOf``/``oneOf`` branches that only add
  ``required`` (``anyOf: [{required: [a]}, {required: [b]}]``) needs one
  branch's properties present;
- a ``oneOf`` value must match exactly one branch: other branches are tried,
  then a property another branch declares is given a value that branch refuses;
- ``uniqueItems`` needs distinct items.

``ExampleFixes`` is a base of the synthesiser: each method takes what it made
and returns something that validates, or the value unchanged when nothing does.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from generator.diagnostics import escape_pointer
from generator.load import Source
from generator.translate.example_checks import Located, SchemaChecker, as_list
from generator.translate.example_jsonschema import JsonSchemaCheck

__all__ = ["ExampleFixes"]

_JUNK: tuple[Any, ...] = (0, "x", False, [], {})
"""Values tried to make a value fail a branch it should not match (by a property's type)."""


class ExampleFixes(SchemaChecker):
    """Validity checks and repairs the synthesiser calls; ``value`` is the synthesiser's own."""

    json: JsonSchemaCheck
    dialect: str

    if TYPE_CHECKING:  # provided by the synthesiser

        def value(
            self,
            schema: Any,
            source: Source,
            pointer: str,
            depth: int,
            stack: frozenset[tuple[int, str]],
        ) -> Any: ...

    def ok(self, value: Any, schema: Any, source: Source, pointer: str) -> bool:
        """Whether ``value`` validates against the schema (a schema not found passes)."""
        found = self.deref(schema, source, pointer)
        return found is None or self.json.valid(value, *found, self.dialect)

    def definitions(self, schema: Any, source: Source, pointer: str) -> dict[str, list[Located]]:
        """Every definition of each property, across ``allOf`` (in reading order)."""
        out: dict[str, list[Located]] = {}
        seen: set[tuple[int, str]] = set()
        todo: list[Located] = [(schema, source, pointer)]
        while todo:
            found = self.deref(*todo.pop(0))
            if found is None or not isinstance(found[0], dict):
                continue
            node, nsource, npointer = found
            if (id(nsource), npointer) in seen:
                continue
            seen.add((id(nsource), npointer))
            props = node.get("properties")
            for wire, sub in props.items() if isinstance(props, dict) else ():
                out.setdefault(str(wire), []).append(
                    (sub, nsource, f"{npointer}/properties/{escape_pointer(wire)}")
                )
            todo.extend(
                (p, nsource, f"{npointer}/allOf/{i}")
                for i, p in enumerate(as_list(node.get("allOf")))
            )
        return out

    def property_value(
        self, defs: list[Located], depth: int, stack: frozenset[tuple[int, str]]
    ) -> Any:
        """A value for a property that fits each of its definitions (the first one's when none does)."""
        first: Any = None
        for i, (sub, ssource, spointer) in enumerate(defs):
            made = self.value(sub, ssource, spointer, depth + 1, stack)
            if i == 0:
                first = made
                if len(defs) == 1:
                    return made
            if all(self.ok(made, *d) for d in defs):
                return made
        return first

    def with_branch_required(
        self,
        out: dict[str, Any],
        schema: dict[str, Any],
        source: Source,
        pointer: str,
        depth: int,
        stack: frozenset[tuple[int, str]],
    ) -> dict[str, Any]:
        """``out`` plus the required properties of the first ``anyOf``/``oneOf`` branch that makes it valid."""
        if not (schema.get("anyOf") or schema.get("oneOf")) or self.ok(
            out, schema, source, pointer
        ):
            return out
        defs = self.definitions(schema, source, pointer)
        for key in ("anyOf", "oneOf"):
            for i, branch in enumerate(as_list(schema.get(key))):
                found = self.deref(branch, source, f"{pointer}/{key}/{i}")
                if found is None or not isinstance(found[0], dict):
                    continue
                _props, required, _extra = self.shape(*found)
                own = self.definitions(*found)
                trial = dict(out)
                for wire in sorted(required - set(trial)):
                    located = defs.get(wire) or own.get(wire)
                    trial[wire] = self.property_value(located, depth, stack) if located else None
                if self.ok(trial, schema, source, pointer):
                    return trial
        return out

    def one_of(
        self,
        made: list[tuple[int, Any]],
        schema: dict[str, Any],
        source: Source,
        pointer: str,
        depth: int,
        stack: frozenset[tuple[int, str]],
    ) -> Any:
        """Of each branch's value (``(index, value)``), one valid for the ``oneOf`` as a whole.

        When every value matches several branches, one of its branch's optional
        properties is added (its type may rule out the other branch); else a
        property that another matching branch declares (and the value's own
        branch does not) is set to a value that branch refuses.
        """
        for _index, value in made:
            if self.ok(value, schema, source, pointer):
                return value
        branches = as_list(schema.get("oneOf"))
        for index, value in made:
            mine = self.deref(branches[index], source, f"{pointer}/oneOf/{index}")
            if not isinstance(value, dict) or mine is None:
                continue
            for wire, defs in self.definitions(*mine).items():
                if wire not in value:
                    trial = {**value, wire: self.property_value(defs, depth, stack)}
                    if self.ok(trial, schema, source, pointer):
                        return trial
        for index, value in made:
            if not isinstance(value, dict):
                continue
            mine = self.deref(branches[index], source, f"{pointer}/oneOf/{index}")
            own = set(self.definitions(*mine)) if mine is not None else set()
            trial = dict(value)
            for other, branch in enumerate(branches):
                located = self.deref(branch, source, f"{pointer}/oneOf/{other}")
                if other == index or located is None or not self.ok(trial, *located):
                    continue
                for wire, defs in self.definitions(*located).items():
                    if wire in own or wire in trial:
                        continue
                    junk = next((j for j in _JUNK if not self.ok(j, *defs[0])), None)
                    if junk is not None:
                        trial[wire] = junk
                        break
            if self.ok(trial, schema, source, pointer):
                return trial
        return made[0][1] if made else None

    def distinct(self, made: list[Any], items: Any, source: Source, pointer: str) -> list[Any]:
        """``made`` with repeated items replaced by other valid values (``uniqueItems``)."""
        out: list[Any] = []
        found = self.deref(items, source, pointer)
        enum = as_list(found[0].get("enum")) if found and isinstance(found[0], dict) else []
        for i, value in enumerate(made):
            if not any(_same(value, o) for o in out):
                out.append(value)
                continue
            for alt in [*enum, *_variants(value, i)]:
                if not any(_same(alt, o) for o in out) and self.ok(alt, items, source, pointer):
                    out.append(alt)
                    break
            else:
                out.append(value)
        return out


def _same(a: Any, b: Any) -> bool:
    return type(a) is type(b) and bool(a == b)


def _variants(value: Any, i: int) -> Iterator[Any]:
    """Values near ``value`` to try as the ``i``-th distinct item."""
    if isinstance(value, bool):
        yield not value
    elif isinstance(value, int):
        yield from (value + i, value - i, value + i * 10)
    elif isinstance(value, float):
        yield from (value + i, value + i / 10, value - i)
    elif isinstance(value, str):
        yield from (
            value + str(i),
            str(i),
            value[:-1] + str(i),
            chr(ord("a") + i % 26) * max(1, len(value)),
        )
        if value:
            yield value[:-1] + chr(ord("a") + i % 26)
