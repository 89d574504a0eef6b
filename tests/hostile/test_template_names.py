"""Spec names never shadow a name the templates define or import.

``naming.TEMPLATE_NAMES`` declares the module-level names the template packs
define or import in every module that binds spec names unqualified (models,
messages, brokers...); the name allocators of every target reserve them, so a
schema named ``DecodeError``, ``Settings``, ``T`` or ``BaseModel`` gets a suffix
instead of replacing the template's own. The first test keeps the declaration
honest: it renders every target twice (two specs with nothing in common),
extracts the module-level names both renders share (the templates' own) with
``ast``, and fails when one is not declared. The second feeds every declared
name, every keyword, soft keyword and builtin back as schema names: the output
of every target passes ruff, ``mypy --strict``, and every module imports.
"""

from __future__ import annotations

import ast
import builtins
import json
import keyword
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.cli import cli
from generator.naming import TEMPLATE_NAMES

OPENAPI = """\
openapi: 3.1.0
info: {{title: Tiny, version: "1"}}
paths:
  /{x}:
    get:
      operationId: {x}Op
      tags: [{x}tag]
      parameters: [{{name: {x}q, in: query, schema: {{type: string}}}}]
      responses:
        "200":
          description: ok
          content: {{application/json: {{schema: {{$ref: "#/components/schemas/{X}Thing"}}}}}}
components: {{schemas: {{{X}Thing: {{type: object, properties: {{{x}f: {{type: string}}}}}}}}}}
"""
ASYNCAPI = """\
asyncapi: 3.0.0
info: {{title: Tiny, version: "1"}}
servers:
  {x}srv: {{host: "localhost:1883", protocol: mqtt}}
  {x}ws: {{host: "localhost:8000", protocol: ws}}
channels:
  {x}chan: {{address: "{x}/a", messages: {{{x}msg: {{$ref: "#/components/messages/{X}Msg"}}}}}}
operations:
  {x}recv: {{action: receive, channel: {{$ref: "#/channels/{x}chan"}}}}
  {x}send: {{action: send, channel: {{$ref: "#/channels/{x}chan"}}}}
components:
  messages: {{{X}Msg: {{payload: {{$ref: "#/components/schemas/{X}Thing"}}}}}}
  schemas: {{{X}Thing: {{type: object, properties: {{{x}f: {{type: string}}}}}}}}
"""
TARGETS = {
    "rest-server": OPENAPI,
    "rest-client": OPENAPI,
    "stream-server": ASYNCAPI,
    "stream-client": ASYNCAPI,
}


def generate(spec: Path, target: str, out: Path) -> None:
    args = ["generate", str(spec), "-t", target, "-o", str(out), "--package", "pkg"]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output


def binds_spec_names(path: Path, text: str) -> bool:
    """Does this module hold spec-derived names unqualified (so a template name could clash)?"""
    unqualified = ("from .models import", "from .messages import")
    return path.name in ("models.py", "messages.py") or any(u in text for u in unqualified)


def module_names(folder: Path) -> dict[str, set[str]]:
    """Per generated module that binds spec names unqualified: its top level's own names."""
    found: dict[str, set[str]] = {}
    for path in folder.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        if not binds_spec_names(path, text):
            continue
        names: set[str] = set()
        for node in ast.parse(text).body:
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                names.add(node.name)
            elif isinstance(node, (ast.Import, ast.ImportFrom)):
                names.update((alias.asname or alias.name).split(".")[0] for alias in node.names)
            elif isinstance(node, ast.Assign):
                names.update(t.id for t in node.targets if isinstance(t, ast.Name))
            elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
                names.add(node.target.id)
        found[path.relative_to(folder).as_posix()] = names
    return found


@pytest.mark.parametrize("target", sorted(TARGETS))
def test_declared_names_cover_every_name_the_templates_define(tmp_path: Path, target: str) -> None:
    renders = []
    for word in ("zeta", "kappa"):
        spec = tmp_path / f"{word}.yaml"
        spec.write_text(TARGETS[target].format(x=word, X=word.capitalize()))
        generate(spec, target, tmp_path / word)
        renders.append(module_names(tmp_path / word))
    first, second = renders
    own = set().union(*(first[m] & second[m] for m in first if m in second))
    assert own, "nothing extracted: the test would prove nothing"
    missing = sorted(own - TEMPLATE_NAMES)
    assert not missing, f"add to generator.naming.TEMPLATE_NAMES: {missing}"


def hostile_names() -> list[str]:
    """The templates' own names, keywords, soft keywords and builtins."""
    pool = {*TEMPLATE_NAMES, *keyword.kwlist, *keyword.softkwlist, *dir(builtins)}
    return sorted(name for name in pool if name.isidentifier())


def spec_with_schema_names(target: str, names: list[str]) -> dict[str, object]:
    schemas = {n: {"type": "object", "properties": {"v": {"type": "string"}}} for n in names}
    if TARGETS[target] is OPENAPI:
        paths = {
            f"/o{i}": {
                "get": {
                    "operationId": f"op{i}",
                    "responses": {
                        "200": {
                            "description": "ok",
                            "content": {
                                "application/json": {
                                    "schema": {"$ref": f"#/components/schemas/{n}"}
                                }
                            },
                        }
                    },
                }
            }
            for i, n in enumerate(names)
        }
        return {
            "openapi": "3.1.0",
            "info": {"title": "Names", "version": "1"},
            "paths": paths,
            "components": {"schemas": schemas},
        }
    channels = {
        f"c{i}": {
            "address": f"c{i}",
            "messages": {f"m{i}": {"$ref": f"#/components/messages/m{i}"}},
        }
        for i in range(len(names))
    }
    operations = {
        f"op{i}": {
            "action": "send" if i % 2 else "receive",
            "channel": {"$ref": f"#/channels/c{i}"},
        }
        for i in range(len(names))
    }
    messages = {
        f"m{i}": {"payload": {"$ref": f"#/components/schemas/{n}"}} for i, n in enumerate(names)
    }
    return {
        "asyncapi": "3.0.0",
        "info": {"title": "Names", "version": "1"},
        "servers": {
            "ws": {"host": "localhost:8000", "protocol": "ws"},
            "mq": {"host": "localhost:1883", "protocol": "mqtt"},
        },
        "channels": channels,
        "operations": operations,
        "components": {"messages": messages, "schemas": schemas},
    }


def package_of(out: Path) -> str:
    """The generated top-level package (``pkg``, or ``pkg_client`` for a client target)."""
    (found,) = (p.parent.name for p in out.glob("*/__init__.py") if p.parent.name != "tests")
    return found


def mypy_errors(out: Path) -> set[str]:
    """``mypy --strict`` errors of the generated package, without their line numbers."""
    typed = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", package_of(out)],
        cwd=out,
        capture_output=True,
        text=True,
    )
    assert "Cannot read file" not in typed.stderr, typed.stderr
    return {line.split(": ", 1)[1] for line in typed.stdout.splitlines() if ": error: " in line}


@pytest.mark.parametrize("target", sorted(TARGETS))
def test_schema_names_from_templates_keywords_and_builtins_never_shadow(
    tmp_path: Path, target: str
) -> None:
    spec = tmp_path / "names.json"
    spec.write_text(json.dumps(spec_with_schema_names(target, hostile_names())))
    out = tmp_path / "out"
    generate(spec, target, out)
    lint = subprocess.run(
        [sys.executable, "-m", "ruff", "check", "--no-cache", "--output-format", "concise", "."],
        cwd=out,
        capture_output=True,
        text=True,
    )
    assert lint.returncode == 0, lint.stdout[-4000:]
    package = package_of(out)
    modules = sorted(
        ".".join(p.relative_to(out).with_suffix("").parts).removesuffix(".__init__")
        for p in (out / package).rglob("*.py")
    )
    probe = "import importlib, sys\nfor m in sys.argv[1:]:\n    importlib.import_module(m)\n"
    imported = subprocess.run(
        [sys.executable, "-c", probe, *modules], cwd=out, capture_output=True, text=True
    )
    assert imported.returncode == 0, imported.stderr[-4000:]
    # The names add no type error: whatever mypy says of a plain spec's output is the baseline.
    plain = tmp_path / "plain.json"
    plain.write_text(json.dumps(spec_with_schema_names(target, ["Plain"])))
    generate(plain, target, tmp_path / "plain")
    added = mypy_errors(out) - mypy_errors(tmp_path / "plain")
    assert not added, sorted(added)[:20]


BROKER_SERVER_NAMES = ["class", "messages", "logger", "segment", "BROKERS", "handlers", "emit_all"]


@pytest.mark.parametrize("target", ["stream-server", "stream-client"])
def test_broker_servers_and_operations_named_after_template_names(
    tmp_path: Path, target: str
) -> None:
    """Brokers are module-level variables of brokers.py; operations are its functions."""
    names = BROKER_SERVER_NAMES
    doc = spec_with_schema_names(target, ["Plain"])
    doc["servers"] = {
        n: {"host": f"localhost:{1883 + i}", "protocol": "mqtt"} for i, n in enumerate(names)
    }
    doc["channels"] = {
        n: {"address": f"a{i}", "messages": {n: {"$ref": f"#/components/messages/{n}"}}}
        for i, n in enumerate(names)
    }
    doc["operations"] = {
        n: {"action": "send" if i % 2 else "receive", "channel": {"$ref": f"#/channels/{n}"}}
        for i, n in enumerate(names)
    }
    doc["components"] = {
        "messages": {n: {"payload": {"$ref": "#/components/schemas/Plain"}} for n in names},
        "schemas": {"Plain": {"type": "object", "properties": {"v": {"type": "string"}}}},
    }
    spec = tmp_path / "names.json"
    spec.write_text(json.dumps(doc))
    out = tmp_path / "out"
    generate(spec, target, out)
    lint = subprocess.run(
        [sys.executable, "-m", "ruff", "check", "--no-cache", "--output-format", "concise", "."],
        cwd=out,
        capture_output=True,
        text=True,
    )
    assert lint.returncode == 0, lint.stdout[-4000:]
    package = package_of(out)
    probe = f"import {package}.brokers, {package}.messages, {package}.handlers"
    imported = subprocess.run(
        [sys.executable, "-c", probe], cwd=out, capture_output=True, text=True
    )
    assert imported.returncode == 0, imported.stderr[-4000:]
