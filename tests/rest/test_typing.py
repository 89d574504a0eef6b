"""``mypy --strict`` and ``ruff`` pass on generated projects: the examples and seven corpus specs.

One mypy run covers every package (each generated under its own import name),
so the libraries are analysed once. Corpus specs were picked to cover Swagger
2.0, OpenAPI 3.0 and 3.1, webhooks and callbacks, discriminators, readOnly /
writeOnly, and a real public API.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

from rest_support import SPECS, generate
from shared_corpus import CORPUS, needs_corpus

from generator.render.format import ruff_binary

CORPUS_SPECS = {
    "petstore_expanded_30": "oai-examples/v3.0/petstore-expanded.yaml",
    "tictactoe_31": "oai-examples/v3.1/tictactoe.yaml",
    "uber_20": "oai-examples/v2.0/yaml/uber.yaml",
    "link_example_30": "oai-examples/v3.0/link-example.yaml",
    "mega_31": "oai-schema-tests-3.1-pass/mega.yaml",
    "read_only_write_only_30": "osv-testdata-3.0/read-only-write-only.yaml",
    "xkcd": "xkcd-apisguru/openapi.yaml",
}


def test_example_projects_pass_mypy_strict_and_ruff(tmp_path: Path) -> None:
    _lint_and_type_check(
        {"petstore": SPECS / "petstore.yaml", "bookstore": SPECS / "bookstore.yaml"}, tmp_path
    )


@needs_corpus
def test_corpus_projects_pass_mypy_strict_and_ruff(tmp_path: Path) -> None:
    specs = {name: CORPUS / "openapi" / rel for name, rel in CORPUS_SPECS.items()}
    _lint_and_type_check(specs, tmp_path)


def _lint_and_type_check(specs: dict[str, Path], tmp_path: Path) -> None:
    packages: list[str] = []
    roots: list[str] = []
    for name, spec in specs.items():
        for target, suffix in (("rest-server", "server"), ("rest-client", "client")):
            package = f"{name}_{suffix}"
            out = generate(spec, target, tmp_path / package, package=package, allow_invalid=True)
            lint = subprocess.run(
                [ruff_binary(), "check", "--no-cache", "."],
                cwd=out,
                capture_output=True,
                text=True,
                check=False,
            )
            assert lint.returncode == 0, f"{package}: {lint.stdout}"
            packages += ["-p", package]
            roots.append(str(out))
    env = {**os.environ, "MYPYPATH": os.pathsep.join(roots)}
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "mypy",
            "--strict",
            "--cache-dir",
            str(tmp_path / ".mypy"),
            *packages,
        ],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stdout[-5000:]
    checked = re.search(r"no issues found in (\d+) source files", done.stdout)
    assert checked is not None and int(checked.group(1)) >= 10 * len(specs)
