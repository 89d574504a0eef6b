"""AsyncAPI servers -> ``Server`` IR: protocol family, default URL, override env var."""

from __future__ import annotations

import re
from typing import Any

from generator.diagnostics import Diagnostic, Severity, join_pointer
from generator.ir.stream import Family, Server, ServerVariable
from generator.load import Document

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
    family: Family, server: dict[str, Any], variables: tuple[ServerVariable, ...]
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
        if family is Family.AMQP:
            return f"{scheme}://guest:guest@{host}/"
        return f"{scheme}://{host}"
    return f"{scheme}://{text}"


def read_servers(doc: Document, package_env: str) -> tuple[list[Server], list[Diagnostic]]:
    """Every server in ``doc``; unsupported protocols are reported and left out."""
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
        base, n = py_name, 2
        while py_name in used:
            py_name, n = f"{base}_{n}", n + 1
        used.add(py_name)
        security: list[str] = []
        for item in server.get("security") or []:
            if isinstance(item, dict):
                kind = item.get("type")
                security.append(str(kind) if isinstance(kind, str) else "ref")
        servers.append(
            Server(
                key=key,
                py_name=py_name,
                family=family,
                protocol=protocol,
                url=_default_url(family, server, variables),
                env_var=f"{package_env}_{_env_token(py_name)}_URL",
                description=str(server.get("description") or ""),
                variables=variables,
                security=tuple(security),
            )
        )
    return servers, diagnostics
