"""Examples that hold, seen as a user sees them: warnings where the spec is wrong, valid data on the wire.

- An OpenAPI document whose examples break their schemas (a ``date-time`` without a
  timezone, an e-mail without ``@``, a value outside the enum) gets one located
  ``example-invalid`` warning per example, and its generated server answers with
  valid values instead: fetched over a real socket and validated with ``jsonschema``
  against the schema in the server's own ``/openapi.json``.
- An AsyncAPI document with no examples at all: the generated app's ``--demo`` publishes
  synthesised messages through the real Mosquitto, received by Mosquitto's own
  ``mosquitto_sub`` and validated with ``jsonschema``.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import uuid
from pathlib import Path
from typing import Any

import httpx
import jsonschema
import openapi_schema_validator as oas
import pytest
import referencing
import referencing.jsonschema
import yaml

from generator.drive.spec import plan_target
from tests.rest.rest_support import generate, serve
from tests.stream.test_brokers_e2e import require_broker
from tests.wire.examples_support import FORMATS

pytestmark = pytest.mark.timeout(180)

DATA = Path(__file__).with_name("data")
EVENTS = DATA / "events-bad-examples.yaml"
READINGS = DATA / "readings-no-examples.yaml"


def _line_of(text: str, needle: str, after: str) -> int:
    """1-based line of the first ``needle`` after the line holding ``after``."""
    lines = text.splitlines()
    start = next(i for i, line in enumerate(lines) if after in line)
    return next(i for i in range(start, len(lines)) if needle in lines[i]) + 1


def test_invalid_examples_are_located_warnings() -> None:
    plan, diagnostics = plan_target(EVENTS, "rest-server")
    assert plan is not None
    found = sorted((d for d in diagnostics if d.code == "example-invalid"), key=lambda d: d.line)
    text = EVENTS.read_text(encoding="utf-8")
    expected = [
        (_line_of(text, "example:", "/events:"), "'2024-05-01T10:00:00' is not a 'date-time'"),
        (_line_of(text, "example:", "checkedAt:"), "'2024-05-01 10:00' is not a 'date-time'"),
        (_line_of(text, "reviewer:", "checkedAt:"), "'not-an-email' is not a 'email'"),
        (_line_of(text, "outcome:", "checkedAt:"), "'maybe' is not one of"),
    ]
    assert [(d.line, d.severity.value) for d in found] == [(n, "warning") for n, _ in expected]
    for diagnostic, (_line, says) in zip(found, expected, strict=True):
        assert diagnostic.file.endswith("events-bad-examples.yaml")
        assert diagnostic.column > 0
        assert says in diagnostic.message, diagnostic.message
        assert diagnostic.to_text().startswith(f"{diagnostic.file}:{diagnostic.line}:")
    assert "(at [0].at)" in found[0].message


def _oas30_validator(spec: dict[str, Any]) -> Any:
    registry: referencing.Registry[Any] = referencing.Registry().with_resource(
        "urn:served", referencing.jsonschema.DRAFT4.create_resource(spec)
    )
    return oas.OAS30ReadValidator({}, registry=registry, format_checker=FORMATS)


def test_rest_server_serves_valid_examples(tmp_path: Path) -> None:
    project = generate(EVENTS, "rest-server", tmp_path / "server", package="event_log")
    with serve(project, "event_log", {}) as base:
        spec = httpx.get(f"{base}/openapi.json", timeout=10).json()
        validator = _oas30_validator(spec)
        for path in ("/events", "/events/latest", "/audit"):
            answer = httpx.get(f"{base}{path}", timeout=10)
            assert answer.status_code == 200, answer.text
            pointer = f"/paths/{path.replace('/', '~1')}/get/responses/200/content/application~1json/schema"
            checker = validator.evolve(schema={"$ref": f"urn:served#{pointer}"})
            problems = [e.message for e in checker.iter_errors(answer.json())]
            assert not problems, (path, answer.json(), problems)
            if path == "/events/latest":  # required response headers, valid for their schemas
                assert 1 <= int(answer.headers["x-rate-limit-remaining"]) <= 1000
                assert uuid.UUID(answer.headers["x-request-id"])
    served = json.loads((project / "event_log" / "examples.json").read_text(encoding="utf-8"))
    assert served["audit"]["body"]["outcome"] in ("passed", "failed")
    assert served["list_events"]["body"][0]["at"].endswith("Z")


def test_demo_publishes_valid_messages_without_examples(tmp_path: Path) -> None:
    require_broker(1883)
    tool = shutil.which("mosquitto_sub")
    assert tool is not None, "mosquitto_sub (Mosquitto's client tools) is needed"
    run_id = uuid.uuid4().hex[:12]  # a topic no other test or engineer publishes on
    spec_path = tmp_path / "readings.yaml"
    spec_path.write_text(READINGS.read_text(encoding="utf-8").replace("TOPIC", run_id), "utf-8")
    plan, diagnostics = plan_target(spec_path, "stream-server", package="readings_demo")
    assert plan is not None
    assert not [d for d in diagnostics if d.code.startswith("example")]
    project = generate(spec_path, "stream-server", tmp_path / "app", package="readings_demo")
    subscriber = subprocess.Popen(
        [
            tool,
            "-h",
            "127.0.0.1",
            "-p",
            "1883",
            "-t",
            f"twinspec-examples/{run_id}/#",
            "-v",
            "-C",
            "4",
            "-W",
            "60",
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    env = {**os.environ, "PYTHONPATH": str(project)}
    app = subprocess.Popen(
        [sys.executable, "-m", "readings_demo", "--demo", "0.5"],
        cwd=project,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        out, _ = subscriber.communicate(timeout=90)
    finally:
        app.send_signal(signal.SIGINT)
        try:
            app.wait(timeout=20)
        except subprocess.TimeoutExpired:
            app.kill()
            app.wait(timeout=20)
    received: dict[str, Any] = {}
    for line in out.splitlines():
        topic, _, payload = line.partition(" ")
        received[topic.rsplit("/", 1)[1]] = json.loads(payload)
    assert set(received) == {"readings", "alerts"}, out
    document = yaml.safe_load(spec_path.read_text(encoding="utf-8"))
    registry: referencing.Registry[Any] = referencing.Registry().with_resource(
        "urn:doc", referencing.jsonschema.DRAFT7.create_resource(document)
    )
    validator = jsonschema.Draft7Validator({}, registry=registry, format_checker=FORMATS)
    for channel, schema in (("readings", "Reading"), ("alerts", "Alert")):
        checker = validator.evolve(schema={"$ref": f"urn:doc#/components/schemas/{schema}"})
        problems = [e.message for e in checker.iter_errors(received[channel])]
        assert not problems, (channel, received[channel], problems)
    reading = received["readings"]
    assert set(reading) >= {"id", "sensor", "takenAt", "value", "unit", "tags", "location", "owner"}
    assert len(set(reading["tags"])) == len(reading["tags"]) >= 2
