"""openapi-schema-validator is imported without pydantic-settings, and still checks as before."""

from __future__ import annotations

import subprocess
import sys

_CHECK = """
import sys
from generator.validate.oas_import import oas_package

oas = oas_package()
errors = [e.message for e in oas.OAS30Validator({"type": "integer", "format": "int32"},
          format_checker=oas.oas30_format_checker).iter_errors(2**40)]
print("pydantic_settings" in sys.modules, sys.modules["openapi_schema_validator.settings"].get_settings().compiled_validator_cache_max_size)
print(errors)
"""


def _run(env_size: str | None = None) -> list[str]:
    env = None
    if env_size is not None:
        import os

        env = {**os.environ, "OPENAPI_SCHEMA_VALIDATOR_COMPILED_VALIDATOR_CACHE_MAX_SIZE": env_size}
    done = subprocess.run(
        [sys.executable, "-c", _CHECK], capture_output=True, text=True, check=True, env=env
    )
    return done.stdout.splitlines()


def test_imported_without_pydantic_settings_and_validates() -> None:
    settled, errors = _run()
    assert settled == "False 128"
    assert "int32" in errors


def test_cache_size_read_from_the_same_environment_variable() -> None:
    assert _run("7")[0] == "False 7"
