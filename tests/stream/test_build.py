"""The AsyncAPI builder: 2.x normalised to the 3.x shape, protocols, payload formats, unions."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.ir.stream import Action, Family, StreamApi, Transport
from generator.load import load
from generator.translate.asyncapi import build_stream

REPO = Path(__file__).resolve().parents[2]


def build(path: Path) -> tuple[StreamApi, list[str]]:
    doc, diagnostics = load(path)
    assert doc is not None, diagnostics
    result, more = build_stream(doc)
    return result.api, [f"{d.severity.value} {d.code}" for d in more]


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "spec.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def shape(api: StreamApi) -> set[tuple[str, str, str, tuple[str, ...]]]:
    """Operations as (id, action, channel address, message names): what both versions must agree on."""
    return {
        (
            op.key,
            op.action.value,
            api.channel(op.channel).address,
            tuple(sorted(api.message(m).wire_name for m in op.messages)),
        )
        for op in api.operations
    }


@pytest.mark.parametrize(
    ("v2", "v3"),
    [
        ("streetlights-mqtt.yml", "streetlights-mqtt-asyncapi.yml"),
        ("streetlights-kafka.yml", "streetlights-kafka-asyncapi.yml"),
    ],
)
def test_streetlights_2_6_and_3_0_normalise_to_the_same_operations(
    corpus: Path, v2: str, v3: str
) -> None:
    old, _ = build(corpus / "asyncapi" / "spec-examples-2.6.0" / v2)
    new, _ = build(corpus / "asyncapi" / "spec-examples-3.0.0" / v3)
    assert shape(old) == shape(new)
    actions = {op.key: op.action for op in new.operations}
    # 2.6 `publish` (clients publish) = the application RECEIVES; `subscribe` = it SENDS.
    assert actions["receiveLightMeasurement"] is Action.RECEIVE
    assert {actions[k] for k in ("turnOn", "turnOff", "dimLight")} == {Action.SEND}


def test_v2_publish_is_receive_and_subscribe_is_send(tmp_path: Path) -> None:
    api, _ = build(
        write(
            tmp_path,
            """
asyncapi: 2.6.0
info: {title: T, version: '1'}
servers:
  local: {url: 'localhost:1883', protocol: mqtt}
channels:
  in/{id}:
    parameters:
      id: {schema: {type: string}}
    publish:
      operationId: takeIt
      message: {name: inMsg, payload: {type: object, properties: {a: {type: integer}}}}
  out:
    subscribe:
      operationId: giveIt
      message: {name: outMsg, payload: {type: string}}
""",
        )
    )
    ops = {op.key: op for op in api.operations}
    assert ops["takeIt"].action is Action.RECEIVE
    assert ops["giveIt"].action is Action.SEND
    channel = api.channel(ops["takeIt"].channel)
    assert [(p.wire_name, p.py_name) for p in channel.parameters] == [("id", "id_")]
    assert channel.topic == "in/{id_}"  # FastStream path placeholder, by Python name
    assert api.families == (Family.MQTT,)
    assert api.servers[0].url == "mqtt://localhost:1883"


def test_unsupported_protocol_and_avro_payload_are_warnings_not_crashes(tmp_path: Path) -> None:
    api, diagnostics = build(
        write(
            tmp_path,
            """
asyncapi: 3.0.0
info: {title: T, version: '1'}
servers:
  pigeon: {host: coop, protocol: carrier-pigeon}
  ws: {host: 'localhost:8000', protocol: ws}
channels:
  birds:
    address: birds
    servers: [{$ref: '#/servers/pigeon'}]
    messages:
      coo: {payload: {type: string}}
  avro:
    address: avro
    servers: [{$ref: '#/servers/ws'}]
    messages:
      rec:
        payload:
          schemaFormat: application/vnd.apache.avro;version=1.9.0
          schema: {type: record, name: R, fields: [{name: a, type: int}]}
operations:
  sendBirds:
    action: send
    channel: {$ref: '#/channels/birds'}
  sendAvro:
    action: send
    channel: {$ref: '#/channels/avro'}
""",
        )
    )
    assert [op.key for op in api.operations] == ["sendAvro"]
    assert "warning stream-unsupported-protocol" in diagnostics
    (message,) = api.messages  # Avro payloads are typed (tests/stream/test_avro.py)
    assert not message.raw and message.payload == "R"


def test_several_messages_on_a_channel_get_a_discriminator(tmp_path: Path) -> None:
    api, _ = build(REPO / "specs" / "chat.yaml")
    room = api.channel("room")
    assert room.inbound.discriminator == "type"
    assert dict(room.inbound.tags) == {"message": "chatMessage", "typing": "typing"}
    assert dict(room.outbound.tags) == {"message": "chatMessage", "joined": "userJoined"}
    assert api.channel("ticker").transport_ws is Transport.SSE
    assert room.transport_ws is Transport.WEBSOCKET
    ping = next(op for op in api.operations if op.key == "ping")
    assert ping.reply is not None and ping.reply.messages == ("pong",)
    assert api.message("ping").correlation_path == ("requestId",)


def test_no_servers_serves_over_websocket(tmp_path: Path) -> None:
    api, _ = build(
        write(
            tmp_path,
            """
asyncapi: 2.0.0
info: {title: Bare, version: '1'}
channels:
  news:
    subscribe:
      message: {payload: {type: object, properties: {headline: {type: string}}}}
""",
        )
    )
    (op,) = api.operations
    assert op.action is Action.SEND and op.families == (Family.WS,)
    assert api.channel(op.channel).path == "/news"


BROKER_SECURITY = """
asyncapi: 3.0.0
info: {title: Secure Bus, version: 1.0.0}
servers:
  audit:
    host: localhost:9092
    protocol: kafka-secure
    security: [{$ref: '#/components/securitySchemes/scram'}]
  rabbit:
    host: localhost:5672
    protocol: amqp
    security: [{$ref: '#/components/securitySchemes/scramOnRabbit'}]
  devices:
    host: localhost:8883
    protocol: secure-mqtt
    security: [{$ref: '#/components/securitySchemes/cert'}]
channels:
  audit:
    address: audit
    servers: [{$ref: '#/servers/audit'}]
    messages: {entry: {payload: {type: object, properties: {line: {type: string}}}}}
  alerts:
    address: alerts
    servers: [{$ref: '#/servers/rabbit'}]
    messages: {alert: {payload: {type: object, properties: {level: {type: integer}}}}}
  devices:
    address: devices
    servers: [{$ref: '#/servers/devices'}]
    messages: {ping: {payload: {type: object, properties: {id: {type: string}}}}}
operations:
  sendAudit: {action: send, channel: {$ref: '#/channels/audit'}}
  sendAlert: {action: send, channel: {$ref: '#/channels/alerts'}}
  sendPing: {action: send, channel: {$ref: '#/channels/devices'}}
components:
  securitySchemes:
    scram: {type: scramSha512}
    scramOnRabbit: {type: scramSha256}
    cert: {type: X509}
"""


def test_broker_security_schemes_become_faststream_security_from_env(tmp_path: Path) -> None:
    """SCRAM on Kafka and X509 on MQTT are presented; SCRAM on RabbitMQ is a warning, not silence."""
    from generator.drive.spec import plan_target

    api, diagnostics = build(write(tmp_path, BROKER_SECURITY))
    servers = {s.key: s for s in api.servers}
    assert servers["audit"].auth is not None and servers["audit"].auth.kind.value == "scramSha512"
    assert servers["devices"].auth is not None and servers["devices"].auth.kind.value == "X509"
    assert servers["rabbit"].auth is None
    assert "warning stream-security-not-enforced" in diagnostics
    plan, _ = plan_target(tmp_path / "spec.yaml", "stream-server", package="secure_bus")
    assert plan is not None
    files = {f.path: f.content for f in plan.files}
    brokers, credentials = files["secure_bus/brokers.py"], files["secure_bus/credentials.py"]
    compile(brokers, "brokers.py", "exec")
    compile(credentials, "credentials.py", "exec")
    assert "security=credentials.for_audit()" in brokers
    assert 'username=_env("SECURE_BUS_AUDIT_USER")' in credentials
    assert "SASLScram512(" in credentials and "use_ssl=True" in credentials
    assert 'BaseSecurity(ssl_context=_tls("SECURE_BUS_DEVICES"), use_ssl=True)' in credentials
