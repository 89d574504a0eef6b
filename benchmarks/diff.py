"""``twinspec diff`` on stripe (two versions) beside one ``twinspec validate`` and an OpenAPI peer.

Run from the repository root: ``python benchmarks/diff.py [--repeat N] [--peer-timeout S]``.

The second version of the corpus's largest spec (stripe, 3.9 MiB) is made here, in
a temporary folder, by edits a real release makes: a response property removed
from a shared schema, an enum value dropped from a request field, an optional
query parameter added, an operation removed, a component renamed (every
``$ref`` to it moved: no change in shape), a description reworded. Then, as whole
processes, alternating, in the same run:

- ``twinspec diff OLD NEW`` (the goal: about the time of one ``twinspec validate``),
- ``twinspec validate OLD`` (the yardstick),
- Optic (``@useoptic/optic``, npm) ``optic diff OLD NEW --check``, if installed:
  ``npm install --prefix /tmp/diff-optic @useoptic/optic`` (never into this
  repository); set ``OPTIC=/path/to/optic`` to point at it.

Prints wall time and peak RSS (medians) and the ratios; exits 0.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
STRIPE = REPO.parent / "shared" / "corpus" / "openapi" / "stripe" / "spec3.yaml"


def measure(command: list[str], timeout: float | None = None) -> tuple[float, float, int]:
    """(wall seconds, peak RSS in MiB, exit code) of one process (-1 exit: timed out)."""
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        _, status, usage = os.wait4(process.pid, 0) if timeout is None else _wait(process, timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
        return time.perf_counter() - started, 0.0, -1
    wall = time.perf_counter() - started
    return wall, usage.ru_maxrss / 1024, os.waitstatus_to_exitcode(status)


def _wait(process: subprocess.Popen[bytes], timeout: float) -> tuple[int, int, os.struct_rusage]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        pid, status, usage = os.wait4(process.pid, os.WNOHANG)
        if pid:
            return pid, status, usage
        time.sleep(0.05)
    raise subprocess.TimeoutExpired(process.args, timeout)


def _drop_block(lines: list[str], start: int) -> None:
    """Remove the YAML line ``start`` and every deeper-indented line under it."""
    indent = len(lines[start]) - len(lines[start].lstrip(" "))
    end = start + 1
    while end < len(lines) and (
        not lines[end].strip() or len(lines[end]) - len(lines[end].lstrip(" ")) > indent
    ):
        end += 1
    del lines[start:end]


def _find(lines: list[str], text: str, after: int = 0) -> int:
    return next(i for i in range(after, len(lines)) if lines[i] == text)


def second_version(text: str) -> str:
    """Stripe as a next release might look (see the module docstring)."""
    # a component renamed: every $ref follows it (a move, not a change in shape)
    text = text.replace("#/components/schemas/address'", "#/components/schemas/postal_address'")
    text = text.replace("\n    address:\n", "\n    postal_address:\n", 1)
    lines = text.split("\n")
    # a response property removed from a shared schema
    at = _find(lines, "    account_business_profile:")
    _drop_block(lines, _find(lines, "        product_description:", at))
    # an operation removed
    _drop_block(lines, _find(lines, "    delete:", _find(lines, "  '/v1/coupons/{coupon}':")))
    # an optional query parameter added to a list operation
    at = _find(lines, "    get:", _find(lines, "  /v1/customers:"))
    params = _find(lines, "      parameters:", at)
    lines[params + 1 : params + 1] = [
        "        - description: Only customers in this segment.",
        "          in: query",
        "          name: segment",
        "          required: false",
        "          schema:",
        "            type: string",
        "          style: form",
    ]
    text = "\n".join(lines)
    # a description reworded (no change)
    text = text.replace("The customer-facing business name.", "The business name customers see.", 1)
    # an enum value dropped from a request field (tax_exempt of POST /v1/customers)
    post = text.index("  /v1/customers:\n")
    exempt = text.index("tax_exempt:", post)
    head, tail = text[:exempt], text[exempt:]
    tail = re.sub(r"\n( +)- reverse\n", "\n", tail, count=1)
    return head + tail


def main() -> None:
    """Build the second version, time the three commands alternately, print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--peer-timeout", type=float, default=120.0)
    parser.add_argument("--peer-runs", type=int, default=1, help="Optic runs (it is slow)")
    args = parser.parse_args()
    if not STRIPE.is_file():
        sys.exit(f"needs the corpus: {STRIPE} is missing")
    twinspec = shutil.which("twinspec") or "twinspec"
    optic = os.environ.get("OPTIC") or shutil.which("optic")
    if optic is None and Path("/tmp/diff-optic/node_modules/.bin/optic").exists():
        optic = "/tmp/diff-optic/node_modules/.bin/optic"
    with tempfile.TemporaryDirectory(prefix="twinspec-bench-diff-") as tmp:
        old = Path(tmp, "old", "spec3.yaml")
        new = Path(tmp, "new", "spec3.yaml")
        old.parent.mkdir()
        new.parent.mkdir()
        shutil.copyfile(STRIPE, old)
        new.write_text(second_version(STRIPE.read_text(encoding="utf-8")), encoding="utf-8")
        found = subprocess.run(
            [twinspec, "diff", str(old), str(new)], capture_output=True, text=True, check=False
        ).stdout
        print("twinspec diff reports:")
        print("\n".join("  " + line[:160] for line in found.splitlines()))
        commands = {
            "twinspec diff": [twinspec, "diff", str(old), str(new)],
            "twinspec validate (one version)": [twinspec, "validate", "-q", str(old)],
        }
        if optic:
            commands["optic diff --check"] = [optic, "diff", str(old), str(new), "--check"]
        runs: dict[str, list[tuple[float, float, int]]] = {name: [] for name in commands}
        for index in range(args.repeat):
            for name, command in commands.items():
                peer = name.startswith("optic")
                if peer and index >= args.peer_runs:
                    continue
                runs[name].append(measure(command, args.peer_timeout if peer else None))
    base = statistics.median(r[0] for r in runs["twinspec diff"])
    size = STRIPE.stat().st_size / 2**20
    print(f"\nstripe spec3.yaml ({size:.2f} MiB), {args.repeat} run(s), Optic {args.peer_runs}")
    print(f"{'command':34} {'median s':>9} {'peak MiB':>9} {'x diff':>7}  exit")
    for name, samples in runs.items():
        if not samples:
            continue
        wall = statistics.median(s[0] for s in samples)
        peak = statistics.median(s[1] for s in samples)
        codes = ",".join(str(s[2]) for s in samples)
        timed_out = " (timed out)" if any(s[2] == -1 for s in samples) else ""
        print(f"{name:34} {wall:9.2f} {peak:9.1f} {wall / base:7.2f}  {codes}{timed_out}")
    if not optic:
        print("optic not found: npm install --prefix /tmp/diff-optic @useoptic/optic")


if __name__ == "__main__":
    main()
