"""Validation time and peak memory: ``twinspec validate`` beside openapi-spec-validator.

Run from the repository root (``python benchmarks/validate.py [--repeat N]``).
Both tools run as whole processes on the same machine in the same run, so the
ratio is what a user would see; absolute numbers depend on the machine and its
load. Also measures the CLI's cold start (``twinspec --version``) against bare
``python -c pass``: the pre-commit hook pays it on every commit.

Prints a table; exits 0 (a benchmark reports, it does not judge).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO.parent / "shared" / "corpus" / "openapi"
SPECS = [
    "stripe/spec3.yaml",
    "openai/openapi.yaml",
    "github-apisguru/openapi.yaml",
    "kubernetes/swagger.json",
    "asana/asana_oas.yaml",
    "box/openapi.json",
    "twilio-api-v2010/twilio_api_v2010.yaml",
    "discord/openapi.json",
    "digitalocean/specification/DigitalOcean-public.v2.yaml",
    "jira-apisguru/openapi.yaml",
]


def measure(command: list[str], env: dict[str, str] | None = None) -> tuple[float, float, int]:
    """(wall seconds, peak RSS in MiB, exit code) of one process."""
    started = time.perf_counter()
    process = subprocess.Popen(
        command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=REPO, env=env
    )
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    return elapsed, usage.ru_maxrss / 1024, process.returncode


def best_of(
    command: list[str], repeat: int, env: dict[str, str] | None = None
) -> tuple[float, float, int]:
    """The fastest of ``repeat`` runs (least disturbed by other load), its memory and exit."""
    runs = [measure(command, env) for _ in range(repeat)]
    return min(runs, key=lambda run: run[0])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="runs per command (best is kept)")
    args = parser.parse_args()
    python = sys.executable
    scratch = tempfile.mkdtemp(prefix="twinspec-validate-bench-")
    # twinspec with its bytecode, as installed (generate.py's own_env says why)
    ours = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    ours["PYTHONPYCACHEPREFIX"] = scratch
    twinspec = [python, "-m", "generator", "validate", "-q"]
    oracle = [python, "-m", "openapi_spec_validator"]
    # osv's CLI stops at the first error; twinspec reports all, like `--validation-errors all`.
    oracle_all = [*oracle, "--validation-errors", "all"]

    print(
        f"{'spec':44} {'twinspec':>9} {'osv CLI':>9} {'ratio':>6} {'osv all':>9} {'ratio':>6}"
        f" {'MiB ts':>7} {'MiB osv':>8}"
    )
    ratios: list[float] = []
    ratios_all: list[float] = []
    for name in SPECS:
        spec = CORPUS / name
        if not spec.is_file():
            continue
        measure([*twinspec, str(spec)], ours)  # untimed: writes the bytecode
        mine, ours_mem, ours_exit = best_of([*twinspec, str(spec)], args.repeat, ours)
        theirs, theirs_mem, theirs_exit = best_of([*oracle, str(spec)], args.repeat)
        every = theirs
        if theirs_exit == 1:  # invalid: the first error came early; time the full report too
            every = best_of([*oracle_all, str(spec)], args.repeat)[0]
        ratios.append(mine / theirs)
        ratios_all.append(mine / every)
        print(
            f"{name[:44]:44} {mine:8.2f}s {theirs:8.2f}s {mine / theirs:6.2f} {every:8.2f}s"
            f" {mine / every:6.2f} {ours_mem:7.0f} {theirs_mem:8.0f}  exit {ours_exit}/{theirs_exit}"
        )
    if ratios:
        print(
            f"time ratio twinspec/osv CLI: worst {max(ratios):.2f}, median"
            f" {statistics.median(ratios):.2f}; against osv reporting all errors: worst"
            f" {max(ratios_all):.2f}, median {statistics.median(ratios_all):.2f}"
        )

    bare = best_of([python, "-c", "pass"], args.repeat * 3)[0]
    version = best_of([python, "-m", "generator", "--version"], args.repeat * 3, ours)[0]
    print(
        f"cold start: twinspec --version {version * 1000:.0f} ms, python -c pass"
        f" {bare * 1000:.0f} ms, ratio {version / bare:.2f} (target < 3)"
    )


if __name__ == "__main__":
    main()
