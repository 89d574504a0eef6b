"""AsyncAPI 2.x direction: ``publish`` = the application receives, ``subscribe`` = it sends.

The same kind of edit is breaking or compatible depending on who reads the
message; these pairs edit the 2.6 thermostat (tests/data/diff) on both sides.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from .conftest import diff_json, write

DATA = Path(__file__).resolve().parents[1] / "data" / "diff"


def _schemas(d: dict[str, Any]) -> dict[str, Any]:
    return d["components"]["schemas"]  # type: ignore[no-any-return]


def _messages(d: dict[str, Any]) -> dict[str, Any]:
    return d["components"]["messages"]  # type: ignore[no-any-return]


CASES: list[tuple[str, Callable[[dict[str, Any]], object], tuple[str, str, int, int, str]]] = [
    (
        "a property of a sent message removed",
        lambda d: _schemas(d)["Reading"]["properties"].pop("humidity"),
        ("output-property-removed", "error", 114, 9, "consumers of plant/{room}/reading"),
    ),
    (
        "a received message's range narrowed",
        lambda d: _schemas(d)["Setpoint"]["properties"]["celsius"].update(minimum=10),
        (
            "input-constraint-tightened",
            "error",
            101,
            11,
            "producers sending to plant/{room}/setpoint",
        ),
    ),
    (
        "a new enum value in a sent message (a oneOf member)",
        lambda d: _messages(d)["fault"]["payload"]["properties"]["code"]["enum"].append("power"),
        ("output-enum-value-added", "error", 90, 13, "consumers of plant/{room}/reading"),
    ),
    (
        "a sent header's range narrowed",
        lambda d: _messages(d)["reading"]["headers"]["properties"]["seq"].update(minimum=1),
        (
            "output-constraint-tightened",
            "info",
            78,
            13,
            "consumers of plant/{room}/reading (headers)",
        ),
    ),
]


@pytest.mark.parametrize(("title", "edit", "expected"), CASES, ids=[c[0] for c in CASES])
def test_direction_follows_publish_and_subscribe(
    in_tmp: Path,
    title: str,
    edit: Callable[[dict[str, Any]], object],
    expected: tuple[str, str, int, int, str],
) -> None:
    base = yaml.safe_load((DATA / "thermostat-2.6.yaml").read_text(encoding="utf-8"))
    new = copy.deepcopy(base)
    edit(new)
    old_path, new_path = write(Path("old.yaml"), base), write(Path("new.yaml"), new)
    _, changes = diff_json(old_path, new_path)
    assert len(changes) == 1, title
    change = changes[0]
    code, severity, line, column, whom = expected
    assert (change["code"], change["severity"], change["line"], change["column"]) == (
        code,
        severity,
        line,
        column,
    )
    assert whom in change["message"]
