"""Media-type decisions for the HTTP builder: which body and response to speak.

A spec may list several media types per body or response; the generated code
speaks one. JSON wins, then forms, then binary and text, so the choice is
deterministic and the one most clients expect.
"""

from __future__ import annotations

from generator.ir.http import BodyKind, ResponseKind

__all__ = ["body_kind", "pick_media", "response_kind"]


def _base(media: str) -> str:
    return media.split(";", 1)[0].strip().lower()


def _is_json(media: str) -> bool:
    base = _base(media)
    return base == "application/json" or base.endswith("+json") or base == "*/*json"


def body_kind(media: str) -> BodyKind:
    """How a request body of ``media`` is encoded."""
    base = _base(media)
    if _is_json(base):
        return BodyKind.JSON
    if base == "application/x-www-form-urlencoded":
        return BodyKind.FORM
    if base.startswith("multipart/"):
        return BodyKind.MULTIPART
    if base.startswith("text/"):
        return BodyKind.TEXT
    return BodyKind.BINARY


def response_kind(media: str) -> ResponseKind:
    """How a response body of ``media`` is decoded."""
    base = _base(media)
    if _is_json(base):
        return ResponseKind.JSON
    if base == "text/event-stream":
        return ResponseKind.EVENT_STREAM
    if base.startswith("text/"):
        return ResponseKind.TEXT
    return ResponseKind.BINARY


_RANK = {
    BodyKind.JSON: 0,
    BodyKind.FORM: 1,
    BodyKind.MULTIPART: 2,
    BodyKind.BINARY: 3,
    BodyKind.TEXT: 4,
}


def pick_media(media_types: list[str], *, response: bool = False) -> str | None:
    """The media type to speak among ``media_types`` (JSON first), or None."""
    if not media_types:
        return None
    if response:
        for media in media_types:
            if response_kind(media) is ResponseKind.EVENT_STREAM:
                return media
    ranked = sorted(enumerate(media_types), key=lambda im: (_RANK[body_kind(im[1])], im[0]))
    return ranked[0][1]
