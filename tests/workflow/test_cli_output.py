"""What the CLI prints, as golden text: generate, check, init and "did you mean".

Run times are the only thing replaced (``in 0.4 s`` -> ``in N s``); the rest is
compared line for line, as a user reads it.
"""

from __future__ import annotations

import re
import textwrap
from pathlib import Path

import pytest

from .conftest import SPEC, run


def _timeless(text: str) -> str:
    return re.sub(r" in \d+\.\d s$", " in N s", text, flags=re.M)


def test_generate_lists_what_changed_and_sums_up(project: Path) -> None:
    first = run("generate")
    assert first.exit_code == 0, first.output
    assert _timeless(first.stdout) == textwrap.dedent(
        """\
           create  out/pets/fake/fakepkg/NOTES.txt
           create  out/pets/fake/fakepkg/__init__.py
           create  out/pets/fake/fakepkg/defaults.py
           create  out/pets/fake/fakepkg/handlers.py
           create  out/pets/fake/fakepkg/hooks.py
           create  out/pets/fake/fakepkg/ops/createPet.py
           create  out/pets/fake/fakepkg/ops/listPets.py
           create  out/pets/fake/.twinspec-manifest.json
           create  out/pets/fake2/fakepkg/NOTES.txt
           create  out/pets/fake2/fakepkg/__init__.py
           create  out/pets/fake2/fakepkg/defaults.py
           create  out/pets/fake2/fakepkg/handlers.py
           create  out/pets/fake2/fakepkg/hooks.py
           create  out/pets/fake2/fakepkg/ops/createPet.py
           create  out/pets/fake2/fakepkg/ops/listPets.py
           create  out/pets/fake2/.twinspec-manifest.json
        16 created in N s
        """
    )
    (project / "specs/pets.yaml").write_text(SPEC.replace("createPet", "addPet"), encoding="utf-8")
    second = run("generate", "-j", "specs/pets.yaml")
    assert _timeless(second.stdout) == textwrap.dedent(
        """\
           update  out/pets/fake/fakepkg/defaults.py
           create  out/pets/fake/fakepkg/ops/addPet.py
           remove  out/pets/fake/fakepkg/ops/createPet.py
           update  out/pets/fake/.twinspec-manifest.json
           update  out/pets/fake2/fakepkg/defaults.py
           create  out/pets/fake2/fakepkg/ops/addPet.py
           remove  out/pets/fake2/fakepkg/ops/createPet.py
           update  out/pets/fake2/.twinspec-manifest.json
        2 created, 4 updated, 2 removed, 6 user-owned kept, 4 unchanged in N s
        """
    )
    assert run("generate", "-q").stdout == ""  # nothing changed, nothing to say
    dry = run("generate", "--dry-run")
    assert dry.stdout == "dry run, nothing written: 6 user-owned kept, 8 unchanged\n"


def test_generate_spec_alone_says_what_it_picked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "pets.yaml").write_text(SPEC, encoding="utf-8")
    result = run("generate", "pets.yaml")
    assert result.exit_code == 0, result.output
    lines = _timeless(result.stdout).splitlines()
    assert lines[:2] == [
        "targets: rest-server, rest-client (for its family; -t picks others)",
        "output:  generated/pets/ (-o picks another folder)",
    ]
    assert re.fullmatch(r"\d+ created in N s", lines[-1])
    assert all(line.startswith("   create  generated/pets/rest-") for line in lines[2:-1])


def test_check_quiet_hides_information_lines(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    assert run("init", "--example").exit_code == 0
    assert run("generate").exit_code == 0
    full = run("check", "--no-cache")
    infos = [line for line in full.stdout.splitlines() if " info [not-implemented] " in line]
    assert infos and all(line.startswith("generated/example/rest-server/") for line in infos)
    quiet = run("check", "-q", "--no-cache")
    assert quiet.exit_code == 0
    assert re.fullmatch(r"twinspec check: \d+ file\(s\) in 2 folder\(s\) in step\n", quiet.stdout)


def test_init_says_what_to_do_next(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    bare = run("init")
    assert bare.stdout == textwrap.dedent(
        """\
           create  twinspec.yaml
        next:
          point the job's `spec:` in twinspec.yaml at your OpenAPI or AsyncAPI file
          (specs/example.yaml does not exist: `twinspec init --example --force` writes one to try)
          twinspec generate   renders every job
          twinspec check      (in CI or pre-commit) fails when a spec or the committed output is off
        """
    )
    example = run("init", "--example", "--force")
    assert example.stdout == textwrap.dedent(
        """\
           create  twinspec.yaml
           create  specs/example.yaml
        next:
          twinspec generate   renders specs/example.yaml into generated/example/rest-server and rest-client
          twinspec check      (in CI or pre-commit) fails when the spec or the committed output is off
          then edit specs/example.yaml, or point the job's `spec:` at your own OpenAPI/AsyncAPI file
        """
    )
    # what it says to run works
    assert run("generate").exit_code == 0
    assert run("check", "-q").exit_code == 0


MISSPELT = {
    "openapi.yaml": (
        "openapi: 3.1.0\ninfo: {title: t, version: '1', descriptin: x}\npathz: {}\nwebhooks: {}\n",
        "openapi.yaml:2:32: error [schema-unknown-field] info: unknown field 'descriptin'"
        " (did you mean 'description'?) (at /info/descriptin)\n"
        "openapi.yaml:3:1: error [schema-unknown-field] the document: unknown field 'pathz'"
        " (did you mean 'paths'?) (at /pathz)\n",
    ),
    "openapi30.yaml": (
        "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get:\n"
        "      sumary: x\n      responses: {'200': {description: ok}}\n",
        "openapi30.yaml:6:7: error [schema-unknown-field] operation GET /a: unknown field"
        " 'sumary' (did you mean 'summary'?) (at /paths/~1a/get/sumary)\n",
    ),
    "asyncapi.yaml": (
        "asyncapi: 3.0.0\ninfo: {title: t, version: '1'}\nchanels: {}\n",
        "asyncapi.yaml:3:1: error [schema-unknown-field] unknown field 'chanels'"
        " (did you mean 'channels'?) (at /chanels)\n",
    ),
}


@pytest.mark.parametrize("name", sorted(MISSPELT))
def test_validate_suggests_the_schemas_own_field_names(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str
) -> None:
    monkeypatch.chdir(tmp_path)
    text, expected = MISSPELT[name]
    (tmp_path / name).write_text(text, encoding="utf-8")
    result = run("validate", name)
    assert result.exit_code == 1
    assert result.stdout == expected


def test_config_suggests_its_own_keys(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "twinspec.yaml").write_text(
        "jobs:\n  - spec: api.yaml\n    target: [rest-server]\n    output: out\nversion: 1\n",
        encoding="utf-8",
    )
    result = run("check", "--no-cache")
    assert result.exit_code == 1
    assert result.stdout == textwrap.dedent(
        """\
        twinspec.yaml:2:5: error [spec-not-found] spec file api.yaml does not exist (at /jobs/0/spec)
        twinspec.yaml:3:5: error [config-unknown-key] unknown job key 'target' (did you mean 'targets'? known: spec, targets, output, package, options, templates, allow_invalid, ref_map) (at /jobs/0/target)
        twinspec.yaml:5:1: error [config-unknown-key] unknown key 'version' (known: jobs, ref_map) (at /version)
        twinspec check: the config or a spec has errors
        """
    )


def test_a_misspelt_target_gets_did_you_mean(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "api.yaml").write_text(SPEC, encoding="utf-8")
    refused = run("generate", "api.yaml", "-t", "rest-sever")
    assert refused.exit_code == 2 and refused.stdout == ""
    # (other tests may have registered fake targets: the list is not compared)
    assert refused.stderr.startswith(
        "twinspec: unknown target 'rest-sever' (did you mean 'rest-server'? choose from "
    )
    (tmp_path / "twinspec.yaml").write_text(
        "jobs:\n  - spec: api.yaml\n    targets: [stream-sever]\n    output: out\n",
        encoding="utf-8",
    )
    result = run("check", "--no-cache")
    assert result.exit_code == 1
    assert result.stdout.startswith(
        "twinspec.yaml:3:15: error [unknown-target] unknown target 'stream-sever' (did you mean"
        " 'stream-server'? choose from "
    )
    assert result.stdout.endswith(
        " (at /jobs/0/targets/0)\ntwinspec check: the config or a spec has errors\n"
    )


def test_version_is_the_release_version() -> None:
    from generator import __version__

    assert run("--version").stdout == f"twinspec, version {__version__}\n"
