"""Regeneration is safe: the user's handlers survive, new operations get a working default."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import yaml
from rest_support import SPECS, generate

USER_HANDLERS = '''"""My handlers."""

from fastapi.responses import Response

from . import models
from .default_handlers import DefaultHandlers


class Handlers(DefaultHandlers):
    async def show_pet_by_id(self, *, pet_id: int) -> Response | models.Pet:
        return models.Pet(id=pet_id, name="mine")
'''

PROBE = """
import json, sys
from fastapi.testclient import TestClient
from regen_pets import create_app
client = TestClient(create_app())
print(json.dumps({p: [client.get(p).status_code, client.get(p).json()] for p in sys.argv[1:]}))
"""


def _probe(project: Path, *paths: str) -> dict[str, list[object]]:
    out = subprocess.run(
        [sys.executable, "-c", PROBE, *paths],
        cwd=project,
        capture_output=True,
        text=True,
        check=True,
        env={"PYTHONPATH": str(project), "PATH": "/usr/bin:/bin"},
    )
    return yaml.safe_load(out.stdout)  # JSON is YAML


def test_user_handler_survives_and_new_operation_gets_default(tmp_path: Path) -> None:
    project = tmp_path / "server"
    spec = tmp_path / "petstore.yaml"
    spec.write_text((SPECS / "petstore.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    generate(spec, "rest-server", project, package="regen_pets")
    handlers = project / "regen_pets" / "handlers.py"
    handlers.write_text(USER_HANDLERS, encoding="utf-8")

    data = yaml.safe_load(spec.read_text(encoding="utf-8"))
    data["paths"]["/ping"] = {
        "get": {
            "operationId": "ping",
            "responses": {
                "200": {
                    "description": "pong",
                    "content": {
                        "application/json": {
                            "schema": {"type": "object"},
                            "example": {"pong": True},
                        }
                    },
                }
            },
        }
    }
    spec.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    generate(spec, "rest-server", project, package="regen_pets")

    assert handlers.read_text(encoding="utf-8") == USER_HANDLERS
    assert "async def ping(" in (project / "regen_pets" / "default_handlers.py").read_text(
        encoding="utf-8"
    )
    answers = _probe(project, "/pets/7", "/ping")
    assert answers["/pets/7"] == [200, {"id": 7, "name": "mine"}]
    assert answers["/ping"] == [200, {"pong": True}]
