"""Semantic rules for AsyncAPI, each on a small inline document, with exact line:column."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.diagnostics import Diagnostic
from generator.drive.spec import load_and_validate


def run(tmp_path: Path, text: str, name: str = "spec.yaml") -> list[Diagnostic]:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    _, diagnostics = load_and_validate(path)
    return diagnostics


def located(diagnostics: list[Diagnostic]) -> list[tuple[int, int, str]]:
    return [(d.line, d.column, d.code) for d in diagnostics]


V3_HEAD = """asyncapi: 3.0.0
info:
  title: t
  version: '1'
"""
V2_HEAD = """asyncapi: 2.6.0
info:
  title: t
  version: '1'
"""

CASES = [
    pytest.param(
        V3_HEAD
        + """channels:
  user:
    address: user/{userId}/signup
operations:
  onSignup:
    action: receive
    channel:
      $ref: '#/channels/user'
""",
        [(7, 5, "asyncapi-undeclared-parameter")],
        id="v3-address-parameter-not-declared",
    ),
    pytest.param(
        V3_HEAD
        + """channels:
  user:
    address: users
    parameters:
      userId:
        description: nobody uses me
""",
        [(9, 7, "asyncapi-unused-parameter")],
        id="v3-parameter-not-in-address",
    ),
    pytest.param(
        V2_HEAD
        + """channels:
  user/{userId}/signup:
    subscribe:
      message:
        payload:
          type: string
""",
        [(6, 3, "asyncapi-undeclared-parameter")],
        id="v2-channel-name-parameter-not-declared",
    ),
    pytest.param(
        V2_HEAD
        + """channels:
  users:
    parameters:
      userId:
        schema:
          type: string
""",
        [(8, 7, "asyncapi-unused-parameter")],
        id="v2-parameter-not-in-channel-name",
    ),
    pytest.param(
        V3_HEAD
        + """channels:
  user:
    address: users
operations:
  onSignup:
    action: receive
    channel:
      $ref: '#/components/channels/user'
components:
  channels:
    user:
      address: users
""",
        [(12, 7, "asyncapi-channel-not-in-root")],
        id="v3-operation-channel-from-components",
    ),
    pytest.param(
        V3_HEAD
        + """channels:
  user:
    address: users
    messages:
      signedUp:
        payload:
          type: string
  other:
    address: other
    messages:
      ping:
        payload:
          type: string
operations:
  onSignup:
    action: receive
    channel:
      $ref: '#/channels/user'
    messages:
      - $ref: '#/channels/user/messages/signedUp'
      - $ref: '#/channels/other/messages/ping'
""",
        [(25, 9, "asyncapi-message-not-in-channel")],
        id="v3-operation-message-of-another-channel",
    ),
    pytest.param(
        V3_HEAD
        + """channels:
  user:
    address: users
operations:
  onSignup:
    action: receive
    channel:
      $ref: '#/channels/nowhere'
""",
        [(12, 7, "unresolved-ref")],
        id="v3-operation-channel-missing",
    ),
    pytest.param(
        V2_HEAD
        + """channels:
  a:
    publish:
      operationId: sendThing
  b:
    subscribe:
      operationId: sendThing
""",
        [(11, 7, "asyncapi-duplicate-operation-id")],
        id="v2-duplicate-operation-id",
    ),
    pytest.param(
        V2_HEAD
        + """channels:
  a:
    publish:
      operationId: sendThing
  b:
    subscribe:
      operationId: send_thing
""",
        [(11, 7, "asyncapi-name-collision")],
        id="v2-operation-ids-collide-in-python",
    ),
    pytest.param(
        V3_HEAD
        + """components:
  schemas:
    user-event:
      type: object
    UserEvent:
      type: object
""",
        [(9, 5, "asyncapi-name-collision")],
        id="v3-schema-names-collide-in-python",
    ),
    pytest.param(
        V2_HEAD
        + """channels: {}
tags:
  - name: user
  - name: admin
  - name: user
""",
        [(9, 5, "asyncapi-duplicate-tag")],
        id="v2-duplicate-root-tag",
    ),
    pytest.param(
        V3_HEAD
        + """operations:
  op:
    action: send
    channel:
      $ref: '#/channels/c'
    tags:
      - name: a
      - name: a
channels:
  c:
    address: c
""",
        [(12, 9, "asyncapi-duplicate-tag")],
        id="v3-duplicate-operation-tag",
    ),
    pytest.param(
        V2_HEAD
        + """servers:
  prod:
    url: broker.example.com
    protocol: mqtt
    security:
      - apiKey: []
channels: {}
components:
  securitySchemes:
    userPass:
      type: userPassword
""",
        [(10, 9, "asyncapi-unknown-security-scheme")],
        id="v2-server-security-undefined-scheme",
    ),
    pytest.param(
        V2_HEAD
        + """servers:
  prod:
    url: broker.example.com
    protocol: mqtt
channels:
  c:
    servers: [prod, staging]
""",
        [(11, 21, "asyncapi-unknown-server")],
        id="v2-channel-unknown-server",
    ),
    pytest.param(
        V3_HEAD
        + """channels:
  user:
    address: user/{userId/signup
""",
        [(7, 5, "asyncapi-bad-template")],
        id="v3-address-with-unclosed-brace",
    ),
    pytest.param(
        V2_HEAD
        + """servers:
  prod:
    url: mqtt://{host}:{port}
    protocol: mqtt
    variables:
      port:
        default: '1883'
channels: {}
""",
        [(7, 5, "asyncapi-undeclared-server-variable")],
        id="v2-server-url-variable-not-declared",
    ),
    pytest.param(
        V3_HEAD
        + """servers:
  prod:
    host: broker.example.com
    pathname: /{tenant}
    protocol: ws
    variables:
      tenant:
        default: acme
      region:
        default: eu
""",
        [(13, 7, "asyncapi-unused-server-variable")],
        id="v3-server-variable-not-used",
    ),
    pytest.param(
        V2_HEAD
        + """servers:
  prod:
    url: broker.example.com
    protocol: mqtt
    security:
      - userPass: [admin]
channels: {}
components:
  securitySchemes:
    userPass:
      type: userPassword
""",
        [(10, 9, "asyncapi-security-scopes-not-allowed")],
        id="v2-scopes-for-a-non-oauth-scheme",
    ),
    pytest.param(
        V3_HEAD
        + """channels:
  c:
    address: c
    messages:
      m:
        correlationId:
          location: $message.header#correlation
""",
        [(11, 11, "asyncapi-bad-runtime-expression")],
        id="v3-correlation-id-location-without-pointer",
    ),
    pytest.param(
        V3_HEAD
        + """channels:
  c:
    address: c
operations:
  op:
    action: send
    channel:
      $ref: '#/channels/c'
    reply:
      address:
        location: $message.header#/reply~2to
""",
        [(15, 9, "asyncapi-bad-runtime-expression")],
        id="v3-reply-address-location-bad-escape",
    ),
    pytest.param(
        V3_HEAD
        + """channels:
  c:
    address: c
    messages:
      m:
        correlationId:
          location: $message.body#/id
""",
        [(11, 11, "schema-invalid-format")],
        id="v3-correlation-id-wrong-source-is-a-schema-error",
    ),
]


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_rule(tmp_path: Path, text: str, expected: list[tuple[int, int, str]]) -> None:
    assert located(run(tmp_path, text)) == expected


def test_name_collision_is_a_warning_only(tmp_path: Path) -> None:
    diagnostics = run(
        tmp_path,
        V3_HEAD + "components:\n  schemas:\n    a-b: {}\n    AB: {}\n",
    )
    assert [d.severity.value for d in diagnostics] == ["warning"]
    assert "'AB' and 'a-b' both become the Python name 'AB'" in diagnostics[0].message


def test_messages_may_be_referenced_through_the_channel_ref_chain(tmp_path: Path) -> None:
    text = (
        V3_HEAD
        + """channels:
  user:
    $ref: '#/components/channels/user'
operations:
  onSignup:
    action: receive
    channel:
      $ref: '#/channels/user'
    messages:
      - $ref: '#/components/channels/user/messages/signedUp'
components:
  channels:
    user:
      address: users
      messages:
        signedUp:
          payload:
            type: string
"""
    )
    assert run(tmp_path, text) == []


def test_problem_in_a_referenced_file_is_reported_in_that_file(tmp_path: Path) -> None:
    (tmp_path / "messages.yaml").write_text(
        "signedUp:\n  payload:\n    type: object\n  tags:\n    - name: x\n    - name: x\n",
        encoding="utf-8",
    )
    text = (
        V2_HEAD
        + """channels:
  users:
    subscribe:
      message:
        $ref: 'messages.yaml#/signedUp'
"""
    )
    diagnostics = run(tmp_path, text)
    assert [(Path(d.file).name, d.line, d.column, d.code) for d in diagnostics] == [
        ("messages.yaml", 6, 7, "asyncapi-duplicate-tag")
    ]
