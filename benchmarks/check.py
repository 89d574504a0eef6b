"""Benchmark `twinspec check` against a bare Python start-up, in the same run.

    python benchmarks/check.py [--runs N]

Works on a temporary copy of this repository's config, specs and
generated_examples (so the checkout is never touched), brought in step with
``twinspec generate``, and times, as the median of N runs of a fresh process each:

* ``python -c pass``                  the floor: interpreter start-up;
* ``twinspec check`` unchanged        answered from the user cache (target: < 2x the floor);
* ``twinspec check`` after ``touch``  same bytes, new mtime: still a cache hit;
* ``twinspec check`` after an edit    one spec's bytes changed: that job validated and rendered again;
* ``twinspec check`` after an output edit  stored plans reused: only loading and comparing run.
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
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
TWINSPEC = Path(sys.executable).with_name("twinspec")


def timed(args: list[str], cwd: Path) -> tuple[float, int]:
    """Wall-clock seconds and exit code of one fresh process."""
    start = time.perf_counter()
    done = subprocess.run(args, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start, done.returncode


def paired(
    args: list[str], cwd: Path, runs: int, before: Callable[[], object] | None = None
) -> tuple[float, float, int]:
    """Medians of ``python -c pass`` and ``args``, run in alternation so load hits both alike."""
    bare, samples, code = [], [], 0
    for _ in range(runs):
        bare.append(timed([sys.executable, "-c", "pass"], cwd)[0])
        if before is not None:
            before()
        seconds, code = timed(args, cwd)
        samples.append(seconds)
    return statistics.median(bare), statistics.median(samples), code


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
        # Bring the copy in step (a no-op when the committed examples are current),
        # so the numbers are those of a clean repository.
        subprocess.run([str(TWINSPEC), "generate", "-q"], cwd=work, capture_output=True)
        specs = sorted((work / "specs").glob("*.yaml"))
        spec = specs[0]
        original = spec.read_bytes()
        check = [str(TWINSPEC), "check"]
        env_note = f"{len(specs)} specs, Python {sys.version.split()[0]}, {runs} runs each"

        timed(check, work)  # fill the cache
        rows = [("check, unchanged (cached)", *paired(check, work, runs))]
        rows.append(
            ("check, spec touched", *paired(check, work, runs, before=lambda: os.utime(spec)))
        )
        counter = iter(range(10**6))

        def edit() -> None:
            spec.write_bytes(original + f"\n# benchmark edit {next(counter)}\n".encode())

        few = max(3, runs // 4)
        rows.append(("check, one spec edited", *paired(check, work, few, before=edit)))
        spec.write_bytes(original)
        timed(check, work)  # store the restored spec's plans again
        outputs = sorted((work / "generated_examples").rglob("*.py"))

        def edit_output() -> None:
            outputs[0].write_text(f"# edited {next(counter)}\n")

        if outputs:
            rows.append(("check, output edited", *paired(check, work, few, before=edit_output)))

    print(f"twinspec check benchmark ({env_note}); each row against python -c pass")
    print("  run of this row             twinspec   bare python   ratio   exit")
    for name, bare, seconds, code in rows:
        print(
            f"  {name:<26} {seconds * 1000:8.1f} ms  {bare * 1000:8.1f} ms"
            f"   {seconds / bare:5.2f}x   {code}"
        )
    _, bare, cached, _ = rows[0]
    verdict = "met" if cached < 2 * bare else "NOT met"
    print(f"  target (unchanged < 2x bare Python): {verdict}")


if __name__ == "__main__":
    main()
