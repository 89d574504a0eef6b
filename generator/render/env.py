"""The one Jinja environment, and rendering a list of templates into a ``WritePlan``.

``make_environment(pack, override)`` loads templates from the user's override
folder first, then the pack, with shared macros under the ``_common/`` prefix.
``render_plan(target, env, items)`` renders each ``RenderItem``, formats the
Python files in one ruff batch (compiled too where an override template
shaped them), normalises newlines and returns the sorted plan. Template
problems become ``PackError`` (with template and line); unsafe output paths
become ``OutputPathError``.

Compiling templates costs more than rendering them, so environments are made
once per (pack, override) per process (``auto_reload`` keeps an edited
override template fresh), and compiled templates are kept across processes
in Jinja's per-user bytecode cache (keyed by template path and checked
against the source's hash, so a changed template is compiled again).
"""

from __future__ import annotations

import contextlib
import functools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

import jinja2

from generator.errors import OutputPathError, PackError
from generator.render.filters import FILTERS
from generator.render.format import format_python
from generator.render.imports_text import IMPORT_FILTERS
from generator.render.models_text import MODEL_FILTERS
from generator.render.packs import templates_root
from generator.render.plan import Owner, PlannedFile, WritePlan

__all__ = ["RenderItem", "check_output_path", "make_environment", "render_plan"]


@dataclass(frozen=True, slots=True, kw_only=True)
class RenderItem:
    """One output file: the template to render, where it goes, who owns it, and its context."""

    template: str
    path: str
    owner: Owner = Owner.GENERATED
    context: Mapping[str, object] = field(default_factory=dict)


class _QuietBytecodeCache(jinja2.FileSystemBytecodeCache):
    """Jinja's file bytecode cache, where a cache that cannot be read or written is no cache."""

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        try:
            super().load_bytecode(bucket)
        except Exception:  # truncated or foreign file (pickle, marshal, OS errors): compile
            bucket.reset()

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        with contextlib.suppress(OSError):
            super().dump_bytecode(bucket)


@functools.cache
def _bytecode_cache() -> jinja2.BytecodeCache | None:
    try:
        return _QuietBytecodeCache(pattern="__twinspec_%s.cache")
    except (OSError, RuntimeError):  # no private temporary folder: compile every time
        return None


def make_environment(
    pack: str, override: Path | None = None, *, shared: tuple[str, ...] = ()
) -> jinja2.Environment:
    """The Jinja environment for ``pack`` (a folder under ``templates/``), shared per process.

    Each pack named in ``shared`` is reachable under its name as a prefix
    (``stream-server/package/x.jinja``), for a pack that reuses another's templates.
    """
    return _environment(pack, None if override is None else Path(override).resolve(), shared)


@functools.lru_cache(maxsize=32)
def _environment(pack: str, override: Path | None, shared: tuple[str, ...]) -> jinja2.Environment:
    root = templates_root()
    loaders: list[jinja2.BaseLoader] = []
    if override is not None:
        loaders.append(jinja2.FileSystemLoader(str(override)))
    loaders.append(jinja2.FileSystemLoader(str(root / pack)))
    common: list[jinja2.BaseLoader] = []
    if override is not None:
        common.append(jinja2.FileSystemLoader(str(override / "_common")))
    common.append(jinja2.FileSystemLoader(str(root / "_common")))
    loaders.append(jinja2.PrefixLoader({"_common": jinja2.ChoiceLoader(common)}))
    if shared:
        others = {name: jinja2.FileSystemLoader(str(root / name)) for name in shared}
        loaders.append(jinja2.PrefixLoader(others))
    env = jinja2.Environment(
        loader=jinja2.ChoiceLoader(loaders),
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined,
        autoescape=False,
        auto_reload=True,
        bytecode_cache=_bytecode_cache(),
    )
    env.filters.update(FILTERS)
    env.filters.update(MODEL_FILTERS)
    env.filters.update(IMPORT_FILTERS)
    env.extend(twinspec_packs_only=override is None)  # see render_plan
    return env


def check_output_path(path: str) -> str:
    """``path`` if it is a safe relative POSIX path inside the output folder, else raise."""
    if not path or "\x00" in path or "\\" in path:
        raise OutputPathError(f"refusing output path {path!r}: empty, NUL or backslash")
    pure = PurePosixPath(path)
    if pure.is_absolute() or ".." in pure.parts or path.startswith("/") or ":" in pure.parts[0]:
        raise OutputPathError(f"refusing output path {path!r}: it would leave the output folder")
    if any(part in {"", "."} for part in path.split("/")):
        raise OutputPathError(f"refusing output path {path!r}: empty or '.' component")
    return str(pure)


def _render_one(env: jinja2.Environment, item: RenderItem) -> str:
    try:
        template = env.get_template(item.template)
        return template.render(dict(item.context))
    except jinja2.TemplateSyntaxError as exc:
        raise PackError(
            exc.message or "syntax error", template=exc.name or item.template, line=exc.lineno
        ) from None
    except jinja2.TemplateNotFound as exc:
        raise PackError(f"template not found: {exc.name}", template=item.template) from None
    except jinja2.UndefinedError as exc:
        raise PackError(
            f"undefined value: {exc.message}",
            template=item.template,
            line=_line_of(exc, item.template),
        ) from None


def _line_of(exc: BaseException, template: str) -> int:
    """The line in ``template`` where rendering failed (Jinja rewrites tracebacks to template lines)."""
    line = 0
    tb = exc.__traceback__
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename.replace("\\", "/")
        if filename.endswith("/" + template) or filename == template:
            line = tb.tb_lineno
        tb = tb.tb_next
    return line


def _normalise(text: str) -> str:
    """LF line ends and one final newline ("" for blank text), copying only what changes
    (``client.py`` can be megabytes, and each file is normalised twice)."""
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text or text.isspace():
        return ""
    if text[-1] == "\n" and text[-2:] != "\n\n":
        return text
    return text.rstrip("\n") + "\n"


def render_plan(target: str, env: jinja2.Environment, items: Sequence[RenderItem]) -> WritePlan:
    """Render every item, format the Python files in one batch, and return the sorted plan."""
    rendered: dict[str, tuple[str, Owner]] = {}
    for item in items:
        path = check_output_path(item.path)
        if path in rendered:
            raise PackError(f"two templates write {path}", template=item.template)
        rendered[path] = (_normalise(_render_one(env, item)), item.owner)
    python = {p: text for p, (text, _) in rendered.items() if p.endswith(".py")}
    # twinspec's own packs can only go wrong where ruff's check sees it; a user's override
    # template (or an environment not made here) is compiled in full
    packs_only = getattr(env, "twinspec_packs_only", False) is True
    formatted = format_python(python, compile_check=not packs_only)
    files = tuple(
        PlannedFile(path=p, content=_normalise(formatted.get(p, text)), owner=owner)
        for p, (text, owner) in sorted(rendered.items())
    )
    return WritePlan(target=target, files=files)
