"""The rest-server and rest-client targets: ``RestIR`` -> ``WritePlan``.

``plan_server`` and ``plan_client`` are the registry entries. Both render the
same ``RestIR`` (``translate.rest_ir``); each pack gets a context of finished values
(package name, import lines, environment variable names, the JSON data files)
so templates only print.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from generator.ir.http import (
    Api,
    Operation,
    ParamLocation,
    ResponseKind,
    RestIR,
    SchemeKind,
    Tag,
)
from generator.ir.schema import Import, TypeModel, TypeRef
from generator.naming import NameAllocator, device_safe, package_name, py_identifier
from generator.render.env import RenderItem, make_environment, render_plan
from generator.render.json_text import document_text, json_text
from generator.render.plan import Owner, WritePlan
from generator.render.rest_client import client_methods
from generator.render.rest_errors import error_tables
from generator.render.rest_production import (
    conditional_ops,
    error_classes,
    header_classes,
    header_imports,
    headers_use_models,
)
from generator.render.rest_routes import route_parameters
from generator.render.targets import RenderRequest

__all__ = ["plan_client", "plan_server"]

_FASTAPI_DEP = "fastapi>=0.123.7,<1"
"""The first FastAPI that resolves the string annotations of a callable dependency's ``__call__``
(``BodyReader``, ``guard``): before it, their ``request: Request`` was taken for a query parameter."""
_SERVER_DEPS = (
    _FASTAPI_DEP,
    "uvicorn>=0.29",
    "pydantic>=2.6,<3",
    "python-multipart>=0.0.9",
    "fastapi-offline>=1.7,<2",
)
_REGEX_DEP = "regex>=2024.4"
"""The bounded-time engine behind ``re_pattern`` for lookarounds and backreferences."""
_CLIENT_DEPS = ("httpx>=0.27,<1", "pydantic>=2.6,<3", "typing-extensions>=4.6")
_SPEC_ROUTE = "/openapi.json"
_DOCS_ROUTE = "/docs"
_REDOC_ROUTE = "/redoc"
_ASSETS_ROUTE = "/docs-assets"


@dataclass(frozen=True, slots=True)
class _Built:
    api: Api
    types: TypeModel
    package: str
    context: dict[str, object]


def _types_of(api: Api) -> Iterator[TypeRef]:
    for op in api.operations:
        yield from (p.type for p in op.parameters)
        if op.body is not None:
            yield op.body.type
        yield from (r.type for r in (op.success, *op.errors) if r is not None)
    for event in api.events:
        if event.body is not None:
            yield event.body.type


def _import_lines(api: Api, types: TypeModel) -> list[str]:
    found: set[Import] = set()
    for ref in _types_of(api):
        found.update(ref.imports)
    return sorted({imp.line for imp in found})


def _example_entry(op: Operation) -> dict[str, object]:
    success = op.success
    if success is None:
        return {"status": 204, "kind": "empty", "media_type": "", "body": None}
    return {
        "status": success.status_code,
        "kind": success.kind.value,
        "media_type": success.media_type,
        "body": success.example,
        "headers": {h.wire_name: h.example for h in success.headers if h.example is not None},
    }


def _open_gets(api: Api) -> list[str]:
    return [
        op.path
        for op in api.operations
        if op.method == "get"
        and "{" not in op.path
        and not any(p.required for p in op.parameters)
        and not op.secured
        and (op.success is None or op.success.kind is not ResponseKind.EVENT_STREAM)
    ]


_TOKEN_KINDS = (SchemeKind.OAUTH2, SchemeKind.OPENID)
_JWT_DEPS = ("pyjwt[crypto]>=2.8,<3", "httpx>=0.27,<1")


def _base_url(api: Api) -> str:
    """The spec's first absolute server URL, else a local server (plus a relative path)."""
    url = api.servers[0].url if api.servers else ""
    if url.startswith(("http://", "https://")):
        return url
    return "http://127.0.0.1:8000" + ("/" + url.lstrip("/") if url.strip("/") else "")


CLIENT_SUFFIX = "_client"
"""A client's package and distribution end so: installed beside its server, neither replaces the other."""


def _prepare(request: RenderRequest[RestIR], suffix: str = "") -> _Built:
    """The context both packs share; ``suffix`` ends the package name unless it ends so already."""
    api, types = request.ir.api, request.ir.types
    package = package_name(request.package or api.title)
    if request.package and request.package.isidentifier():
        package = py_identifier(request.package, "keep")
    package = device_safe(package)  # the rule every target follows (``con`` -> ``con_api``)
    prefix = package.upper()  # environment variables: the same for a server and its client
    if not package.endswith(suffix):
        package += suffix
    paths = {op.path for op in api.operations}
    headers = header_classes(api)
    context: dict[str, object] = {
        "api": api,
        "types": types,
        "package": package,
        "distribution": package.replace("_", "-"),
        "spec_label": request.spec_label,
        "target": request.target,
        "type_imports": _import_lines(api, types),
        "env_prefix": prefix,
        "env_vars": {s.py_name: f"{prefix}_{s.env_var}" for s in api.security_schemes},
        "spec_route": _SPEC_ROUTE,
        "docs_route": _DOCS_ROUTE,
        "serve_spec": _SPEC_ROUTE not in paths,
        "serve_docs": not paths & {_DOCS_ROUTE, _SPEC_ROUTE}
        and not any(p.startswith(_ASSETS_ROUTE + "/") or p == _ASSETS_ROUTE for p in paths),
        "serve_redoc": _REDOC_ROUTE not in paths,
        "redoc_route": _REDOC_ROUTE,
        "assets_route": _ASSETS_ROUTE,
        "open_gets": _open_gets(api),
        "default_base_url": _base_url(api),
        "error_classes": error_classes(api),
        "header_classes": headers,
        "header_imports": header_imports(headers),
        "headers_use_models": headers_use_models(headers),
        "etag_ops": conditional_ops(api)[0],
        "precondition_ops": conditional_ops(api)[1],
        "has_jwt": any(s.kind in _TOKEN_KINDS for s in api.security_schemes),
        "has_events": bool(api.events),
        "has_sse": any(
            op.success is not None and op.success.kind is ResponseKind.EVENT_STREAM
            for op in api.operations
        ),
        "param_locations": sorted(
            {p.location.value for op in api.operations for p in op.parameters}
        ),
        "path_location": ParamLocation.PATH.value,
    }
    return _Built(api=api, types=types, package=package, context=context)


def _pattern_deps(built: _Built) -> list[str]:
    """``regex``, which checks the patterns Rust's engine cannot take, when any type has one."""
    return [_REGEX_DEP] if built.types.uses_pattern else []


def _models_item(built: _Built, path: str) -> RenderItem:
    return RenderItem(
        template="_common/models.py.jinja",
        path=path,
        context={
            "types": built.types,
            "spec_label": built.context["spec_label"],
            "target": built.context["target"],
        },
    )


_SERVER_RUNTIME = (
    "__init__.py",
    "adapters.py",
    "bodies.py",
    "docs.py",
    "params.py",
    "problems.py",
    "replies.py",
    "routing.py",
    "serving.py",
)
"""The server's ``runtime`` package, one module per job (``templates/rest-server/runtime/``)."""


def plan_server(request: RenderRequest[RestIR]) -> WritePlan:
    """The rest-server project: FastAPI app, routers, models, handlers, security, tests."""
    built = _prepare(request)
    pkg, ctx, api = built.package, built.context, built.api
    deps = [*_SERVER_DEPS, *(["httpx>=0.27,<1"] if api.events else []), *_pattern_deps(built)]
    if ctx["has_jwt"]:
        deps = [*deps, *(d for d in _JWT_DEPS if d not in deps)]
    ctx = {**ctx, "dependencies": deps, "error_tables": error_tables(api)}
    items = [
        RenderItem(template="project/pyproject.toml.jinja", path="pyproject.toml", context=ctx),
        RenderItem(template="project/README.md.jinja", path="README.md", context=ctx),
        RenderItem(template="project/test_app.py.jinja", path="tests/test_app.py", context=ctx),
        RenderItem(template="__init__.py.jinja", path=f"{pkg}/__init__.py", context=ctx),
        RenderItem(template="__main__.py.jinja", path=f"{pkg}/__main__.py", context=ctx),
        RenderItem(template="app.py.jinja", path=f"{pkg}/app.py", context=ctx),
        RenderItem(template="auth.py.jinja", path=f"{pkg}/auth.py", context=ctx),
        *(
            RenderItem(template=f"runtime/{name}.jinja", path=f"{pkg}/runtime/{name}", context=ctx)
            for name in _SERVER_RUNTIME
        ),
        RenderItem(template="errors.py.jinja", path=f"{pkg}/errors.py", context=ctx),
        RenderItem(template="contracts.py.jinja", path=f"{pkg}/contracts.py", context=ctx),
        RenderItem(template="failures.py.jinja", path=f"{pkg}/failures.py", context=ctx),
        RenderItem(template="conditional.py.jinja", path=f"{pkg}/conditional.py", context=ctx),
        RenderItem(
            template="default_handlers.py.jinja", path=f"{pkg}/default_handlers.py", context=ctx
        ),
        RenderItem(
            template="handlers.py.jinja", path=f"{pkg}/handlers.py", owner=Owner.USER, context=ctx
        ),
        RenderItem(
            template="security.py.jinja", path=f"{pkg}/security.py", owner=Owner.USER, context=ctx
        ),
        RenderItem(
            template="routers/__init__.py.jinja", path=f"{pkg}/routers/__init__.py", context=ctx
        ),
        RenderItem(template="data/empty.jinja", path=f"{pkg}/py.typed", context=ctx),
        _models_item(built, f"{pkg}/models.py"),
    ]
    items += [
        RenderItem(
            template="routers/tag.py.jinja",
            path=f"{pkg}/routers/{tag.module}.py",
            context={**ctx, "tag": tag, "route_parameters": route_parameters},
        )
        for tag in api.tags
    ]
    if api.events:
        items.append(
            RenderItem(template="webhooks.py.jinja", path=f"{pkg}/webhooks.py", context=ctx)
        )
    if ctx["has_jwt"]:
        items.append(RenderItem(template="tokens.py.jinja", path=f"{pkg}/tokens.py", context=ctx))
    if ctx["header_classes"]:
        items.append(RenderItem(template="headers.py.jinja", path=f"{pkg}/headers.py", context=ctx))
    items += [
        RenderItem(
            template="data/text.jinja",
            path=f"{pkg}/examples.json",
            context={
                "text": json_text({op.name: _example_entry(op) for op in api.operations}, end="\n")
            },
        ),
        RenderItem(
            template="data/text.jinja",
            path=f"{pkg}/openapi.json",
            context={"text": document_text(request.ir.spec)},
        ),
    ]
    return render_plan(request.target, make_environment("rest-server", request.templates), items)


@dataclass(frozen=True, slots=True)
class ClientGroup:
    """One tag's operations on the client: ``client.<attribute>`` is a ``<sync_class>``."""

    tag: Tag
    attribute: str
    sync_class: str
    async_class: str


_CLIENT_MEMBERS = ("close", "aclose")
_CLIENT_GLOBALS = ("Client", "AsyncClient", "Credentials", "SCHEMES", "DEFAULT_BASE_URL")


def _client_groups(api: Api) -> list[ClientGroup]:
    """Attribute and class names per tag that clash with no operation, member or global."""
    attributes = NameAllocator(reserved=(*_CLIENT_MEMBERS, *(op.name for op in api.operations)))
    classes = NameAllocator(reserved=_CLIENT_GLOBALS)
    return [
        ClientGroup(
            tag=tag,
            attribute=attributes.allocate(tag.module),
            sync_class=classes.fresh(tag.class_name, "keep"),
            async_class=classes.fresh("Async" + tag.class_name, "keep"),
        )
        for tag in api.tags
    ]


def plan_client(request: RenderRequest[RestIR]) -> WritePlan:
    """The rest-client project: sync and async clients, models, auth, SSE, event receiver."""
    built = _prepare(request, CLIENT_SUFFIX)
    pkg, ctx, api = built.package, built.context, built.api
    deps = [*_CLIENT_DEPS, *_pattern_deps(built)]
    if api.events:
        deps += [_FASTAPI_DEP, "uvicorn>=0.29"]
    if ctx["header_classes"]:
        deps += ["hishel>=1,<3"]
    methods = client_methods(api, error_classes(api))
    ctx = {
        **ctx,
        "dependencies": deps,
        "groups": _client_groups(api),
        "client_methods": methods,
        "uses_params": any(m.styled for m in methods.values()),
    }
    items = [
        RenderItem(template="project/pyproject.toml.jinja", path="pyproject.toml", context=ctx),
        RenderItem(template="project/README.md.jinja", path="README.md", context=ctx),
        RenderItem(
            template="project/test_client.py.jinja", path="tests/test_client.py", context=ctx
        ),
        RenderItem(template="__init__.py.jinja", path=f"{pkg}/__init__.py", context=ctx),
        *(
            RenderItem(template=f"{module}.py.jinja", path=f"{pkg}/{module}.py", context=ctx)
            for module in ("runtime", "params", "auth", "errors", "client")
        ),
        RenderItem(template="data/empty.jinja", path=f"{pkg}/py.typed", context=ctx),
        _models_item(built, f"{pkg}/models.py"),
    ]
    if ctx["has_sse"]:
        items.append(RenderItem(template="events.py.jinja", path=f"{pkg}/events.py", context=ctx))
    if ctx["has_jwt"]:
        items.append(RenderItem(template="oauth.py.jinja", path=f"{pkg}/oauth.py", context=ctx))
    if ctx["header_classes"]:
        items.append(RenderItem(template="caching.py.jinja", path=f"{pkg}/caching.py", context=ctx))
    if api.events:
        items += [
            RenderItem(template="receiver.py.jinja", path=f"{pkg}/receiver.py", context=ctx),
            RenderItem(
                template="default_receivers.py.jinja",
                path=f"{pkg}/default_receivers.py",
                context=ctx,
            ),
            RenderItem(
                template="receivers.py.jinja",
                path=f"{pkg}/receivers.py",
                owner=Owner.USER,
                context=ctx,
            ),
        ]
    return render_plan(request.target, make_environment("rest-client", request.templates), items)
