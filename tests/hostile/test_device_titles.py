"""A title that is a Windows device name: one rule for every target, never a refusal.

``con/``, ``aux.py`` and friends cannot be created or checked out on Windows,
so a package named after one is renamed the way a builtin is (``con`` ->
``con_api``), whichever target renders it and whether the name comes from
the title or from ``--package``.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.cli import cli
from generator.naming import WINDOWS_DEVICE_NAMES, device_safe, package_name

OPENAPI = """\
openapi: 3.1.0
info: {{title: "{title}", version: "1"}}
paths:
  /p:
    get:
      operationId: op
      responses: {{"200": {{description: ok}}}}
"""
ASYNCAPI = """\
asyncapi: 3.0.0
info: {{title: "{title}", version: "1"}}
channels:
  c:
    address: c
    messages: {{m: {{payload: {{type: string}}}}}}
operations:
  o: {{action: send, channel: {{$ref: "#/channels/c"}}}}
"""
TARGETS = {
    "rest-server": (OPENAPI, ""),
    "rest-client": (OPENAPI, "_client"),
    "stream-server": (ASYNCAPI, ""),
    "stream-client": (ASYNCAPI, "_client"),
}


@pytest.mark.parametrize("title", ["CON", "aux", "Nul", "com1", "lpt9", "Prn"])
@pytest.mark.parametrize("target", sorted(TARGETS))
def test_device_name_title_is_renamed_alike_by_every_target(
    tmp_path: Path, title: str, target: str
) -> None:
    template, suffix = TARGETS[target]
    spec = tmp_path / "api.yaml"
    spec.write_text(template.format(title=title))
    out = tmp_path / "out"
    result = CliRunner().invoke(cli, ["generate", str(spec), "-t", target, "-o", str(out)])
    assert result.exit_code == 0, result.output
    expected = f"{title.lower()}_api{suffix}"
    assert (out / expected / "__init__.py").is_file(), sorted(p.name for p in out.iterdir())
    for path in out.rglob("*"):
        stem = path.name.split(".")[0].lower()
        assert stem not in WINDOWS_DEVICE_NAMES, f"{path} cannot exist on Windows"


@pytest.mark.parametrize("target", sorted(TARGETS))
def test_an_explicit_device_package_follows_the_same_rule(tmp_path: Path, target: str) -> None:
    template, suffix = TARGETS[target]
    spec = tmp_path / "api.yaml"
    spec.write_text(template.format(title="Fine"))
    out = tmp_path / "out"
    args = ["generate", str(spec), "-t", target, "-o", str(out), "--package", "aux"]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    assert (out / f"aux_api{suffix}" / "__init__.py").is_file()


def test_the_rule_itself() -> None:
    assert [device_safe(n) for n in ("con", "COM9", "console", "lpt")] == [
        "con_api",
        "COM9_api",
        "console",
        "lpt",
    ]
    assert package_name("AUX") == "aux_api"
