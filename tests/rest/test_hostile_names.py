"""A legal but hostile spec: its text can never become code in either REST target.

Every string a template prints (title, tags, operationIds, parameter, header
and cookie names, security scheme names and key names, summaries, server URLs,
examples) tries to break out of its literal, docstring or comment. The output
must pass ruff, import, answer requests, and never run the canary.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import yaml
from rest_support import generate

from generator.render.format import ruff_binary

CANARY = "__import__('os')._exit(37)"
BREAKOUTS = [
    f'"""\n{CANARY}\n"""',
    f"'; {CANARY}; '",
    f'"); {CANARY} #',
    f"\\\n{CANARY}",
    f"# coding: rot13\n{CANARY}",
    f"{{{{ {CANARY} }}}}",
]


SCHEME = "__class__.import-1"  # component names are restricted to [a-zA-Z0-9._-]


def _spec() -> dict[str, object]:
    evil = BREAKOUTS
    return {
        "openapi": "3.1.0",
        "info": {"title": evil[0], "version": evil[1], "description": evil[2]},
        "servers": [{"url": "http://127.0.0.1:1/" + evil[1]}],
        "tags": [{"name": "../" + evil[3], "description": evil[4]}],
        "paths": {
            "/things/{id}": {
                "get": {
                    "operationId": evil[0],
                    "summary": evil[5],
                    "description": evil[1],
                    "tags": ["../" + evil[3]],
                    "security": [{SCHEME: []}],
                    "parameters": [
                        {
                            "name": "id",
                            "in": "path",
                            "required": True,
                            "schema": {"type": "string"},
                        },
                        {
                            "name": evil[1],
                            "in": "query",
                            "description": evil[0],
                            "schema": {"type": "string"},
                        },
                        {
                            "name": "X-" + evil[5].replace("\n", " "),
                            "in": "header",
                            "schema": {"type": "string"},
                        },
                    ],
                    "responses": {
                        "200": {
                            "description": evil[4],
                            "content": {
                                "application/json": {
                                    "schema": {"type": "object"},
                                    "example": {evil[0]: evil[1]},
                                }
                            },
                        }
                    },
                }
            },
            "/open": {
                "post": {
                    "operationId": "class",
                    "requestBody": {
                        "content": {
                            "application/json": {"schema": {"type": "string", "enum": [evil[0]]}}
                        }
                    },
                    "responses": {"201": {"description": evil[2]}},
                }
            },
        },
        "webhooks": {
            evil[3]: {
                "post": {
                    "summary": evil[0],
                    "requestBody": {
                        "content": {"application/json": {"schema": {"type": "object"}}}
                    },
                }
            }
        },
        "components": {
            "securitySchemes": {
                SCHEME: {"type": "apiKey", "in": "header", "name": "X-" + evil[1].strip()}
            }
        },
    }


PROBE = """
from fastapi.testclient import TestClient
from hostile_server import create_app
from hostile_server.runtime import BASE_PATH  # the server URL's path, percent-encoded
import hostile_client, hostile_client.receiver
client = TestClient(create_app())
assert client.get(BASE_PATH + "/things/1").status_code == 401
assert client.post(BASE_PATH + "/open", json=__import__("json").loads(__import__("sys").argv[1])).status_code == 201
print("served")
"""


def test_hostile_text_stays_data(tmp_path: Path) -> None:
    spec = tmp_path / "hostile.yaml"
    spec.write_text(yaml.safe_dump(_spec(), sort_keys=False), encoding="utf-8")
    server = generate(spec, "rest-server", tmp_path / "server", package="hostile_server")
    client = generate(spec, "rest-client", tmp_path / "client", package="hostile_client")
    for project in (server, client):
        assert all(p.resolve().is_relative_to(project) for p in project.rglob("*"))
        lint = subprocess.run(
            [ruff_binary(), "check", "--no-cache", "."],
            cwd=project,
            capture_output=True,
            text=True,
            check=False,
        )
        assert lint.returncode == 0, lint.stdout
    import json

    done = subprocess.run(
        [sys.executable, "-c", PROBE, json.dumps(BREAKOUTS[0])],
        cwd=tmp_path,
        env={"PYTHONPATH": f"{server}:{client}", "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]  # 37 would mean the canary ran
    assert done.stdout.strip() == "served"
