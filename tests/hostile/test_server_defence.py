"""Generated servers defend themselves: guards before handlers, 4xx for bad input, no stack traces.

The project's example OpenAPI specs (``specs/``) are generated once; a probe
(``defence_probe.py``) runs in a fresh interpreter with every handler replaced
by a spy that records the call and raises an exception carrying a secret.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from .harness import REPO, materialise, packages, plan_ok

PROBE = Path(__file__).with_name("defence_probe.py")
SPECS = sorted(
    p for p in (REPO / "specs").glob("*.yaml") if "openapi:" in p.read_text(encoding="utf-8")[:200]
)


@pytest.fixture(scope="module")
def probed(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[dict[str, Any]]]:
    """Every example spec's server attacked once: spec name -> checks."""
    results = {}
    for spec in SPECS:
        out = tmp_path_factory.mktemp(spec.stem) / "out"
        materialise(plan_ok(spec, "rest-server"), out)
        ((root, package),) = packages(out)
        proc = subprocess.run(
            [sys.executable, str(PROBE), str(root), package],
            capture_output=True,
            text=True,
            timeout=240,
        )
        lines = [line for line in proc.stdout.splitlines() if line.startswith("@@CHECKS@@")]
        assert lines, proc.stdout[-2000:] + proc.stderr[-4000:]
        results[spec.stem] = json.loads(lines[0].removeprefix("@@CHECKS@@"))
    return results


SECURED = [s.stem for s in SPECS if "securitySchemes:" in s.read_text(encoding="utf-8")]
WITH_BODIES = [s.stem for s in SPECS if "requestBody:" in s.read_text(encoding="utf-8")]


def _of(checks: list[dict[str, Any]], *prefixes: str) -> list[dict[str, Any]]:
    return [c for c in checks if c["check"].startswith(prefixes)]


def test_there_are_example_specs() -> None:
    """The suite has something to attack: secured operations and request bodies."""
    assert SPECS and SECURED and WITH_BODIES, (SPECS, SECURED, WITH_BODIES)


@pytest.mark.timeout(300)
@pytest.mark.parametrize("spec", SECURED)
def test_secured_operations_refuse_bad_credentials(
    probed: dict[str, list[dict[str, Any]]], spec: str
) -> None:
    """Missing or wrong credentials of every kind: 401/403, and the handler never runs."""
    checks = _of(probed[spec], "no-credentials", "wrong-")
    assert checks, f"{spec} declares security but no operation was probed"
    leaks = [c for c in checks if c["status"] not in (401, 403) or c["reached"]]
    assert not leaks, [(c["check"], c["op"], c["status"], c["reached"]) for c in leaks]


@pytest.mark.timeout(300)
@pytest.mark.parametrize("spec", WITH_BODIES)
def test_bad_bodies_get_4xx(probed: dict[str, list[dict[str, Any]]], spec: str) -> None:
    """Malformed JSON is a 4xx; bodies over the limit (small and default) are 413; no handler runs."""
    checks = _of(probed[spec], "malformed-json", "truncated-array", "oversized")
    assert checks, f"{spec} has request bodies but none was probed"
    bad = [
        c
        for c in checks
        if c["reached"]
        or not 400 <= c["status"] < 500
        or (c["check"].startswith("oversized") and c["status"] != 413)
    ]
    assert not bad, [(c["check"], c["op"], c["status"], c["body"][:200]) for c in bad]
    assert _of(checks, "oversized-default-limit"), "the default body limit was not exercised"


@pytest.mark.timeout(300)
@pytest.mark.parametrize("spec", [s.stem for s in SPECS])
def test_handler_exception_is_a_bare_500(
    probed: dict[str, list[dict[str, Any]]], spec: str
) -> None:
    """A handler that raises: 500, and nothing of the exception (message, trace, file) in the body."""
    raised = [c for c in _of(probed[spec], "handler-raises") if c["reached"]]
    assert raised, "no operation reached its handler with good credentials"
    for check in raised:
        body = check["body"]
        assert check["status"] == 500, check
        assert (
            "SECRET-TRACE-MARKER" not in body and "Traceback" not in body and ".py" not in body
        ), check
    others = [c for c in probed[spec] if c["status"] >= 500 and not c["reached"]]
    assert not others, others
