"""Where a config lives: ``twinspec.yaml``/``.yml``, or ``[tool.twinspec]`` in a ``pyproject.toml``.

Finding the nearest one upward, and reading the TOML table with its errors
located (line and column from ``tomllib``'s message).
"""

from __future__ import annotations

import re
from pathlib import Path

from generator.errors import ConfigError
from generator.write.cache import CONFIG_NAMES

__all__ = ["TomlProblem", "display", "find_config", "pyproject_section"]


class TomlProblem(Exception):
    """A pyproject.toml that cannot be read or parsed: where and why."""

    def __init__(self, line: int, column: int, code: str, message: str) -> None:
        super().__init__(message)
        self.line, self.column, self.code, self.message = line, column, code, message


def display(path: Path) -> str:
    from generator.load import display_path

    return display_path(path)


def find_config(start: Path) -> Path | None:
    """The nearest config upward of ``start``: ``twinspec.yaml``/``.yml``, or a pyproject with [tool.twinspec]."""
    current = start.absolute()
    while True:
        for name in CONFIG_NAMES:
            if (current / name).is_file():
                return current / name
        pyproject = current / "pyproject.toml"
        if pyproject.is_file() and _names_twinspec(pyproject):
            return pyproject
        if current.parent == current:
            return None
        current = current.parent


def _names_twinspec(pyproject: Path) -> bool:
    """Is this pyproject.toml meant to configure twinspec, even if it does not parse?

    It is when its text names ``tool.twinspec`` (what ``check``'s fast path
    looks for too) or it parses with that table: a malformed table must be
    reported as a TOML error at its line, not as "no config".
    """
    try:
        raw = pyproject.read_bytes()
    except OSError:
        return False
    if b"tool.twinspec" in raw:
        return True
    try:
        return pyproject_section(pyproject) is not None
    except ConfigError:
        return False


def pyproject_section(path: Path) -> object | None:
    """The ``[tool.twinspec]`` table; ``None`` when absent. Raises ``TomlProblem`` when unreadable."""
    try:
        import tomllib
    except ModuleNotFoundError:  # pragma: no cover - Python 3.10
        raise ConfigError(
            f"{display(path)}: [tool.twinspec] needs Python 3.11+; use twinspec.yaml"
        ) from None
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise TomlProblem(0, 0, "unreadable", f"cannot read file: {exc.strerror}") from None
    except UnicodeDecodeError as exc:
        raise TomlProblem(0, 0, "not-utf8", f"file is not UTF-8 text (byte {exc.start})") from None
    except tomllib.TOMLDecodeError as exc:
        message = str(exc)
        where = _TOML_POSITION.search(message)
        line, column = (int(where["line"]), int(where["column"])) if where else (0, 0)
        if where is None and message.endswith("(at end of document)"):
            line = path.read_text(encoding="utf-8").count("\n") + 1
            column = 1
        plain = _TOML_POSITION.sub("", message).removesuffix(" (at end of document)")
        raise TomlProblem(line, column, "toml-syntax", plain.strip()) from None
    tool = data.get("tool")
    return tool.get("twinspec") if isinstance(tool, dict) else None


_TOML_POSITION = re.compile(r" ?\(at line (?P<line>\d+), column (?P<column>\d+)\)")
