"""Fresh names for the HTTP builder.

``NameAllocator`` gives the same name to the same raw string, which is right
for schemas but wrong for operations and parameters: two parameters called
``id`` (one in the path, one in the query) or two copies of a duplicated
operationId must still get two Python names. ``fresh`` always hands out a new
one, in call order, so the result stays deterministic.
"""

from __future__ import annotations

from generator.naming import BUILTIN_NAMES, NameAllocator, py_identifier

__all__ = ["WINDOWS_DEVICE_NAMES", "fresh"]

WINDOWS_DEVICE_NAMES: tuple[str, ...] = (
    "con",
    "prn",
    "aux",
    "nul",
    *(f"com{i}" for i in range(10)),
    *(f"lpt{i}" for i in range(10)),
)
"""File stems Windows treats as devices: ``con.py`` cannot be written or checked out there."""


def fresh(names: NameAllocator, raw: str) -> str:
    """A name for ``raw`` that no earlier call took, even when two raws sanitise alike."""
    base = py_identifier(raw)
    name = base
    if name in names and name in BUILTIN_NAMES:
        name = base + "_"  # ``id`` -> ``id_``, as PEP 8 suggests
    counter = 2
    while name in names:
        name = f"{base}_{counter}"
        counter += 1
    names.reserve(name)
    return name
