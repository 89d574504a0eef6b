"""The rule table: every change ``twinspec diff`` reports, its stable code and severity.

``error`` = breaking, ``warning`` = potentially breaking, ``info`` = compatible.
Schema rules come in two directions: ``input-*`` judges what callers send (an
OpenAPI request, an AsyncAPI message the application receives), ``output-*``
what they read (an OpenAPI response, a message the application sends). The
README's rule table is this one (a test keeps them in step).
"""

from __future__ import annotations

from generator.diagnostics import Severity

__all__ = ["RULES", "severity_of"]

E, W, I = Severity.ERROR, Severity.WARNING, Severity.INFO  # noqa: E741

RULES: dict[str, tuple[Severity, str]] = {
    # -- OpenAPI operations ---------------------------------------------------------------
    "operation-removed": (E, "an operation (or AsyncAPI operation) is gone"),
    "operation-removed-deprecated": (W, "a deprecated operation is gone"),
    "operation-added": (I, "a new operation"),
    "param-required-added": (E, "a new required parameter"),
    "param-added": (I, "a new optional parameter"),
    "param-removed": (W, "a parameter is no longer declared (callers still sending it)"),
    "param-became-required": (E, "an optional parameter became required"),
    "param-became-optional": (I, "a required parameter became optional"),
    "param-in-changed": (E, "a parameter moved (query, header, path, cookie)"),
    "param-style-changed": (E, "a parameter's serialisation style changed"),
    "param-explode-changed": (E, "a parameter's explode flag changed"),
    "request-body-added-required": (E, "a required request body where there was none"),
    "request-body-became-required": (E, "an optional request body became required"),
    "request-body-removed": (W, "the request body is no longer declared"),
    "request-media-type-removed": (E, "a request media type is no longer accepted"),
    "request-media-type-added": (I, "a new accepted request media type"),
    "response-success-status-removed": (E, "a 2xx or default response is gone"),
    "response-status-removed": (W, "a non-2xx response is gone"),
    "response-status-added": (I, "a new response status"),
    "response-media-type-removed": (E, "a response media type is no longer produced"),
    "response-media-type-added": (I, "a new response media type"),
    "response-header-removed": (W, "a response header is no longer sent"),
    "security-requirement-changed": (E, "a way of authenticating no longer suffices"),
    "security-requirement-added": (I, "a new alternative way of authenticating"),
    "security-scheme-changed": (E, "a security scheme's type, location or name changed"),
    "server-removed": (E, "a server (base URL, broker) is gone"),
    "server-added": (I, "a new server"),
    "server-protocol-changed": (E, "a server's protocol changed"),
    # -- AsyncAPI channels and messages ---------------------------------------------------
    "channel-removed": (E, "a channel (address) is gone"),
    "channel-added": (I, "a new channel"),
    "channel-address-changed": (E, "a channel's address changed"),
    "channel-parameter-changed": (E, "a channel parameter's values or location changed"),
    "binding-changed": (W, "a protocol binding changed"),
    "message-removed": (E, "a message is no longer sent or accepted"),
    "message-added": (I, "the application accepts a new message"),
    "output-message-added": (W, "the application sends a new message consumers may not know"),
    "message-content-type-changed": (E, "a message's content type changed"),
    # -- schemas, judged by direction -----------------------------------------------------
    "input-type-changed": (E, "callers' values may no longer be accepted (type narrowed/changed)"),
    "input-type-widened": (I, "more types are accepted"),
    "input-nullable-removed": (E, "null is no longer accepted"),
    "input-enum-value-removed": (E, "an accepted enum value is gone"),
    "input-enum-value-added": (I, "a new accepted enum value"),
    "input-enum-added": (E, "values are newly restricted to an enum"),
    "input-constraint-tightened": (E, "a range, length, count or closed object now rejects more"),
    "input-constraint-loosened": (I, "a range, length, count or pattern now accepts more"),
    "input-pattern-changed": (E, "a pattern was added or changed"),
    "input-format-changed": (W, "a format was added, removed or changed"),
    "input-property-required-added": (E, "a new required property"),
    "input-property-added": (I, "a new optional property"),
    "input-property-removed": (W, "a property is no longer declared (callers still sending it)"),
    "input-property-became-required": (E, "an optional property became required"),
    "input-property-became-optional": (I, "a required property became optional"),
    "input-variant-removed": (E, "a oneOf/anyOf alternative is no longer accepted"),
    "input-variant-added": (I, "a new accepted oneOf/anyOf alternative"),
    "output-type-changed": (E, "readers get values of another or a wider type"),
    "output-type-narrowed": (I, "fewer types are sent"),
    "output-nullable-added": (E, "null may now be sent"),
    "output-enum-value-added": (E, "a new enum value readers may not handle"),
    "output-enum-value-removed": (I, "an enum value is no longer sent"),
    "output-enum-removed": (E, "values are no longer limited to an enum"),
    "output-constraint-loosened": (W, "a range, length, count or pattern now allows more"),
    "output-constraint-tightened": (I, "a range, length, count or pattern now allows less"),
    "output-pattern-changed": (W, "a pattern was changed or removed"),
    "output-format-changed": (W, "a format was added, removed or changed"),
    "output-property-removed": (E, "a property readers may use is gone"),
    "output-property-added": (I, "a new property"),
    "output-property-became-optional": (E, "a property is no longer always sent"),
    "output-property-became-required": (I, "a property is now always sent"),
    "output-variant-added": (W, "a new oneOf/anyOf alternative readers may not handle"),
    "output-variant-removed": (I, "an alternative is no longer sent"),
}


def severity_of(code: str) -> Severity:
    """The severity of rule ``code``."""
    return RULES[code][0]
