"""Reading untyped JSON/YAML data: a mapping where one is expected, or ``{}``; a string, or ``""``.

A user's document may hold anything anywhere; the builders read it through
these and report what they skip, instead of type-checking each access.
"""

from __future__ import annotations

from typing import Any

__all__ = ["as_dict", "as_text"]


def as_dict(value: object) -> dict[str, Any]:
    """``value`` if it is a mapping, else ``{}``."""
    return value if isinstance(value, dict) else {}


def as_text(value: object) -> str:
    """``value`` if it is a string, else ``""``."""
    return value if isinstance(value, str) else ""
