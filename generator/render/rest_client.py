"""The rest-client's per-operation pieces, worked out once for ``Client`` and ``AsyncClient``.

``client.py`` holds every operation twice (a sync and an async method) with
the same signature, docstring and request arguments. Composing those in Jinja
cost most of the pack's render time on large specs (kubernetes: 833 operations,
tens of thousands of parameters), so they are built here once per operation as
finished text and ``_client_methods.jinja`` only prints them.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from generator.ir.http import Api, Operation, Parameter, Response
from generator.render.filters import docstring, pystr

__all__ = ["ClientMethod", "client_methods"]

_DECODED = ("json", "text", "binary")
_REQUEST_PARTS = (
    ("path", "path_params"),
    ("query", "query"),
    ("header", "headers"),
    ("cookie", "cookies"),
)


@dataclass(frozen=True, slots=True)
class ClientMethod:
    """One operation's method as both clients print it (``returns`` differs only for streams)."""

    kind: str
    """The success's ``ResponseKind`` value, or ``empty`` without one."""
    returns: str
    returns_async: str
    arguments: tuple[str, ...]
    """Keyword-only parameters: required ones first, then optional ones defaulting to None."""
    docstring: str
    """The finished ``\"\"\"...\"\"\"`` literal, continuation lines indented for a method body."""
    constant: str
    """The module-level ``runtime.Endpoint`` name (``_<OP>``)."""
    request: tuple[tuple[str, str], ...]
    """``(keyword, Python expression)`` per argument of ``_send``/``_stream`` after the endpoint."""
    styled: tuple[Parameter, ...]
    """The parameters whose style ``params`` must apply (not ``native``), for ``_<OP>``."""
    json_errors: tuple[Response, ...]
    """The errors with a JSON body, which ``_<OP>`` decodes."""
    keyword_lines: str
    """``*,`` and one line per argument, indented for the signature ("" without arguments)."""
    request_lines: str
    """One ``keyword=value,`` line per ``request`` item, indented for the call."""

    @property
    def decoded(self) -> bool:
        """Whether the method reads the response body (``response = ...``)."""
        return self.kind in _DECODED and self.returns != "None"


def client_methods(api: Api, error_classes: Iterable[tuple[str, int]]) -> dict[str, ClientMethod]:
    """Each operation's ``ClientMethod`` by operation name."""
    named = {"4XX": "ClientError", "5XX": "ServerError"}
    named.update({str(code): name for name, code in error_classes})
    return {op.name: _method(op, named) for op in api.operations}


def _method(op: Operation, named: dict[str, str]) -> ClientMethod:
    s = op.success
    kind = s.kind.value if s is not None else "empty"
    if s is not None and kind == "event_stream":
        returns = f"events.EventStream[{s.annotation}]"
        returns_async = f"events.AsyncEventStream[{s.annotation}]"
    else:
        returns = returns_async = s.annotation if s is not None and kind in _DECODED else "None"
    arguments = _arguments(op)
    request = _request(op)
    return ClientMethod(
        kind=kind,
        returns=returns,
        returns_async=returns_async,
        arguments=arguments,
        docstring=docstring("\n".join(_doc_lines(op, named, returns != "None")), 8),
        constant="_" + op.name.upper(),
        request=request,
        styled=tuple(p for p in op.parameters if not p.native),
        json_errors=tuple(e for e in op.errors if e.kind.value == "json"),
        keyword_lines="\n".join(["        *,", *(f"        {a}," for a in arguments)])
        if arguments
        else "",
        request_lines="\n".join(f"            {k}={v}," for k, v in request),
    )


def _arguments(op: Operation) -> tuple[str, ...]:
    body = op.body
    return (
        *(f"{p.py_name}: {p.annotation}" for p in op.parameters if p.required),
        *([f"body: {body.annotation}"] if body is not None and body.required else []),
        *(
            f"{p.py_name}: {p.type.optional_annotation} = None"
            for p in op.parameters
            if not p.required
        ),
        *(
            [f"body: {body.type.optional_annotation} = None"]
            if body is not None and not body.required
            else []
        ),
    )


def _doc_lines(op: Operation, named: dict[str, str], returns: bool) -> list[str]:
    """Summary, description, ``Args:``, ``Returns:`` and ``Raises:`` (Google style)."""
    summary = op.summary.strip()
    description = op.description.strip()
    lines = [summary or f"{op.method.upper()} {op.path}"]
    if description not in ("", summary):
        lines.append("\n" + description)
    if op.deprecated:
        lines.append("\nDeprecated.")
    if op.parameters or op.body is not None:
        lines.append("\nArgs:")
        for p in op.parameters:
            said = (
                " ".join(p.description.split())
                or f"The ``{p.wire_name}`` {p.location.value} parameter."
            )
            lines.append(f"    {p.py_name}: {said}" + (" Deprecated." if p.deprecated else ""))
        if op.body is not None:
            lines.append(f"    body: The request body, sent as {op.body.media_type}.")
    s = op.success
    if s is not None and returns:
        said = " ".join(s.description.split())
        lines.append("\nReturns:")
        lines.append(
            f"    The {s.status} response"
            + (f": {said}" if said else "")
            + ("" if said.endswith(".") else ".")
            + (" One item per server-sent event." if s.kind.value == "event_stream" else "")
        )
    lines.append("\nRaises:")
    for e in op.errors:
        if e.status in named:
            said = " ".join(e.description.split()).rstrip(".") or f"HTTP {e.status}"
            body = f" (``body``: ``{e.annotation}``)" if e.kind.value == "json" else ""
            lines.append(f"    errors.{named[e.status]}: {said}{body}.")
    fallback = [e for e in op.errors if e.status == "default" and e.kind.value == "json"]
    other = "other " if any(e.status in named for e in op.errors) else ""
    body = f" (``body``: ``{fallback[0].annotation}``)" if fallback else ""
    lines.append(f"    errors.ApiError: Any {other}status outside 2xx{body}.")
    return lines


def _request(op: Operation) -> tuple[tuple[str, str], ...]:
    parts = [("method", pystr(op.method.upper())), ("path", pystr(op.path))]
    by_location: dict[str, list[str]] = {}  # one pass over the parameters, order kept
    for p in op.parameters:
        by_location.setdefault(p.location.value, []).append(f"{pystr(p.wire_name)}: {p.py_name}")
    for location, keyword in _REQUEST_PARTS:
        pairs = by_location.get(location)
        if pairs:
            parts.append((keyword, "{" + ", ".join(pairs) + "}"))
    if op.body is not None:
        parts.append(("body", "body"))
    if op.success is not None and op.success.media_type:
        parts.append(("accept", pystr(op.success.media_type)))
    return tuple(parts)
