"""Long, on-demand fuzzing of the whole pipeline (the CI run in tests/fuzz is short and fixed-seed).

Random hostile OpenAPI 3.x and AsyncAPI 3.0 documents (the strategies of
``tests/fuzz/strategies.py``) go through load -> validate -> plan for every
target of their family; each must end in error Diagnostics or in output whose
paths are safe and whose Python compiles (``tests/fuzz/properties.py``).

    python benchmarks/fuzz.py --minutes 10
    python benchmarks/fuzz.py --examples 5000 --family openapi --save /tmp/fuzz-failures

Prints what it ran (examples per family, outcomes, minutes, peak memory) and
every distinct failure (exception type and first line), and saves each failing
document as JSON when ``--save`` is given. Exit 1 when anything failed.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import signal
import sys
import time
import traceback
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
HERE = Path(__file__).resolve().parent
# This file is named fuzz.py too: drop its folder so ``fuzz`` means tests/fuzz. Append
# tests/ rather than prepend: it holds packages that must not shadow the stdlib.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != HERE]
sys.path.append(str(REPO / "tests"))

from fuzz.properties import OUTCOMES, check_pipeline  # noqa: E402
from fuzz.strategies import (  # noqa: E402
    AVOID_F2,
    asyncapi_documents,
    has_structural_cycle,
    mutations,
    openapi_documents,
)
from hypothesis import HealthCheck, Phase, assume, given, seed, settings  # noqa: E402

STRATEGIES = {"openapi": openapi_documents, "asyncapi": asyncapi_documents, "mutation": None}
"""``mutation``: real documents (specs/ and, when present, single-file corpus specs) made hostile."""

CORPUS = REPO.parent / "shared" / "corpus"


def mutation_seeds() -> list[tuple[str, Any, str]]:
    """(name, data, family) of every valid single-file seed document."""
    from generator.diagnostics import has_errors
    from generator.drive.spec import load_and_validate

    paths = sorted((REPO / "specs").glob("*.yaml"))
    for folder in ("openapi", "asyncapi"):
        if (CORPUS / folder).is_dir():
            paths += sorted(
                p for p in (CORPUS / folder).rglob("*") if p.suffix in (".yaml", ".yml", ".json")
            )
    seeds = []
    for path in paths:
        if path.stat().st_size > 300_000:
            continue
        doc, diagnostics = load_and_validate(path)
        if doc is None or doc.kind is None or has_errors(diagnostics) or len(doc.files) > 1:
            continue
        seeds.append((path.name, doc.data, doc.kind.family))
    return seeds


class Hang(Exception):
    """One example ran longer than ``--example-timeout``."""


@dataclass
class Report:
    """What the run did and found."""

    examples: Counter[str] = field(default_factory=Counter)
    failures: dict[tuple[str, str], list[Any]] = field(default_factory=dict)
    seconds: float = 0.0

    def record(self, family: str, doc: Any, exc: BaseException) -> None:
        """Keep the first document of each distinct failure, count the rest."""
        first_line = (str(exc).splitlines() or [""])[0][:200]
        key = (f"{family}: {type(exc).__name__}", first_line)
        entry = self.failures.setdefault(key, [0, doc, traceback.format_exc()])
        entry[0] += 1


def _on_alarm(signum: int, frame: Any) -> None:
    raise Hang("example ran past its timeout")


def run_chunk(
    family: str, n: int, chunk_seed: int, report: Report, per_example: int, seed_doc: Any = None
) -> None:
    """``n`` examples of ``family`` under ``chunk_seed``; failures are recorded, not raised.

    For ``mutation``, ``seed_doc`` is (name, data, spec family) of the document to mutate.
    """
    strategy = mutations(seed_doc[1]) if family == "mutation" else STRATEGIES[family]()
    checked_family = seed_doc[2] if family == "mutation" else family

    @seed(chunk_seed)
    @settings(
        max_examples=n,
        deadline=None,
        database=None,
        phases=[Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(doc=strategy)
    def one(doc: Any) -> None:
        assume(not (AVOID_F2 and has_structural_cycle(doc)))
        report.examples[family] += 1
        signal.alarm(per_example)
        try:
            check_pipeline(doc, checked_family)
        except BaseException as exc:  # the point: nothing may escape the pipeline
            if isinstance(exc, KeyboardInterrupt):
                raise
            report.record(family if seed_doc is None else f"mutation of {seed_doc[0]}", doc, exc)
        finally:
            signal.alarm(0)

    one()


def main() -> int:
    """Parse options, fuzz until the budget is spent, print the report."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--examples", type=int, default=2000, help="examples per family (default 2000)"
    )
    parser.add_argument(
        "--minutes", type=float, default=0, help="stop after this many minutes (0: no limit)"
    )
    parser.add_argument("--family", choices=[*STRATEGIES, "all"], default="all")
    parser.add_argument(
        "--seed", type=int, default=0, help="first seed (chunks use seed, seed+1, ...)"
    )
    parser.add_argument("--chunk", type=int, default=100, help="examples per hypothesis run")
    parser.add_argument(
        "--example-timeout", type=int, default=60, help="seconds before an example is a hang"
    )
    parser.add_argument("--save", type=Path, help="folder for failing documents")
    args = parser.parse_args()

    families = list(STRATEGIES) if args.family == "all" else [args.family]
    seeds = mutation_seeds() if "mutation" in families else []
    signal.signal(signal.SIGALRM, _on_alarm)
    report = Report()
    start = time.monotonic()
    chunk_seed = args.seed
    rng = random.Random(args.seed)
    while True:
        pending = [f for f in families if report.examples[f] < args.examples]
        out_of_time = args.minutes and time.monotonic() - start > args.minutes * 60
        if not pending or out_of_time:
            break
        family = rng.choice(pending)
        n = min(args.chunk, args.examples - report.examples[family])
        seed_doc = rng.choice(seeds) if family == "mutation" else None
        run_chunk(family, n, chunk_seed, report, args.example_timeout, seed_doc)
        chunk_seed += 1
    report.seconds = time.monotonic() - start

    peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    total = sum(report.examples.values())
    print(
        f"twinspec fuzz: {total} documents in {report.seconds / 60:.1f} min (seeds {args.seed}..{chunk_seed - 1})"
    )
    for family in families:
        print(f"  {family}: {report.examples[family]} documents")
    if seeds:
        print(
            f"  mutation seeds: {len(seeds)} ({', '.join(name for name, _, _ in seeds[:8])}, ...)"
        )
    print(f"  outcomes: {json.dumps(dict(sorted(OUTCOMES.items())))}")
    print(f"  peak memory: {peak_mib:.0f} MiB")
    if not report.failures:
        print("  failures: none")
        return 0
    print(f"  failures: {len(report.failures)} distinct")
    for index, ((kind, line), (count, doc, trace)) in enumerate(sorted(report.failures.items())):
        print(f"  [{index}] {kind} x{count}: {line}")
        print(
            "      " + trace.strip().splitlines()[-3].strip() if len(trace.splitlines()) > 2 else ""
        )
        if args.save:
            args.save.mkdir(parents=True, exist_ok=True)
            (args.save / f"failure-{index}.json").write_text(
                json.dumps(doc, indent=1), encoding="utf-8"
            )
            (args.save / f"failure-{index}.txt").write_text(trace, encoding="utf-8")
    return 1


if __name__ == "__main__":
    sys.exit(main())
