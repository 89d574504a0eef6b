"""One self-contained document from a multi-file spec, for the server's ``/openapi.json``.

Swagger UI fetches ``/openapi.json`` alone: a ``$ref`` to ``schemas/Pet.yaml``
means nothing to it. ``bundle`` inlines what other files define; a target
reached twice or through a cycle is written once under the top-level
extension ``x-twinspec-bundled`` and referred to by a local ``$ref``. Refs that
cannot be followed stay as written (validation has reported them).

A discriminator's ``mapping`` values that are references (not schema names) are
references too: one into another loaded file becomes the local ref of the same
hoisted copy the ``oneOf`` branch refers to, so tools matching the two still
find a match. A file only a mapping names (no ``$ref`` loaded it, so validation
never read it) is not read here either: that value stays as written.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import quote

from generator.diagnostics import Diagnostic
from generator.load import Document, Source, open_in, resolve_ref
from generator.load.refs import LITERAL_KEYS, NAME_CONTAINERS, MissingFile, RefError, Target

__all__ = ["BUNDLED_KEY", "bundle"]

BUNDLED_KEY = "x-twinspec-bundled"
"""Where targets written once live in the bundled document."""

_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")
_POINTER_SAFE = "/~!$&'()*+,;=:@"
"""What a JSON pointer keeps unescaped in a URI fragment (RFC 6901, section 6)."""


def _mapping(value: dict[str, Any]) -> dict[str, Any] | None:
    """``value``'s ``discriminator.mapping`` when it has one (a schema object's)."""
    discriminator = value.get("discriminator")
    mapping = discriminator.get("mapping") if isinstance(discriminator, dict) else None
    return mapping if isinstance(mapping, dict) and mapping else None


def _is_reference(target: Any) -> bool:
    """A mapping value that is a reference, not a schema name (names hold no ``/`` or ``#``)."""
    return isinstance(target, str) and (
        "#" in target or "/" in target or target.endswith((".yaml", ".yml", ".json"))
    )


def bundle(doc: Document) -> Any:
    """``doc``'s root data with every cross-file ``$ref`` resolved inside the document."""
    if len(doc.files) <= 1:
        return doc.data
    bundler = _Bundler(doc)
    try:
        data = bundler.walk(doc.data, doc.root, "")
    except RecursionError:  # absurdly deep file chains: serve the document as written
        return doc.data
    if bundler.hoisted and isinstance(data, dict):
        data = {**data, BUNDLED_KEY: {bundler.names[k]: bundler.hoisted[k] for k in bundler.names}}
    return data


class _Bundler:
    def __init__(self, doc: Document) -> None:
        self.doc = doc
        self.failures: list[Diagnostic] = []
        self.active: set[tuple[Path, str]] = set()
        self.done: dict[tuple[Path, str], Any] = {}
        self.names: dict[tuple[Path, str], str] = {}
        self.hoisted: dict[tuple[Path, str], Any] = {}

    def walk(self, value: Any, source: Source, parent: str) -> Any:
        if isinstance(value, list):
            return [self.walk(item, source, parent) for item in value]
        if not isinstance(value, dict):
            return value
        ref = value.get("$ref")
        if isinstance(ref, str) and not (source is self.doc.root and ref.startswith("#")):
            return self.follow(value, ref, source, parent)
        mapping = _mapping(value) if parent not in NAME_CONTAINERS else None
        pinned = self.pin(mapping, source) if mapping else {}
        walked = {
            key: item
            if key in LITERAL_KEYS and parent not in NAME_CONTAINERS
            else self.walk(item, source, key)
            for key, item in value.items()
        }
        if not pinned:
            return walked
        for target, local in pinned.values():
            if local.startswith(f"#/{BUNDLED_KEY}/"):  # hoisted even when no branch refers to it
                self.follow({"$ref": target}, target, source, "oneOf")
        discriminator = walked["discriminator"]
        mapped = {**discriminator["mapping"], **{k: local for k, (_, local) in pinned.items()}}
        return {**walked, "discriminator": {**discriminator, "mapping": mapped}}

    def pin(self, mapping: dict[str, Any], source: Source) -> dict[str, tuple[str, str]]:
        """The local ref of each ``mapping`` value that is a reference to leave as written.

        A target in another file gets its hoisted name now, before the ``oneOf``
        branches are walked, so the branch is written as a ``$ref`` to it, not inlined.
        """
        pinned: dict[str, tuple[str, str]] = {}
        for name, target in mapping.items():
            if not _is_reference(target) or (source is self.doc.root and target.startswith("#")):
                continue
            try:  # only into files loading reached (and validation read) through $ref
                found = self.resolve(target, source, self.loaded_file)
            except RefError:
                continue
            if found.source is self.doc.root:
                pinned[name] = (target, "#" + quote(found.pointer, safe=_POINTER_SAFE))
            else:
                pinned[name] = (target, self.local_ref((found.source.path, found.pointer))["$ref"])
        return pinned

    def follow(self, value: dict[str, Any], ref: str, source: Source, parent: str) -> Any:
        try:
            target = self.resolve(ref, source, open_in(self.doc, self.failures))
        except RefError:
            return value
        if target.source is self.doc.root:
            return {**value, "$ref": "#" + quote(target.pointer, safe=_POINTER_SAFE)}
        key = (target.source.path, target.pointer)
        if key in self.active or key in self.done:
            return self.local_ref(key)
        self.active.add(key)
        try:
            result = self.walk(target.value, target.source, parent)
        finally:
            self.active.discard(key)
        self.done[key] = result
        if key in self.names:  # reached again while being inlined: a cycle
            self.hoisted[key] = result
            return self.local_ref(key)
        return result

    def resolve(self, ref: str, source: Source, open_file: Callable[[Path], Source]) -> Target:
        return resolve_ref(
            ref,
            source,
            self.doc.root_dir,
            open_file,
            allow_remote=self.doc.allow_remote_refs,
            ref_map=self.doc.ref_map,
        )

    def loaded_file(self, path: Path) -> Source:
        """A file the document holds already; any other counts as missing."""
        found = self.doc.files.get(path)
        if found is None:
            raise MissingFile(str(path))
        return found

    def local_ref(self, key: tuple[Path, str]) -> dict[str, str]:
        if key not in self.names:
            stem = _UNSAFE.sub("_", key[0].stem + key[1].replace("/", ".")).strip("._") or "part"
            name, counter = stem, 2
            while name in self.names.values():
                name, counter = f"{stem}_{counter}", counter + 1
            self.names[key] = name
        if key in self.done:
            self.hoisted[key] = self.done[key]
        return {"$ref": f"#/{BUNDLED_KEY}/{self.names[key]}"}
