"""Security schemes and requirements of an OpenAPI document, as IR.

A requirement naming a scheme that does not exist can never be met; it is
dropped with a warning rather than letting the operation through. When every
alternative is dropped the operation stays secured with no way in (the server
refuses it) — never open by default.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from generator.diagnostics import escape_pointer
from generator.ir.http import (
    ParamLocation,
    SchemeKind,
    SchemeUse,
    SecurityRequirement,
    SecurityScheme,
)
from generator.load import Document
from generator.naming import NameAllocator, fresh
from generator.translate._openapi_refs import Located
from generator.translate.json_values import as_dict

if TYPE_CHECKING:
    from generator.translate.openapi import _Builder

__all__ = ["requirements_of", "schemes_of"]


_TCHAR = frozenset("!#$%&'*+-.^_`|~0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")
"""RFC 9110 ``tchar``: an auth-scheme name is a token of these."""


def _http_scheme(raw: dict[str, Any]) -> str:
    """The HTTP auth-scheme name as written (``Bearer``, ``OAuth``), or ``""`` when not a token."""
    scheme = raw.get("scheme")
    if not isinstance(scheme, str) or not scheme or not set(scheme) <= _TCHAR:
        return ""
    return scheme


def _kind(raw: dict[str, Any]) -> SchemeKind | None:
    kind = raw.get("type")
    if kind == "apiKey":
        return SchemeKind.API_KEY
    if kind == "http":
        scheme = _http_scheme(raw).lower()
        if scheme == "basic":
            return SchemeKind.HTTP_BASIC
        if scheme == "bearer":
            return SchemeKind.HTTP_BEARER
        return SchemeKind.HTTP_OTHER if scheme else None
    if kind == "oauth2":
        return SchemeKind.OAUTH2
    if kind == "openIdConnect":
        return SchemeKind.OPENID
    if kind == "mutualTLS":
        return SchemeKind.MUTUAL_TLS
    return None


_HTTP_NAMES = {SchemeKind.HTTP_BASIC: "Basic", SchemeKind.HTTP_BEARER: "Bearer"}
"""The canonical spelling of the two schemes every HTTP library knows."""

_TOKEN_FLOWS = ("clientCredentials", "password", "authorizationCode")
"""The flows whose token endpoint a machine client uses, best first."""


def _url(value: object) -> str:
    """A URL as written, or ``""`` when it is not one line of text."""
    if not isinstance(value, str) or any(c in value for c in "\r\n\0"):
        return ""
    return value.strip()


def _flow_url(flows: dict[str, Any], key: str) -> str:
    for name in _TOKEN_FLOWS:
        found = _url(as_dict(flows.get(name)).get(key))
        if found:
            return found
    return ""


def schemes_of(doc: Document, builder: _Builder) -> dict[str, SecurityScheme]:
    """Every usable security scheme, keyed by its name in the spec."""
    components = as_dict(as_dict(doc.data).get("components")).get("securitySchemes")
    names = NameAllocator()
    out: dict[str, SecurityScheme] = {}
    for wire in sorted(as_dict(components)):
        pointer = "/components/securitySchemes/" + escape_pointer(wire)
        loc = builder.deref(as_dict(components)[wire], pointer)
        raw = as_dict(loc.value if loc else None)
        kind = _kind(raw)
        if kind is None:
            builder.warn(
                loc,
                pointer,
                "unsupported-security",
                f"security scheme {wire!r} has an unknown type (or an HTTP scheme name that is "
                "not a token); operations needing it are refused",
            )
            continue
        if kind is SchemeKind.HTTP_OTHER:
            name = _http_scheme(raw)
            builder.warn(
                loc,
                pointer,
                "http-scheme-unsupported",
                f"HTTP scheme {name!r} of security scheme {wire!r} is neither basic nor bearer: "
                f"the server only checks that the Authorization header names {name!r} and hands "
                "the credentials after it to security.verify (no challenge-response such as "
                f"Digest nonces); the client sends 'Authorization: {name} <credentials>'",
            )
        location = None
        if kind is SchemeKind.API_KEY:
            try:
                location = ParamLocation(raw.get("in"))
            except ValueError:
                location = ParamLocation.HEADER
            if location is ParamLocation.PATH:
                location = ParamLocation.HEADER
        scopes: set[str] = set()
        flows = as_dict(raw.get("flows")) if kind is SchemeKind.OAUTH2 else {}
        for flow in flows.values():
            scopes.update(str(s) for s in as_dict(as_dict(flow).get("scopes")))
        py_name = fresh(names, wire)
        out[wire] = SecurityScheme(
            wire_name=wire,
            py_name=py_name,
            env_var=py_name.upper().strip("_") or "AUTH",
            kind=kind,
            location=location,
            key_name=str(raw.get("name", "")) if kind is SchemeKind.API_KEY else "",
            scopes=tuple(sorted(scopes)),
            description=str(raw.get("description", ""))
            if isinstance(raw.get("description"), str)
            else "",
            flows=tuple(sorted(str(name) for name in flows)),
            token_url=_flow_url(flows, "tokenUrl"),
            refresh_url=_flow_url(flows, "refreshUrl"),
            openid_url=_url(raw.get("openIdConnectUrl")) if kind is SchemeKind.OPENID else "",
            http_scheme=_HTTP_NAMES.get(kind, "") or _http_scheme(raw),
        )
    return out


def requirements_of(
    raw: object, schemes: dict[str, SecurityScheme], builder: _Builder, op: Located
) -> tuple[SecurityRequirement, ...]:
    """The alternatives that let a caller in; ``()`` when the operation is open."""
    if not isinstance(raw, list):
        return ()
    out: list[SecurityRequirement] = []
    for entry in raw:
        uses: list[SchemeUse] = []
        usable = isinstance(entry, dict)
        for wire, scopes in sorted(as_dict(entry).items()):
            scheme = schemes.get(wire)
            if scheme is None:
                builder.warn(
                    op,
                    op.pointer,
                    "unknown-security-scheme",
                    f"security scheme {wire!r} is not defined; this requirement can never be met",
                )
                usable = False
                break
            listed = tuple(str(s) for s in scopes) if isinstance(scopes, list) else ()
            uses.append(SchemeUse(py_name=scheme.py_name, scopes=listed))
        if usable:
            out.append(SecurityRequirement(schemes=tuple(uses)))
    if raw and not out:
        # Declared but impossible: keep the operation shut.
        out.append(SecurityRequirement(schemes=(SchemeUse(py_name="_refused", scopes=()),)))
    return tuple(out)
