"""``--ref-map URL_PREFIX=FOLDER`` and ``ref_map`` in twinspec.yaml: network refs read from local copies.

``tests/data/ref_map/events.yaml`` has payloads that are ``$ref``s to
``https://schemas.example.com/...`` (a JSON Schema that refers on, relatively
and by URL, and an Avro schema); ``tests/data/ref_map/schemas/`` holds the
local copies. Nothing here may touch the network: an unmapped URL stays an
error, and a mapped one never leaves its folder.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.cli import cli
from generator.drive.spec import plan_target
from generator.load import RefMap, load
from tests.shared_corpus import CORPUS, needs_corpus

DATA = Path(__file__).resolve().parents[1] / "data" / "ref_map"
PREFIX = "https://schemas.example.com/"


@pytest.fixture
def work(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the test data as the working folder (paths in messages are relative to it)."""
    shutil.copytree(DATA, tmp_path / "project")
    monkeypatch.chdir(tmp_path / "project")
    return tmp_path / "project"


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_unmapped_network_ref_is_located_and_names_the_option(work: Path) -> None:
    code, out, _ = run("validate", "events.yaml")
    assert code == 1
    lines = [line for line in out.splitlines() if "[remote-ref]" in line]
    assert [line.split(": error")[0] for line in lines] == [
        "events.yaml:16:11",
        "events.yaml:21:13",
    ]
    assert "--ref-map URL_PREFIX=FOLDER" in lines[0] and "ref_map in twinspec.yaml" in lines[0]


def test_mapped_refs_resolve_from_the_folder(work: Path) -> None:
    assert run("validate", "events.yaml", "--ref-map", f"{PREFIX}=schemas") == (
        0,
        "events.yaml: OK (asyncapi 3.0.0)\n",
        "",
    )
    doc, found = load(work / "events.yaml", ref_map=RefMap.of([(PREFIX, work / "schemas")]))
    assert found == [] and doc is not None
    # order.json, money.json (relative), common.json (by URL) and shipment.avsc
    assert sorted(p.name for p in doc.files) == [
        "common.json",
        "events.yaml",
        "money.json",
        "order.json",
        "shipment.avsc",
    ]


def test_generated_models_are_typed_from_the_local_copies(work: Path) -> None:
    ref_map = RefMap.of([(PREFIX, work / "schemas")])
    plan, diagnostics = plan_target(work / "events.yaml", "stream-server", ref_map=ref_map)
    assert plan is not None, [d.to_text() for d in diagnostics]
    models = next(f.content for f in plan.files if str(f.path).endswith("/models.py"))
    for line in (
        "class Order(ApiModel):",
        "id: Id",  # common.json#/definitions/Id, reached by URL from order.json
        "Id: TypeAlias = Annotated[uuid.UUID, JSON_TYPES]",
        "total: Money",  # money.json, reached relatively from order.json
        "currency: MoneyCurrency",
        "class Shipment(ApiModel):",  # the Avro record in shipment.avsc
        "carrier: Carrier",
    ):
        assert line in models, line


def test_missing_file_names_the_ref_and_the_mapped_path(work: Path) -> None:
    (work / "schemas" / "avro" / "shipment.avsc").unlink()
    code, out, _ = run("validate", "events.yaml", "--ref-map", f"{PREFIX}=schemas")
    assert code == 1
    line = out.splitlines()[0]
    assert line.startswith("events.yaml:21:13: error [unresolved-ref] ")
    assert f"$ref '{PREFIX}avro/shipment.avsc' maps to schemas/avro/shipment.avsc" in line
    assert "does not exist" in line


@pytest.mark.parametrize(
    "url",
    [f"{PREFIX}../events.yaml", f"{PREFIX}%2e%2e/events.yaml", f"{PREFIX}/etc/passwd"],
    ids=["dotdot", "encoded-dotdot", "absolute"],
)
def test_a_mapped_ref_cannot_leave_its_folder(work: Path, url: str) -> None:
    spec = work / "events.yaml"
    spec.write_text(
        spec.read_text().replace(f"{PREFIX}events/v1/order.json", url), encoding="utf-8"
    )
    code, out, _ = run("validate", "events.yaml", "--ref-map", f"{PREFIX}=schemas")
    assert code == 1
    assert "events.yaml:16:11: error [ref-map-outside]" in out
    assert "inside the mapped folder schemas/" in out


def test_a_symlink_out_of_the_mapped_folder_is_refused(work: Path, tmp_path: Path) -> None:
    outside = tmp_path / "outside.json"
    outside.write_text('{"type": "object"}', encoding="utf-8")
    (work / "schemas" / "events" / "v1" / "order.json").unlink()
    (work / "schemas" / "events" / "v1" / "order.json").symlink_to(outside)
    code, out, _ = run("validate", "events.yaml", "--ref-map", f"{PREFIX}=schemas")
    assert code == 1
    assert "events.yaml:16:11: error [ref-map-outside]" in out
    assert "a symlink leading out of the mapped folder schemas/" in out


def test_the_longest_prefix_wins(work: Path) -> None:
    shutil.copytree(work / "schemas" / "avro", work / "other")
    (work / "schemas" / "avro" / "shipment.avsc").unlink()
    assert (
        run(
            "validate",
            "events.yaml",
            "--ref-map",
            f"{PREFIX}=schemas",
            "--ref-map",
            f"{PREFIX}avro/=other",
        )[0]
        == 0
    )


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("schemas", "expected URL_PREFIX=FOLDER"),
        ("ftp://x/=schemas", "is not an http(s):// URL prefix"),
        (f"{PREFIX}=nowhere", "folder nowhere does not exist"),
    ],
)
def test_a_malformed_option_is_a_usage_error(work: Path, value: str, message: str) -> None:
    code, out, err = run("validate", "events.yaml", "--ref-map", value)
    assert code == 2 and out == ""
    assert err.startswith(f"twinspec: --ref-map {value}: ") and message in err


CONFIG = f"""\
ref_map:
  "{PREFIX}": schemas/
jobs:
  - spec: events.yaml
    targets: [stream-server]
    output: out
"""


def test_config_ref_map_feeds_generate_and_check(work: Path) -> None:
    (work / "twinspec.yaml").write_text(CONFIG, encoding="utf-8")
    code, out, _ = run("generate")
    assert code == 0, out
    assert (
        "class Shipment(ApiModel):"
        in next((work / "out" / "stream-server").rglob("models.py")).read_text()
    )
    code, out, _ = run("check", "--no-cache")
    assert code == 0, out


def test_cli_ref_map_adds_to_the_config_for_check_and_generate(work: Path) -> None:
    (work / "twinspec.yaml").write_text(
        CONFIG.replace(f'  "{PREFIX}": schemas/\n', "").replace("ref_map:\n", ""), encoding="utf-8"
    )
    code, out, _ = run("generate")
    assert code == 1 and "[remote-ref]" in out
    assert run("generate", "--ref-map", f"{PREFIX}=schemas")[0] == 0
    code, out, _ = run("check", "--ref-map", f"{PREFIX}=schemas")
    assert code == 0, out


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            CONFIG.replace("ref_map:", "ref_maps:"),
            "error [config-unknown-key] unknown key 'ref_maps' (did you mean 'ref_map'? known: jobs, ref_map)",
        ),
        (
            CONFIG.replace(f'"{PREFIX}"', '"schemas.example.com/"'),
            "error [config-ref-map] ref_map key 'schemas.example.com/' is not an http(s):// URL prefix",
        ),
        (
            CONFIG.replace("schemas/", "missing/"),
            "error [config-ref-map] ref_map folder missing/ does not exist",
        ),
        (
            CONFIG.replace("schemas/", "../elsewhere"),
            "error [config-path] ref_map folder '../elsewhere' must be a relative path inside the config's folder",
        ),
        (
            CONFIG.replace("    output: out", "    output: out\n    ref_mapp: {}"),
            "unknown job key 'ref_mapp' (did you mean 'ref_map'?",
        ),
    ],
    ids=["misspelt", "not-a-url", "no-folder", "outside", "job-misspelt"],
)
def test_config_ref_map_problems_are_located(work: Path, text: str, expected: str) -> None:
    (work / "twinspec.yaml").write_text(text, encoding="utf-8")
    code, out, _ = run("check", "--no-cache")
    assert code == 1
    (line,) = [line for line in out.splitlines() if expected in line]
    assert line.startswith("twinspec.yaml:"), line


def test_diff_takes_the_ref_map(work: Path) -> None:
    code, out, _ = run("diff", "events.yaml", "events.yaml")
    assert code == 1 and "[remote-ref]" in out
    code, out, _ = run("diff", "events.yaml", "events.yaml", "--ref-map", f"{PREFIX}=schemas")
    assert code == 0, out


@needs_corpus
@pytest.mark.parametrize("version", ["3.0.0", "3.1.0"])
def test_corpus_document_with_https_avro_refs(version: str) -> None:
    """The corpus' Adeo case study: Avro payloads and a Kafka key behind https $refs.

    ``tests/data/ref_map/adeo/`` holds local stand-ins for the published .avsc files.
    """
    spec = (
        CORPUS / "asyncapi" / f"spec-examples-{version}" / "adeo-kafka-request-reply-asyncapi.yml"
    )
    doc, found = load(spec)
    assert doc is not None and {d.code for d in found} == {"remote-ref"}
    folder = DATA / "adeo"
    ref_map = RefMap.of(
        [
            ("https://www.asyncapi.com/resources/casestudies/adeo/", folder),
            (
                "https://deploy-preview-921--asyncapi-website.netlify.app/resources/casestudies/adeo/",
                folder,
            ),
        ]
    )
    plan, diagnostics = plan_target(spec, "stream-server", ref_map=ref_map)
    assert plan is not None, [d.to_text() for d in diagnostics if d.severity.value == "error"]
    models = next(f.content for f in plan.files if str(f.path).endswith("/models.py"))
    assert "class CostingRequestPayload(ApiModel):" in models
    assert "items: list[CostingRequestItem]" in models
    assert "class CostingResponsePayload(ApiModel):" in models
    if version == "3.0.0":  # its costingResponse message has an Avro Kafka key
        assert "class CostingResponseKey(ApiModel):" in models


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_jobs_sharing_a_spec_read_it_with_one_ref_map_in_generate_check_and_diff(
    work: Path,
) -> None:
    """Two jobs on one spec, each with its own ``ref_map``: the first job's is used everywhere.

    The second job maps the prefix to an empty folder; were it used, the refs
    would not resolve (``generate``/``check`` fail, ``diff`` reports a problem).
    """
    import subprocess

    (work / "empty").mkdir()
    (work / "twinspec.yaml").write_text(
        f"""\
jobs:
  - spec: events.yaml
    targets: [stream-server]
    output: out
    ref_map: {{"{PREFIX}": schemas/}}
  - spec: events.yaml
    targets: [stream-client]
    output: out2
    ref_map: {{"{PREFIX}": empty/}}
""",
        encoding="utf-8",
    )
    code, out, _ = run("generate")
    assert code == 0, out
    assert (
        "class Shipment(" in next((work / "out2" / "stream-client").rglob("models.py")).read_text()
    )
    code, out, _ = run("check", "--no-cache")
    assert code == 0, out
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@example.com"]
    for args in (["init", "-q", "-b", "main"], ["add", "-A"], ["commit", "-q", "-m", "v1"]):
        subprocess.run([*git, *args], cwd=work, check=True, capture_output=True)
    code, out, err = run("diff", "--base", "HEAD")
    assert code == 0, out + err
    assert "[remote-ref]" not in out + err and "could not be read" not in out + err
