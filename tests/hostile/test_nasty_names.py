"""Legal but nasty names must still generate working code: refusing them is a failure.

Keywords and soft keywords, builtins, names that shadow the generated module's
imports (``BaseModel``, ``Field``, ``datetime``, ``typing``, ``Any``), leading
digits, the empty name, non-ASCII and emoji, ``user-id``/``user_id``/``userId``
side by side, 500-character names. The output must compile, pass ``ruff
check``, import, be deterministic, and carry every wire name through the
generated model (and, for rest-server, through the running app) unchanged.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from .builders import NASTY_NAMES, asyncapi_nasty_names, nasty_object, openapi_nasty_names
from .harness import (
    compile_errors,
    import_and_serve,
    materialise,
    plan_ok,
    ruff_check,
    unsafe_paths,
    write_spec,
)

TARGETS = {
    "rest-server": openapi_nasty_names,
    "rest-client": openapi_nasty_names,
    "stream-server": asyncapi_nasty_names,
    "stream-client": asyncapi_nasty_names,
}


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Each target generated once into its own folder: the folder (holding spec.json and out/)."""
    folders = {}
    for target, builder in TARGETS.items():
        root = tmp_path_factory.mktemp(target)
        write_spec(root, "spec.json", builder())
        folders[target] = root
    return folders


@pytest.mark.timeout(120)
@pytest.mark.parametrize("target", list(TARGETS))
def test_nasty_names_generate_clean_code(generated: dict[str, Path], target: str) -> None:
    """Not refused, compiles, safe paths, ruff-clean, deterministic."""
    root = generated[target]
    plan = plan_ok(root / "spec.json", target)
    assert not compile_errors(plan), compile_errors(plan)
    assert not unsafe_paths(plan), unsafe_paths(plan)
    again = plan_ok(root / "spec.json", target)
    assert [(f.path, f.content) for f in again.files] == [(f.path, f.content) for f in plan.files]
    materialise(plan, root / "out")
    lint = ruff_check(root / "out")
    assert lint.returncode == 0, lint.stdout[-3000:]


def _requests(target: str) -> list[tuple[str, str, Any]]:
    if target != "rest-server":
        return []
    gets = [("GET", f"/s{i}/x?in=1&user-id=2&user_id=3", None) for i in range(10)]
    return [("POST", "/echo", nasty_object()), *gets]


@pytest.mark.timeout(180)
@pytest.mark.parametrize("target", list(TARGETS))
def test_wire_names_survive(generated: dict[str, Path], target: str) -> None:
    """The generated model reads and writes every original name; the server echoes them."""
    root = generated[target]
    out = root / "out"
    if not out.exists():
        materialise(plan_ok(root / "spec.json", target), out)
    wire = nasty_object()
    result = import_and_serve(out, root / "canary", _requests(target), roundtrips=[wire])
    assert result.returncode == 0, result.describe()
    (roundtrip,) = result.roundtrips
    assert len(roundtrip) >= 2, f"no generated model has exactly the wire names {sorted(wire)}"
    assert roundtrip[-1] == wire, "names changed on the way through the model"
    for method, url, status, body in result.responses:
        assert 200 <= status < 300, f"{method} {url} -> {status}: {body[:300]}"
    if target == "rest-server":
        import json

        assert json.loads(result.responses[0][3]) == wire


def test_the_names_are_nasty() -> None:
    """The list covers each kind the issue names (so it cannot quietly shrink)."""
    import keyword

    names = set(NASTY_NAMES)
    assert names & set(keyword.kwlist) and names & set(keyword.softkwlist)
    assert {
        "BaseModel",
        "Field",
        "datetime",
        "typing",
        "Any",
        "",
        "user-id",
        "user_id",
        "userId",
    } <= names
    assert any(n[:1].isdigit() for n in names) and any(not n.isascii() for n in names)
    assert max(map(len, names)) >= 500


_DIGEST = """
import hashlib, sys
from pathlib import Path
from generator.drive.spec import plan_target
plan, _ = plan_target(Path(sys.argv[1]), sys.argv[2])
digest = hashlib.sha256()
for f in plan.files:
    digest.update(f.path.encode() + b"\\0" + f.content.encode() + b"\\0")
print(digest.hexdigest())
"""


@pytest.mark.timeout(180)
@pytest.mark.parametrize("target", ["rest-server", "stream-server"])
def test_nasty_names_are_deterministic_across_hash_seeds(
    generated: dict[str, Path], target: str
) -> None:
    """Collision numbering and name choice never depend on set or dict hash order."""
    import os
    import subprocess
    import sys

    digests = set()
    for hash_seed in ("0", "1", "12345"):
        proc = subprocess.run(
            [sys.executable, "-c", _DIGEST, str(generated[target] / "spec.json"), target],
            capture_output=True,
            text=True,
            timeout=120,
            env={**os.environ, "PYTHONHASHSEED": hash_seed},
        )
        assert proc.returncode == 0, proc.stderr[-2000:]
        digests.add(proc.stdout.strip())
    assert len(digests) == 1
