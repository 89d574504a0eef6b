"""REST operation, parameter and tag names that the generated code itself uses.

operationIds equal to template names, builtins, keywords, soft keywords, the
client's and httpx's own methods, and to each other after case conversion;
parameters named like the generated functions' locals; tags named like the
generated modules or standard-library modules. Every REST-family target's
output passes ruff and ``mypy --strict``, imports, and its generated tests pass.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.cli import cli
from generator.render.targets import TARGETS
from tests.hostile.test_template_names import generate, package_of

OPERATIONS = [
    "app", "create_app", "handlers_of", "models", "runtime", "main", "settings", "lifespan",
    "close", "aclose", "__enter__", "__exit__", "request", "send", "stream", "build_request",
    "events", "get", "post", "headers", "base_url", "auth", "cookies", "timeout",
    "class", "match", "type", "_", "list", "id", "print",
    "getThing", "get_thing", "GetThing", "GET_THING",
]  # fmt: skip
PARAMETERS = [
    "request", "body", "runtime", "models", "handlers_of", "response", "client", "self",
    "params", "headers", "cookies", "app", "result", "data", "json", "type", "class",
]  # fmt: skip
TAGS = [
    "models",
    "handlers",
    "runtime",
    "main",
    "app",
    "routers",
    "json",
    "os",
    "typing",
    "asyncio",
]

REST_TARGETS = sorted(t for t, info in TARGETS.items() if info.family == "openapi")


def hostile_rest_spec() -> dict[str, object]:
    thing = {"type": "object", "properties": {"v": {"type": "string"}}, "examples": [{"v": "x"}]}
    paths: dict[str, object] = {}
    for i, op in enumerate(OPERATIONS):
        params = [PARAMETERS[(i + k) % len(PARAMETERS)] for k in range(3)]
        paths[f"/r{i}/{{{params[0]}}}"] = {
            ("post" if i % 3 == 0 else "get"): {
                "operationId": op,
                "tags": [TAGS[i % len(TAGS)]],
                "parameters": [
                    {
                        "name": params[0],
                        "in": "path",
                        "required": True,
                        "schema": {"type": "string"},
                    },
                    {"name": params[1], "in": "query", "schema": {"type": "string"}},
                    {"name": params[2], "in": "header", "schema": {"type": "string"}},
                ],
                **(
                    {
                        "requestBody": {
                            "content": {
                                "application/json": {
                                    "schema": {"$ref": "#/components/schemas/Thing"}
                                }
                            }
                        }
                    }
                    if i % 3 == 0
                    else {}
                ),
                "responses": {
                    "200": {
                        "description": "ok",
                        "content": {
                            "application/json": {"schema": {"$ref": "#/components/schemas/Thing"}}
                        },
                    }
                },
            }
        }
    return {
        "openapi": "3.1.0",
        "info": {"title": "Names", "version": "1"},
        "paths": paths,
        "components": {"schemas": {"Thing": thing}},
    }


def run(out: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, *args], cwd=out, capture_output=True, text=True)


@pytest.mark.parametrize("target", REST_TARGETS)
def test_operation_parameter_and_tag_names_from_the_templates(tmp_path: Path, target: str) -> None:
    spec = tmp_path / "names.json"
    spec.write_text(json.dumps(hostile_rest_spec()))
    out = tmp_path / "out"
    generate(spec, target, out)
    lint = run(out, "-m", "ruff", "check", "--no-cache", "--output-format", "concise", ".")
    assert lint.returncode == 0, lint.stdout[-4000:]
    package = package_of(out)
    modules = sorted(
        ".".join(p.relative_to(out).with_suffix("").parts).removesuffix(".__init__")
        for p in (out / package).rglob("*.py")
    )
    probe = "import importlib, sys\nfor m in sys.argv[1:]:\n    importlib.import_module(m)\n"
    imported = run(out, "-c", probe, *modules)
    assert imported.returncode == 0, imported.stderr[-4000:]
    typed = run(out, "-m", "mypy", "--strict", "--no-incremental", package)
    assert typed.returncode == 0, typed.stdout[-4000:]
    tests = run(out, "-m", "pytest", "-q", "-x", "-p", "no:cacheprovider", "tests")
    assert tests.returncode == 0, tests.stdout[-4000:]


def test_app_module_names_are_declared(tmp_path: Path) -> None:
    """``APP_MODULE_NAMES`` keeps up with what ``app.py`` binds beside the tag routers."""
    import ast

    from generator.naming import APP_MODULE_NAMES

    spec = tmp_path / "names.json"
    spec.write_text(json.dumps(hostile_rest_spec()))
    generate(spec, "rest-server", tmp_path / "out")
    tree = ast.parse((tmp_path / "out" / "pkg" / "app.py").read_text(encoding="utf-8"))
    bound: set[str] = set()
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            bound.add(node.name)
        elif (
            isinstance(node, (ast.Import, ast.ImportFrom))
            and getattr(node, "module", "") != "routers"
        ):
            bound.update((alias.asname or alias.name).split(".")[0] for alias in node.names)
        elif isinstance(node, ast.Assign):
            bound.update(t.id for t in node.targets if isinstance(t, ast.Name))
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            bound.add(node.target.id)
    assert bound, "nothing extracted: the test would prove nothing"
    assert not bound - APP_MODULE_NAMES, (
        f"add to APP_MODULE_NAMES: {sorted(bound - APP_MODULE_NAMES)}"
    )


@pytest.mark.parametrize("target", ["service", "service-client"])
def test_service_targets_take_the_same_names(tmp_path: Path, target: str) -> None:
    """The service pairs the hostile REST spec with an event spec whose names meet too."""
    from tests.hostile.test_names_stream_constants import colliding_spec

    api, events = tmp_path / "api.json", tmp_path / "events.json"
    api.write_text(json.dumps(hostile_rest_spec()))
    events.write_text(json.dumps(colliding_spec()))
    out = tmp_path / "out"
    args = ["generate", str(api), str(events), "-t", target, "-o", str(out)]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    lint = run(out, "-m", "ruff", "check", "--no-cache", "--output-format", "concise", ".")
    assert lint.returncode == 0, lint.stdout[-4000:]
    packages = sorted(p.parent.name for p in out.glob("*/__init__.py") if p.parent.name != "tests")
    modules = sorted(
        ".".join(p.relative_to(out).with_suffix("").parts).removesuffix(".__init__")
        for package in packages
        for p in (out / package).rglob("*.py")
    )
    probe = "import importlib, sys\nfor m in sys.argv[1:]:\n    importlib.import_module(m)\n"
    imported = run(out, "-c", probe, *modules)
    assert imported.returncode == 0, imported.stderr[-4000:]
    typed = run(out, "-m", "mypy", "--strict", "--no-incremental", *packages)
    assert typed.returncode == 0, typed.stdout[-4000:]
    tests = run(out, "-m", "pytest", "-q", "-x", "-p", "no:cacheprovider", "tests")
    assert tests.returncode == 0, tests.stdout[-4000:]
