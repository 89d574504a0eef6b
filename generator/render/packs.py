"""Where template packs live: inside the wheel, or at the repo root in a checkout."""

from __future__ import annotations

from pathlib import Path

__all__ = ["templates_root"]


def templates_root() -> Path:
    """``generator/_templates`` in an installed wheel, else the repository's ``templates/``."""
    here = Path(__file__).resolve().parent.parent
    packaged = here / "_templates"
    if packaged.is_dir():
        return packaged
    return here.parent / "templates"
