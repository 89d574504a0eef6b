"""Security requirements and servers compared by what a client must do, not by name.

A requirement is a set of ``(scheme identity, scopes)``; the identity is what
the scheme asks of a client (type, where the key goes, flows), so renaming a
scheme or inlining it (AsyncAPI 3.0) is not a change. An old alternative still
works when some new alternative asks for no more than it did.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

__all__ = ["Requirement", "requirement_losses", "scheme_identity"]

Requirement = frozenset[tuple[str, frozenset[str]]]


def scheme_identity(scheme: Mapping[str, Any] | None, name: str) -> str:
    """What a security scheme asks of a client, as a comparable string."""
    if not isinstance(scheme, Mapping):
        return f"unknown:{name}"
    kind = str(scheme.get("type", "")).lower()
    if kind in ("apikey", "httpapikey"):
        return f"{kind}:{scheme.get('in')}:{scheme.get('name')}"
    if kind == "http":
        return f"http:{str(scheme.get('scheme', '')).lower()}"
    if kind == "oauth2":
        flows = scheme.get("flows")
        return "oauth2:" + ",".join(sorted(flows)) if isinstance(flows, Mapping) else "oauth2"
    if kind == "openidconnect":
        return f"openIdConnect:{scheme.get('openIdConnectUrl')}"
    return kind or f"unknown:{name}"


def _satisfies(new: Requirement, old: Requirement) -> bool:
    """A client meeting ``old`` also meets ``new``: no new scheme, no new scope."""
    held = dict(old)
    return all(ident in held and scopes <= held[ident] for ident, scopes in new)


def requirement_losses(
    old: Iterable[Requirement], new: Iterable[Requirement]
) -> tuple[list[Requirement], list[Requirement]]:
    """(old alternatives no new one accepts, new alternatives that are additions)."""
    olds, news = list(old), list(new)
    lost = [o for o in olds if not any(_satisfies(n, o) for n in news)]
    added = [n for n in news if not any(_satisfies(n, o) for o in olds)]
    return lost, added


def describe(requirement: Requirement) -> str:
    """A requirement as users read it."""
    if not requirement:
        return "no authentication"
    parts = []
    for ident, scopes in sorted(requirement):
        parts.append(ident + (f" [{', '.join(sorted(scopes))}]" if scopes else ""))
    return " + ".join(parts)
