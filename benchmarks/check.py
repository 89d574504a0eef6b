"""Benchmark `twinspec check` against a bare Python start-up, in the same run.

    python benchmarks/check.py [--runs N]

Works on a temporary copy of this repository's config, specs and
generated_examples (so the checkout is never touched) and times, as the
median of N runs of a fresh process each:

* ``python -c pass``                  the floor: interpreter start-up;
* ``twinspec check`` unchanged        answered from .twinspec-cache (target: < 2x the floor);
* ``twinspec check`` after ``touch``  same bytes, new mtime: still a cache hit;
* ``twinspec check`` after an edit    one spec's bytes changed: the full validate + plan + compare.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
TWINSPEC = Path(sys.executable).with_name("twinspec")


def timed(args: list[str], cwd: Path) -> tuple[float, int]:
    """Wall-clock seconds and exit code of one fresh process."""
    start = time.perf_counter()
    done = subprocess.run(args, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start, done.returncode


def median(args: list[str], cwd: Path, runs: int, before: object = None) -> tuple[float, int]:
    samples, code = [], 0
    for _ in range(runs):
        if callable(before):
            before()
        seconds, code = timed(args, cwd)
        samples.append(seconds)
    return statistics.median(samples), code


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=21)
    runs = parser.parse_args().runs
    with tempfile.TemporaryDirectory() as temp:
        work = Path(temp) / "repo"
        work.mkdir()
        shutil.copy2(REPO / "twinspec.yaml", work / "twinspec.yaml")
        for folder in ("specs", "generated_examples"):
            if (REPO / folder).is_dir():
                shutil.copytree(REPO / folder, work / folder)
        specs = sorted((work / "specs").glob("*.yaml"))
        spec = specs[0]
        original = spec.read_bytes()
        check = [str(TWINSPEC), "check"]
        env_note = f"{len(specs)} specs, Python {sys.version.split()[0]}, {runs} runs each"

        timed(check, work)  # fill the cache
        bare_samples, cached_samples, code = [], [], 0
        for _ in range(runs):  # interleaved, so load changes hit both alike
            bare_samples.append(timed([sys.executable, "-c", "pass"], work)[0])
            seconds, code = timed(check, work)
            cached_samples.append(seconds)
        bare, cached = statistics.median(bare_samples), statistics.median(cached_samples)
        touched, _ = median(check, work, runs, before=lambda: os.utime(spec))
        counter = iter(range(10**6))

        def edit() -> None:
            spec.write_bytes(original + f"\n# benchmark edit {next(counter)}\n".encode())

        full, full_code = median(check, work, max(3, runs // 4), before=edit)
        spec.write_bytes(original)

    print(f"twinspec check benchmark ({env_note})")
    print(f"  python -c pass              {bare * 1000:8.1f} ms   1.00x")
    print(
        f"  check, unchanged (cached)   {cached * 1000:8.1f} ms   {cached / bare:4.2f}x  exit {code}"
    )
    print(f"  check, spec touched         {touched * 1000:8.1f} ms   {touched / bare:4.2f}x")
    print(
        f"  check, one spec edited      {full * 1000:8.1f} ms   {full / bare:4.2f}x  exit {full_code}"
    )
    verdict = "met" if cached < 2 * bare else "NOT met"
    print(f"  target (unchanged < 2x bare Python): {verdict}")


if __name__ == "__main__":
    main()
