"""Hand-written FastAPI twins of the benchmarked routes of specs/petstore.yaml and specs/bookstore.yaml.

What a FastAPI user would write by hand for the same routes: the same pydantic
models and constraints, ``Query``/``Path`` parameters, a JSON body, the same
example replies and statuses, and the ETag/304 validation the spec declares
for ``GET /books/{bookId}``. ``benchmarks/serve.py`` serves these beside the
generated servers (``uvicorn handwritten:petstore`` / ``handwritten:bookstore``).
"""

from __future__ import annotations

import hashlib
import hmac
import os
from enum import Enum
from typing import Annotated

from fastapi import Depends, FastAPI, Header, HTTPException, Path, Query, Response
from fastapi.security import APIKeyHeader
from pydantic import BaseModel, ConfigDict, Field


class ApiModel(BaseModel):
    model_config = ConfigDict(populate_by_name=True, extra="allow")


# ---------------------------------------------------------------- petstore


class NewPet(ApiModel):
    name: Annotated[str, Field(min_length=1, max_length=60)]
    tag: str | None = None


class Pet(ApiModel):
    id: int
    name: str
    tag: str | None = None


petstore = FastAPI(title="Petstore", openapi_url=None, docs_url=None, redoc_url=None)
_PETS = [Pet(id=0, name="string")]
_PET = Pet(id=1, name="Rex", tag="dog")
_CREATED = Pet(id=0, name="string")


@petstore.get("/pets", response_model_exclude_none=True)  # optional fields: omitted, never null
async def list_pets(
    limit: Annotated[int | None, Query(ge=1, le=100, description="How many pets.")] = None,
) -> list[Pet]:
    return _PETS


@petstore.post("/pets", status_code=201, response_model_exclude_none=True)
async def create_pet(body: NewPet) -> Pet:
    return _CREATED


@petstore.get("/pets/{pet_id}", response_model_exclude_none=True)
async def show_pet_by_id(pet_id: Annotated[int, Path(ge=1)]) -> Pet:
    return _PET


# ---------------------------------------------------------------- bookstore


class Genre(str, Enum):
    FICTION = "fiction"
    HISTORY = "history"
    SCIENCE = "science"


class NewBook(ApiModel):
    title: Annotated[str, Field(min_length=1, max_length=200)]
    isbn: Annotated[str, Field(pattern="^[0-9]{13}$")]
    genre: Genre | None = None
    price: Annotated[float, Field(ge=0)] | None = None
    tags: list[str] | None = None
    subtitle: str | None = None


class Book(NewBook):
    id: Annotated[int, Field(ge=1)]


bookstore = FastAPI(title="Bookstore", openapi_url=None, docs_url=None, redoc_url=None)
_BOOK = Book(title="string", isbn="0000000000000", id=1)
_header_key = APIKeyHeader(name="X-API-Key", auto_error=False)


async def header_key(key: Annotated[str | None, Depends(_header_key)]) -> None:
    if key is None:
        raise HTTPException(401, "credentials required")
    expected = os.environ.get("BOOKSTORE_HEADER_KEY", "")
    if not expected or not hmac.compare_digest(expected.encode(), key.encode()):
        raise HTTPException(403, "credentials refused")


@bookstore.get("/books")
async def list_books(
    genre: Annotated[Genre | None, Query()] = None,
    limit: Annotated[int, Query(ge=1, le=50)] = 10,
) -> list[Book]:
    return [_BOOK]


@bookstore.post("/books", status_code=201, dependencies=[Depends(header_key)])
async def create_book(body: NewBook) -> Book:
    return _BOOK


@bookstore.get("/books/{book_id}", response_model=Book, responses={304: {}})
async def get_book(
    book_id: Annotated[int, Path(ge=1)],
    if_none_match: Annotated[str | None, Header()] = None,
) -> Response:
    # The spec declares an ETag on this reply and a 304: validate like any cache-aware app.
    body = _BOOK.model_dump_json(exclude_none=True).encode()
    etag = '"' + hashlib.sha256(body).hexdigest()[:32] + '"'
    if if_none_match is not None and etag in (tag.strip() for tag in if_none_match.split(",")):
        return Response(status_code=304, headers={"ETag": etag})
    return Response(body, media_type="application/json", headers={"ETag": etag})
