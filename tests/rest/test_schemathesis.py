"""schemathesis against the generated servers: no 5xx, no response that breaks the spec.

The servers run with their default handlers (the spec's examples), under
uvicorn on 127.0.0.1, with development credentials for two schemes so the
secured operations are exercised past the guard. Bounded examples, fixed seed.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from rest_support import SPECS, generate, serve

CHECKS = "not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance"


@pytest.mark.parametrize(
    ("spec", "package", "env", "headers"),
    [
        ("petstore.yaml", "st_petstore", {}, []),
        (
            "bookstore.yaml",
            "st_bookstore",
            {"ST_BOOKSTORE_HEADER_KEY": "k", "ST_BOOKSTORE_QUERY_KEY": "q"},
            ["-H", "X-API-Key: k"],
        ),
    ],
    ids=["petstore", "bookstore"],
)
def test_schemathesis_finds_no_failure(
    tmp_path: Path, spec: str, package: str, env: dict[str, str], headers: list[str]
) -> None:
    project = generate(SPECS / spec, "rest-server", tmp_path / "server", package=package)
    st = shutil.which("schemathesis", path=str(Path(sys.executable).parent))
    assert st is not None, "schemathesis is a test dependency"
    with serve(project, package, env) as url:
        done = subprocess.run(
            [
                st,
                "run",
                url + "/openapi.json",
                "--checks",
                CHECKS,
                "--max-examples",
                "25",
                "--seed",
                "20261129",
                "--phases",
                "examples,coverage,fuzzing",
                "--workers",
                "1",
                "--no-color",
                "--generation-database",
                "none",
                *headers,
            ],
            cwd=tmp_path,
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
        )
    summary = done.stdout[-3000:]
    assert done.returncode == 0, summary
    assert " passed" in summary and "failure" not in summary.split("SUMMARY")[-1]
