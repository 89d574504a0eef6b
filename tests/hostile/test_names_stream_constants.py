"""Spec names that meet after case conversion never bind one module name twice.

The stream ``messages.py`` holds, unqualified and side by side: the schema
classes it imports, one ``NAME = MessageType(...)`` per message, ``OP_PAYLOAD``
/ ``OP_REPLY`` per operation and ``CHANNEL_INBOUND`` / ``CHANNEL_OUTBOUND`` per
channel. Each is allocated by a different allocator; ``naming.Scope`` makes
them one namespace. The spec below is valid and every pair meets: a schema
``ADDED`` and a message ``added`` (constant ``ADDED``), a message
``added_payload`` and an operation ``added`` (``ADDED_PAYLOAD``), a message
``news_inbound`` and a channel ``news`` (``NEWS_INBOUND``), a message ``t``
and the TypeVar ``T``, a message ``max_errors`` and the constant ``MAX_ERRORS``.
The output of both stream targets passes ruff (no F811 redefinition), every
module imports, ``mypy --strict`` is clean, and the generated tests pass.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.hostile.test_template_names import generate, package_of

SCHEMAS = ["ADDED", "T", "MAX_ERRORS", "NEWS_INBOUND"]
MESSAGES = ["added", "added_payload", "news_inbound", "t", "max_errors", "ADDED_REPLY"]


def colliding_spec() -> dict[str, object]:
    obj = {"type": "object", "properties": {"v": {"type": "string"}}, "examples": [{"v": "x"}]}
    schemas = {n: obj for n in SCHEMAS}
    messages = {
        m: {"payload": {"$ref": f"#/components/schemas/{SCHEMAS[i % len(SCHEMAS)]}"}}
        for i, m in enumerate(MESSAGES)
    }
    channels = {
        "news": {
            "address": "news",
            "messages": {m: {"$ref": f"#/components/messages/{m}"} for m in MESSAGES[:3]},
        },
        "added_payload": {
            "address": "more",
            "messages": {m: {"$ref": f"#/components/messages/{m}"} for m in MESSAGES[3:]},
        },
    }
    operations = {
        "added": {"action": "receive", "channel": {"$ref": "#/channels/news"}},
        "news_inbound": {"action": "send", "channel": {"$ref": "#/channels/news"}},
        "ADDED_PAYLOAD": {"action": "send", "channel": {"$ref": "#/channels/added_payload"}},
        "t": {"action": "receive", "channel": {"$ref": "#/channels/added_payload"}},
        # members of the client's channel class: an operation method must not replace one
        "connection": {"action": "receive", "channel": {"$ref": "#/channels/news"}},
        "url": {"action": "receive", "channel": {"$ref": "#/channels/added_payload"}},
        "headers": {"action": "receive", "channel": {"$ref": "#/channels/news"}},
    }
    return {
        "asyncapi": "3.0.0",
        "info": {"title": "Collide", "version": "1"},
        "servers": {"ws": {"host": "localhost:8000", "protocol": "ws"}},
        "channels": channels,
        "operations": operations,
        "components": {"messages": messages, "schemas": schemas},
    }


def run(out: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, *args], cwd=out, capture_output=True, text=True)


@pytest.mark.parametrize("target", ["stream-server", "stream-client"])
def test_names_meeting_after_case_conversion_get_distinct_module_names(
    tmp_path: Path, target: str
) -> None:
    spec = tmp_path / "collide.json"
    spec.write_text(json.dumps(colliding_spec()))
    out = tmp_path / "out"
    generate(spec, target, out)
    lint = run(out, "-m", "ruff", "check", "--no-cache", "--output-format", "concise", ".")
    assert lint.returncode == 0, lint.stdout[-4000:]
    package = package_of(out)
    imported = run(out, "-c", f"import {package}.messages, {package}.web, {package}.handlers")
    assert imported.returncode == 0, imported.stderr[-4000:]
    typed = run(out, "-m", "mypy", "--strict", "--no-incremental", package)
    assert typed.returncode == 0, typed.stdout[-4000:]
    if target == "stream-server":
        messages = (out / package / "messages.py").read_text(encoding="utf-8")
        # The class keeps its name; the message constant moved aside, both still bound once.
        assert "ADDED_2: MessageType[ADDED] = MessageType(" in messages
        tests = run(out, "-m", "pytest", "-q", "-x", "-p", "no:cacheprovider", "tests")
        assert tests.returncode == 0, tests.stdout[-4000:]
