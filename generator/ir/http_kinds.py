"""The enumerations of the HTTP IR: where a parameter is, how it is written, what a body is."""

from __future__ import annotations

import enum

__all__ = ["BodyKind", "ParamLocation", "ResponseKind", "SchemeKind", "Shape", "Style"]


class ParamLocation(str, enum.Enum):
    """Where a parameter travels."""

    PATH = "path"
    QUERY = "query"
    HEADER = "header"
    COOKIE = "cookie"


class Style(str, enum.Enum):
    """OpenAPI 3 serialisation styles."""

    FORM = "form"
    SIMPLE = "simple"
    LABEL = "label"
    MATRIX = "matrix"
    SPACE_DELIMITED = "spaceDelimited"
    PIPE_DELIMITED = "pipeDelimited"
    DEEP_OBJECT = "deepObject"


class Shape(str, enum.Enum):
    """What a parameter's schema holds: it decides how a style splits the text."""

    SCALAR = "scalar"
    ARRAY = "array"
    OBJECT = "object"


class BodyKind(str, enum.Enum):
    """How a request body is encoded on the wire."""

    JSON = "json"
    FORM = "form"
    MULTIPART = "multipart"
    BINARY = "binary"
    TEXT = "text"


class ResponseKind(str, enum.Enum):
    """How a response body is decoded."""

    JSON = "json"
    TEXT = "text"
    BINARY = "binary"
    EVENT_STREAM = "event_stream"
    EMPTY = "empty"


class SchemeKind(str, enum.Enum):
    """Security scheme kinds, with HTTP schemes split by what the client sends."""

    API_KEY = "api_key"
    HTTP_BASIC = "http_basic"
    HTTP_BEARER = "http_bearer"
    OAUTH2 = "oauth2"
    OPENID = "openid"
    MUTUAL_TLS = "mutual_tls"
