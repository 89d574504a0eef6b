"""Swagger 2.0 -> OpenAPI 3.0 shape, so one builder serves both.

Only what the HTTP builder reads is rewritten: ``body``/``formData`` parameters
become a ``requestBody``, ``consumes``/``produces`` become media types,
``host``/``basePath``/``schemes`` become ``servers``, security definitions become
security schemes. ``definitions``, ``parameters`` and ``responses`` stay where
they are, so every ``$ref`` in the document (and in the files it reaches) still
resolves unchanged; referenced parameters and responses are inlined here.
"""

from __future__ import annotations

from typing import Any

from generator.load import Document
from generator.load.document import Source
from generator.translate.json_values import as_dict

__all__ = ["upgrade"]

_METHODS = ("get", "put", "post", "delete", "options", "head", "patch")
_FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


def _as_list(value: object) -> list[Any]:
    return value if isinstance(value, list) else []


def _media_list(value: object, fallback: list[str]) -> list[str]:
    media = [m for m in _as_list(value) if isinstance(m, str) and m]
    return media or fallback


def _param_schema(param: dict[str, Any]) -> dict[str, Any]:
    """The 3.0 schema of a non-body 2.0 parameter (its type keywords)."""
    keys = (
        "type",
        "format",
        "items",
        "enum",
        "default",
        "minimum",
        "maximum",
        "exclusiveMinimum",
        "exclusiveMaximum",
        "minLength",
        "maxLength",
        "pattern",
        "minItems",
        "maxItems",
        "uniqueItems",
        "multipleOf",
    )
    schema = {k: param[k] for k in keys if k in param}
    if schema.get("type") == "file":
        schema = {"type": "string", "format": "binary"}
    return schema


def _style(param: dict[str, Any]) -> dict[str, Any]:
    fmt = param.get("collectionFormat", "csv")
    where = param.get("in")
    if param.get("type") != "array":
        return {}
    if fmt == "multi":
        return {"style": "form", "explode": True}
    if fmt == "ssv":
        return {"style": "spaceDelimited", "explode": False}
    if fmt == "pipes":
        return {"style": "pipeDelimited", "explode": False}
    if where in ("query", "cookie"):
        return {"style": "form", "explode": False}
    return {"style": "simple", "explode": False}


class _Upgrader:
    def __init__(self, doc: Document) -> None:
        self.doc = doc
        self.data = as_dict(doc.data)

    def resolve(self, value: object) -> object:
        found = self.doc.refs.follow(value, self.doc.root)
        return {} if found is None else found.value  # a dangling ref: the loader said so

    def operation(self, op: dict[str, Any], shared: list[Any]) -> dict[str, Any]:
        consumes = _media_list(op.get("consumes", self.data.get("consumes")), ["application/json"])
        produces = _media_list(op.get("produces", self.data.get("produces")), ["application/json"])
        out = {k: v for k, v in op.items() if k not in ("parameters", "responses", "consumes")}
        params: dict[tuple[str, str], dict[str, Any]] = {}
        for raw in [*shared, *_as_list(op.get("parameters"))]:
            param = as_dict(self.resolve(raw))
            name, where = param.get("name"), param.get("in")
            if isinstance(name, str) and isinstance(where, str):
                params[(where, name)] = param
        plain: list[dict[str, Any]] = []
        form: dict[str, Any] = {}
        required_form: list[str] = []
        for (where, name), param in params.items():
            if where == "body":
                body_schema = param.get("schema", {})
                out["requestBody"] = {
                    "required": bool(param.get("required")),
                    "content": {m: {"schema": body_schema} for m in consumes},
                }
            elif where == "formData":
                form[name] = {**_param_schema(param), "description": param.get("description", "")}
                if param.get("required"):
                    required_form.append(name)
            else:
                plain.append(
                    {
                        "name": name,
                        "in": where,
                        "required": bool(param.get("required")) or where == "path",
                        "description": param.get("description", ""),
                        "schema": _param_schema(param),
                        **_style(param),
                    }
                )
        if plain:
            out["parameters"] = plain
        if form:
            has_file = any(p.get("format") == "binary" for p in form.values())
            forms = [m for m in consumes if m in _FORM_TYPES]
            media = forms[0] if forms else _FORM_TYPES[1 if has_file else 0]
            if has_file:
                media = "multipart/form-data"
            schema: dict[str, Any] = {"type": "object", "properties": form}
            if required_form:
                schema["required"] = required_form
            out["requestBody"] = {
                "required": bool(required_form),
                "content": {media: {"schema": schema}},
            }
        out["responses"] = {
            str(status): self.response(resp, produces)
            for status, resp in as_dict(op.get("responses")).items()
        }
        return out

    def response(self, raw: object, produces: list[str]) -> dict[str, Any]:
        resp = as_dict(self.resolve(raw))
        out: dict[str, Any] = {"description": resp.get("description", "")}
        schema = resp.get("schema")
        if isinstance(schema, dict):
            if schema.get("type") == "file":
                schema = {"type": "string", "format": "binary"}
            examples = as_dict(resp.get("examples"))
            content: dict[str, Any] = {}
            for media in produces:
                entry: dict[str, Any] = {"schema": schema}
                if media in examples:
                    entry["example"] = examples[media]
                content[media] = entry
            out["content"] = content
        return out

    def security_scheme(self, raw: object) -> dict[str, Any]:
        scheme = as_dict(raw)
        kind = scheme.get("type")
        if kind == "basic":
            return {"type": "http", "scheme": "basic"}
        if kind == "apiKey":
            return {
                "type": "apiKey",
                "name": scheme.get("name", ""),
                "in": scheme.get("in", "header"),
            }
        if kind == "oauth2":
            flow = {
                "implicit": "implicit",
                "password": "password",
                "application": "clientCredentials",
                "accessCode": "authorizationCode",
            }.get(str(scheme.get("flow")), "implicit")
            body = {"scopes": as_dict(scheme.get("scopes"))}
            for key in ("authorizationUrl", "tokenUrl"):
                if key in scheme:
                    body[key] = scheme[key]
            return {"type": "oauth2", "flows": {flow: body}}
        return {}

    def upgrade(self) -> dict[str, Any]:
        data = self.data
        out: dict[str, Any] = dict(data)
        out.pop("swagger", None)
        out["openapi"] = "3.0.3"
        host = data.get("host")
        base = str(data.get("basePath", "") or "")
        if isinstance(host, str) and host:
            schemes = _media_list(data.get("schemes"), ["https"])
            out["servers"] = [{"url": f"{s}://{host}{base}"} for s in schemes]
        elif base:
            out["servers"] = [{"url": base}]
        paths: dict[str, Any] = {}
        for path, raw_item in as_dict(data.get("paths")).items():
            item = as_dict(self.resolve(raw_item))
            shared = _as_list(item.get("parameters"))
            paths[path] = {
                method: self.operation(as_dict(item[method]), shared)
                for method in _METHODS
                if isinstance(item.get(method), dict)
            }
        out["paths"] = paths
        security = {
            name: self.security_scheme(raw)
            for name, raw in as_dict(data.get("securityDefinitions")).items()
        }
        out["components"] = {"securitySchemes": {k: v for k, v in security.items() if v}}
        return out


def upgrade(doc: Document) -> Document:
    """A Document whose root holds the 3.0-shaped equivalent of a Swagger 2.0 root."""
    root = doc.root
    data = _Upgrader(doc).upgrade()
    source = Source(
        path=root.path, display=root.display, text=root.text, data=data, is_json=root.is_json
    )
    files = {path: (source if src is root else src) for path, src in doc.files.items()}
    return Document(
        root=source,
        root_dir=doc.root_dir,
        kind=doc.kind,
        files=files,
        allow_remote_refs=doc.allow_remote_refs,
        ref_map=doc.ref_map,
    )
