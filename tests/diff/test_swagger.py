"""Swagger 2.0 is compared through the generator's 3.0 normalisation: a faithful migration is no change."""

from __future__ import annotations

from pathlib import Path

from .conftest import diff_json

DATA = Path(__file__).resolve().parents[1] / "data" / "diff"


def test_swagger_2_to_openapi_3_migration_reports_nothing() -> None:
    assert diff_json(DATA / "pets-2.0.yaml", DATA / "pets-3.0.yaml") == (0, [])


def test_one_schema_is_judged_per_side(in_tmp: Path) -> None:
    """NewPet is a request body and (through allOf) a response: one edit, two verdicts."""
    text = (DATA / "pets-3.0.yaml").read_text(encoding="utf-8")
    new = Path("pets.yaml")
    new.write_text(text.replace("maxLength: 40", "maxLength: 30"), encoding="utf-8")
    exit_code, changes = diff_json(DATA / "pets-2.0.yaml", new)
    assert exit_code == 1
    assert [(c["code"], c["severity"], c["line"], c["column"]) for c in changes] == [
        ("input-constraint-tightened", "error", 43, 30),
        ("output-constraint-tightened", "info", 43, 30),
    ]
    assert changes[0]["message"].endswith("affects clients calling POST /pets (application/json)")
    assert (
        "clients reading GET /pets response 200 (application/json) and 1 more"
        in (changes[1]["message"])
    )


def test_removed_swagger_operation_is_located_in_the_2_0_file(in_tmp: Path) -> None:
    text = (DATA / "pets-3.0.yaml").read_text(encoding="utf-8")
    start, end = text.index("    post:\n"), text.index("components:\n")
    new = Path("pets.yaml")
    new.write_text(text[:start] + text[end:], encoding="utf-8")
    _, changes = diff_json(DATA / "pets-2.0.yaml", new)
    assert [(c["code"], c["file"], c["line"], c["column"]) for c in changes] == [
        ("operation-removed", str(DATA / "pets-2.0.yaml"), 25, 5)
    ]
