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

``--family names`` generates *valid* documents of both families whose names
(operations, tags, parameters, schemas; channels, messages, operations,
servers) are drawn from the templates' own namespaces
(``generator.naming.TEMPLATE_NAMES``), Python keywords, soft keywords and
builtins, and case-converted variants of each other; every plan must compile
and pass ruff's pyflakes rules (no shadowing, no redefinition).
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import signal
import subprocess
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

STRATEGIES = {
    "openapi": openapi_documents,
    "asyncapi": asyncapi_documents,
    "mutation": None,
    "names": None,
}
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


def name_pool() -> list[str]:
    """The templates' own module-level names, keywords, soft keywords and builtins."""
    import builtins
    import keyword

    from generator.naming import TEMPLATE_NAMES

    pool = {*TEMPLATE_NAMES, *keyword.kwlist, *keyword.softkwlist, *dir(builtins)}
    return sorted(name for name in pool if name.isidentifier())


def named_documents() -> Any:
    """Valid OpenAPI 3.1 or AsyncAPI 3.0 documents whose every name comes from ``name_pool``.

    Each name may be case-converted (``DecodeError`` / ``decode_error`` / ``DECODEERROR``...),
    so names also collide with each other after conversion.
    """
    from hypothesis import strategies as st

    def variants(name: str) -> Any:
        snake = "".join(f"_{c.lower()}" if c.isupper() else c for c in name).lstrip("_")
        camel = "".join(part.title() for part in name.split("_")) or name
        forms = [name, name.lower(), name.upper(), snake, camel, name + "_", name.title()]
        return st.sampled_from([f for f in dict.fromkeys(forms) if f])

    names = st.sampled_from(name_pool()).flatmap(variants)
    some = st.lists(names, min_size=1, max_size=5, unique=True)

    @st.composite
    def openapi(draw: Any) -> dict[str, Any]:
        ops, tags, params, schemas = draw(some), draw(some), draw(some), draw(some)
        paths: dict[str, Any] = {}
        for i, op in enumerate(ops):
            schema = schemas[i % len(schemas)]
            paths[f"/p{i}"] = {
                "get": {
                    "operationId": op,
                    "tags": [tags[i % len(tags)]],
                    "parameters": [
                        {"name": p, "in": "query", "schema": {"type": "string"}} for p in params
                    ],
                    "responses": {
                        "200": {
                            "description": "ok",
                            "content": {
                                "application/json": {
                                    "schema": {"$ref": f"#/components/schemas/{schema}"}
                                }
                            },
                        }
                    },
                }
            }
        components = {
            n: {"type": "object", "properties": {p: {"type": "string"} for p in params}}
            for n in schemas
        }
        return {
            "openapi": "3.1.0",
            "info": {"title": draw(names), "version": "1"},
            "paths": paths,
            "components": {"schemas": components},
        }

    @st.composite
    def asyncapi(draw: Any) -> dict[str, Any]:
        channels, messages, ops, servers, schemas = (draw(some) for _ in range(5))
        protocols = ["ws", "mqtt", "amqp", "nats", "redis", "kafka"]
        server_map = {
            s: {"host": f"localhost:{8000 + i}", "protocol": protocols[i % len(protocols)]}
            for i, s in enumerate(servers)
        }
        channel_map = {
            c: {
                "address": f"a{i}",
                "messages": {
                    m: {"$ref": f"#/components/messages/{m}"}
                    for m in messages[i % len(messages) :][:2]
                },
            }
            for i, c in enumerate(channels)
        }
        operations = {
            o: {
                "action": "send" if i % 2 else "receive",
                "channel": {"$ref": f"#/channels/{channels[i % len(channels)]}"},
            }
            for i, o in enumerate(ops)
        }
        message_map = {
            m: {"payload": {"$ref": f"#/components/schemas/{schemas[i % len(schemas)]}"}}
            for i, m in enumerate(messages)
        }
        components = {
            n: {"type": "object", "properties": {"v": {"type": "string"}}} for n in schemas
        }
        return {
            "asyncapi": "3.0.0",
            "info": {"title": draw(names), "version": "1"},
            "servers": server_map,
            "channels": channel_map,
            "operations": operations,
            "components": {"messages": message_map, "schemas": components},
        }

    return st.one_of(openapi(), asyncapi())


def check_names(doc: dict[str, Any]) -> None:
    """``check_pipeline``, then every plan written out and checked with ruff's pyflakes rules."""
    import tempfile

    from hostile.harness import materialise, plan_ok, write_spec

    from generator.render.targets import TARGETS

    family = "openapi" if "openapi" in doc else "asyncapi"
    check_pipeline(doc, family)
    with tempfile.TemporaryDirectory(prefix="twinspec-names-") as tmp:
        spec = write_spec(Path(tmp), "spec.json", doc)
        for target, info in sorted(TARGETS.items()):
            if info.family != family or not target.startswith(("rest-", "stream-")):
                continue
            plan = plan_ok(spec, target)
            out = Path(tmp) / target
            materialise(plan, out)
            lint = subprocess.run(
                ["ruff", "check", "--no-cache", "--select", "F", "--output-format", "concise", "."],
                cwd=out,
                capture_output=True,
                text=True,
            )
            assert lint.returncode == 0, f"{target}: {lint.stdout.strip()[:500]}"


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
    if family == "names":
        strategy = named_documents()
    else:
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
            if family == "names":
                check_names(doc)
            else:
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
