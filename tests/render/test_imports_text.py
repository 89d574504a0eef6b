"""Import blocks and ``__all__`` written here are already as ruff's fixes leave them.

ruff is the oracle: a module made of ``import_lines`` and ``ruff_exports`` (and a
line using every imported name) gets no ``I001``/``F401``/``RUF022`` diagnostic, so
ruff's check pass lints it once instead of fixing and linting it again.
"""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import pytest

from generator.ir.schema import Import, TypeModel, export_order
from generator.render.format import LINE_LENGTH, TARGET_VERSION, ruff_binary
from generator.render.imports_text import import_lines, parse_imports, ruff_exports, used_in
from tests.shared_corpus import CORPUS, needs_corpus

PYDANTIC = [
    "AfterValidator",
    "BaseModel",
    "BeforeValidator",
    "ConfigDict",
    "Field",
    "GetCoreSchemaHandler",
    "StringConstraints",
    "ValidationInfo",
    "model_validator",
]
IMPORTS = [
    *(Import(module="pydantic", name=n) for n in PYDANTIC),
    Import(module="typing", name="cast"),
    Import(module="typing", name="Any"),
    Import(module="typing", name="TYPE_CHECKING"),
    Import(module="typing", name="Annotated"),
    Import(module="regex"),
    Import(module="time"),
    Import(module="collections.abc", name="Callable"),
    Import(module="pydantic_core", name="core_schema"),
    Import(module="pydantic_core", name="CoreSchema"),
    Import(module="pydantic_core"),
    Import(module="datetime", name="date"),
    Import(module="datetime", name="UTC"),
    Import(module="Decimal2", name="D10"),
    Import(module="decimal", name="Decimal"),
    Import(module="functools"),
    Import(module="typing", name="cast"),  # twice: one statement
]
NAMES = [
    "Item10",
    "Item2",
    "Item_7cd4a159",
    "Item_066953ce",
    "Item_0",
    "Item_00",
    "MAX_SIZE",
    "A",
    "re_pattern",
    "ApiModel",
    "item2b",
    "Item2B",
    "X_1",
    "_private",
]


def _module(imports: list[Import], names: list[str]) -> str:
    used = sorted({i.name or i.module.partition(".")[0] for i in imports})
    return (
        "from __future__ import annotations\n\n"
        + "".join(line + "\n" for line in import_lines(imports))
        + "\n__all__ = [\n"
        + "".join(f"    {json.dumps(n)},\n" for n in ruff_exports(names))
        + "]\n\n"
        + f"USED = ({', '.join(used)})\n"
    )


def _fixes(root: Path, files: dict[str, str]) -> list[str]:
    for name, text in files.items():
        (root / name).write_text(text, encoding="utf-8")
    options = ["--isolated", "--no-cache", "--line-length", str(LINE_LENGTH)]
    options += ["--target-version", TARGET_VERSION, "--select", "I,F401,RUF022", "--exit-zero"]
    report = subprocess.run(
        [ruff_binary(), "check", *options, "--output-format", "json", *files],
        cwd=root,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return [f"{d['filename']}:{d['code']} {d['message']}" for d in json.loads(report)]


def test_tricky_imports_and_names_need_no_fix(tmp_path: Path) -> None:
    text = _module(IMPORTS, NAMES)
    assert "from pydantic import (\n    AfterValidator,\n" in text  # wrapped past 100 columns
    assert _fixes(tmp_path, {"models.py": text}) == []


def test_nothing_to_import_writes_no_line() -> None:
    assert import_lines([]) == []


@needs_corpus
@pytest.mark.parametrize(
    "spec",
    [
        "stripe/spec3.yaml",
        "twilio-api-v2010/twilio_api_v2010.yaml",
        "digitalocean/specification/DigitalOcean-public.v2.yaml",
    ],
)
def test_corpus_models_need_no_fix(spec: str, tmp_path: Path) -> None:
    from generator.drive.target import target_for
    from generator.load import load

    path = CORPUS / "openapi" / spec
    doc, _ = load(path)
    assert doc is not None
    ir, _ = target_for(doc, "rest-client", path).load_translator()(doc, None)
    types = ir.types
    assert isinstance(types, TypeModel)
    assert _fixes(tmp_path, {"models.py": _module(list(types.imports), list(types.exports))}) == []


def test_export_order_is_ruffs_for_leading_zero_runs(tmp_path: Path) -> None:
    # ruff's natord compares a digit run with a leading zero as text, before any other run
    names = {"Billin_7cd4a159", "Billin_066953ce", "Billin_09c64c6f", "Billin_6e709f7d", *NAMES}
    names |= {"Item02", "Item002", "X_0", "X_00", "X_1", "HTTP_2", "HTTP_02", "a1b", "a01b"}
    ordered = sorted(names, key=export_order)
    assert ordered.index("Billin_066953ce") < ordered.index("Billin_7cd4a159")
    assert ruff_exports(reversed(ordered)) == ordered
    assert _fixes(tmp_path, {"models.py": _module(IMPORTS, ordered)}) == []


@needs_corpus
def test_stripe_exports_are_already_in_ruffs_order() -> None:
    from generator.drive.target import target_for
    from generator.load import load

    path = CORPUS / "openapi" / "stripe/spec3.yaml"
    doc, _ = load(path)
    assert doc is not None
    ir, _ = target_for(doc, "rest-client", path).load_translator()(doc, None)
    assert isinstance(ir.types, TypeModel)
    exports = list(ir.types.exports)
    assert any(re.search(r"_0[0-9a-f]", name) for name in exports)  # the leading-zero case occurs
    assert ruff_exports(exports) == exports


def test_client_style_block_needs_no_fix(tmp_path: Path) -> None:
    # relative imports last (``from . import`` before ``from .x import``), lines given in any
    # order and repeated, merged; unused names (``used_in``) dropped as F401 would
    lines = [
        "from . import runtime, auth",
        "from .receivers import Receivers",
        "from pydantic import Field",
        "from typing import Annotated",
        "import httpx",
        "from typing import Any",
        "from collections.abc import Iterator",
        "from . import models",
        "from typing import Any",
        "import datetime",
    ]
    body = (
        "X: Annotated[Any, Field()] = httpx.get(auth, runtime, datetime.date, Receivers)\n"
        '"""models in a docstring, /models/ in a path, Iterators."""\n'
    )
    kept = used_in(parse_imports(lines), body)
    assert "Iterator" not in {i.name for i in kept}
    assert "models" in {i.name for i in kept}  # a word: kept (ruff would remove it)
    assert "models" not in {i.name for i in used_in(parse_imports(lines), body, attribute=True)}
    kept = [i for i in kept if i.name != "models"]
    text = "from __future__ import annotations\n\n" + "\n".join(import_lines(kept)) + "\n\n" + body
    assert import_lines(kept)[-2:] == [
        "from . import auth, runtime",
        "from .receivers import Receivers",
    ]
    assert _fixes(tmp_path, {"client.py": text}) == []


def test_used_in_needs_a_whole_word() -> None:
    imports = parse_imports(["from typing import Any", "from . import models", "import os.path"])
    assert used_in(imports, "AnyOf, _Any, Any2, remodels.x, os_path") == []
    assert [i.module for i in used_in(imports, "os.path.join(Any)")] == ["typing", "os.path"]
    assert used_in(imports, "models.Pet", attribute=True) == [Import(module=".", name="models")]


@pytest.mark.parametrize(
    "line", ["from x import a as b", "import x as y", "from x import (a, b)", "x = 1", "from x"]
)
def test_parse_imports_refuses_other_forms(line: str) -> None:
    with pytest.raises(ValueError, match="not a plain import"):
        parse_imports([line])


_REPO = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(
    "spec",
    [
        _REPO / "specs" / "petstore.yaml",
        _REPO / "specs" / "bookstore.yaml",  # SSE, webhooks: receiver.py, default_receivers.py
        CORPUS / "openapi" / "digitalocean/specification/DigitalOcean-public.v2.yaml",  # no models.
    ],
    ids=["petstore", "bookstore", "digitalocean"],
)
def test_rest_client_modules_need_no_fix(
    spec: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # the text each rest-client template renders, before ruff sees it, in the plan's layout
    import generator.render.env as env
    from generator.drive.spec import plan_target

    if not spec.is_file():
        pytest.skip(f"{spec} not found")
    rendered: dict[str, str] = {}
    real = env.format_python

    def capture(files: dict[str, str], **options: bool) -> dict[str, str]:
        rendered.update(files)
        return real(files, **options)

    monkeypatch.setattr(env, "format_python", capture)
    plan, diagnostics = plan_target(spec, "rest-client", allow_invalid=True)
    assert plan is not None, [d.to_text() for d in diagnostics]
    checked = {p: t for p, t in rendered.items() if not p.endswith(("/models.py", "__init__.py"))}
    assert any(p.endswith("/client.py") for p in checked)
    for path in rendered:
        (tmp_path / path).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / path).touch()  # isort's first-party detection sees the whole layout
    assert _fixes(tmp_path, checked) == []
