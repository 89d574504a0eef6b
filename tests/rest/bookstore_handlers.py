"""A user's handlers.py for the generated bookstore server (copied in by the end-to-end tests).

It echoes parameters back as the server parsed them, keeps books in memory,
raises declared errors, streams events and delivers a webhook and a callback,
so the tests can check both directions of every feature.
"""

import os
import uuid
from collections.abc import AsyncIterator
from datetime import datetime, timezone
from typing import Annotated, Any

from fastapi.responses import Response
from pydantic import Field

from . import headers, models, runtime, webhooks
from .default_handlers import DefaultHandlers

BOOKS: dict[int, models.Book] = {}
CHANGED: dict[int, datetime] = {}
CONTENT: dict[int, bytes] = {}


class Handlers(DefaultHandlers):
    """Handlers with real behaviour."""

    async def create_book(self, *, body: models.NewBook) -> Response | models.Book:
        if any(b.isbn == body.isbn for b in BOOKS.values()):
            raise runtime.ApiError(409, models.Error(detail=f"isbn {body.isbn} exists"))
        book = models.Book(id=len(BOOKS) + 1, **body.model_dump(exclude_unset=True))
        BOOKS[book.id] = book
        url = os.environ.get("WEBHOOK_URL")
        if url:
            await webhooks.send_new_book(url, book)
        return book

    async def get_book(
        self, *, book_id: Annotated[int, Field(ge=1)]
    ) -> Response | runtime.Reply[models.Book] | models.Book:
        if book_id not in BOOKS:
            raise runtime.ApiError(404, models.Error(detail=f"no book {book_id}"))
        changed = CHANGED.get(book_id, datetime(2026, 1, 1, tzinfo=timezone.utc))
        # the ETag is left to the server: a strong hash of the body
        declared = headers.GetBookHeaders(cache_control="max-age=0, must-revalidate", last_modified=changed)
        return runtime.Reply(BOOKS[book_id], declared)

    async def list_books(
        self,
        *,
        genre: models.Genre | None,
        limit: Annotated[int, Field(ge=1, le=50)] | None,
    ) -> Response | list[models.Book]:
        books = [b for b in BOOKS.values() if genre is None or b.genre == genre]
        return books[: limit or 10]

    async def update_book(
        self,
        *,
        book_id: Annotated[int, Field(ge=1)],
        body: models.NewBook,
        if_match: str | None = None,  # checked by the server before this runs (412)
    ) -> Response | models.Book:
        book = models.Book(id=book_id, **body.model_dump(exclude_unset=True))
        BOOKS[book_id] = book
        CHANGED[book_id] = datetime.now(timezone.utc).replace(microsecond=0)
        return book

    async def delete_book(self, *, book_id: Annotated[int, Field(ge=1)]) -> Response | None:
        if BOOKS.pop(book_id, None) is None:
            raise runtime.ApiError(404, {"detail": f"no book {book_id}"})
        return None

    async def echo_path(
        self, *, ids: list[int], labels: list[str], point: models.Point
    ) -> Response | dict[str, Any]:
        return {"ids": ids, "labels": labels, "point": point.model_dump()}

    async def echo_matrix(self, *, tags: list[str]) -> Response | dict[str, Any]:
        return {"tags": tags}

    async def echo_query(
        self,
        *,
        color: list[str] | None,
        size: list[int] | None,
        words: list[str] | None,
        codes: list[str] | None,
        range_: models.Range | None,
        x_trace: list[str] | None,
        lang: str | None,
    ) -> Response | dict[str, Any]:
        return {
            "color": color,
            "size": size,
            "words": words,
            "codes": codes,
            "range": range_.model_dump() if range_ else None,
            "x_trace": x_trace,
            "lang": lang,
        }

    async def echo_object(self, *, page: models.Page | None) -> Response | dict[str, Any]:
        return {"page": page.model_dump() if page else None}

    async def upload_cover(
        self, *, book_id: Annotated[int, Field(ge=1)], body: models.UploadCoverBody
    ) -> Response | models.Cover:
        return models.Cover(size=len(body.image), caption=body.caption)

    async def upload_content(
        self, *, book_id: Annotated[int, Field(ge=1)], body: bytes
    ) -> Response | None:
        CONTENT[book_id] = body
        return None

    async def download_content(self, *, book_id: Annotated[int, Field(ge=1)]) -> Response | bytes:
        return CONTENT.get(book_id, b"")

    async def stream_events(
        self,
    ) -> Response | AsyncIterator[models.BookEvent | runtime.ServerEvent[models.BookEvent]]:
        async def events() -> AsyncIterator[
            models.BookEvent | runtime.ServerEvent[models.BookEvent]
        ]:
            for i, kind in enumerate(("added", "changed", "removed"), start=1):
                event = models.BookEvent(kind=models.BookEventKind(kind), book_id=i)
                # the first goes bare; the others carry an id, and the last an event name
                if i == 1:
                    yield event
                else:
                    yield runtime.ServerEvent(event, id=str(i), event=kind if i == 3 else None)

        return events()

    async def subscribe(self, *, body: models.NewSubscription) -> Response | models.Subscription:
        event = models.BookEvent(kind=models.BookEventKind.ADDED, book_id=7)
        await webhooks.send_subscribe_book_event(body.callback_url, event)
        return models.Subscription(id=uuid.uuid4(), callback_url=body.callback_url)
