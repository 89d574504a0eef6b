"""The target registry: every template pack twinspec can render, and its entry point.

Entries are dotted paths imported on use, so ``twinspec --version`` and
``twinspec validate`` never pay for Jinja or the builders.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from generator.diagnostics import Diagnostic
    from generator.load import Document
    from generator.render.plan import WritePlan

__all__ = [
    "TARGETS",
    "GenerateRequest",
    "OptionInfo",
    "TargetInfo",
    "get_target",
    "plan_document",
    "target_for",
]


@dataclass(frozen=True, slots=True)
class OptionInfo:
    """One per-target option a job may set under ``options:``."""

    name: str
    default: object
    help: str


@dataclass(frozen=True, slots=True)
class GenerateRequest:
    """Everything a target needs to plan its files.

    ``spec_label`` is the spec path as shown in generated headers: relative to
    the config root (or just the file name), never absolute, so output does not
    depend on where twinspec runs.
    """

    doc: Document
    target: str
    spec_label: str
    package: str | None = None
    options: Mapping[str, object] = field(default_factory=dict)
    templates: Path | None = None
    companion: Document | None = None  # the second document of a pair target (service)
    companion_label: str = ""


PlanFunction = Callable[[GenerateRequest], "tuple[WritePlan, list[Diagnostic]]"]


@dataclass(frozen=True, slots=True)
class TargetInfo:
    """A target: its name, the spec family it reads, what it makes, and its entry."""

    name: str
    family: str  # "openapi" | "asyncapi" | "pair" (one of each: ``GenerateRequest.companion``)
    summary: str
    entry: str  # "module:function"
    options: tuple[OptionInfo, ...] = ()

    def load(self) -> PlanFunction:
        """Import the target's plan function."""
        module, _, func = self.entry.partition(":")
        plan: PlanFunction = getattr(importlib.import_module(module), func)
        return plan


TARGETS: dict[str, TargetInfo] = {
    t.name: t
    for t in (
        TargetInfo(
            name="rest-server",
            family="openapi",
            summary="FastAPI application: routes, pydantic v2 models, security, user-owned handlers",
            entry="generator.render.rest:plan_server",
        ),
        TargetInfo(
            name="rest-client",
            family="openapi",
            summary="typed sync and async httpx client: models, auth, retries, SSE, webhooks receiver",
            entry="generator.render.rest:plan_client",
        ),
        TargetInfo(
            name="stream-server",
            family="asyncapi",
            summary="the application an AsyncAPI document describes: WebSocket/SSE endpoints, FastStream brokers",
            entry="generator.render.stream:plan_server",
        ),
        TargetInfo(
            name="stream-client",
            family="asyncapi",
            summary="its counterpart: sends what the application receives, receives what it sends",
            entry="generator.render.stream:plan_client",
        ),
        TargetInfo(
            name="service",
            family="pair",
            summary="one app from an OpenAPI + AsyncAPI pair: REST routes that emit typed events over WebSocket/SSE/brokers",
            entry="generator.render.service:plan_server",
        ),
        TargetInfo(
            name="service-client",
            family="pair",
            summary="client.rest + client.events of a service, over shared models",
            entry="generator.render.service:plan_client",
        ),
    )
}


def get_target(name: str) -> TargetInfo | None:
    """The target called ``name``, if there is one."""
    return TARGETS.get(name)


def target_for(doc: Document | None, target: str, spec: Path) -> TargetInfo:
    """``target``'s registry entry, if it can plan ``doc``; ``UsageError`` says why not.

    ``doc=None`` checks only that the target exists (before a spec is loaded).
    """
    from generator.errors import UsageError

    info = get_target(target)
    if info is None:
        raise UsageError(f"unknown target {target!r} (choose from {', '.join(sorted(TARGETS))})")
    if doc is None:
        return info
    if doc.kind is None:
        raise UsageError(f"{spec}: not an OpenAPI or AsyncAPI document")
    if info.family == "pair":
        if doc.kind.family not in ("openapi", "asyncapi"):
            raise UsageError(f"target {target} needs an OpenAPI and an AsyncAPI document")
        return info
    if doc.kind.family != info.family:
        raise UsageError(f"target {target} needs an {info.family} document; {spec} is {doc.kind}")
    return info


def plan_document(
    doc: Document,
    target: str,
    *,
    spec: Path,
    spec_label: str,
    package: str | None = None,
    options: Mapping[str, object] | None = None,
    templates: Path | None = None,
    companion: Document | None = None,
    companion_label: str = "",
) -> tuple[WritePlan, list[Diagnostic]]:
    """Plan ``target``'s files from ``doc``, already loaded and accepted (validation is the caller's).

    Lets a caller that validated the spec once plan several targets from the
    same document instead of loading it again per target. Raises ``UsageError``
    for an unknown target or a document of the other family.
    """
    from generator.errors import UsageError

    info = target_for(doc, target, spec)
    if (companion is not None) != (info.family == "pair"):
        raise UsageError(
            f"target {target} needs one OpenAPI and one AsyncAPI document"
            if companion is None
            else f"target {target} takes one spec; only service and service-client take a pair"
        )
    request = GenerateRequest(
        doc=doc,
        target=target,
        spec_label=spec_label,
        package=package,
        options=dict(options or {}),
        templates=templates,
        companion=companion,
        companion_label=companion_label,
    )
    return info.load()(request)
