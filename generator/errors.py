"""Program errors: the few conditions that are not a user's spec problem.

Spec problems are ``Diagnostic`` values, never exceptions. This tree is for
the rest, and the CLI (``generator.cli``) maps each to an exit code::

    TwinspecError
    ├── ConfigError        twinspec.yaml / [tool.twinspec] is unusable (exit 2)
    ├── OutputPathError    a planned file would land outside the output folder
    ├── PackError          a template pack or override is broken (file + line)
    └── UsageError         wrong CLI input: missing file, not an API document (exit 2)
"""

from __future__ import annotations

__all__ = ["ConfigError", "OutputPathError", "PackError", "TwinspecError", "UsageError"]


class TwinspecError(Exception):
    """Base of every error twinspec raises on purpose."""

    exit_code: int = 1


class ConfigError(TwinspecError):
    """The project configuration cannot be used."""

    exit_code = 2


class OutputPathError(TwinspecError):
    """A file would be written outside its output folder."""


class PackError(TwinspecError):
    """A template pack or a user override is broken."""

    def __init__(self, message: str, *, template: str = "", line: int = 0) -> None:
        """Keep the template file and line for the message."""
        where = f"{template}:{line}: " if template else ""
        super().__init__(f"{where}{message}")
        self.template = template
        self.line = line


class UsageError(TwinspecError):
    """The command line asked for something impossible."""

    exit_code = 2
