"""Context for ``contracts.py``: each operation's error contract, its bodies printed once.

Operations that share a declared error response (a ``$ref`` to
``components/responses``) share one ``Body`` constant, so a large spec's
table stays small; operations that declare no error response are left out
(they answer with RFC 9457 problems).
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from generator.ir.http import Api, ErrorBody, ErrorContract

__all__ = ["ContractRow", "ErrorTables", "error_tables"]


@dataclass(frozen=True, slots=True)
class ContractRow:
    """One operation's contract (``op``: its function's name, the route's name), its bodies named by their constants."""

    op: str
    contract: ErrorContract
    by_status: tuple[tuple[int, str], ...]
    by_class: tuple[tuple[int, str], ...]
    default: str


@dataclass(frozen=True, slots=True)
class ErrorTables:
    """The distinct bodies (constant name, body) and one row per operation that declares errors."""

    bodies: tuple[tuple[str, ErrorBody], ...]
    rows: tuple[ContractRow, ...]


def _key(body: ErrorBody) -> str:
    fills = [(f.path, f.kind.value, f.max_length, f.max_items, f.item_template) for f in body.fills]
    items = [[(i.name, i.part, i.max_length) for i in f.item_fields] for f in body.fills]
    parts = [body.media_type, body.kind.value, body.template, fills, items]
    return json.dumps(parts, sort_keys=True, default=str)


def error_tables(api: Api) -> ErrorTables:
    """Every operation's contract in declaration order, bodies de-duplicated."""
    names: dict[str, str] = {}
    bodies: list[tuple[str, ErrorBody]] = []

    def name(body: ErrorBody | None) -> str:
        if body is None:
            return "None"
        key = _key(body)
        if key not in names:
            names[key] = f"BODY_{len(names) + 1}"
            bodies.append((names[key], body))
        return names[key]

    rows = []
    for op in api.operations:
        contract = op.error_contract
        if not contract.declared:
            continue
        rows.append(
            ContractRow(
                op=op.name,
                contract=contract,
                by_status=tuple((code, name(body)) for code, body in contract.by_status),
                by_class=tuple((digit, name(body)) for digit, body in contract.by_class),
                default=name(contract.default),
            )
        )
    return ErrorTables(bodies=tuple(bodies), rows=tuple(rows))
