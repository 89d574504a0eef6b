"""Loader and resolver limits: every hostile document ends in a Diagnostic, quickly, in bounded memory.

The committed attack documents live in ``attacks/`` (not ``specs/``, so the
``twinspec-validate`` pre-commit hook's default file pattern leaves them alone).

Each case runs the real ``twinspec validate`` in a subprocess limited to 2 GiB of
address space (``harness.twinspec_limited``) under a pytest-timeout, and asserts
what a user sees: exit 1, a ``file:line:col: error [code]`` line, no traceback,
and nothing read from outside the spec's folder leaking into the output.
"""

from __future__ import annotations

import shutil
import socket
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from .harness import (
    compile_errors,
    no_traceback,
    plan_ok,
    require_target,
    twinspec_limited,
    write_spec,
)

ATTACKS = Path(__file__).parent / "attacks"
PASSWD_LEAK = "root:x:0:0"
"""The start of /etc/passwd: it must never appear in twinspec's output."""

KNOWN_DEFECTS: dict[str, str] = {}
"""Cases that show a defect someone else must fix (see /tmp/hostile-findings.md).

F1 (refused refs resolved by openapi-spec-validator) and F2 ($ref cycles crashing
it) were listed here until the validator fixed them.
"""


def case(name: str, *values: Any) -> Any:
    """A parametrize entry, xfail(strict) while ``name`` is a known defect."""
    marks = (
        [pytest.mark.xfail(strict=True, reason=KNOWN_DEFECTS[name])]
        if name in KNOWN_DEFECTS
        else []
    )
    return pytest.param(*values, id=name, marks=marks)


def assert_refused(proc: Any, codes: set[str] | None = None, *, leak: str = PASSWD_LEAK) -> None:
    """Exit 1 with a located error line (with one of ``codes``), no traceback, no leak."""
    shown = (
        f"exit {proc.returncode}\nstdout:\n{proc.stdout[-2000:]}\nstderr:\n{proc.stderr[-2000:]}"
    )
    assert no_traceback(proc), shown
    assert proc.returncode == 1, shown
    lines = [line for line in proc.stdout.splitlines() if ": error [" in line]
    assert lines, shown
    if codes is not None:
        assert any(f"[{code}]" in line for line in lines for code in codes), shown
    assert leak not in proc.stdout + proc.stderr, "content of a file outside the root leaked"


def base_openapi(**extra: Any) -> dict[str, Any]:
    """A minimal valid OpenAPI 3.1 document plus ``extra`` top-level fields."""
    return {"openapi": "3.1.0", "info": {"title": "t", "version": "1"}, "paths": {}, **extra}


# --- committed hostile specs ---------------------------------------------------


@pytest.mark.timeout(60)
@pytest.mark.parametrize(
    ("spec", "codes"),
    [
        case("billion-laughs", "billion-laughs.yaml", {"too-large"}),
        case("recursive-alias", "recursive-alias.yaml", {"recursive-alias"}),
    ],
)
def test_yaml_bombs(spec: str, codes: set[str]) -> None:
    """Alias bombs and self-containing aliases are refused before anything walks them."""
    assert_refused(twinspec_limited(["validate", spec], cwd=ATTACKS), codes)


@pytest.mark.timeout(60)
@pytest.mark.parametrize(
    "spec",
    [
        case("ref-self", "ref-self.yaml"),
        case("ref-mutual", "ref-mutual.yaml"),
        case("ref-allof-cycle", "ref-allof-cycle.yaml"),
        case("ref-files-cycle", "ref-files-cycle/root.yaml"),
    ],
)
def test_ref_cycle(spec: str) -> None:
    """A ``$ref`` cycle with nothing in between is an error a user can read."""
    assert_refused(twinspec_limited(["validate", spec], cwd=ATTACKS))


@pytest.mark.timeout(60)
def test_legal_recursion_is_valid() -> None:
    """Recursion through properties is legal and must validate."""
    proc = twinspec_limited(["validate", "recursive-tree.yaml"], cwd=ATTACKS)
    assert (proc.returncode, no_traceback(proc)) == (0, True), proc.stdout + proc.stderr
    assert "recursive-tree.yaml: OK" in proc.stdout


@pytest.mark.timeout(120)
@pytest.mark.parametrize("target", ["rest-server", "rest-client"])
def test_legal_recursion_generates(target: str) -> None:
    """Self and mutual recursion through properties generate code that compiles."""
    plan = plan_ok(ATTACKS / "recursive-tree.yaml", target)
    assert not compile_errors(plan), compile_errors(plan)


@pytest.mark.timeout(60)
@pytest.mark.parametrize(
    ("spec", "codes"),
    [
        case("ref-absolute", "ref-absolute.yaml", {"ref-outside-root"}),
        case("ref-dotdot", "ref-dotdot.yaml", {"ref-outside-root"}),
        case("ref-file-url", "ref-file-url.yaml", {"remote-ref"}),
        case("ref-https", "ref-https.yaml", {"remote-ref"}),
    ],
)
def test_refused_ref(spec: str, codes: set[str]) -> None:
    """Refs that leave the folder or name a URL are refused; nothing is read or fetched."""
    assert_refused(twinspec_limited(["validate", spec], cwd=ATTACKS), codes)


# --- documents built at test time (too big, or machine-specific, to commit) ------


@pytest.mark.timeout(60)
@pytest.mark.parametrize(
    ("name", "text"),
    [
        case(
            "deep-json-100k",
            "deep.json",
            '{"openapi": "3.1.0", "x-a": ' + "[" * 100_000 + "]" * 100_000 + "}",
        ),
        case(
            "deep-yaml-flow-100k",
            "deep.yaml",
            "openapi: 3.1.0\nx-a: " + "{a: " * 100_000 + "1" + "}" * 100_000,
        ),
        case(
            "deep-yaml-block-100k", "deep.yaml", "openapi: 3.1.0\nx-a:\n  " + "- " * 100_000 + "1\n"
        ),
    ],
)
def test_deep_nesting(tmp_path: Path, name: str, text: str) -> None:
    """100,000 levels of nesting, YAML and JSON, flow and block: a Diagnostic, no RecursionError."""
    (tmp_path / name).write_text(text, encoding="utf-8")
    assert_refused(twinspec_limited(["validate", name], cwd=tmp_path), {"too-deep", "yaml-syntax"})


@pytest.mark.timeout(60)
def test_file_over_the_size_limit(tmp_path: Path) -> None:
    """A 70 MB file is refused by size before it is read (sparse: costs no disk)."""
    spec = tmp_path / "huge.yaml"
    with spec.open("w") as handle:
        handle.write("openapi: 3.1.0\n")
        handle.truncate(70 * 1024 * 1024)
    assert_refused(twinspec_limited(["validate", spec.name], cwd=tmp_path), {"file-too-large"})


@pytest.mark.timeout(90)
def test_ten_megabyte_string(tmp_path: Path) -> None:
    """A 12 MB description is legal: it validates without a traceback in bounded memory."""
    doc = base_openapi()
    doc["info"]["description"] = "A" * (12 * 1024 * 1024)
    write_spec(tmp_path, "big.json", doc)
    proc = twinspec_limited(["validate", "big.json"], cwd=tmp_path, timeout=80)
    assert no_traceback(proc), proc.stderr[-2000:]
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-2000:]


@pytest.mark.timeout(60)
@pytest.mark.parametrize("length", [case("ref-chain-5000", 5000)])
def test_long_ref_chain(tmp_path: Path, length: int) -> None:
    """A chain of thousands of ``$ref``s either resolves or is refused, never a traceback."""
    schemas: dict[str, Any] = {
        f"S{i}": {"$ref": f"#/components/schemas/S{i + 1}"} for i in range(length)
    }
    schemas[f"S{length}"] = {"type": "string"}
    response = {
        "description": "ok",
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/S0"}}},
    }
    doc = base_openapi(
        paths={"/a": {"get": {"responses": {"200": response}}}}, components={"schemas": schemas}
    )
    write_spec(tmp_path, "chain.json", doc)
    proc = twinspec_limited(["validate", "chain.json"], cwd=tmp_path)
    assert no_traceback(proc), proc.stderr[-2000:]
    assert proc.returncode in (0, 1), proc.stdout[-2000:]
    if proc.returncode == 1:
        assert ": error [" in proc.stdout


@pytest.mark.timeout(60)
@pytest.mark.parametrize("name", [case("ref-symlink-outside", "ref-symlink-outside")])
def test_symlink_pointing_outside(tmp_path: Path, name: str) -> None:
    """A symlink inside the spec folder that points outside it is refused, and not read."""
    outside = tmp_path / "outside"
    outside.mkdir()
    secret = "TWINSPEC-SECRET-" + "x" * 8
    (outside / "secret.yaml").write_text(f"A:\n  type: {secret}\n")  # invalid, so quoted if read
    root = tmp_path / "root"
    root.mkdir()
    (root / "link.yaml").symlink_to(outside / "secret.yaml")
    doc = base_openapi(components={"schemas": {"A": {"$ref": "link.yaml#/A"}}})
    write_spec(root, "spec.json", doc)
    proc = twinspec_limited(["validate", "spec.json"], cwd=root)
    assert_refused(proc, {"ref-outside-root"}, leak=secret)


@pytest.fixture
def listener() -> Iterator[tuple[int, list[bytes]]]:
    """A TCP socket on 127.0.0.1 that records every connection made to it."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen()
    server.settimeout(0.2)
    seen: list[bytes] = []
    stop = threading.Event()

    def serve() -> None:
        while not stop.is_set():
            try:
                conn, _ = server.accept()
            except OSError:
                continue
            with conn:
                conn.settimeout(1)
                try:
                    seen.append(conn.recv(1024) or b"<connected>")
                except OSError:
                    seen.append(b"<connected>")

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield server.getsockname()[1], seen
    stop.set()
    thread.join(timeout=2)
    server.close()


@pytest.mark.timeout(60)
@pytest.mark.parametrize("name", [case("ref-http-local", "ref-http-local")])
def test_http_ref_never_touches_the_network(
    tmp_path: Path, listener: tuple[int, list[bytes]], name: str
) -> None:
    """An http ``$ref`` is refused without a single connection to its host."""
    port, seen = listener
    ref = f"http://127.0.0.1:{port}/schemas.yaml#/A"
    write_spec(tmp_path, "spec.json", base_openapi(components={"schemas": {"A": {"$ref": ref}}}))
    proc = twinspec_limited(["validate", "spec.json"], cwd=tmp_path)
    assert not seen, f"twinspec connected to the ref's host: {seen!r}"
    assert_refused(proc, {"remote-ref"})


@pytest.mark.timeout(60)
def test_asyncapi_ref_cycle(tmp_path: Path) -> None:
    """AsyncAPI documents get the same treatment for a self-referencing message."""
    doc = {
        "asyncapi": "3.0.0",
        "info": {"title": "t", "version": "1"},
        "channels": {"c": {"address": "c", "messages": {"m": {"$ref": "#/components/messages/m"}}}},
        "components": {"messages": {"m": {"$ref": "#/components/messages/m"}}},
    }
    write_spec(tmp_path, "cycle.json", doc)
    proc = twinspec_limited(["validate", "cycle.json"], cwd=tmp_path)
    assert_refused(proc)


def test_known_defects_name_real_cases() -> None:
    """Every KNOWN_DEFECTS key is a case id of this module (so stale entries are caught)."""
    source = Path(__file__).read_text(encoding="utf-8")
    ids = {key for key in KNOWN_DEFECTS if f'case("{key}"' in source}
    assert ids == set(KNOWN_DEFECTS)


def test_attacks_folder_is_clean() -> None:
    """The committed attack documents are exactly the ones these tests name (no strays)."""
    names = {str(p.relative_to(ATTACKS)) for p in ATTACKS.rglob("*") if p.is_file()}
    source = Path(__file__).read_text(encoding="utf-8")
    assert {n for n in names if n.split("/")[0] not in source} == set(), names


@pytest.mark.timeout(120)
def test_ten_megabyte_description_generates(tmp_path: Path) -> None:
    """A 12 MB description is legal: ``generate`` makes a server in bounded memory, and it compiles."""
    require_target("rest-server")
    doc = base_openapi(
        paths={
            "/a": {
                "get": {
                    "description": "B" * 1024 * 1024,
                    "responses": {"200": {"description": "ok"}},
                }
            }
        }
    )
    doc["info"]["description"] = "A" * (12 * 1024 * 1024)
    write_spec(tmp_path, "big.json", doc)
    proc = twinspec_limited(
        ["generate", "big.json", "-t", "rest-server", "-o", "out"], cwd=tmp_path, timeout=110
    )
    assert no_traceback(proc), proc.stderr[-2000:]
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-2000:]
    sources = sorted((tmp_path / "out").rglob("*.py"))
    assert sources
    for source in sources:
        compile(source.read_text(encoding="utf-8"), str(source), "exec", dont_inherit=True)


@pytest.mark.timeout(120)
@pytest.mark.parametrize("spec", ["billion-laughs.yaml", "ref-dotdot.yaml", "ref-self.yaml"])
def test_refused_generation_leaves_output_alone(tmp_path: Path, spec: str) -> None:
    """``generate`` on a hostile spec: exit 1 with a Diagnostic, and the output folder as it was."""
    require_target("rest-server")
    shutil.copytree(ATTACKS, tmp_path / "attacks")
    out = tmp_path / "out"
    out.mkdir()
    (out / "keep.txt").write_text("mine\n")
    proc = twinspec_limited(
        ["generate", f"attacks/{spec}", "-t", "rest-server", "-o", "out"], cwd=tmp_path
    )
    assert_refused(proc)
    assert sorted(p.name for p in out.rglob("*")) == ["keep.txt"]
    assert (out / "keep.txt").read_text() == "mine\n"
