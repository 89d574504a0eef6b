"""Real version pairs from ../shared/corpus/history, and a 2.6 -> 3.0 migration.

The corpus pairs are releases of public APIs; each test pins a change the
corpus notes (SOURCES.md) say happened, where twinspec must locate it, and
what must NOT be reported ($ref moves, a same-behaviour migration).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from .conftest import diff_json, write

DATA = Path(__file__).resolve().parents[1] / "data" / "diff"


def _history(corpus: Path, api: str, version: str) -> Path:
    folder = corpus / "history" / api
    found = [p for p in (folder / version).iterdir() if p.suffix in (".yaml", ".yml", ".json")]
    return sorted(found, key=lambda p: p.name != "asyncapi.yaml")[0]


def _codes(changes: list[dict[str, Any]], severity: str) -> list[str]:
    return [c["code"] for c in changes if c["severity"] == severity]


def _one(changes: list[dict[str, Any]], code: str, text: str) -> dict[str, Any]:
    found = [c for c in changes if c["code"] == code and text in c["message"]]
    assert found, f"no {code} mentioning {text!r}"
    return found[0]


def test_stripe_orders_and_skus_removed(corpus: Path) -> None:
    old = _history(corpus, "stripe", "2022-11-10_da4ef11c")
    new = _history(corpus, "stripe", "2023-06-13_8727844a")
    exit_code, changes = diff_json(old, new)
    assert exit_code == 1
    removed = [c["message"] for c in changes if c["code"] == "operation-removed"]
    assert any("GET /v1/orders " in m for m in removed)
    assert any("/v1/skus" in m for m in removed)
    orders = _one(changes, "operation-removed", "GET /v1/orders removed")
    assert orders["file"] == str(old) and orders["pointer"] == "/paths/~1v1~1orders/get"
    lines = old.read_text(encoding="utf-8").splitlines()
    assert lines[orders["line"] - 1].strip() == "get:"


def test_twilio_feedback_endpoints_removed(corpus: Path) -> None:
    old = _history(corpus, "twilio-api-v2010", "2023-10-19_7ab55a12")
    new = _history(corpus, "twilio-api-v2010", "2024-02-27_40e29590")
    exit_code, changes = diff_json(old, new)
    assert exit_code == 1
    removed = [c["message"] for c in changes if c["code"] == "operation-removed"]
    assert len(removed) == 5 and all("Feedback" in m for m in removed)


def test_spotify_top_items_split_and_new_scope(corpus: Path) -> None:
    v1, v2, v3 = (
        _history(corpus, "spotify", v)
        for v in ("2023-05-06_bdb08c7e", "2023-09-01_fc7b833d", "2023-12-12_0799bf8d")
    )
    _, changes = diff_json(v1, v2)
    top = _one(changes, "operation-removed", "GET /me/top/{type}")
    assert (top["severity"], top["line"], top["column"]) == ("error", 1637, 5)
    added = [c["message"] for c in changes if c["code"] == "operation-added"]
    assert sorted(added) == [
        "operation GET /me/top/artists added",
        "operation GET /me/top/tracks added",
    ]
    # v2 -> v3 inlined five component schemas into responses: a $ref move, not a change.
    # What is left: GET /me/player/queue now also needs the user-read-currently-playing scope.
    exit_code, changes = diff_json(v2, v3)
    assert _codes(changes, "error") == ["security-requirement-changed"]
    scope = changes[[c["code"] for c in changes].index("security-requirement-changed")]
    assert (scope["file"], scope["line"], scope["column"]) == (str(v3), 3411, 7)
    assert "GET /me/player/queue" in scope["message"]
    assert exit_code == 1


def test_streetlights_2_6_to_3_0_is_the_same_application(corpus: Path) -> None:
    old = _history(corpus, "asyncapi-streetlights-mqtt", "2023-02-01_1824379b")
    new = _history(corpus, "asyncapi-streetlights-mqtt", "2023-12-05_d78dcea7")
    assert diff_json(old, new) == (0, [])


def test_rimfrost_reply_payload_changes(corpus: Path) -> None:
    api = "forsakringskassan-rimfrost-regel-common"
    v1, v2, v3 = (
        _history(corpus, api, v)
        for v in ("2026-01-15_e3188d9f", "2026-01-21_cb7d5a16", "2026-01-22_e46c66a1")
    )
    # 0.1.0 -> 0.2.0: payload schemas renamed (no change) and enum value Utredning added to
    # the reply the application SENDS: its consumers may not handle it.
    exit_code, changes = diff_json(v1, v2)
    assert [(c["code"], c["line"], c["column"]) for c in changes] == [
        ("output-enum-value-added", 80, 11)
    ]
    assert "consumers of replies to regel.requests" in changes[0]["message"]
    assert exit_code == 1
    # 0.2.0 -> 0.2.1: the required reply property rattTillForsakring renamed to utfall.
    _, changes = diff_json(v2, v3)
    removed = _one(changes, "output-property-removed", "'rattTillForsakring'")
    assert (removed["file"], removed["line"], removed["column"]) == (str(v2), 76, 9)


def test_handlaggning_channel_renamed(corpus: Path) -> None:
    api = "forsakringskassan-rimfrost-service-handlaggning"
    old = _history(corpus, api, "2025-12-05_c41e0fd8")
    new = _history(corpus, api, "2026-03-03_e137081c")
    exit_code, changes = diff_json(old, new)
    assert sorted(_codes(changes, "error")) == ["channel-removed", "operation-removed"]
    assert exit_code == 1


def test_migration_2_6_to_3_0_without_behaviour_change() -> None:
    exit_code, changes = diff_json(DATA / "thermostat-2.6.yaml", DATA / "thermostat-3.0.yaml")
    assert (exit_code, changes) == (0, [])


def test_migration_that_flips_publish_semantics_is_breaking(in_tmp: Path) -> None:
    """The classic 2.x mistake: ``publish`` migrated as ``send`` (it means the app receives)."""
    doc = yaml.safe_load((DATA / "thermostat-3.0.yaml").read_text(encoding="utf-8"))
    doc["operations"]["changeSetpoint"]["action"] = "send"
    wrong = write(Path("wrong.yaml"), doc)
    exit_code, changes = diff_json(DATA / "thermostat-2.6.yaml", wrong)
    assert exit_code == 1
    removed = _one(
        changes, "operation-removed", "'changeSetpoint' (receive on plant/{room}/setpoint)"
    )
    assert (removed["line"], removed["column"]) == (25, 5)
    assert "operation-added" in _codes(changes, "info")


@pytest.mark.parametrize("fmt", ["text", "github", "markdown"])
def test_formats_show_the_located_change(corpus: Path, fmt: str) -> None:
    from .conftest import run_diff

    api = "forsakringskassan-rimfrost-regel-common"
    old = _history(corpus, api, "2026-01-21_cb7d5a16")
    new = _history(corpus, api, "2026-01-22_e46c66a1")
    exit_code, out = run_diff(str(old), str(new), "--format", fmt)
    assert exit_code == 1
    expected = {
        "text": f"{old}:76:9: error [output-property-removed] property 'rattTillForsakring' removed",
        "github": f"::error file={old},line=76,col=9,title=output-property-removed::",
        "markdown": "### Breaking changes\n\n- `output-property-removed` property 'rattTillForsakring' removed",
    }[fmt]
    assert expected in out
