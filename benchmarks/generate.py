"""Generation time and peak memory: twinspec's REST targets beside the peers that make the same thing.

Run from the repository root::

    python benchmarks/generate.py [--peers ../peers-venv] [--repeat 3] [--specs stripe/spec3.yaml ...]
    python benchmarks/generate.py --only twinspec openapi-generator   # the issue's table (see
                                                                       # generate-results.md)
    python benchmarks/generate.py --stages [--specs PATH ...]     # load/validate/translate/render/format/write
    python benchmarks/generate.py --profile [--specs PATH ...]    # cProfile's top functions per target
    python benchmarks/generate.py --baseline ../main --only baseline twinspec   # before/after

A spec is a path (absolute, or relative to the working directory) or a path
under the corpus ``openapi/`` folder.

Each command runs as a whole process (start-up and validation included), in
the same run and alternating, and the median of ``--repeat`` runs is kept with
its peak RSS. Peers come from a separate virtualenv (``--peers``; see
``../shared/PEERS.md``), never from the project's own environment:

- rest-server vs openapi-generator ``python-fastapi`` and fastapi-code-generator
- rest-client vs openapi-generator ``python`` and openapi-python-client

A peer that is not installed, or fails on a spec, is reported as such. Prints a
table and exits 0: a benchmark reports, it does not judge.

twinspec runs cold by default: each run gets a fresh, empty user cache
(``TWINSPEC_CACHE_DIR``), as a first generation would. ``--warm`` keeps it, so
the median is a re-generation whose Python the format cache already holds
(``generator.write.cacheformat``). ``--only WORD...`` keeps the tools whose label
contains a word (e.g. ``baseline twinspec`` to leave the slow peers out).
twinspec runs with its modules' bytecode, as an installed copy has it (an untimed
first run writes it under the scratch folder); ``--no-bytecode`` runs it as an
editable checkout under ``PYTHONDONTWRITEBYTECODE`` does, compiling every module
each time.

``--stages`` runs both REST targets in this process, stage by stage, and prints
each stage's wall and CPU seconds (CPU time is the steadier figure on a busy
machine); ``--profile`` prints cProfile's top functions of one whole run per
target. Both load the spec once per target, as ``generate`` does for one target;
``--stages --warm`` runs each target once first, then times the second run.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO.parent / "shared" / "corpus" / "openapi"
SPECS = [
    "stripe/spec3.yaml",
    "github-apisguru/openapi.yaml",
    "kubernetes/swagger.json",
    "openai/openapi.yaml",
    "twilio-api-v2010/twilio_api_v2010.yaml",
    "digitalocean/specification/DigitalOcean-public.v2.yaml",
    "asana/asana_oas.yaml",
    "box/openapi.json",
    "jira-apisguru/openapi.yaml",
]
"""The corpus specs over 1 MB (digitalocean's over its 2,850 files), largest first but for
the six the issue names first."""
PEERS = REPO.parent / "peers-venv"
"""The peers' virtualenv (``../shared/PEERS.md``)."""
OPC_CONFIG = "literal_enums: true\n"
CACHE_ENV = "TWINSPEC_CACHE_DIR"
"""twinspec's user cache (generator.write.cachefiles): fresh per run unless ``--warm``."""

Command = Callable[[Path, Path], list[str]]


def measure(command: list[str], env: dict[str, str]) -> tuple[float, float, int, float]:
    """(wall seconds, peak RSS in MiB, exit code, CPU seconds with its children) of one process.

    CPU time is the steadier figure on a shared machine; a JVM's is spread over threads.
    """
    started = time.perf_counter()
    process = subprocess.Popen(
        command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=REPO, env=env
    )
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - started
    cpu = usage.ru_utime + usage.ru_stime  # wait4 counts the children it waited for (ruff)
    return elapsed, usage.ru_maxrss / 1024, os.waitstatus_to_exitcode(status), cpu


def twinspec_at(label: str, checkout: Path) -> dict[str, tuple[str, Command]]:
    """Both REST targets of the twinspec checkout at ``checkout`` (its own ``generator`` package).

    Runs what the ``twinspec`` console script of that checkout runs
    (``generator.cli.entry.main``), exit included.
    """
    code = (
        f"import sys; sys.path.insert(0, {str(checkout)!r}); "
        "from generator.cli.entry import main; sys.argv[0] = 'twinspec'; main()"
    )
    return {
        f"{label} {target}": (
            makes,
            lambda spec, out, target=target: [
                sys.executable,
                "-c",
                code,
                "generate",
                str(spec),
                "-t",
                target,
                "-o",
                str(out),
                "--allow-invalid",
            ],
        )
        for target, makes in (("rest-server", "server"), ("rest-client", "client"))
    }


def commands(peers: Path, scratch: Path, baseline: Path | None) -> dict[str, tuple[str, Command]]:
    """Tool label -> (what it makes, command builder taking (spec, output folder))."""
    bin_ = peers / "bin"
    opc_config = scratch / "opc.yaml"
    opc_config.write_text(OPC_CONFIG, encoding="utf-8")
    twinspec = [sys.executable, "-m", "generator"]
    table: dict[str, tuple[str, Command]] = twinspec_at("baseline", baseline) if baseline else {}
    table |= {
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


def spec_path(given: str) -> Path:
    """A spec path as given, else under the corpus ``openapi/`` folder."""
    path = Path(given)
    return path if path.is_file() else CORPUS / given


TARGETS = ("rest-server", "rest-client")


class Stages:
    """Wall and CPU seconds per stage of one target's run, in the order first seen."""

    def __init__(self) -> None:
        self.wall: dict[str, float] = {}
        self.cpu: dict[str, float] = {}

    @staticmethod
    def cpu_now() -> float:
        """This process's CPU seconds plus its finished children's (ruff, the syntax check)."""
        children = resource.getrusage(resource.RUSAGE_CHILDREN)
        return time.process_time() + children.ru_utime + children.ru_stime

    @contextmanager
    def stage(self, name: str) -> Iterator[None]:
        wall, cpu = time.perf_counter(), self.cpu_now()
        try:
            yield
        finally:
            self.wall[name] = self.wall.get(name, 0.0) + time.perf_counter() - wall
            self.cpu[name] = self.cpu.get(name, 0.0) + self.cpu_now() - cpu


def run_stages(spec: Path, target: str, out: Path) -> Stages:
    """One target's generation stage by stage, as ``generate`` runs it (validation inline here)."""
    import generator.render.env as render_env
    from generator.drive.plancache import formatting_cache
    from generator.drive.target import target_for
    from generator.load import load
    from generator.load.heap import existing_objects_frozen
    from generator.render.targets import RenderRequest
    from generator.validate import validate
    from generator.write.atomic import apply_all
    from generator.write.changes import plan_changes

    stages = Stages()
    formatting = render_env.format_python

    def timed_format(files: dict[str, str], **options: bool) -> dict[str, str]:
        with stages.stage("format"):
            return formatting(files, **options)

    with stages.stage("load"):
        doc, _ = load(spec)
    assert doc is not None, f"{spec} does not load"
    with stages.stage("validate"):
        validate(doc)
    with stages.stage("translate"), existing_objects_frozen():  # as plan_document runs it
        info = target_for(doc, target, spec)
        ir, _ = info.load_translator()(doc, None)
    render_env.format_python = timed_format  # type: ignore[assignment]
    try:
        with stages.stage("render+format"), formatting_cache(), existing_objects_frozen():
            plan = info.load()(
                RenderRequest(
                    ir=ir,
                    target=target,
                    spec_label=spec.name,
                    package=None,
                    options={},
                    templates=None,
                )
            )
    finally:
        render_env.format_python = formatting
    stages.wall["render"] = stages.wall.pop("render+format") - stages.wall.get("format", 0.0)
    stages.cpu["render"] = stages.cpu.pop("render+format") - stages.cpu.get("format", 0.0)
    stages.wall["format"] = stages.wall.pop("format", 0.0)  # keep the pipeline's order
    stages.cpu["format"] = stages.cpu.pop("format", 0.0)
    with stages.stage("write"):
        apply_all([plan_changes(plan, out)])
    return stages


def print_stages(specs: list[str], warm: bool) -> None:
    names = ("load", "validate", "translate", "render", "format", "write")
    print(
        f"load average {os.getloadavg()[0]:.1f}; seconds as wall/cpu (cpu includes child processes); "
        + ("warm format cache (a second run)" if warm else "cold (an empty cache)")
    )
    print(f"{'spec':<34} {'target':<12} " + " ".join(f"{n:>13}" for n in names) + f" {'total':>13}")
    for given in specs:
        spec = spec_path(given)
        for target in TARGETS:
            with tempfile.TemporaryDirectory(prefix="twinspec-stages-") as tmp:
                os.environ[CACHE_ENV] = str(Path(tmp) / "cache")
                if warm:
                    run_stages(spec, target, Path(tmp) / "first")
                stages = run_stages(spec, target, Path(tmp) / "out")
            cells = [f"{stages.wall[n]:>6.2f}/{stages.cpu[n]:<6.2f}" for n in names]
            total = f"{sum(stages.wall.values()):>6.2f}/{sum(stages.cpu.values()):<6.2f}"
            print(f"{given[-34:]:<34} {target:<12} " + " ".join(cells) + f" {total}", flush=True)


def print_profile(specs: list[str], top: int) -> None:
    from generator.cli.app import main as cli

    for given in specs:
        spec = spec_path(given)
        for target in TARGETS:
            with tempfile.TemporaryDirectory(prefix="twinspec-profile-") as tmp:
                argv = [
                    "generate",
                    str(spec),
                    "-t",
                    target,
                    "-o",
                    str(Path(tmp) / "out"),
                    "--allow-invalid",
                ]
                profile = cProfile.Profile()
                saved = sys.argv
                sys.argv = ["twinspec", *argv]
                try:
                    profile.enable()
                    try:
                        cli()
                    except SystemExit:
                        pass
                    finally:
                        profile.disable()
                finally:
                    sys.argv = saved
            report = io.StringIO()
            stats = pstats.Stats(profile, stream=report)
            stats.sort_stats("cumulative").print_stats(top)
            stats.sort_stats("tottime").print_stats(top)
            print(
                f"== {given} {target} (load average {os.getloadavg()[0]:.1f})\n{report.getvalue()}"
            )


PAIRS = (
    ("rest-server", "openapi-generator python-fastapi"),
    ("rest-client", "openapi-generator python"),
)
"""Each twinspec target beside the openapi-generator generator that makes the same thing."""


def print_summary(
    medians: dict[tuple[str, str], tuple[float, float, str]], specs: list[str]
) -> None:
    """The issue's table in Markdown: per spec and target, twinspec's median against the peer's.

    Cells read ``twinspec s / peer s (N.Nx)``, N being how many times faster
    twinspec is; peak RSS in MiB after. ``baseline`` columns appear with ``--baseline``.
    """

    def cell(spec: str, tool: str) -> tuple[float, float, str] | None:
        return medians.get((spec, tool))

    heads = ["spec", "MB"]
    for target, peer in PAIRS:
        heads += [f"{target}: twinspec / {peer}", "peak MiB"]
        if any(k[1] == f"baseline {target}" for k in medians):
            heads.insert(len(heads) - 2, f"{target}: baseline / twinspec")
    print("\n| " + " | ".join(heads) + " |\n|" + "---|" * len(heads))
    for spec in specs:
        size = _spec_bytes(spec_path(spec)) / 1e6
        row = [_label(spec), f"{size:.1f}"]
        for target, peer in PAIRS:
            ours, theirs, before = (
                cell(spec, f"twinspec {target}"),
                cell(spec, peer),
                cell(spec, f"baseline {target}"),
            )
            if before is not None and ours is not None:
                row.append(
                    f"{before[0]:.2f} s / {ours[0]:.2f} s (peak {before[1]:.0f} / {ours[1]:.0f})"
                )
            if ours is None:
                row += ["-", "-"]
                continue
            if theirs is None or theirs[2] != "ok" or ours[2] != "ok":
                failed = theirs[2] if theirs is not None else "not run"
                row += [f"{ours[0]:.2f} s ({ours[2]}) / peer {failed}", f"{ours[1]:.0f}"]
                continue
            row += [
                f"{ours[0]:.2f} s / {theirs[0]:.2f} s ({theirs[0] / ours[0]:.1f}x)",
                f"{ours[1]:.0f} / {theirs[1]:.0f}",
            ]
        print("| " + " | ".join(row) + " |", flush=True)


def _label(spec: str) -> str:
    """A spec's short name: its folder under the corpus (``stripe``), else its file name."""
    path = spec_path(spec).resolve()
    if path.is_relative_to(CORPUS.resolve()):
        return path.relative_to(CORPUS.resolve()).parts[0]
    return path.name


def _spec_bytes(spec: Path) -> int:
    """The spec's size: its file, or for a spec over many files, every YAML/JSON file beside it."""
    size = spec.stat().st_size
    if size > 1_000_000:
        return size
    files = [p for p in spec.parent.rglob("*") if p.suffix in (".yaml", ".yml", ".json")]
    return sum(p.stat().st_size for p in files)


OURS = ("twinspec", "baseline")
"""Labels of twinspec's commands (this checkout's and ``--baseline``'s)."""


def own_env(env: dict[str, str], pycache: Path | None) -> dict[str, str]:
    """The environment twinspec runs in: with its bytecode, kept in ``pycache``, unless None.

    An installed twinspec has its modules' bytecode (pip compiles it at install,
    as it did the peers'); an editable checkout under ``PYTHONDONTWRITEBYTECODE``
    never gets any and compiles every module from source on each run (about
    0.4 CPU-s of a big spec's generation). ``PYTHONPYCACHEPREFIX`` keeps the
    bytecode out of the checkout.
    """
    if pycache is None:
        return env
    ours = {k: v for k, v in env.items() if k != "PYTHONDONTWRITEBYTECODE"}
    ours["PYTHONPYCACHEPREFIX"] = str(pycache)
    return ours


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--peers", type=Path, default=PEERS, help="virtualenv holding the peers")
    parser.add_argument("--repeat", type=int, default=3, help="runs per command (median kept)")
    parser.add_argument(
        "--specs", nargs="*", default=SPECS, help="specs under the corpus openapi/ folder"
    )
    parser.add_argument(
        "--baseline",
        type=Path,
        help="another twinspec checkout to time beside this one (before/after)",
    )
    parser.add_argument(
        "--only",
        nargs="*",
        default=None,
        help="time only the tools whose label contains one of these",
    )
    parser.add_argument(
        "--warm",
        action="store_true",
        help="keep twinspec's user cache between runs (default: a fresh, empty cache per run)",
    )
    parser.add_argument(
        "--no-bytecode",
        action="store_true",
        help="run twinspec without compiled bytecode (an editable install under"
        " PYTHONDONTWRITEBYTECODE: every run compiles its modules from source)",
    )
    parser.add_argument("--stages", action="store_true", help="stage split of both REST targets")
    parser.add_argument("--profile", action="store_true", help="cProfile top functions per target")
    parser.add_argument("--top", type=int, default=30, help="functions listed by --profile")
    args = parser.parse_args()
    if args.stages:
        print_stages(args.specs, args.warm)
        return
    if args.profile:
        print_profile(args.specs, args.top)
        return
    env = {**os.environ, "JAVA_OPTS": "-DmaxYamlCodePoints=99999999"}
    with tempfile.TemporaryDirectory(prefix="twinspec-bench-") as tmp:
        scratch = Path(tmp)
        tools = commands(args.peers, scratch, args.baseline)
        if args.only is not None:
            tools = {k: v for k, v in tools.items() if any(word in k for word in args.only)}
        env[CACHE_ENV] = str(scratch / "cache")
        ours = own_env(env, None if args.no_bytecode else scratch / "pycache")
        medians: dict[tuple[str, str], tuple[float, float, str]] = {}
        if not args.no_bytecode and args.specs:  # write twinspec's bytecode, as pip does
            for name, (_makes, build) in tools.items():
                if name.startswith(OURS):
                    measure(build(spec_path(args.specs[0]), scratch / "warm-up"), ours)
        print(f"load average {os.getloadavg()[0]:.1f}")
        print(
            f"{'spec':<28} {'tool':<34} {'makes':<7} {'median s':>9} {'cpu s':>7} {'peak MiB':>9}  status"
        )
        for rel in args.specs:
            spec = spec_path(rel)
            runs: dict[str, list[tuple[float, float, int, float]]] = {name: [] for name in tools}
            for _ in range(args.repeat):  # alternate tools within each round
                for name, (_makes, build) in tools.items():
                    out = scratch / "out"
                    shutil.rmtree(out, ignore_errors=True)
                    if not args.warm:  # cold: what a first generation costs
                        shutil.rmtree(scratch / "cache", ignore_errors=True)
                    runs[name].append(
                        measure(build(spec, out), ours if name.startswith(OURS) else env)
                    )
            for name, (makes, _build) in tools.items():
                times = [r[0] for r in runs[name]]
                cpus = [r[3] for r in runs[name]]
                peak = max(r[1] for r in runs[name])
                codes = {r[2] for r in runs[name]}
                status = "ok" if codes == {0} else f"exit {sorted(codes)}"
                medians[rel, name] = (statistics.median(times), peak, status)
                print(
                    f"{rel:<28} {name:<34} {makes:<7} {statistics.median(times):>9.2f} {statistics.median(cpus):>7.2f} {peak:>9.0f}  {status}",
                    flush=True,
                )
        print_summary(medians, args.specs)


if __name__ == "__main__":
    main()
