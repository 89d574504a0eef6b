"""A hostile AsyncAPI document: spec text everywhere it can go, none of it may become code.

Every string a template prints (titles, descriptions, summaries, addresses,
parameter, channel, operation and message names, enum values, examples,
server URLs, extensions) carries a canary: code that would create a file if
it ever ran. Both targets must generate, compile, pass ``ruff check``, import,
answer on their endpoints, and the canary file must never appear.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from generator.drive.spec import plan_target
from generator.render.format import ruff_binary

CANARY = "CANARY_STREAM"
BOOM = f"\"\"\"'''\\\n__import__('pathlib').Path({CANARY!r}).touch()  # {{}} }}}} {{{{ \r\n"
NAME = f"x'\"\\); __import__('pathlib').Path({CANARY!r}).touch(); #"


def hostile_spec() -> str:
    return json.dumps(
        {
            "asyncapi": "3.0.0",
            "info": {"title": "class " + BOOM, "version": "1.0\"'\n", "description": BOOM},
            "defaultContentType": "application/json",
            "servers": {
                NAME: {"host": "localhost:8000\"'" + BOOM, "protocol": "ws", "description": BOOM},
                "broker " + NAME: {
                    "host": "localhost:1883",
                    "protocol": "mqtt",
                    "description": BOOM,
                },
            },
            "channels": {
                NAME: {
                    "address": "/r\"o'o\\m/{" + NAME + "}/{class}/{id}",
                    "description": BOOM,
                    "parameters": {
                        NAME: {"description": BOOM, "examples": [BOOM]},
                        "class": {"enum": ['a"b', BOOM]},
                        "id": {},
                    },
                    "messages": {
                        NAME: {
                            "name": NAME,
                            "title": BOOM,
                            "summary": BOOM,
                            "payload": {
                                "type": "object",
                                "required": ["import", NAME],
                                "properties": {
                                    "import": {"type": "string", "const": BOOM},
                                    NAME: {
                                        "type": "string",
                                        "enum": [BOOM, "'"],
                                        "description": BOOM,
                                    },
                                    "def": {"type": "integer", "default": 1},
                                },
                            },
                            "correlationId": {"location": "$message.payload#/" + NAME},
                            "examples": [{"payload": {"import": BOOM, NAME: "'"}}],
                        },
                        "other": {
                            "payload": {
                                "type": "object",
                                "properties": {"import": {"const": "two"}},
                            }
                        },
                    },
                },
                "mqtt " + NAME: {
                    "address": "t/{" + NAME + "}/" + BOOM.replace("{", "").replace("}", ""),
                    "servers": [
                        {"$ref": "#/servers/broker " + NAME.replace("~", "~0").replace("/", "~1")}
                    ],
                    "parameters": {NAME: {}},
                    "messages": {"m": {"payload": {"type": "string", "description": BOOM}}},
                },
            },
            "operations": {
                "def": {
                    "action": "receive",
                    "channel": {"$ref": "#/channels/" + NAME.replace("~", "~0").replace("/", "~1")},
                    "summary": BOOM,
                    "reply": {
                        "channel": {
                            "$ref": "#/channels/" + NAME.replace("~", "~0").replace("/", "~1")
                        },
                    },
                },
                NAME: {
                    "action": "send",
                    "channel": {"$ref": "#/channels/" + NAME.replace("~", "~0").replace("/", "~1")},
                    "description": BOOM,
                },
                "import": {
                    "action": "receive",
                    "channel": {
                        "$ref": "#/channels/mqtt " + NAME.replace("~", "~0").replace("/", "~1")
                    },
                },
            },
        }
    )


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("stream-hostile")
    spec = root / "hostile.json"
    spec.write_text(hostile_spec(), encoding="utf-8")
    for target in ("stream-server", "stream-client"):
        plan, diagnostics = plan_target(
            spec, target, allow_invalid=True, package=f"hostile_{target[7:]}"
        )
        assert plan is not None, [d.to_text() for d in diagnostics]
        for item in plan.files:
            (root / target / item.path).parent.mkdir(parents=True, exist_ok=True)
            (root / target / item.path).write_text(item.content, encoding="utf-8")
    return root


def test_generated_code_lints_clean(generated: Path) -> None:
    for target in ("stream-server", "stream-client"):
        result = subprocess.run(
            [ruff_binary(), "check", "--no-cache", "."],
            cwd=generated / target,
            capture_output=True,
            text=True,
            check=False,
        )
        assert result.returncode == 0, result.stdout[-3000:]


def test_importing_and_serving_never_runs_spec_text(generated: Path) -> None:
    script = """
import importlib, json, sys
from pathlib import Path
for target, package in (("stream-server", "hostile_server"), ("stream-client", "hostile_client")):
    sys.path.insert(0, target)
    for module in sorted(Path(target, package).glob("*.py")):
        name = package if module.stem == "__init__" else f"{package}.{module.stem}"
        importlib.import_module(name)
from fastapi.testclient import TestClient
from hostile_server import messages, web
client = TestClient(web.app)  # no lifespan: the brokers are not needed here
if True:
    route = next(r.path for r in web.app.routes if "{" in getattr(r, "path", "") and hasattr(r, "endpoint") and r.endpoint.__name__.endswith("_socket"))
    path = route.format(**{name: "v" for name in __import__("re").findall(r"{([^}]*)}", route)})
    with client.websocket_connect(path) as ws:
        ws.send_text("{junk")
        assert ws.receive_json()["error"]["code"] == "invalid-message"
    assert client.post("/_twinspec/emit/nope").status_code == 404
print("ok")
"""
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=generated,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert "ok" in result.stdout
    assert not list(generated.rglob(CANARY))
    assert not Path(CANARY).exists()
