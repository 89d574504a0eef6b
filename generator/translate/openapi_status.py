"""Response status keys (``200``, ``4XX``, ``default``): read one way by responses and error contracts."""

from __future__ import annotations

__all__ = ["status_code", "status_key"]


def status_key(status: str) -> tuple[str, int] | None:
    """``("code", 404)``, ``("class", 4)`` for ``4XX``, ``("default", 0)``; None for no HTTP status."""
    if status == "default":
        return ("default", 0)
    text = status.upper()
    if len(text) == 3 and text[0] in "12345" and text[1:] == "XX":
        return ("class", int(text[0]))
    if text.isdigit() and 100 <= int(text) <= 599:
        return ("code", int(text))
    return None


def status_code(status: str) -> int | None:
    """The code a response stands for: ``4XX`` is 400 and ``default`` 500; None for no HTTP status."""
    key = status_key(status)
    if key is None:
        return None
    kind, number = key
    return 500 if kind == "default" else number * 100 if kind == "class" else number
