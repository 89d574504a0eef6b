"""schemathesis against generated servers of real corpus specs: errors as the specs declare them.

Six specs, chosen for what their operations declare: ``default`` error schemas
(OAI petstore 3.0 and petstore-expanded, Swagger 2.0 uber with a query API
key), ``400`` without ``422`` and text errors with four security schemes
(tictactoe 3.1), ``default`` problems behind bearer tokens (twitter), and
``400``/``401``/``403`` with a nested ``{"error": {...}}`` body behind OAuth2
(spotify, a slice of its operations to keep the run short). Each server runs
under uvicorn on 127.0.0.1 with the development credentials its README names
(``<PACKAGE>_<SCHEME>`` environment variables), and schemathesis gets the same
credentials per security scheme (``[auth.openapi.<scheme>]``), bounded examples,
fixed seed.

Asserted: no server error, no response-schema violation, and no undocumented
status except on operations whose spec declares no error response at all
(the refused request then has no documented answer; listed in ``NO_ERRORS``).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from shared_corpus import CORPUS, needs_corpus

from tests.rest.rest_support import free_port, generate, wait_until_up

pytestmark = needs_corpus

CHECKS = "not_a_server_error,status_code_conformance,response_schema_conformance"
OPENAPI = CORPUS / "openapi"

# (spec, package, {scheme: credential}, operations to test (path regex) or "")
CASES: list[tuple[str, str, dict[str, str], str]] = [
    ("oai-examples/v3.0/petstore.yaml", "st_pet30", {}, ""),
    ("oai-examples/v3.0/petstore-expanded.yaml", "st_petx", {}, ""),
    ("oai-examples/v2.0/yaml/uber.yaml", "st_uber", {"apikey": "k"}, ""),
    (
        "oai-examples/v3.1/tictactoe.yaml",
        "st_ttt",
        {"defaultApiKey": "k", "bearerHttpAuthentication": "t", "app2AppOauth": "t"},
        "",
    ),
    (
        "twitter-apisguru/openapi.yaml",
        "st_twitter",
        {"BearerToken": "t", "UserToken": "t"},  # both required together, one Authorization header
        r"^/2/(tweets|spaces)(/\{id\})?$",
    ),
    (
        "spotify/fixed-spotify-open-api.yml",
        "st_spotify",
        {"oauth_2_0": "t"},
        "^/(me/library|audiobooks|markets|browse/categories)",
    ),
]

KINDS = {400: (400, 422), 422: (400, 422), 401: (401, 403), 403: (401, 403)}
"""The statuses that answer the same kind of failure (invalid input; credentials)."""

ALLOWED = {
    # (package, "METHOD /path", status): the operation declares no response for that failure
    ("st_ttt", "GET /board/{row}/{column}", 401),  # 200/400 only: no answer to missing credentials
    ("st_ttt", "PUT /board/{row}/{column}", 401),
    ("st_ttt", "GET /board", 401),  # 200 only
    ("st_spotify", "GET /audiobooks", 422),  # 401/403/429 only: no answer to invalid input
    ("st_spotify", "GET /audiobooks/{id}/chapters", 422),
    ("st_spotify", "GET /browse/categories", 422),
    ("st_spotify", "GET /browse/categories/{category_id}/playlists", 422),
    ("st_spotify", "GET /markets", 422),
}
"""Every undocumented status schemathesis may see, each where the spec documents no answer.

The test also proves each entry from the spec (``_undeclared``), so the list
cannot hide a status the server should have answered as declared.
"""


def _env_vars(readme: str) -> dict[str, str]:
    """Scheme name -> development credential variable, from the generated README's table."""
    found = re.findall(r"^\| (.+?) \| \w+ \| `([A-Z0-9_]+)` \|$", readme, flags=re.MULTILINE)
    return {re.sub(r"\\(.)", r"\1", wire): var for wire, var in found}  # Markdown escapes


def _undocumented(out: str) -> tuple[set[tuple[str, int]], list[str]]:
    """``(operation, status)`` of each undocumented-status failure; the other failures' codes."""
    found: set[tuple[str, int]] = set()
    others: list[str] = []
    operation = ""
    for line in out.splitlines():
        header = re.match(r"^_+ ([A-Z]+ /\S*) _+$", line.strip())
        if header:
            operation = header.group(1)
            continue
        code = re.match(r"^- (ST\d+) (.*)$", line.strip())
        if code and code.group(1) != "ST103":
            others.append(f"{operation}: {code.group(1)} {code.group(2)}")
        received = re.match(r"^Received: (\d+)$", line.strip())
        if received:
            found.add((operation, int(received.group(1))))
    return found, others


def _undeclared(spec: dict[str, Any], operation: str, status: int) -> bool:
    """Whether ``operation`` declares no response for the failure ``status`` answers."""
    method, path = operation.split(" ", 1)
    base = spec.get("basePath", "") if "swagger" in spec else ""
    item = spec["paths"].get(path) or spec["paths"].get(path.removeprefix(base), {})
    declared = {str(k).upper() for k in item[method.lower()].get("responses", {})}
    same = KINDS.get(status, (status,))
    covering = {str(s) for s in same} | {f"{str(s)[0]}XX" for s in same} | {"DEFAULT"}
    return not declared & covering


def _auth_toml(credentials: dict[str, str], spec: dict[str, Any]) -> str:
    schemes = spec.get("components", {}).get("securitySchemes") or spec.get(
        "securityDefinitions", {}
    )
    lines = []
    for name, value in credentials.items():
        kind = schemes[name].get("type")
        key = "api_key" if kind == "apiKey" else "bearer"
        lines += [f"[auth.openapi.{name}]", f"{key} = {json.dumps(value)}", ""]
    return "\n".join(lines)


def _run(tmp_path: Path, rel: str, package: str, creds: dict[str, str], paths: str) -> Any:
    project = generate(OPENAPI / rel, "rest-server", tmp_path / "server", package=package)
    spec = json.loads((project / package / "openapi.json").read_text(encoding="utf-8"))
    variables = _env_vars((project / "README.md").read_text(encoding="utf-8"))
    env = {variables[scheme]: value for scheme, value in creds.items()}
    base = json.loads(
        subprocess.run(
            [
                sys.executable,
                "-c",
                f"import json, {package}.runtime as r; print(json.dumps(r.BASE_PATH))",
            ],
            cwd=project,
            capture_output=True,
            text=True,
            check=True,
            env={**os.environ, "PYTHONPATH": str(project)},
        ).stdout
    )
    (tmp_path / "schemathesis.toml").write_text(_auth_toml(creds, spec), encoding="utf-8")
    port = free_port()
    log = project / "server.log"
    with log.open("wb") as sink:
        server = subprocess.Popen(
            [sys.executable, "-m", package, "--host", "127.0.0.1", "--port", str(port)],
            cwd=project,
            env={**os.environ, "PYTHONPATH": str(project), **env},
            stdout=sink,
            stderr=subprocess.STDOUT,
        )
    url = f"http://127.0.0.1:{port}{base}/openapi.json"
    st = shutil.which("schemathesis", path=str(Path(sys.executable).parent))
    assert st is not None, "schemathesis is a test dependency"
    report = tmp_path / "report.json"
    try:
        wait_until_up(url, server, log)
        args = [
            st,
            "run",
            url,
            "--checks",
            CHECKS,
            "--max-examples",
            "5",
            "--seed",
            "20261207",
            "--phases",
            "examples,coverage,fuzzing",
            "--workers",
            "1",
            "--no-color",
            "--generation-database",
            "none",
            "--report",
            "json",
            "--report-json-path",
            str(report),
        ]
        if paths:
            args += ["--include-path-regex", paths]
        done = subprocess.run(
            args, cwd=tmp_path, capture_output=True, text=True, timeout=300, check=False
        )
    finally:
        server.terminate()
        server.wait(timeout=10)
    assert report.is_file(), done.stdout[-3000:] + done.stderr[-2000:]
    return json.loads(report.read_text(encoding="utf-8")), done.stdout, spec


@pytest.mark.parametrize(("rel", "package", "creds", "paths"), CASES, ids=[c[1] for c in CASES])
def test_declared_errors_hold_under_schemathesis(
    tmp_path: Path, rel: str, package: str, creds: dict[str, str], paths: str
) -> None:
    report, out, spec = _run(tmp_path, rel, package, creds, paths)
    assert report["test_cases"]["generated"] > 0, out[-3000:]
    assert not report["errors"], report["errors"]
    undocumented, others = _undocumented(out)
    assert not others, out[-4000:]  # no server error, no response-schema violation
    kinds = {f["code"] for f in report["failures"]}
    assert kinds <= {"ST103"}, (kinds, out[-4000:])
    assert bool(undocumented) == bool(kinds), out[-4000:]
    for operation, status in sorted(undocumented):
        assert (package, operation, status) in ALLOWED, (operation, status, out[-4000:])
        assert _undeclared(spec, operation, status), (operation, status)
