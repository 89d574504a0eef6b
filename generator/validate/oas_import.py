"""Import ``openapi_schema_validator`` without pydantic-settings (0.1-0.2 s a process).

openapi-schema-validator 0.9 reads one setting, the size of the validator
cache its ``validate()`` shortcut keeps, through a pydantic-settings model;
importing pydantic-settings costs more than the rest of the package. twinspec
never calls that shortcut (it builds validator classes itself), and a big spec
imports the package twice: in the run and in validation's forked child. So
the ``settings`` module is stood in by one that reads the same environment
variable the same way. When a release of the package needs more from the
module than this gives, the stand-in is dropped and the package imported as is.
"""

from __future__ import annotations

import functools
import os
import sys
import types
from dataclasses import dataclass

__all__ = ["oas_package"]

_PACKAGE = "openapi_schema_validator"
_SETTINGS = f"{_PACKAGE}.settings"


@dataclass(frozen=True)
class _Settings:
    compiled_validator_cache_max_size: int = 128


@functools.lru_cache(maxsize=1)
def _get_settings() -> _Settings:
    raw = os.environ.get("OPENAPI_SCHEMA_VALIDATOR_COMPILED_VALIDATOR_CACHE_MAX_SIZE", "")
    try:
        size = int(raw)
    except ValueError:
        size = 128
    return _Settings(size if size >= 0 else 128)


def _reset_settings_cache() -> None:
    _get_settings.cache_clear()


def oas_package() -> types.ModuleType:
    """The ``openapi_schema_validator`` package, imported once with the light ``settings``."""
    loaded = sys.modules.get(_PACKAGE)
    if loaded is not None:
        return loaded
    stand_in = types.ModuleType(_SETTINGS, _get_settings.__doc__)
    stand_in.get_settings = _get_settings  # type: ignore[attr-defined]
    stand_in.reset_settings_cache = _reset_settings_cache  # type: ignore[attr-defined]
    stand_in.OpenAPISchemaValidatorSettings = _Settings  # type: ignore[attr-defined]
    sys.modules.setdefault(_SETTINGS, stand_in)
    try:
        import openapi_schema_validator as package
    except ImportError:  # a release that wants more from its settings: the real module
        for name in [n for n in sys.modules if n == _PACKAGE or n.startswith(_PACKAGE + ".")]:
            del sys.modules[name]
        import openapi_schema_validator as package
    return package
