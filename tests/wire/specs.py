"""Small inline specs whose bodies and messages exercise JSON types and null exactly."""

from __future__ import annotations

OPENAPI_30 = """\
openapi: 3.0.3
info: {title: Wire Shop, version: '1'}
paths:
  /items:
    post:
      operationId: createItem
      requestBody:
        required: true
        content:
          application/json:
            schema: {$ref: '#/components/schemas/Item'}
      responses:
        '201':
          description: created
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Item'}
components:
  schemas:
    Item:
      type: object
      required: [price, count, active]
      properties:
        price: {type: number}
        count: {type: integer}
        active: {type: boolean}
        name: {type: string}
        note: {type: string, nullable: true}
        kind: {type: string, enum: [a, b]}
        level: {type: integer, enum: [1, 2]}
        at: {type: string, format: date-time}
        tags: {type: array, items: {type: integer}}
"""

OPENAPI_31 = """\
openapi: 3.1.0
info: {title: Wire Shop 31, version: '1'}
paths:
  /items:
    post:
      operationId: createItem
      requestBody:
        required: true
        content:
          application/json:
            schema: {$ref: '#/components/schemas/Item'}
      responses:
        '201':
          description: created
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Item'}
components:
  schemas:
    Item:
      type: object
      required: [price, count, active]
      properties:
        price: {type: number}
        count: {type: integer}
        active: {type: boolean}
        name: {type: string}
        note: {type: [string, 'null']}
        gone: {const: null}
        mood: {enum: [happy, null]}
        kind: {type: string, enum: [a, b]}
        level: {type: integer, enum: [1, 2]}
        at: {type: string, format: date-time}
        tags: {type: array, items: {type: integer}}
"""

ASYNCAPI_MQTT = """\
asyncapi: 3.0.0
info: {title: Wire Devices, version: '1'}
servers:
  local: {host: '127.0.0.1:1883', protocol: mqtt}
channels:
  config:
    address: wire-tests/{deviceId}/config
    parameters:
      deviceId: {}
    messages:
      config: {$ref: '#/components/messages/Config'}
operations:
  receiveConfig:
    action: receive
    channel: {$ref: '#/channels/config'}
components:
  messages:
    Config:
      payload: {$ref: '#/components/schemas/Config'}
  schemas:
    Config:
      type: object
      required: [serviceEnabled, interval]
      properties:
        serviceEnabled: {type: boolean}
        interval: {type: integer}
        label: {type: string}
"""
