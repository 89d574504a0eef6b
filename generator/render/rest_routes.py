"""The rest-server route's parameter declarations, worked out in Python for ``routers/tag.py``.

Each route function declares every parameter of its operation: one
``Annotated[..., Query(...)]`` line for those FastAPI reads itself, a
``runtime.Param`` block for the rest. Composing those in Jinja (an argument
list built with ``set``/``append`` per parameter) cost most of the routers'
render time on large specs (kubernetes: 2,000+ parameters), so each
parameter's finished text is made here and the template prints it.
"""

from __future__ import annotations

from generator.ir.http import Operation, Parameter, ParamLocation
from generator.render.filters import pyrepr, pystr

__all__ = ["route_parameters"]


def route_parameters(op: Operation) -> list[str]:
    """The route function's parameters, each a finished block without its final newline:
    those ``runtime.Param`` reads first, then those FastAPI reads (``native``), in order."""
    native = [p.native for p in op.parameters]
    return [
        *(_param_block(op, p) for p, own in zip(op.parameters, native, strict=True) if not own),
        *(_native_line(p) for p, own in zip(op.parameters, native, strict=True) if own),
    ]


def _param_block(op: Operation, p: Parameter) -> str:
    location = p.location.value
    lines = [
        f"    {p.py_name}: Annotated[",
        f"        {p.annotation if p.required else p.type.optional_annotation},",
        "        Depends(",
        "            runtime.Param(",
        f"                location={pystr(location)},",
        f"                name={pystr(p.wire_name)},",
        f"                tp=runtime.Lazy({p.annotation}),",
        f"                style={pystr(p.style.value)},",
        f"                explode={p.explode},",
        f"                shape={pystr(p.shape.value)},",
        f"                required={p.required},",
    ]
    if location == "path":
        lines.append(f"                key={pystr(p.py_name)},")
    if p.default is not None:
        lines.append(f"                default={pyrepr(p.default)},")
    if location == "query" and p.shape.value == "object" and p.explode:
        others = [q.wire_name for q in op.parameters if q.location is ParamLocation.QUERY]
        lines.append(f"                others={pyrepr(others)},")
    lines += ["            )", "        ),", "    ],"]
    return "\n".join(lines)


def _native_line(p: Parameter) -> str:
    location = p.location.value
    args: list[str] = []
    if p.wire_name != p.py_name and location != "path":
        args.append("alias=" + pystr(p.wire_name))
    if location == "header" and "_" in p.wire_name:
        args.append("convert_underscores=False")
    args += [a.name + "=" + a.python for a in p.constraints]
    if p.description:
        args.append("description=" + pystr(p.description))
    if p.deprecated:
        args.append("deprecated=True")
    default = "" if p.required else " = " + pyrepr(p.default)
    return (
        f"    {p.py_name}: Annotated[{p.native_annotation}, "
        f"{location.capitalize()}({', '.join(args)})]{default},"
    )
