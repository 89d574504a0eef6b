"""One hand-written pair per rule: the exact code, severity and ``line:col`` users see.

Each pair is a small base spec and one edit (tests/diff/pairs.py), written as
YAML and diffed through the CLI (``--format json``). ``o``/``n`` say whether the
change is located in OLD (removals) or NEW; the comment is the text found there.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.diff.rules import RULES

from .conftest import diff_json, write
from .pairs import ASYNCAPI, OPENAPI, asyncapi_base, edited, openapi_base

OPENAPI_AT: dict[str, tuple[str, int, int]] = {
    "operation-removed": ("o", 43, 5),  # 'put:'
    "operation-removed-deprecated": ("o", 60, 5),  # 'get:'
    "operation-added": ("n", 59, 5),  # 'delete:'
    "param-required-added": ("n", 30, 9),  # 'name: v'
    "param-added": ("n", 30, 9),  # 'name: v'
    "param-removed": ("o", 19, 9),  # 'name: fields'
    "param-became-required": ("n", 25, 9),  # 'required: true'
    "param-became-optional": ("n", 27, 9),  # 'required: false'
    "param-in-changed": ("n", 19, 9),  # 'name: fields'
    "param-style-changed": ("n", 25, 9),  # 'style: pipeDelimited'
    "param-explode-changed": ("n", 25, 9),  # 'explode: false'
    "request-body-added-required": ("n", 43, 7),  # 'requestBody:'
    "request-body-became-required": ("n", 56, 9),  # 'required: true'
    "request-body-removed": ("o", 51, 7),  # 'requestBody:'
    "request-media-type-removed": ("o", 53, 11),  # 'application/json:'
    "request-media-type-added": ("n", 56, 11),  # 'application/xml:'
    "response-success-status-removed": ("o", 31, 9),  # "'200':"
    "response-status-removed": ("o", 41, 9),  # "'404':"
    "response-status-added": ("n", 43, 9),  # "'410':"
    "response-media-type-removed": ("o", 38, 13),  # 'application/json:'
    "response-media-type-added": ("n", 41, 13),  # 'text/plain:'
    "response-header-removed": ("o", 34, 13),  # 'X-Rate:'
    "security-requirement-changed": ("n", 43, 7),  # 'security:'
    "security-requirement-added": ("n", 7, 1),  # 'security:'
    "security-scheme-changed": ("n", 73, 5),  # 'key:'
    "server-removed": ("o", 6, 3),  # 'url: https://api.example.com/v'
    "server-added": ("n", 7, 3),  # 'url: https://eu.example.com/v1'
    "input-type-changed": ("n", 127, 11),  # 'type: string'
    "input-type-widened": ("n", 127, 11),  # 'type: number'
    "input-nullable-removed": ("n", 131, 11),  # 'type: string'
    "input-enum-value-removed": ("n", 123, 11),  # 'enum:'
    "input-enum-value-added": ("n", 123, 11),  # 'enum:'
    "input-enum-added": ("n", 135, 11),  # 'enum:'
    "input-constraint-tightened": ("n", 129, 11),  # 'maximum: 20'
    "input-constraint-loosened": ("n", 120, 11),  # 'maxLength: 80'
    "input-pattern-changed": ("n", 119, 11),  # 'pattern: ^[a-z]{2,}$'
    "input-format-changed": ("n", 137, 11),  # 'format: date-time'
    "input-property-required-added": ("n", 143, 9),  # 'chip:'
    "input-property-added": ("n", 142, 9),  # 'chip:'
    "input-property-removed": ("o", 133, 9),  # 'note:'
    "input-property-became-required": ("n", 127, 9),  # 'age:'
    "input-property-became-optional": ("n", 116, 9),  # 'name:'
    "input-variant-removed": ("o", 148, 5),  # 'Org:'
    "input-variant-added": ("n", 155, 5),  # 'Team:'
    "output-type-changed": ("n", 96, 11),  # 'type: number'
    "output-type-narrowed": ("n", 104, 11),  # 'type: string'
    "output-nullable-added": ("n", 99, 11),  # 'type: string'
    "output-enum-value-added": ("n", 92, 11),  # 'enum:'
    "output-enum-value-removed": ("n", 92, 11),  # 'enum:'
    "output-enum-removed": ("n", 90, 9),  # 'kind:'
    "output-constraint-loosened": ("n", 97, 11),  # 'maximum: 20'
    "output-constraint-tightened": ("n", 97, 11),  # 'maximum: 5'
    "output-pattern-changed": ("n", 88, 11),  # 'pattern: ^[a-z0-9]+$'
    "output-format-changed": ("n", 102, 11),  # 'format: date-time'
    "output-property-removed": ("o", 98, 9),  # 'tag:'
    "output-property-added": ("n", 112, 9),  # 'chip:'
    "output-property-became-optional": ("n", 85, 9),  # 'name:'
    "output-property-became-required": ("n", 99, 9),  # 'tag:'
    "output-variant-added": ("n", 155, 5),  # 'Team:'
    "output-variant-removed": ("o", 148, 5),  # 'Org:'
}

ASYNCAPI_AT: dict[str, tuple[str, int, int]] = {
    "channel-removed": ("o", 28, 3),  # 'shipments:'
    "channel-added": ("n", 36, 3),  # 'audit:'
    "channel-address-changed": ("n", 29, 5),  # 'address: shop/v2/shipments'
    "channel-parameter-changed": ("n", 19, 7),  # 'region:'
    "binding-changed": ("n", 33, 5),  # 'bindings:'
    "message-removed": ("o", 64, 5),  # 'cancel:'
    "message-added": ("n", 28, 7),  # 'hold:'
    "output-message-added": ("n", 33, 7),  # 'delay:'
    "message-content-type-changed": ("n", 80, 7),  # 'contentType: application/avro'
    "operation-removed": ("o", 44, 3),  # 'ship:'
    "operation-added": ("n", 50, 3),  # 'audit:'
    "server-removed": ("o", 7, 3),  # 'prod:'
    "server-protocol-changed": ("n", 9, 5),  # 'protocol: secure-mqtt'
    "security-requirement-changed": ("n", 10, 5),  # 'security:'
    "input-property-required-added": ("n", 65, 11),  # 'qty:'
    "output-property-removed": ("o", 78, 11),  # 'id:'
}


CASES = [("openapi", code, *OPENAPI[code], OPENAPI_AT[code]) for code in OPENAPI] + [
    ("asyncapi", code, *ASYNCAPI[code], ASYNCAPI_AT[code]) for code in ASYNCAPI
]


@pytest.mark.parametrize(
    ("family", "code", "severity", "edit", "at"), CASES, ids=[f"{c[0]}:{c[1]}" for c in CASES]
)
def test_rule_is_reported_located(
    in_tmp: Path, family: str, code: str, severity: str, edit: object, at: tuple[str, int, int]
) -> None:
    base = openapi_base() if family == "openapi" else asyncapi_base()
    old = write(Path("old.yaml"), base)
    new = write(Path("new.yaml"), edited(base, edit))  # type: ignore[arg-type]
    exit_code, changes = diff_json(old, new)
    found = [c for c in changes if c["code"] == code]
    assert found, f"{code} not reported; got {[c['code'] for c in changes]}"
    change = found[0]
    side, line, column = at
    assert change["severity"] == severity == RULES[code][0].value
    assert (change["file"], change["line"], change["column"]) == (
        "old.yaml" if side == "o" else "new.yaml",
        line,
        column,
    )
    assert change["pointer"].startswith("/")
    assert exit_code == (1 if any(c["severity"] == "error" for c in changes) else 0)


def test_every_rule_has_a_pair() -> None:
    covered = set(OPENAPI) | set(ASYNCAPI)
    assert sorted(set(RULES) - covered) == []


def test_identical_versions_report_nothing(in_tmp: Path) -> None:
    for base in (openapi_base(), asyncapi_base()):
        old = write(Path("old.yaml"), base)
        new = write(Path("new.yaml"), base)
        assert diff_json(old, new) == (0, [])


def test_readme_rule_table_is_the_rule_table() -> None:
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    for code, (severity, what) in RULES.items():
        assert f"| `{code}` | {severity.value} | {what} |" in readme
