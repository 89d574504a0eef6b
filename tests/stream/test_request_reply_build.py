"""Request/reply and address parameters in the IR, the Diagnostics and the generated code.

Unit tests of ``translate._stream_reply`` and of which broker subscribes by
wildcard or by setting, plus ``ruff`` and ``mypy --strict`` on both generated
sides of the two test documents (``tests/data/stream``).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from generator.drive.spec import plan_target
from generator.ir.stream import Binding, Channel, Family, Parameter
from generator.render.format import ruff_binary
from generator.translate._stream_reply import location
from generator.translate.stream_ir import settles_parameters

DATA = Path(__file__).resolve().parents[1] / "data" / "stream"


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        ("$message.header#/replyTo", ("header", ("replyTo",))),
        ("$message.header#/MQMD/CorrelId", ("header", ("MQMD", "CorrelId"))),
        ("$message.payload#/meta/request~1id", ("payload", ("meta", "request/id"))),
        (" $message.payload#/reqid ", ("payload", ("reqid",))),
        ("$message.header", ("", ())),
        ("$message.header#", ("", ())),
        ("$message.header#//x", ("", ())),
        ("$message.body#/x", ("", ())),
        ("", ("", ())),
    ],
)
def test_location_reads_runtime_expressions(expression: str, expected: object) -> None:
    assert location(expression) == expected


def _channel(segments: tuple[tuple[str, str | None], ...], **binding: object) -> Channel:
    params = tuple(
        Parameter(wire_name=p, py_name=p, example="x", setting=p) for _, p in segments if p
    )
    return Channel(
        key="c",
        py_name="c",
        class_name="C",
        address="",
        path="",
        topic="",
        segments=segments,
        parameters=params,
        binding=Binding(**binding),  # type: ignore[arg-type]
    )


def test_whole_level_parameters_use_wildcards_and_the_rest_settings() -> None:
    whole = _channel((("a.", None), ("", "env"), (".b", None)))
    slashed = _channel((("a/", None), ("", "env"), ("/b", None)))
    partial = _channel((("a.x-", None), ("", "env"), (".b", None)))
    assert not settles_parameters(whole, Family.NATS)
    assert not settles_parameters(whole, Family.AMQP)
    assert not settles_parameters(slashed, Family.MQTT)
    assert settles_parameters(whole, Family.MQTT)  # '.' is no MQTT level separator
    assert settles_parameters(partial, Family.NATS)
    assert not settles_parameters(partial, Family.REDIS)  # psubscribe matches inside a name
    assert settles_parameters(whole, Family.KAFKA)
    assert settles_parameters(_channel((("", "q"),), amqp_exchange_type="direct"), Family.AMQP)
    assert settles_parameters(_channel((("", "q"),), redis_mode="stream"), Family.REDIS)
    assert not settles_parameters(_channel((("plain", None),)), Family.KAFKA)


def test_request_reply_fields_reach_the_views() -> None:
    from generator.load import load
    from generator.translate.stream_ir import translate_client

    doc, _ = load(DATA / "request_reply.yaml")
    ir, _ = translate_client(doc, None)
    views = {v.op.key: v for v in ir.views}
    add, echo = views["add"], views["echo"]
    assert (add.correlation_header, add.reply_to_header, add.reply_correlation_header) == (
        "correlationId",
        "replyTo",
        "correlationId",
    )
    assert add.reply_channel is not None and add.reply_channel.key == "sumReplies"
    assert (echo.correlation_path, echo.reply_correlation_path) == (("requestId",), ("requestId",))
    assert (echo.reply_to_header, echo.reply_to_path) == ("", ())


def test_mqtt_partial_level_parameter_is_kept_with_a_note_naming_its_setting(
    tmp_path: Path,
) -> None:
    spec = tmp_path / "spec.yaml"
    spec.write_text(
        """
asyncapi: 3.0.0
info: {title: Meter, version: '1'}
servers:
  broker: {host: 'localhost:1883', protocol: mqtt}
channels:
  usage:
    address: 'meters/m-{meterId}/usage'
    parameters: {meterId: {}}
    messages:
      usage: {payload: {type: object}}
operations:
  usage:
    action: receive
    channel: {$ref: '#/channels/usage'}
""",
        encoding="utf-8",
    )
    plan, diagnostics = plan_target(spec, "stream-server")
    assert plan is not None
    [note] = [d for d in diagnostics if d.code == "stream-address-setting"]
    assert note.line == 7 and note.pointer == "/channels/usage"
    assert "{meterId} from METER_CHANNEL_METER_ID (default '1')" in note.message
    brokers = next(f.content for f in plan.files if f.path.endswith("brokers.py"))
    assert 'setting("METER_CHANNEL_METER_ID", SETTINGS.channel_meter_id)' in brokers


@pytest.fixture(scope="module")
def projects(tmp_path_factory: pytest.TempPathFactory) -> list[tuple[Path, str]]:
    root = tmp_path_factory.mktemp("reqreply-types")
    made = []
    for spec, package in (
        ("request_reply.yaml", "calculator"),
        ("topic_params.yaml", "order_feed"),
    ):
        for target, name in (("stream-server", package), ("stream-client", package + "_client")):
            plan, diagnostics = plan_target(DATA / spec, target)
            assert plan is not None, diagnostics
            out = root / f"{spec}-{target}"
            for item in plan.files:
                (out / item.path).parent.mkdir(parents=True, exist_ok=True)
                (out / item.path).write_text(item.content, encoding="utf-8")
            made.append((out, name))
    return made


def test_generated_sides_are_ruff_and_mypy_strict_clean(projects: list[tuple[Path, str]]) -> None:
    for out, name in projects:
        lint = subprocess.run(
            [ruff_binary(), "check", "--quiet", "--no-cache", str(out / name)],
            capture_output=True,
            text=True,
            check=False,
        )
        assert lint.returncode == 0, lint.stdout[-3000:]
    env = dict(os.environ, MYPYPATH=os.pathsep.join(str(out) for out, _ in projects))
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", "--cache-dir", os.devnull]
        + [str(out / name) for out, name in projects],
        capture_output=True,
        text=True,
        env=env,
        timeout=600,
        check=False,
    )
    assert result.returncode == 0, result.stdout[-4000:]


def test_a_request_the_application_sends_is_a_located_warning(tmp_path: Path) -> None:
    spec = tmp_path / "spec.yaml"
    spec.write_text(
        """asyncapi: 3.0.0
info: {title: Asker, version: '1'}
servers:
  nats: {host: 'localhost:4222', protocol: nats}
channels:
  ask: {address: ask, messages: {q: {payload: {type: object}}}}
  answers: {address: answers, messages: {a: {payload: {type: object}}}}
operations:
  ask:
    action: send
    channel: {$ref: '#/channels/ask'}
    reply: {channel: {$ref: '#/channels/answers'}}
""",
        encoding="utf-8",
    )
    plan, diagnostics = plan_target(spec, "stream-server")
    assert plan is not None
    [warning] = [d for d in diagnostics if d.code == "stream-reply-not-awaited"]
    assert (warning.line, warning.pointer, warning.severity.value) == (
        9,
        "/operations/ask",
        "warning",
    )


HOSTILE = 'x"); \n__import__("os").system("touch CANARY") #'


def test_hostile_header_names_stay_string_literals(tmp_path: Path) -> None:
    import json

    doc = {
        "asyncapi": "3.0.0",
        "info": {"title": "Hostile", "version": "1"},
        "servers": {"nats": {"host": "localhost:4222", "protocol": "nats"}},
        "channels": {
            "ask": {"address": "ask", "messages": {"q": {"$ref": "#/components/messages/q"}}},
            "answers": {"address": "answers", "messages": {"a": {"payload": {"type": "object"}}}},
        },
        "operations": {
            "ask": {
                "action": "receive",
                "channel": {"$ref": "#/channels/ask"},
                "reply": {
                    "channel": {"$ref": "#/channels/answers"},
                    "address": {"location": "$message.header#/" + HOSTILE.replace("/", "~1")},
                },
            }
        },
        "components": {
            "messages": {
                "q": {
                    "correlationId": {"location": "$message.payload#/" + HOSTILE.replace("/", "~1")},
                    "payload": {"type": "object"},
                }
            }
        },
    }
    spec = tmp_path / "hostile.json"
    spec.write_text(json.dumps(doc), encoding="utf-8")
    for target in ("stream-server", "stream-client"):
        plan, diagnostics = plan_target(spec, target, allow_invalid=True)
        assert plan is not None, [d.to_text() for d in diagnostics]
        brokers = next(f.content for f in plan.files if f.path.endswith("brokers.py"))
        compile(brokers, "brokers.py", "exec")
        assert repr(HOSTILE) in brokers or json.dumps(HOSTILE) in brokers  # a literal, escaped
        assert "\n__import__" not in brokers
