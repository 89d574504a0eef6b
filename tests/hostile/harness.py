"""The harness every hostile and fuzz test stands on.

A hostile spec is data a test writes to a temporary folder; the pipeline plans a
target from it; the plan is written out here (by a writer that refuses unsafe
paths, so a bad plan can never touch the machine); then the output is compiled,
imported in a fresh interpreter and linted. The canary is spec text that, if it
ever became code, would create a file and exit the interpreter with status 7.
"""

from __future__ import annotations

import importlib
import json
import os
import resource
import subprocess
import sys
import textwrap
import warnings
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

import pytest
import yaml

from generator.diagnostics import Diagnostic, Severity
from generator.render.plan import WritePlan
from generator.render.targets import TARGETS

REPO = Path(__file__).resolve().parents[2]
PYTHON = sys.executable
RUFF = str(Path(sys.executable).with_name("ruff"))

CANARY_ENV = "TWINSPEC_CANARY"
CANARY_EXIT = 7
CANARY = (
    "__import__('os').open(__import__('os').environ.get('TWINSPEC_CANARY', "
    "'/tmp/twinspec-canary'), 65) and __import__('os')._exit(7)"
)
"""A Python expression: creates the canary file, then exits with status 7."""

PAYLOADS: dict[str, str] = {
    "triple-double": f'"""\n{CANARY}\n"""',
    "triple-single": f"'''\n{CANARY}\n'''",
    "close-double": f'"+{CANARY}+"',
    "close-single": f"'+{CANARY}+'",
    "backslash-end": "tail\\",
    "backslash-quote": f'\\"+{CANARY}+\\"',
    "named-escape": "\\N{",
    "newline-code": f"x\n{CANARY}\n# ",
    "cr-code": f"x\r{CANARY}\r# ",
    "crlf-code": f"x\r\n{CANARY}\r\n",
    "unicode-lines": f"x\u2028{CANARY}\u2029\x0c\x0b\x85",
    "fstring": "{" + CANARY + "}",
    "jinja-expr": "{{ 7 * 191 }}-ssti {{ cycler }}",
    "jinja-stmt": "{% if true %}ssti{% endif %}-on{% if false %}-off{% endif %}{# c #}",
    "toml-breakout": '"\n[project.scripts]\nevil = "os:_exit"\nx = """\n\'\'\'',
    "markdown-html": "<script>alert(1)</script> [x](javascript:alert(1)) ``` <!--",
    "control-chars": "nul\x00esc\x1b[31mbell\x07del\x7f",
    "emoji-rtl": "👾 \u202eevil\u202c \ufeff",
}
"""Strings that close literals, docstrings, comments, templates and TOML.

The Jinja payloads are harmless when evaluated (so an in-process render cannot
kill the test run) but leave a mark: ``SSTI_MARKS``.
"""

SSTI_MARKS = ("1337-ssti", "jinja2.utils.Cycler", "Cycler object", "ssti-on")
"""Text that appears only if a template evaluated spec text as Jinja."""


# --- writing specs -------------------------------------------------------------


class _QuotedDumper(yaml.SafeDumper):
    """Every string double-quoted, so YAML 1.1 and 1.2 readers agree on it."""


def _quoted_str(dumper: yaml.SafeDumper, value: str) -> yaml.Node:
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style='"')


_QuotedDumper.add_representer(str, _quoted_str)


def dump_yaml(doc: Any) -> str:
    """YAML text for ``doc`` in which every string reads back exactly."""
    return yaml.dump(doc, Dumper=_QuotedDumper, allow_unicode=False, sort_keys=False, width=120)


def write_spec(directory: Path, name: str, doc: Any) -> Path:
    """Write ``doc`` as JSON or YAML (by the suffix of ``name``) and return its path."""
    path = directory / name
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.suffix == ".json":
        path.write_text(json.dumps(doc, indent=1, ensure_ascii=True), encoding="utf-8")
    else:
        path.write_text(dump_yaml(doc), encoding="utf-8")
    return path


# --- targets -------------------------------------------------------------------


def target_available(target: str) -> bool:
    """Whether ``target``'s plan function exists yet (targets land over time)."""
    module, _, func = TARGETS[target].entry.partition(":")
    try:
        return hasattr(importlib.import_module(module), func)
    except ImportError:
        return False


def require_target(target: str) -> None:
    """Skip, visibly, when the target has not been written yet."""
    if not target_available(target):
        pytest.skip(f"target {target} is not implemented yet")


def errors(diagnostics: Iterable[Diagnostic]) -> list[Diagnostic]:
    """The diagnostics that fail a run."""
    return [d for d in diagnostics if d.severity is Severity.ERROR]


def show(diagnostics: Iterable[Diagnostic]) -> str:
    """Diagnostics as the CLI prints them, for assertion messages."""
    return "\n".join(d.to_text() for d in diagnostics)


def plan_ok(
    spec: Path, target: str, *, package: str | None = None, allow_invalid: bool = False
) -> WritePlan:
    """Plan ``target`` and insist that it produced output (legal input must generate)."""
    from generator.drive.spec import plan_target

    require_target(target)
    plan, diagnostics = plan_target(spec, target, package=package, allow_invalid=allow_invalid)
    assert plan is not None, f"{target} refused a legal spec:\n{show(diagnostics)}"
    return plan


# --- output safety -------------------------------------------------------------

WINDOWS_RESERVED = {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(1, 10))}
WINDOWS_RESERVED |= {f"lpt{i}" for i in range(1, 10)}


def unsafe_reason(path: str) -> str | None:
    """Why a planned path could escape or misbehave in the output folder, or None."""
    if not path or "\x00" in path or "\\" in path:
        return "empty, NUL or backslash"
    pure = PurePosixPath(path)
    if pure.is_absolute():
        return "absolute"
    if any(part in ("..", ".", "") for part in path.split("/")):
        return "'..', '.' or empty segment"
    for part in pure.parts:
        if part.split(".")[0].lower() in WINDOWS_RESERVED:
            return f"reserved name {part!r}"
        if any(ord(c) < 32 for c in part) or part.endswith((" ", ".")):
            return f"control character or trailing dot/space in {part!r}"
    return None


def unsafe_paths(plan: WritePlan) -> dict[str, str]:
    """Every planned path that is unsafe, with the reason."""
    found = {f.path: unsafe_reason(f.path) for f in plan.files}
    return {path: reason for path, reason in found.items() if reason}


def materialise(plan: WritePlan, out: Path) -> list[Path]:
    """Write the plan under ``out`` after checking every path stays inside it."""
    bad = unsafe_paths(plan)
    assert not bad, f"plan has unsafe paths: {bad}"
    written = []
    root = out.resolve()
    for planned in plan.files:
        target = (root / planned.path).resolve()
        assert target.is_relative_to(root), planned.path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(planned.content, encoding="utf-8", newline="\n")
        written.append(target)
    return written


# --- checking the output -------------------------------------------------------


def compile_errors(plan: WritePlan) -> dict[str, str]:
    """``compile()`` every planned ``.py`` file, warnings as errors; the failures by path.

    Warnings count: an invalid escape sequence is a ``SyntaxWarning`` today and
    an error in a later Python.
    """
    failures = {}
    for planned in plan.files:
        if planned.path.endswith(".py"):
            try:
                with warnings.catch_warnings():
                    warnings.simplefilter("error")
                    compile(planned.content, planned.path, "exec", dont_inherit=True)
            except (SyntaxError, ValueError, Warning) as exc:
                failures[planned.path] = f"{type(exc).__name__}: {exc}"
    return failures


def ruff_check(out: Path) -> subprocess.CompletedProcess[str]:
    """``ruff check`` the output with its own configuration (never the repo's)."""
    return subprocess.run(
        [RUFF, "check", "--no-cache", "--output-format", "concise", "."],
        cwd=out,
        capture_output=True,
        text=True,
        timeout=120,
    )


def packages(out: Path) -> list[tuple[Path, str]]:
    """(import root, package name) for every top-level package in the output."""
    found = []
    for init in sorted(out.rglob("__init__.py")):
        pkg = init.parent
        if not (pkg.parent / "__init__.py").exists() and "tests" not in pkg.relative_to(out).parts:
            found.append((pkg.parent, pkg.name))
    return found


def modules(out: Path) -> tuple[list[str], list[str]]:
    """(sys.path entries, dotted module names) of every importable module but ``__main__``."""
    roots, names = [], []
    for root, name in packages(out):
        roots.append(str(root))
        for py in sorted((root / name).rglob("*.py")):
            rel = py.relative_to(root).with_suffix("")
            if rel.name == "__main__":
                continue
            parts = rel.parts[:-1] if rel.name == "__init__" else rel.parts
            names.append(".".join(parts))
    return sorted(set(roots)), names


_RUNNER = textwrap.dedent(
    """
    import importlib, json, sys
    spec = json.loads(sys.argv[1])
    sys.path[:0] = spec["roots"]
    loaded = {name: importlib.import_module(name) for name in spec["modules"]}
    result = {"imported": sorted(loaded), "responses": [], "roundtrips": []}
    def wire_name(name, field):
        alias = field.serialization_alias or field.alias or field.validation_alias
        return alias if isinstance(alias, str) else name
    for wire in spec["roundtrips"]:
        from pydantic import BaseModel
        models = {
            value
            for module in loaded.values()
            for value in vars(module).values()
            if isinstance(value, type) and issubclass(value, BaseModel) and value is not BaseModel
        }
        fits = sorted(
            (m for m in models if {wire_name(n, f) for n, f in m.model_fields.items()} == set(wire)),
            key=lambda m: m.__qualname__,
        )
        dumped = [fits[0].model_validate(wire).model_dump(mode="json", by_alias=True)] if fits else []
        result["roundtrips"].append([m.__qualname__ for m in fits] + dumped)
    if spec["requests"] or spec["websockets"]:
        from fastapi.testclient import TestClient
        from starlette.applications import Starlette
        factories = [getattr(m, "create_app") for m in loaded.values() if hasattr(m, "create_app")]
        apps = [getattr(m, "app") for m in loaded.values() if isinstance(getattr(m, "app", None), Starlette)]
        app = factories[0]() if factories else apps[0]
        with TestClient(app, raise_server_exceptions=False) as client:
            for method, url, body in spec["requests"]:
                kwargs = {} if body is None else {"json": body}
                response = client.request(method, url, **kwargs)
                result["responses"].append([method, url, response.status_code, response.text])
            for url, frames in spec["websockets"]:
                try:
                    with client.websocket_connect(url) as ws:
                        for frame in frames:
                            ws.send_text(frame)
                        reply = ws.receive_text()
                except Exception as exc:
                    reply = f"{type(exc).__name__}: {exc}"
                result["responses"].append(["WS", url, 101, reply])
    print("@@RESULT@@" + json.dumps(result))
    """
)


@dataclass(frozen=True, slots=True)
class RunResult:
    """What happened when the output was imported (and served requests)."""

    returncode: int
    stdout: str
    stderr: str
    canary_fired: bool
    imported: tuple[str, ...]
    responses: tuple[tuple[str, str, int, str], ...]
    roundtrips: tuple[list[Any], ...]

    def describe(self) -> str:
        """A readable account for assertion messages."""
        return f"exit {self.returncode}\nstdout:\n{self.stdout[-3000:]}\nstderr:\n{self.stderr[-3000:]}"


def import_and_serve(
    out: Path,
    canary: Path,
    requests: Sequence[tuple[str, str, Any]] = (),
    *,
    roundtrips: Sequence[dict[str, Any]] = (),
    websockets: Sequence[tuple[str, Sequence[str]]] = (),
    timeout: float = 120,
) -> RunResult:
    """Import every generated module in a fresh interpreter, then send ``requests``.

    ``requests`` go through fastapi's TestClient to the app of the first module
    with a ``create_app`` (or a Starlette ``app``); each of ``websockets``
    (url, frames) connects, sends the frames and records the first text reply
    (status 101) or the exception. Each of ``roundtrips`` (a wire object) is validated
    by the generated models whose aliases are exactly its keys and dumped back
    by alias: the result holds ``[model names..., dumped]``.
    """
    roots, names = modules(out)
    env = {**os.environ, CANARY_ENV: str(canary), "PYTHONDONTWRITEBYTECODE": "1"}
    spec = json.dumps(
        {
            "roots": roots,
            "modules": names,
            "requests": list(requests),
            "roundtrips": list(roundtrips),
            "websockets": [[url, list(frames)] for url, frames in websockets],
        }
    )
    proc = subprocess.run(
        [PYTHON, "-c", _RUNNER, spec],
        cwd=out,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    result: dict[str, Any] = {"imported": [], "responses": [], "roundtrips": []}
    for line in proc.stdout.splitlines():
        if line.startswith("@@RESULT@@"):
            result = json.loads(line.removeprefix("@@RESULT@@"))
    return RunResult(
        returncode=proc.returncode,
        stdout=proc.stdout,
        stderr=proc.stderr,
        canary_fired=canary.exists() or proc.returncode == CANARY_EXIT,
        imported=tuple(result["imported"]),
        responses=tuple(tuple(r) for r in result["responses"]),  # type: ignore[misc]
        roundtrips=tuple(result["roundtrips"]),
    )


# --- bounded subprocess runs -----------------------------------------------------

MEMORY_LIMIT = 2 * 1024**3
"""Address-space limit for runs on hostile input (2 GiB)."""

_LIMITED = textwrap.dedent(
    """
    import resource, sys
    limit = int(sys.argv[1])
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    sys.argv = ["twinspec", *sys.argv[2:]]
    from generator.cli import main
    main()
    """
)


def twinspec_limited(
    args: Sequence[str], *, cwd: Path, timeout: float = 60, memory: int = MEMORY_LIMIT
) -> subprocess.CompletedProcess[str]:
    """Run the ``twinspec`` CLI in a subprocess under an address-space limit."""
    assert resource.RLIMIT_AS  # Linux/macOS only, like the rest of the suite
    return subprocess.run(
        [PYTHON, "-c", _LIMITED, str(memory), *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=timeout,
        env={**os.environ, "PYTHONPATH": str(REPO)},
    )


def no_traceback(proc: subprocess.CompletedProcess[str]) -> bool:
    """True when neither stream shows a Python traceback."""
    return "Traceback (most recent call last)" not in proc.stdout + proc.stderr


def deep_merge(base: Mapping[str, Any], extra: Mapping[str, Any]) -> dict[str, Any]:
    """``base`` with ``extra`` merged in, mappings recursively (for spec variants)."""
    merged = dict(base)
    for key, value in extra.items():
        if isinstance(value, Mapping) and isinstance(merged.get(key), Mapping):
            merged[key] = deep_merge(merged[key], value)
        else:
            merged[key] = value
    return merged
