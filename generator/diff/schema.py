"""Two versions of a schema, compared by resolved shape and judged by direction.

``input`` schemas describe what callers send (request parts, messages the
application receives): accepting less breaks them. ``output`` schemas describe
what they read (responses, messages the application sends): sending more, or
something else, breaks them. ``$ref``s are followed on both sides, so moving or
renaming a component changes nothing; each pair of definitions is compared
once per direction (memoised), which also stops recursive schemas.
"""

from __future__ import annotations

from typing import Any

from generator.diff.changes import Change
from generator.diff.shapes import (
    BOUNDS,
    LOWER,
    UPPER,
    bound,
    canon,
    covers,
    flag,
    label,
    match,
    object_view,
    show,
    tighter,
    types,
    variants,
)
from generator.load.nodes import Node, RefFollower
from generator.load.refs import iter_refs

__all__ = ["INPUT", "OUTPUT", "SchemaDiff"]

INPUT, OUTPUT = "input", "output"


class SchemaDiff:
    """Compares schemas of an old and a new document; ``compare`` is memoised."""

    def __init__(self, old: RefFollower, new: RefFollower) -> None:
        self.old = old
        self.new = new
        self._memo: dict[tuple[str, str, str, str, str], tuple[Change, ...]] = {}
        self._refs: dict[int, tuple[frozenset[str], Any]] = {}
        self._stable: dict[tuple[str, int, int], bool] = {}

    def compare(self, old: Node | None, new: Node | None, side: str) -> tuple[Change, ...]:
        """The changes from ``old`` to ``new`` judged for ``side`` (``INPUT``/``OUTPUT``)."""
        o, n = self.old.deref(old), self.new.deref(new)
        if o is None or n is None:
            return ()
        key = (str(o.source.path), o.pointer, str(n.source.path), n.pointer, side)
        found = self._memo.get(key)
        if found is not None:
            return found
        self._memo[key] = ()  # a recursive schema meets itself here: nothing more to say
        if self._unchanged(o, n):
            return ()  # the same text, and every $ref in it leads to an unchanged definition
        out: list[Change] = []
        if isinstance(o.value, dict) and isinstance(n.value, dict):
            _Pair(self, o, n, side, out).run()
        elif o.value != n.value and isinstance(o.value, bool) and isinstance(n.value, bool):
            if side == INPUT:
                code = "input-type-widened" if n.value else "input-type-changed"
            else:
                code = "output-type-changed" if n.value else "output-type-narrowed"
            out.append(Change(code, n, f"schema changed from {o.value} to {n.value}"))
        result = tuple(out)
        self._memo[key] = result
        return result

    def _unchanged(self, o: Node, n: Node) -> bool:
        """Equal text whose ``$ref``s all lead to unchanged definitions (a cheap "no change").

        Refs form cycles, so a ref being decided counts as unchanged meanwhile (the
        greatest fixed point); when the answer is "changed", the unchanged verdicts
        reached under that assumption are forgotten. "Changed" verdicts always hold.
        """
        decided: list[tuple[str, int, int]] = []
        if self._same(o, n, decided):
            return True
        for key in decided:
            if self._stable.get(key):
                del self._stable[key]
        return False

    def _same(self, o: Node, n: Node, decided: list[tuple[str, int, int]]) -> bool:
        if o.value != n.value:
            return False
        for ref in self._refs_inside(n.value):
            key = (ref, id(o.source), id(n.source))
            known = self._stable.get(key)
            if known is None:
                self._stable[key] = True  # assumed while being decided (cycles)
                decided.append(key)
                ot = self.old.deref(Node({"$ref": ref}, o.source, o.pointer))
                nt = self.new.deref(Node({"$ref": ref}, n.source, n.pointer))
                known = ot is not None and nt is not None and self._same(ot, nt, decided)
                self._stable[key] = known
            if not known:
                return False
        return True

    def _refs_inside(self, value: Any) -> frozenset[str]:
        """The ``$ref`` strings in ``value`` (memoised by identity; the value is kept alive)."""
        if not isinstance(value, (dict, list)):
            return frozenset()
        found = self._refs.get(id(value))
        if found is None:
            refs = frozenset(r for _, r in iter_refs(value) if isinstance(r, str))
            found = self._refs[id(value)] = (refs, value)
        return found[0]


class _Pair:
    """One comparison of two resolved schema objects, appending to ``out``."""

    def __init__(self, diff: SchemaDiff, o: Node, n: Node, side: str, out: list[Change]) -> None:
        self.diff, self.o, self.n, self.side, self.out = diff, o, n, side, out
        self.ov: dict[str, Any] = o.value
        self.nv: dict[str, Any] = n.value
        self.inp = side == INPUT

    def emit(self, code: str, at: Node, message: str) -> None:
        self.out.append(Change(f"{self.side}-{code}", at, message))

    def at_new(self, key: str) -> Node:
        return self.n.child(key) or self.n

    def run(self) -> None:
        self.check_types()
        self.enum()
        self.bounds()
        self.pattern_and_format()
        self.objects()
        items_o, items_n = self.o.child("items"), self.n.child("items")
        if items_o is not None and items_n is not None:
            self.out.extend(self.diff.compare(items_o, items_n, self.side))
        for key in ("oneOf", "anyOf"):
            self.check_variants(key)

    # -- type, enum, bounds, pattern ------------------------------------------------------

    def check_types(self) -> None:
        ot, nt = types(self.ov), types(self.nv)
        if ot == nt:
            return
        what = f"type changed from {show(ot)} to {show(nt)}"
        at = self.at_new("type") if "type" in self.nv else self.at_new("nullable")
        wider, narrower = covers(nt, ot), covers(ot, nt)
        null_only = ot is not None and nt is not None and (ot ^ nt) == {"null"}
        if self.inp:
            if wider:
                self.emit("type-widened", at, what)
            elif null_only:
                self.emit("nullable-removed", at, "null is no longer accepted")
            else:
                self.emit("type-changed", at, what)
        elif narrower:
            self.emit("type-narrowed", at, what)
        elif null_only:
            self.emit("nullable-added", at, "null may now be sent")
        else:
            self.emit("type-changed", at, what)

    def enum(self) -> None:
        oe, ne = self._enum(self.ov), self._enum(self.nv)
        if oe == ne:
            return
        at = self.at_new("enum") if "enum" in self.nv else self.at_new("const")
        if oe is None and ne is not None:
            if self.inp:
                self.emit("enum-added", at, f"values are now limited to {sorted(ne)}")
            else:
                self.emit("enum-value-removed", at, f"values are now limited to {sorted(ne)}")
            return
        if ne is None and oe is not None:
            if self.inp:
                self.emit("type-widened", self.n, "values are no longer limited to an enum")
            else:
                self.emit("enum-removed", self.n, "values are no longer limited to an enum")
            return
        assert oe is not None and ne is not None
        removed, added = sorted(oe - ne), sorted(ne - oe)
        if removed:
            code = "enum-value-removed"
            self.emit(code, at, f"enum value(s) {', '.join(removed)} removed")
        if added:
            self.emit("enum-value-added", at, f"enum value(s) {', '.join(added)} added")

    @staticmethod
    def _enum(schema: dict[str, Any]) -> frozenset[str] | None:
        if "const" in schema:
            return frozenset([canon(schema["const"])])
        values = schema.get("enum")
        if isinstance(values, list):
            return frozenset(canon(v) for v in values)
        return None

    def bounds(self) -> None:
        if BOUNDS.isdisjoint(self.ov) and BOUNDS.isdisjoint(self.nv):
            return
        for keys, upper in ((UPPER, True), (LOWER, False)):
            for key in keys:
                verdict = tighter(bound(self.ov, key), bound(self.nv, key), upper)
                if verdict:
                    at = self.at_new(key) if key in self.nv else self.n
                    old, new = self.ov.get(key, "none"), self.nv.get(key, "none")
                    self.constraint(verdict > 0, at, f"{key} changed from {old} to {new}")
        if self.ov.get("uniqueItems") is not True and self.nv.get("uniqueItems") is True:
            self.constraint(True, self.at_new("uniqueItems"), "items must now be unique")
        om, nm = self.ov.get("multipleOf"), self.nv.get("multipleOf")
        if om != nm and isinstance(nm, (int, float)):
            looser = isinstance(om, (int, float)) and nm != 0 and (om / nm).is_integer()
            self.constraint(not looser, self.at_new("multipleOf"), f"multipleOf is now {nm}")

    def constraint(self, tighter: bool, at: Node, what: str) -> None:
        self.emit("constraint-tightened" if tighter else "constraint-loosened", at, what)

    def pattern_and_format(self) -> None:
        op, np_ = self.ov.get("pattern"), self.nv.get("pattern")
        if op != np_:
            at = self.at_new("pattern")
            if np_ is None:
                if self.inp:
                    self.emit("constraint-loosened", at, f"pattern {op!r} removed")
                else:
                    self.emit("pattern-changed", at, f"pattern {op!r} removed")
            elif op is None and not self.inp:
                self.emit("constraint-tightened", at, f"pattern {np_!r} added")
            else:
                self.emit("pattern-changed", at, f"pattern changed from {op!r} to {np_!r}")
        of, nf = self.ov.get("format"), self.nv.get("format")
        if of != nf:
            self.emit("format-changed", self.at_new("format"), f"format changed from {of} to {nf}")

    # -- objects -------------------------------------------------------------------------

    def objects(self) -> None:
        o_props, o_req, o_extra = object_view(self.o, self.diff.old)
        n_props, n_req, n_extra = object_view(self.n, self.diff.new)
        if not (o_props or n_props or o_req or n_req):
            self.extra(o_extra, n_extra)
            return
        skip = "readOnly" if self.inp else "writeOnly"
        for name in sorted(set(o_props) | set(n_props) | o_req | n_req):
            o_all, n_all = o_props.get(name, []), n_props.get(name, [])
            op = o_all[0] if o_all else None
            np_ = n_all[0] if n_all else None
            if flag(op, skip, self.diff.old) or flag(np_, skip, self.diff.new):
                continue
            was, now = name in o_req, name in n_req
            if op is not None and np_ is None and name not in n_req:
                self.emit("property-removed", op, f"property {name!r} removed")
                continue
            at = np_ or self.n
            if op is None and name not in o_req:
                if self.inp and now:
                    self.emit("property-required-added", at, f"new required property {name!r}")
                else:
                    self.emit("property-added", at, f"property {name!r} added")
            elif was != now:
                if now:
                    self.emit("property-became-required", at, f"property {name!r} became required")
                else:
                    self.emit("property-became-optional", at, f"property {name!r} became optional")
            for o_def, n_def in zip(o_all, n_all, strict=False):
                self.out.extend(self.diff.compare(o_def, n_def, self.side))
        self.extra(o_extra, n_extra)

    def extra(self, o_extra: Node | None, n_extra: Node | None) -> None:
        closed_o = o_extra is not None and o_extra.value is False
        closed_n = n_extra is not None and n_extra.value is False
        if closed_n and not closed_o:
            self.constraint(
                self.inp, n_extra or self.n, "additional properties are no longer allowed"
            )
        elif closed_o and not closed_n and not self.inp:
            self.constraint(False, n_extra or self.n, "additional properties may now be sent")
        elif (
            o_extra is not None
            and n_extra is not None
            and isinstance(o_extra.value, dict)
            and isinstance(n_extra.value, dict)
        ):
            self.out.extend(self.diff.compare(o_extra, n_extra, self.side))

    # -- alternatives --------------------------------------------------------------------

    def check_variants(self, key: str) -> None:
        olds = variants(self.o, key, self.diff.old)
        news = variants(self.n, key, self.diff.new)
        if not olds and not news:
            return
        if not olds or not news:
            return  # a union appearing or going is judged by its types above
        pairs, gone, came = match(olds, news)
        for o, n in pairs:
            self.out.extend(self.diff.compare(o, n, self.side))
        for o in gone:
            self.emit("variant-removed", o, f"{key} alternative {label(o)} removed")
        for n in came:
            self.emit("variant-added", n, f"{key} alternative {label(n)} added")
