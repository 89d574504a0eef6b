"""The generator is a one-way pipeline: no stage imports a later one, and only the CLI prints.

Every module of ``generator/`` is parsed with ``ast`` (nothing is imported):
each import, wherever it sits (module top, function body, ``TYPE_CHECKING``
block), must name a module of the same stage or an earlier one, a private
module (``_x.py``) is imported only from its own package, and nothing outside
``generator/cli/`` may print, echo, write to stdout/stderr or exit.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator, Mapping
from pathlib import Path

import pytest

from generator.render.targets import TARGETS

ROOT = Path(__file__).resolve().parents[1] / "generator"

STAGES = ("leaf", "load", "validate", "translate", "render", "write", "drive", "cli")
"""The order of the pipeline: a module may import its own stage and the ones before it."""

LEAVES = ("generator", "generator.errors", "generator.diagnostics", "generator.naming")
LEAVES += ("generator.literals",)

PACKAGES = {
    "generator.load": "load",
    "generator.validate": "validate",
    "generator.ir": "translate",
    "generator.translate": "translate",
    "generator.render": "render",
    "generator.write": "write",
    "generator.drive": "drive",
    "generator.config": "drive",  # the config names targets and jobs: the driver reads it
    "generator.diff": "drive",  # spec to spec: its own driver, under the CLI
    "generator.cli": "cli",
    "generator.__main__": "cli",
}

PRINTING_CALLS = {"print", "exit", "quit", "breakpoint"}
PRINTING_ATTRIBUTES = {("sys", "exit"), ("sys", "stdout"), ("sys", "stderr"), ("click", "echo")}


def stage_of(module: str) -> str | None:
    """The stage ``module`` belongs to; ``None`` for a module that no stage claims."""
    if module in LEAVES:
        return "leaf"
    for prefix, stage in PACKAGES.items():
        if module == prefix or module.startswith(prefix + "."):
            return stage
    return None


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def sources() -> dict[str, str]:
    """Every module of generator/, by dotted name."""
    return {module_name(p): p.read_text(encoding="utf-8") for p in sorted(ROOT.rglob("*.py"))}


def _imported(module: str, tree: ast.AST, is_package: bool) -> Iterator[tuple[int, str]]:
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = module.split(".")
                anchor = anchor if is_package else anchor[:-1]
                anchor = anchor[: len(anchor) - (node.level - 1)]
                base = ".".join([*anchor, *([base] if base else [])])
            if base == "generator":  # ``from generator import cli``: a module, or a name
                for alias in node.names:
                    sub = ROOT / alias.name
                    is_module = sub.is_dir() or sub.with_suffix(".py").is_file()
                    yield node.lineno, f"generator.{alias.name}" if is_module else base
            else:
                yield node.lineno, base


def _prints(tree: ast.AST) -> Iterator[tuple[int, str]]:
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
            if node.func.id in PRINTING_CALLS:
                yield node.lineno, f"{node.func.id}()"
        elif isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
            if (node.value.id, node.attr) in PRINTING_ATTRIBUTES:
                yield node.lineno, f"{node.value.id}.{node.attr}"
        elif isinstance(node, ast.Raise) and node.exc is not None:
            exc = node.exc.func if isinstance(node.exc, ast.Call) else node.exc
            if isinstance(exc, ast.Name) and exc.id == "SystemExit":
                yield node.lineno, "raise SystemExit"
        elif isinstance(node, ast.Import | ast.ImportFrom):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else [node.module]
            if any(name and name.split(".")[0] == "click" for name in names):
                yield node.lineno, "import click"


def violations(modules: Mapping[str, str], packages: set[str] | None = None) -> list[str]:
    """Each import of a later stage, unclaimed module and print outside the CLI, as text."""
    packages = packages if packages is not None else set()
    found: list[str] = []
    for module, text in modules.items():
        stage = stage_of(module)
        if stage is None:
            found.append(f"{module}: no stage claims this module (add it to PACKAGES or LEAVES)")
            continue
        tree = ast.parse(text)
        for line, name in _imported(module, tree, module in packages):
            if not name.startswith("generator"):
                continue
            other = stage_of(name)
            private = next((p for p in name.split(".") if p.startswith("_")), None)
            if private and not module.startswith(name.partition("." + private)[0] + "."):
                found.append(f"{module}:{line}: imports {name}, private to another package")
            if other is None:
                found.append(f"{module}:{line}: imports {name}, which no stage claims")
            elif STAGES.index(other) > STAGES.index(stage):
                found.append(f"{module}:{line}: {stage} imports {name} ({other}, a later stage)")
        if stage != "cli":
            found += [f"{module}:{line}: {what} outside the CLI" for line, what in _prints(tree)]
    return found


def test_no_stage_imports_a_later_one_and_only_the_cli_prints() -> None:
    packages = {module_name(p) for p in ROOT.rglob("__init__.py")}
    assert violations(sources(), packages) == []


def test_every_target_translates_in_translate_and_renders_in_render() -> None:
    for info in TARGETS.values():
        assert stage_of(info.translator.partition(":")[0]) == "translate", info.name
        assert stage_of(info.entry.partition(":")[0]) == "render", info.name


@pytest.mark.parametrize(
    ("module", "text", "expected"),
    [
        (
            "generator.write.atomic",
            "from generator.drive.project import Unit\n",
            "generator.write.atomic:1: write imports generator.drive.project (drive, a later stage)",
        ),
        (
            "generator.translate.x",
            "def f():\n    from generator.render import filters\n",
            "generator.translate.x:2: translate imports generator.render (render, a later stage)",
        ),
        (
            "generator.render.x",
            "from ..write import atomic\n",
            "generator.render.x:1: render imports generator.write (write, a later stage)",
        ),
        (
            "generator.load.x",
            "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    import generator.validate\n",
            "generator.load.x:3: load imports generator.validate (validate, a later stage)",
        ),
        ("generator.drive.x", "print('done')\n", "generator.drive.x:1: print() outside the CLI"),
        (
            "generator.write.x",
            "import sys\nsys.exit(1)\n",
            "generator.write.x:2: sys.exit outside the CLI",
        ),
        (
            "generator.render.x",
            "import click\n",
            "generator.render.x:1: import click outside the CLI",
        ),
        (
            "generator.render.rest",
            "from generator.translate._openapi_names import fresh\n",
            "generator.render.rest:1: imports generator.translate._openapi_names,"
            " private to another package",
        ),
        (
            "generator.stuff",
            "",
            "generator.stuff: no stage claims this module (add it to PACKAGES or LEAVES)",
        ),
    ],
)
def test_the_checker_names_each_kind_of_violation(module: str, text: str, expected: str) -> None:
    assert violations({module: text}) == [expected]


def test_the_checker_lets_a_stage_import_itself_and_earlier_stages() -> None:
    text = (
        "from generator.errors import UsageError\n"
        "from generator.load import Document\n"
        "from generator.ir.http import Api\n"
        "from generator.render.plan import WritePlan\n"
        "from . import env\n"
        "from generator.render._helpers import x\n"
    )
    assert violations({"generator.render.rest": text}) == []
    assert violations({"generator.cli.x": "import click\nprint('ok')\n"}) == []
