"""Generation time and peak memory: twinspec's REST targets beside the peers that make the same thing.

Run from the repository root::

    python benchmarks/generate.py [--peers /tmp/peers] [--repeat 3] [--specs stripe/spec3.yaml ...]

Each command runs as a whole process (start-up and validation included), in
the same run and alternating, and the median of ``--repeat`` runs is kept with
its peak RSS. Peers come from a separate virtualenv (``--peers``; see
``../shared/PEERS.md``), never from the project's own environment:

- rest-server vs openapi-generator ``python-fastapi`` and fastapi-code-generator
- rest-client vs openapi-generator ``python`` and openapi-python-client

A peer that is not installed, or fails on a spec, is reported as such. Prints a
table and exits 0: a benchmark reports, it does not judge.
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
CORPUS = REPO.parent / "shared" / "corpus" / "openapi"
SPECS = [
    "stripe/spec3.yaml",
    "openai/openapi.yaml",
    "github-apisguru/openapi.yaml",
    "asana/asana_oas.yaml",
]
OPC_CONFIG = "literal_enums: true\n"

Command = Callable[[Path, Path], list[str]]


def measure(command: list[str], env: dict[str, str]) -> tuple[float, float, int]:
    """(wall seconds, peak RSS in MiB, exit code) of one process."""
    started = time.perf_counter()
    process = subprocess.Popen(
        command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=REPO, env=env
    )
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - started
    return elapsed, usage.ru_maxrss / 1024, os.waitstatus_to_exitcode(status)


def commands(peers: Path, scratch: Path) -> dict[str, tuple[str, Command]]:
    """Tool label -> (what it makes, command builder taking (spec, output folder))."""
    bin_ = peers / "bin"
    opc_config = scratch / "opc.yaml"
    opc_config.write_text(OPC_CONFIG, encoding="utf-8")
    twinspec = [sys.executable, "-m", "generator"]
    table: dict[str, tuple[str, Command]] = {
        "twinspec rest-server": (
            "server",
            lambda spec, out: [
                *twinspec,
                "generate",
                str(spec),
                "-t",
                "rest-server",
                "-o",
                str(out),
                "--allow-invalid",
            ],
        ),
        "twinspec rest-client": (
            "client",
            lambda spec, out: [
                *twinspec,
                "generate",
                str(spec),
                "-t",
                "rest-client",
                "-o",
                str(out),
                "--allow-invalid",
            ],
        ),
    }
    if (bin_ / "openapi-generator-cli").exists():
        for gen, makes in (("python-fastapi", "server"), ("python", "client")):
            table[f"openapi-generator {gen}"] = (
                makes,
                lambda spec, out, gen=gen: [
                    str(bin_ / "openapi-generator-cli"),
                    "generate",
                    "-i",
                    str(spec),
                    "-g",
                    gen,
                    "-o",
                    str(out),
                    "--skip-validate-spec",
                ],
            )
    if (bin_ / "fastapi-codegen").exists():
        table["fastapi-code-generator"] = (
            "server",
            lambda spec, out: [str(bin_ / "fastapi-codegen"), "-i", str(spec), "-o", str(out)],
        )
    if (bin_ / "openapi-python-client").exists():
        table["openapi-python-client"] = (
            "client",
            lambda spec, out: [
                str(bin_ / "openapi-python-client"),
                "generate",
                "--path",
                str(spec),
                "--output-path",
                str(out),
                "--overwrite",
                "--config",
                str(opc_config),
            ],
        )
    return table


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument(
        "--peers", type=Path, default=Path("/tmp/peers"), help="virtualenv holding the peers"
    )
    parser.add_argument("--repeat", type=int, default=3, help="runs per command (median kept)")
    parser.add_argument(
        "--specs", nargs="*", default=SPECS, help="specs under the corpus openapi/ folder"
    )
    args = parser.parse_args()
    env = {**os.environ, "JAVA_OPTS": "-DmaxYamlCodePoints=99999999"}
    with tempfile.TemporaryDirectory(prefix="twinspec-bench-") as tmp:
        scratch = Path(tmp)
        tools = commands(args.peers, scratch)
        print(f"{'spec':<28} {'tool':<34} {'makes':<7} {'median s':>9} {'peak MiB':>9}  status")
        for rel in args.specs:
            spec = CORPUS / rel
            runs: dict[str, list[tuple[float, float, int]]] = {name: [] for name in tools}
            for _ in range(args.repeat):  # alternate tools within each round
                for name, (_makes, build) in tools.items():
                    out = scratch / "out"
                    shutil.rmtree(out, ignore_errors=True)
                    runs[name].append(measure(build(spec, out), env))
            for name, (makes, _build) in tools.items():
                times = [r[0] for r in runs[name]]
                peak = max(r[1] for r in runs[name])
                codes = {r[2] for r in runs[name]}
                status = "ok" if codes == {0} else f"exit {sorted(codes)}"
                print(
                    f"{rel:<28} {name:<34} {makes:<7} {statistics.median(times):>9.2f} {peak:>9.0f}  {status}",
                    flush=True,
                )


if __name__ == "__main__":
    main()
