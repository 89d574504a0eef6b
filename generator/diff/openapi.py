"""OpenAPI rules: paths, operations, parameters, bodies, responses, security, servers.

Request parts are judged as inputs and response parts as outputs (``schema``).
Paths are matched by template shape (``/pets/{id}`` is ``/pets/{petId}``),
parameters by location and name (header names ignore case), media types and
statuses by key. Swagger 2.0 is first normalised the way the generator does it
(``translate.swagger2``), so a 2.0 -> 3.0 migration compares like for like.
"""

from __future__ import annotations

import re
from typing import Any

from generator.diff.changes import Change, Collector
from generator.diff.schema import INPUT, OUTPUT, SchemaDiff
from generator.diff.security import Requirement, describe, requirement_losses, scheme_identity
from generator.load import Document
from generator.load.nodes import Node, RefFollower

__all__ = ["diff_openapi", "normalise"]

_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace", "query")
_TEMPLATE = re.compile(r"\{[^}/]*\}")
_DEFAULT_STYLE = {"query": "form", "cookie": "form", "path": "simple", "header": "simple"}


def normalise(doc: Document) -> Document:
    """A Swagger 2.0 document in the 3.0 shape (others unchanged)."""
    if doc.kind is not None and doc.kind.major_minor == "2.0":
        from generator.translate.swagger2 import upgrade

        return upgrade(doc)
    return doc


def _mapping(node: Node | None) -> dict[str, Any]:
    return node.value if node is not None and isinstance(node.value, dict) else {}


class _OpenAPI:
    def __init__(self, old: Document, new: Document, out: Collector) -> None:
        self.old, self.new, self.out = old, new, out
        self.schemas = SchemaDiff(old.refs, new.refs)
        self.o_root = Node(old.data, old.root, "")
        self.n_root = Node(new.data, new.root, "")

    def emit(self, code: str, at: Node, message: str, whom: str = "") -> None:
        self.out.add(Change(code, at, message), whom)

    def run(self) -> None:
        self.servers()
        self.schemes()
        olds, news = self.paths(self.o_root, self.old.refs), self.paths(self.n_root, self.new.refs)
        for key, (path, o_item) in olds.items():
            n_path, n_item = news.get(key, (path, None))
            for method in _METHODS:
                o_op = o_item.child(method)
                if o_op is None or not isinstance(o_op.value, dict):
                    continue
                n_op = n_item.child(method) if n_item is not None else None
                if n_item is None or n_op is None or not isinstance(n_op.value, dict):
                    self.removed(o_op, f"{method.upper()} {path}")
                    continue
                self.operation(f"{method.upper()} {n_path}", o_item, o_op, n_item, n_op)
        for key, (path, n_item) in news.items():
            old_item = olds.get(key)
            for method in _METHODS:
                n_op = n_item.child(method)
                if n_op is None or not isinstance(n_op.value, dict):
                    continue
                o_op = old_item[1].child(method) if old_item is not None else None
                if o_op is None or not isinstance(o_op.value, dict):
                    self.emit("operation-added", n_op, f"operation {method.upper()} {path} added")

    def removed(self, o_op: Node, label: str) -> None:
        if o_op.value.get("deprecated") is True:
            self.emit(
                "operation-removed-deprecated",
                o_op,
                f"deprecated operation {label} removed; clients still calling it break",
            )
        else:
            self.emit(
                "operation-removed", o_op, f"operation {label} removed; clients calling it break"
            )

    @staticmethod
    def paths(root: Node, refs: RefFollower) -> dict[str, tuple[str, Node]]:
        found: dict[str, tuple[str, Node]] = {}
        for path, raw in _items(root.child("paths")):
            item = refs.deref(raw)
            if item is not None and isinstance(item.value, dict):
                found.setdefault(_TEMPLATE.sub("{}", path), (path, item))
        return found

    # -- one operation -------------------------------------------------------------------

    def operation(self, label: str, o_item: Node, o_op: Node, n_item: Node, n_op: Node) -> None:
        self.parameters(label, o_item, o_op, n_item, n_op)
        self.body(label, o_op, n_op)
        self.responses(label, o_op, n_op)
        self.security(label, o_op, n_op)

    def parameters(self, label: str, o_item: Node, o_op: Node, n_item: Node, n_op: Node) -> None:
        olds = _params(o_item, o_op, self.old.refs)
        news = _params(n_item, n_op, self.new.refs)
        whom = f"clients calling {label}"
        moved: set[tuple[str, str]] = set()
        for key, o in olds.items():
            where, name = key
            n = news.get(key)
            if n is None:
                elsewhere = [k for k in news if k[1] == name and k not in olds]
                if elsewhere:
                    moved.add(elsewhere[0])
                    message = f"parameter {name!r} moved from {where} to {elsewhere[0][0]}"
                    self.emit("param-in-changed", news[elsewhere[0]], message, whom)
                else:
                    self.emit("param-removed", o, f"{where} parameter {name!r} removed", whom)
                continue
            ov, nv = o.value, n.value
            if bool(ov.get("required")) != bool(nv.get("required")):
                code = "param-became-required" if nv.get("required") else "param-became-optional"
                verb = "became required" if nv.get("required") else "became optional"
                self.emit(
                    code, n.child("required") or n, f"{where} parameter {name!r} {verb}", whom
                )
            o_style = ov.get("style", _DEFAULT_STYLE.get(where, "form"))
            n_style = nv.get("style", _DEFAULT_STYLE.get(where, "form"))
            if o_style != n_style:
                at = n.child("style") or n
                self.emit(
                    "param-style-changed",
                    at,
                    f"{where} parameter {name!r} style changed from {o_style} to {n_style}",
                    whom,
                )
            if ov.get("explode", o_style == "form") != nv.get("explode", n_style == "form"):
                at = n.child("explode") or n
                self.emit(
                    "param-explode-changed", at, f"{where} parameter {name!r} explode changed", whom
                )
            self.out.extend(
                self.schemas.compare(_param_schema(o), _param_schema(n), INPUT),
                f"clients sending {where} parameter {name!r} of {label}",
            )
        for key, n in news.items():
            where, name = key
            if key in olds or key in moved:
                continue
            if n.value.get("required"):
                self.emit(
                    "param-required-added", n, f"new required {where} parameter {name!r}", whom
                )
            else:
                self.emit("param-added", n, f"{where} parameter {name!r} added", whom)

    def body(self, label: str, o_op: Node, n_op: Node) -> None:
        ob = self.old.refs.deref(o_op.child("requestBody"))
        nb = self.new.refs.deref(n_op.child("requestBody"))
        whom = f"clients calling {label}"
        if nb is None or not isinstance(nb.value, dict):
            if ob is not None and isinstance(ob.value, dict):
                self.emit("request-body-removed", ob, "request body removed", whom)
            return
        required = nb.value.get("required") is True
        if ob is None or not isinstance(ob.value, dict):
            if required:
                self.emit(
                    "request-body-added-required", nb, "a required request body was added", whom
                )
            return
        if required and ob.value.get("required") is not True:
            self.emit(
                "request-body-became-required",
                nb.child("required") or nb,
                "request body became required",
                whom,
            )
        self.media(label, ob, nb, "request", INPUT)

    def media(self, label: str, o: Node, n: Node, part: str, side: str, status: str = "") -> None:
        o_content, n_content = o.child("content"), n.child("content")
        olds = {k.lower(): v for k, v in (o_content.items() if o_content else ())}
        news = {k.lower(): v for k, v in (n_content.items() if n_content else ())}
        where = f"{label} response {status}" if status else label
        whom = f"clients {'reading' if side == OUTPUT else 'calling'} {where}"
        for media, om in olds.items():
            nm = news.get(media)
            if nm is None:
                self.emit(
                    f"{part}-media-type-removed", om, f"{part} media type {media} removed", whom
                )
                continue
            self.out.extend(
                self.schemas.compare(om.child("schema"), nm.child("schema"), side),
                f"{whom} ({media})",
            )
        for media, nm in news.items():
            if media not in olds and olds:
                self.emit(f"{part}-media-type-added", nm, f"{part} media type {media} added", whom)

    def responses(self, label: str, o_op: Node, n_op: Node) -> None:
        olds = dict(_items(o_op.child("responses")))
        news = dict(_items(n_op.child("responses")))
        whom = f"clients calling {label}"
        for status, raw in olds.items():
            o = self.old.refs.deref(raw)
            if status not in news:
                code = (
                    "response-success-status-removed"
                    if status.startswith("2")
                    else "response-status-removed"
                )
                self.emit(code, raw, f"response {status} removed", whom)
                continue
            n = self.new.refs.deref(news[status])
            if (
                o is None
                or n is None
                or not isinstance(o.value, dict)
                or not isinstance(n.value, dict)
            ):
                continue
            self.media(label, o, n, "response", OUTPUT, status)
            self.headers(label, status, o, n)
        for status, raw in news.items():
            if status not in olds:
                self.emit("response-status-added", raw, f"response {status} added", whom)

    def headers(self, label: str, status: str, o: Node, n: Node) -> None:
        olds = {k.lower(): v for k, v in _items(o.child("headers"))}
        news = {k.lower(): v for k, v in _items(n.child("headers"))}
        whom = f"clients reading {label} response {status}"
        for name, oh in olds.items():
            nh = news.get(name)
            if nh is None:
                self.emit("response-header-removed", oh, f"response header {name} removed", whom)
                continue
            ohr, nhr = self.old.refs.deref(oh), self.new.refs.deref(nh)
            if ohr is not None and nhr is not None:
                self.out.extend(
                    self.schemas.compare(ohr.child("schema"), nhr.child("schema"), OUTPUT),
                    f"{whom} (header {name})",
                )

    # -- security and servers --------------------------------------------------------------

    def requirements(
        self, root: Node, op: Node, refs: RefFollower
    ) -> tuple[list[Requirement], Node]:
        holder = op if "security" in op.value else root
        raw = holder.value.get("security") if isinstance(holder.value, dict) else None
        schemes = _mapping(refs.deref(root.child("components"))).get("securitySchemes")
        schemes = schemes if isinstance(schemes, dict) else {}
        if not isinstance(raw, list) or not raw:
            return [frozenset()], holder.child("security") or holder
        reqs: list[Requirement] = []
        for item in raw:
            if not isinstance(item, dict):
                continue
            parts = set()
            for name, scopes in item.items():
                scheme = refs.follow(schemes.get(name), root.source)
                ident = scheme_identity(scheme.value if scheme else None, str(name))
                parts.add((ident, frozenset(s for s in scopes or () if isinstance(s, str))))
            reqs.append(frozenset(parts))
        return reqs, holder.child("security") or holder

    def security(self, label: str, o_op: Node, n_op: Node) -> None:
        olds, _ = self.requirements(self.o_root, o_op, self.old.refs)
        news, at = self.requirements(self.n_root, n_op, self.new.refs)
        lost, added = requirement_losses(olds, news)
        whom = f"clients calling {label}"
        for req in lost:
            self.emit(
                "security-requirement-changed",
                at,
                f"clients authenticating with {describe(req)} are no longer accepted",
                whom,
            )
        if not lost:
            for req in added:
                self.emit(
                    "security-requirement-added",
                    at,
                    f"clients may now authenticate with {describe(req)}",
                    whom,
                )

    def schemes(self) -> None:
        def table(root: Node, refs: RefFollower) -> dict[str, Node]:
            comps = refs.deref(root.child("components"))
            group = comps.child("securitySchemes") if comps is not None else None
            return {k: v for k, v in _items(group)}

        olds, news = table(self.o_root, self.old.refs), table(self.n_root, self.new.refs)
        for name, o in olds.items():
            if name not in news:
                continue
            ov, nv = self.old.refs.deref(o), self.new.refs.deref(news[name])
            a = scheme_identity(ov.value if ov else None, name)
            b = scheme_identity(nv.value if nv else None, name)
            if a != b:
                self.emit(
                    "security-scheme-changed",
                    nv or news[name],
                    f"security scheme {name!r} changed from {a} to {b}",
                )

    def servers(self) -> None:
        def urls(root: Node) -> dict[str, Node]:
            found: dict[str, Node] = {}
            group = root.child("servers")
            for server in group.elements() if group is not None else ():
                url = _mapping(server).get("url")
                if isinstance(url, str):
                    found.setdefault(url.rstrip("/"), server)
            return found

        olds, news = urls(self.o_root), urls(self.n_root)
        for url, o in olds.items():
            if url not in news:
                self.emit(
                    "server-removed", o, f"server {url} removed; clients configured with it break"
                )
        if olds:
            for url, n in news.items():
                if url not in olds:
                    self.emit("server-added", n, f"server {url} added")


def _items(node: Node | None) -> list[tuple[str, Node]]:
    return list(node.items()) if node is not None else []


def _params(item: Node, op: Node, refs: RefFollower) -> dict[tuple[str, str], Node]:
    found: dict[tuple[str, str], Node] = {}
    for group in (item.child("parameters"), op.child("parameters")):
        for raw in group.elements() if group is not None else ():
            param = refs.deref(raw)
            if param is None or not isinstance(param.value, dict):
                continue
            name, where = param.value.get("name"), param.value.get("in")
            if isinstance(name, str) and isinstance(where, str):
                found[(where, name.lower() if where == "header" else name)] = param
    return found


def _param_schema(param: Node) -> Node | None:
    schema = param.child("schema")
    if schema is not None:
        return schema
    for _, media in _items(param.child("content")):
        return media.child("schema")
    return None


def diff_openapi(old: Document, new: Document, out: Collector) -> None:
    """Collect every change from ``old`` to ``new`` (both OpenAPI) into ``out``."""
    _OpenAPI(normalise(old), normalise(new), out).run()
