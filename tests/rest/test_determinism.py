"""Same spec, same options: byte-identical output, whatever the hash seed."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from rest_support import REPO, SPECS

PLAN = """
import json, sys
from pathlib import Path
from generator.drive.spec import plan_target
out = {}
for spec in sys.argv[1:]:
    for target in ("rest-server", "rest-client"):
        plan, _ = plan_target(Path(spec), target, spec_label=Path(spec).name)
        out.update({f"{Path(spec).name}/{target}/{f.path}": f.content for f in plan.files})
print(json.dumps(out))
"""


def _plan(seed: str, *specs: str) -> dict[str, str]:
    env = {**os.environ, "PYTHONHASHSEED": seed}
    done = subprocess.run(
        [sys.executable, "-c", PLAN, *specs],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    plan: dict[str, str] = json.loads(done.stdout)
    return plan


@pytest.mark.parametrize("spec", ["petstore.yaml", "bookstore.yaml"])
def test_output_is_identical_across_hash_seeds(spec: str) -> None:
    first = _plan("0", str(SPECS / spec))
    second = _plan("1", str(SPECS / spec))
    assert first.keys() == second.keys() and len(first) > 10
    differing = [path for path in first if first[path] != second[path]]
    assert differing == []
