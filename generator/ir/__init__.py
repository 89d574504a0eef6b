"""The IR: what translate makes and templates see, the template API of every pack.

    http.py          RestIR: Api (operations by tag, security, webhooks), the
                     TypeModel, the bundled spec (rest-server, rest-client)
    stream.py        StreamApi: servers, channels, messages, operations (3.x shape)
    stream_views.py  StreamIR: the StreamApi seen from one side (stream-server, -client)
    schema.py        TypeModel and TypeRef: every schema as a model, enum, alias, annotation

All frozen dataclasses; names are Python identifiers already. User template
overrides depend on these shapes: bump ``IR_VERSION`` when a field changes meaning.
"""
