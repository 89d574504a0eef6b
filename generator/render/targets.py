"""The target registry: every template pack twinspec can render, and its entry points.

A target names two functions by dotted path, imported on use (so
``twinspec --version`` and ``twinspec validate`` never pay for Jinja or the
translators): its ``translator``, ``(Document, package) -> (IR, Diagnostics)``
in ``generator.translate``, and its ``entry``, ``RenderRequest -> WritePlan``
here in render. The driver (``generator.drive.target``) calls one, then the other.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Generic, TypeVar

if TYPE_CHECKING:
    from generator.render.plan import WritePlan

__all__ = ["TARGETS", "OptionInfo", "RenderRequest", "TargetInfo", "get_target"]

IR = TypeVar("IR")


@dataclass(frozen=True, slots=True)
class OptionInfo:
    """One per-target option a job may set under ``options:``."""

    name: str
    default: object
    help: str


@dataclass(frozen=True, slots=True)
class RenderRequest(Generic[IR]):
    """Everything a target needs to plan its files: the finished IR and the job's choices.

    ``spec_label`` is the spec path as shown in generated headers: relative to
    the config root (or just the file name), never absolute, so output does not
    depend on where twinspec runs.
    """

    ir: IR
    target: str
    spec_label: str
    package: str | None = None
    options: Mapping[str, object] = field(default_factory=dict)
    templates: Path | None = None
    companion_label: str = ""  # the second spec of a pair target (service), as shown


PlanFunction = Callable[[RenderRequest[Any]], "WritePlan"]
"""A target's entry: the finished IR (and the job's choices) -> the files to write."""

TranslateFunction = Callable[..., "tuple[Any, list[Any]]"]
"""A target's translator: ``(Document, package) -> (IR, list[Diagnostic])``; a pair
target's takes the second document too: ``(Document, package, Document)``."""


def _import(entry: str) -> Any:
    module, _, func = entry.partition(":")
    return getattr(importlib.import_module(module), func)


@dataclass(frozen=True, slots=True)
class TargetInfo:
    """A target: its name, the spec family it reads, what it makes, and its two entries."""

    name: str
    family: str  # "openapi" | "asyncapi" | "pair" (one of each, in either order)
    summary: str
    entry: str  # "module:function", a PlanFunction
    translator: str  # "module:function", a TranslateFunction
    options: tuple[OptionInfo, ...] = ()
    writes_spec: bool = False
    """It writes the spec's data as JSON (``json_text.document_text``), so the driver may
    have that text written ahead, beside validation."""

    def load(self) -> PlanFunction:
        """Import the target's plan function."""
        plan: PlanFunction = _import(self.entry)
        return plan

    def load_translator(self) -> TranslateFunction:
        """Import the target's translator."""
        translate: TranslateFunction = _import(self.translator)
        return translate


TARGETS: dict[str, TargetInfo] = {
    t.name: t
    for t in (
        TargetInfo(
            name="rest-server",
            family="openapi",
            summary="FastAPI application: routes, pydantic v2 models, security, user-owned handlers",
            entry="generator.render.rest:plan_server",
            translator="generator.translate.rest_ir:translate_rest",
            writes_spec=True,
        ),
        TargetInfo(
            name="rest-client",
            family="openapi",
            summary="typed sync and async httpx client: models, auth, retries, SSE, webhooks receiver",
            entry="generator.render.rest:plan_client",
            translator="generator.translate.rest_ir:translate_rest",
        ),
        TargetInfo(
            name="stream-server",
            family="asyncapi",
            summary="the application an AsyncAPI document describes: WebSocket/SSE endpoints, FastStream brokers",
            entry="generator.render.stream:plan_server",
            translator="generator.translate.stream_ir:translate_server",
        ),
        TargetInfo(
            name="stream-client",
            family="asyncapi",
            summary="its counterpart: sends what the application receives, receives what it sends",
            entry="generator.render.stream:plan_client",
            translator="generator.translate.stream_ir:translate_client",
        ),
        TargetInfo(
            name="service",
            family="pair",
            summary="one app from an OpenAPI + AsyncAPI pair: REST routes emitting typed events over WebSocket/SSE/brokers",
            entry="generator.render.service:plan_server",
            translator="generator.translate.service_ir:translate_server",
        ),
        TargetInfo(
            name="service-client",
            family="pair",
            summary="client.rest + client.events of a service, over shared models",
            entry="generator.render.service:plan_client",
            translator="generator.translate.service_ir:translate_client",
        ),
    )
}


def get_target(name: str) -> TargetInfo | None:
    """The target called ``name``, if there is one."""
    return TARGETS.get(name)
