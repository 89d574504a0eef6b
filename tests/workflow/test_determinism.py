"""Output is byte-identical across runs, PYTHONHASHSEED values and working directories."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from .conftest import snapshot

HERE = Path(__file__).resolve().parent

SPEC = """\
openapi: 3.1.0
info: {title: Zoo, version: 1.0.0}
paths:
  /animals/{animal_id}:
    get:
      operationId: getAnimal
      tags: [animals, zoo]
      parameters:
        - {name: animal_id, in: path, required: true, schema: {type: integer}}
        - {name: fields, in: query, schema: {type: array, items: {type: string}}}
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Animal"}
  /keepers:
    post:
      operationId: addKeeper
      tags: [zoo]
      requestBody:
        content:
          application/json:
            schema:
              type: object
              properties: {zeta: {type: string}, alpha: {type: integer}, mid: {type: boolean}}
      responses: {"201": {description: created}}
components:
  schemas:
    Animal:
      type: object
      required: [id]
      properties:
        id: {type: integer}
        kind: {type: string, enum: [zebra, lion, ant, yak]}
        tags: {type: object, additionalProperties: {type: string}}
"""

STREAM_SPEC = """\
asyncapi: 3.0.0
info: {title: Chat, version: 1.0.0}
servers:
  ws: {host: localhost:8080, protocol: ws}
channels:
  room:
    address: /rooms/{room_id}
    parameters: {room_id: {}}
    messages:
      said:
        payload:
          type: object
          properties: {text: {type: string}, zeta: {type: integer}, alpha: {type: boolean}}
      left: {payload: {type: object, properties: {who: {type: string}}}}
operations:
  hear: {action: receive, channel: {$ref: '#/channels/room'}}
  speak: {action: send, channel: {$ref: '#/channels/room'}}
"""

CONFIG = """\
jobs:
  - spec: specs/zoo.yaml
    targets: [rest-server, rest-client, fake]
    output: generated/zoo
  - spec: specs/chat.yaml
    targets: [stream-server, stream-client]
    output: generated/chat
"""


def _project(root: Path) -> Path:
    (root / "specs").mkdir(parents=True)
    (root / "specs/zoo.yaml").write_text(SPEC, encoding="utf-8")
    (root / "specs/chat.yaml").write_text(STREAM_SPEC, encoding="utf-8")
    (root / "twinspec.yaml").write_text(CONFIG, encoding="utf-8")
    return root


def _generate(root: Path, cwd: Path, seed: str) -> dict[str, bytes]:
    """Render every job afresh (no stored plans) under ``seed``; the output tree."""
    env = {**os.environ, "PYTHONHASHSEED": seed}
    done = subprocess.run(
        [sys.executable, str(HERE / "fake_cli.py"), "generate", "-q", "--no-cache"],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return snapshot(root / "generated")


def test_same_bytes_across_hash_seeds_and_working_directories(tmp_path: Path) -> None:
    first = _project(tmp_path / "a")
    second = _project(tmp_path / "elsewhere" / "b")
    from_root = _generate(first, first, "0")
    from_subfolder = _generate(second, second / "specs", "1")
    assert from_root == from_subfolder
    for target in (
        "zoo/rest-server/",
        "zoo/rest-client/",
        "chat/stream-server/",
        "chat/stream-client/",
    ):
        assert any(path.startswith(target) and path.endswith(".py") for path in from_root)
    header = next(v for k, v in from_root.items() if k.startswith("zoo/") and k.endswith(".py"))
    assert b"specs/zoo.yaml" in header and str(tmp_path).encode() not in header
    assert not any(str(tmp_path).encode() in content for content in from_root.values())


def test_regenerating_in_place_changes_nothing(tmp_path: Path) -> None:
    root = _project(tmp_path / "p")
    first = _generate(root, root, "3")
    shutil.copytree(root / "generated", tmp_path / "copy")
    again = _generate(root, root, "4")
    assert again == first == snapshot(tmp_path / "copy")


def test_check_agrees_with_generate_under_any_seed(tmp_path: Path) -> None:
    root = _project(tmp_path / "p")
    _generate(root, root, "7")
    for seed in ("0", "12345"):
        done = subprocess.run(
            [sys.executable, str(HERE / "fake_cli.py"), "check", "--no-cache"],
            cwd=root,
            env={**os.environ, "PYTHONHASHSEED": seed},
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert done.returncode == 0, done.stdout + done.stderr
