"""AsyncAPI servers -> ``Server`` IR: protocol family, default URL, override env var."""

from __future__ import annotations

import keyword
import re
from typing import Any

from generator.diagnostics import Diagnostic, Severity, join_pointer
from generator.ir.stream import (
    BrokerAuth,
    BrokerAuthKind,
    Family,
    SecurityKind,
    SecurityScheme,
    Server,
    ServerVariable,
)
from generator.load import Document
from generator.load.document import unescape_pointer
from generator.naming import TEMPLATE_NAMES, py_identifier

__all__ = ["FAMILIES", "read_servers"]

FAMILIES: dict[str, Family] = {
    "ws": Family.WS,
    "wss": Family.WS,
    "http": Family.HTTP,
    "https": Family.HTTP,
    "mqtt": Family.MQTT,
    "mqtts": Family.MQTT,
    "secure-mqtt": Family.MQTT,
    "amqp": Family.AMQP,
    "amqps": Family.AMQP,
    "kafka": Family.KAFKA,
    "kafka-secure": Family.KAFKA,
    "nats": Family.NATS,
    "redis": Family.REDIS,
    "rediss": Family.REDIS,
}
"""AsyncAPI ``protocol`` values twinspec serves, by family."""

_SCHEME = {
    Family.WS: "ws",
    Family.HTTP: "http",
    Family.MQTT: "mqtt",
    Family.AMQP: "amqp",
    Family.KAFKA: "kafka",
    Family.NATS: "nats",
    Family.REDIS: "redis",
}
_DEFAULT_PORT = {
    Family.MQTT: 1883,
    Family.AMQP: 5672,
    Family.KAFKA: 9092,
    Family.NATS: 4222,
    Family.REDIS: 6379,
}


def _env_token(text: str) -> str:
    return re.sub(r"[^A-Z0-9]+", "_", text.upper()).strip("_") or "SERVER"


def _variables(server: dict[str, Any]) -> tuple[ServerVariable, ...]:
    raw = server.get("variables")
    out: list[ServerVariable] = []
    if isinstance(raw, dict):
        for name in sorted(raw):
            var = raw[name] if isinstance(raw[name], dict) else {}
            enum = tuple(str(v) for v in var.get("enum", []) if isinstance(v, (str, int)))
            default = var.get("default")
            out.append(
                ServerVariable(
                    name=name,
                    default=str(default) if default is not None else (enum[0] if enum else ""),
                    enum=enum,
                    description=str(var.get("description") or ""),
                )
            )
    return tuple(out)


def _default_url(
    family: Family,
    server: dict[str, Any],
    variables: tuple[ServerVariable, ...],
    *,
    authenticated: bool = False,
) -> str:
    scheme = _SCHEME[family]
    if "host" in server:  # 3.x
        text = str(server.get("host") or "localhost") + str(server.get("pathname") or "")
    else:
        text = str(server.get("url") or "localhost")
        text = re.sub(r"^[A-Za-z][A-Za-z0-9+.-]*://", "", text)
    for var in variables:
        text = text.replace("{" + var.name + "}", var.default)
    text = re.sub(r"\{[^}]*\}", "", text)
    if family.is_broker:
        host = text.split("/", 1)[0] or "localhost"
        if ":" not in host:
            host = f"{host}:{_DEFAULT_PORT[family]}"
        if family is Family.AMQP:  # RabbitMQ's development account, unless the spec asks for one
            return f"{scheme}://{host}/" if authenticated else f"{scheme}://guest:guest@{host}/"
        return f"{scheme}://{host}"
    return f"{scheme}://{text}"


def _schemes(doc: Document, value: Any) -> list[tuple[str, dict[str, Any]]]:
    """A server's security requirements as (scheme name, scheme object), 2.x and 3.x forms."""
    components = doc.data.get("components") if isinstance(doc.data, dict) else None
    declared = components.get("securitySchemes") if isinstance(components, dict) else None
    declared = declared if isinstance(declared, dict) else {}
    out: list[tuple[str, dict[str, Any]]] = []
    for item in value if isinstance(value, list) else []:
        if not isinstance(item, dict):
            continue
        ref = item.get("$ref")
        if isinstance(ref, str) and ref.startswith("#/components/securitySchemes/"):
            name = unescape_pointer(ref.rsplit("/", 1)[-1])
            if isinstance(declared.get(name), dict):
                out.append((name, declared[name]))
        elif "type" in item:  # 3.x inline scheme
            out.append((str(item.get("name") or item.get("type")), item))
        else:  # 2.x requirement: {schemeName: [scopes]}
            out.extend(
                (name, declared[name]) for name in item if isinstance(declared.get(name), dict)
            )
    return out


def _scheme(
    name: str, scheme: dict[str, Any], secret_env: str, used: set[str]
) -> SecurityScheme | None:
    kind = scheme.get("type")
    py_name = py_identifier(name)
    base, n = py_name, 2
    while py_name in used:
        py_name, n = f"{base}_{n}", n + 1
    common = {
        "key": name,
        "py_name": py_name,
        "env_var": f"{secret_env}_{_env_token(py_name)}",
        "description": str(scheme.get("description") or ""),
    }
    made: SecurityScheme | None = None
    if (
        kind == "httpApiKey"
        and scheme.get("in") in ("header", "query", "cookie")
        and scheme.get("name")
    ):
        made = SecurityScheme(
            kind=SecurityKind.API_KEY,
            location=str(scheme["in"]),
            name=str(scheme["name"]),
            **common,
        )
    elif kind == "http" and str(scheme.get("scheme", "")).lower() in ("bearer", "basic"):
        basic = str(scheme["scheme"]).lower() == "basic"
        made = SecurityScheme(kind=SecurityKind.BASIC if basic else SecurityKind.BEARER, **common)
    elif kind in ("oauth2", "openIdConnect"):
        made = SecurityScheme(kind=SecurityKind.BEARER, **common)
    if made is not None:
        used.add(py_name)
    return made


_BROKER_AUTH: dict[str, BrokerAuthKind] = {
    "userPassword": BrokerAuthKind.PLAIN,
    "plain": BrokerAuthKind.PLAIN,
    "scramSha256": BrokerAuthKind.SCRAM_SHA_256,
    "scramSha512": BrokerAuthKind.SCRAM_SHA_512,
    "X509": BrokerAuthKind.X509,
}
"""AsyncAPI scheme types a generated broker connection can present (FastStream's security)."""

_SCRAM = (BrokerAuthKind.SCRAM_SHA_256, BrokerAuthKind.SCRAM_SHA_512)


def _broker_auth(
    family: Family, name: str, scheme: dict[str, Any], prefix: str
) -> BrokerAuth | None:
    """The credential ``family`` can present for ``scheme``; SCRAM is Kafka's alone in FastStream."""
    kind = _BROKER_AUTH.get(str(scheme.get("type") or ""))
    if kind is None or (kind in _SCRAM and family is not Family.KAFKA):
        return None
    return BrokerAuth(scheme=name, kind=kind, env_prefix=prefix)


def read_servers(
    doc: Document, package_env: str, secret_env: str = ""
) -> tuple[list[Server], list[Diagnostic]]:
    """Every server in ``doc``; unsupported protocols are reported and left out.

    ``secret_env`` prefixes the broker URL and credential variables: it comes from the
    document, so a generated server and its client read the same variables.
    """
    secret_env = secret_env or package_env
    used_schemes: set[str] = set()
    raw = doc.data.get("servers") if isinstance(doc.data, dict) else None
    servers: list[Server] = []
    diagnostics: list[Diagnostic] = []
    if not isinstance(raw, dict):
        return servers, diagnostics
    used: set[str] = set()
    for key in sorted(raw):
        server = raw[key]
        if not isinstance(server, dict):
            continue
        protocol = str(server.get("protocol") or "").lower()
        family = FAMILIES.get(protocol)
        pointer = join_pointer(["servers", key])
        if family is None:
            diagnostics.append(
                doc.diagnostic(
                    pointer,
                    "stream-unsupported-protocol",
                    f"server {key!r} uses protocol {protocol!r}, which twinspec cannot serve yet;"
                    " operations only on this server are left out",
                    Severity.WARNING,
                )
            )
            continue
        variables = _variables(server)
        py_name = re.sub(r"\W+", "_", key.lower()).strip("_") or "server"
        if py_name[0].isdigit():
            py_name = f"server_{py_name}"
        reserved = keyword.iskeyword(py_name) or py_name in TEMPLATE_NAMES
        if family.is_broker and reserved:  # a broker is a module-level variable of brokers.py
            py_name += "_"
        base, n = py_name, 2
        while py_name in used:
            py_name, n = f"{base}_{n}", n + 1
        used.add(py_name)
        security: list[str] = []
        schemes: list[SecurityScheme] = []
        auth: BrokerAuth | None = None
        for name, scheme in _schemes(doc, server.get("security")):
            kind = str(scheme.get("type") or "")
            security.append(kind or "unknown")
            if family.is_broker:
                found = _broker_auth(family, name, scheme, f"{secret_env}_{_env_token(py_name)}")
                if found is not None and auth is None:
                    auth = found
                elif found is None:
                    diagnostics.append(
                        doc.diagnostic(
                            pointer + "/security",
                            "stream-security-not-enforced",
                            f"server {key!r}: security scheme {name!r} ({kind or 'no type'}) cannot"
                            f" be presented to a {protocol} broker by FastStream; it is left out",
                            Severity.WARNING,
                        )
                    )
                continue
            made = _scheme(name, scheme, secret_env, used_schemes)
            if made is None:
                diagnostics.append(
                    doc.diagnostic(
                        pointer + "/security",
                        "stream-security-not-enforced",
                        f"server {key!r}: security scheme {name!r} ({kind or 'no type'}) cannot be"
                        " checked by a generated web server; it is not enforced",
                        Severity.WARNING,
                    )
                )
            else:
                schemes.append(made)
        servers.append(
            Server(
                key=key,
                py_name=py_name,
                family=family,
                protocol=protocol,
                url=_default_url(family, server, variables, authenticated=auth is not None),
                env_var=f"{secret_env}_{_env_token(py_name)}_URL",
                description=str(server.get("description") or ""),
                variables=variables,
                security=tuple(security),
                schemes=tuple(schemes),
                auth=auth,
            )
        )
    return servers, diagnostics
