"""The ``servers`` of an OpenAPI document, and the base path the server mounts under.

A gateway-facing spec says ``servers: [{url: https://api.example.com/v1}]``; the
generated server must then answer under ``/v1`` and the generated client call
``/v1/...``, or the default pair never meets. The base path is the path of the
first entry (variables replaced by their defaults; Swagger 2.0 ``basePath`` has
already become that entry), normalised to ``""`` or ``/a/b`` (decoded, as routes match).
"""

from __future__ import annotations

import re
from urllib.parse import unquote, urlsplit

from generator.ir.http import Server
from generator.translate.json_values import as_dict, as_text

__all__ = ["base_path_of", "servers_of"]


def servers_of(raw: object) -> tuple[Server, ...]:
    """Each usable ``servers`` entry, its variables substituted by their defaults."""
    out = []
    for entry in raw if isinstance(raw, list) else []:
        server = as_dict(entry)
        url = as_text(server.get("url"))
        for name, var in as_dict(server.get("variables")).items():
            url = url.replace("{" + str(name) + "}", str(as_dict(var).get("default", "")))
        if url:
            out.append(Server(url=url, description=as_text(server.get("description"))))
    return tuple(out)


def base_path_of(servers: tuple[Server, ...]) -> str:
    """``""`` or ``/seg/seg``: the path of the first server, decoded as routes match it, no trailing slash.

    A variable left without a default (``{x}``), a control character or a URL
    that does not parse gives no base path rather than a route nobody can reach.
    """
    if not servers:
        return ""
    url = servers[0].url.strip()
    try:
        path = urlsplit(url).path if re.match(r"^[A-Za-z][A-Za-z0-9+.-]*://", url) else url
    except ValueError:
        return ""
    path = path.split("?", 1)[0].split("#", 1)[0]
    if "{" in path or "}" in path:
        return ""
    segments = [unquote(s) for s in path.split("/") if s and s != "."]
    if any(s == ".." or "/" in s or any(ord(c) < 32 or ord(c) == 127 for c in s) for s in segments):
        return ""
    return "".join("/" + s for s in segments)
