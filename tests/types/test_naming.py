"""Spec names -> Python names: always valid, never colliding, always the same."""

from __future__ import annotations

import builtins
import keyword

import pytest
from hypothesis import given
from hypothesis import strategies as st

from generator.naming import MAX_IDENTIFIER, NameAllocator, package_name, py_identifier

SOFT_KEYWORDS = {"match", "case", "type", "_"}


def _valid(name: str) -> bool:
    return (
        name.isidentifier()
        and name.isascii()
        and not keyword.iskeyword(name)
        and name not in SOFT_KEYWORDS
        and len(name) <= MAX_IDENTIFIER + 1
    )


@pytest.mark.parametrize(
    ("raw", "style", "expected"),
    [
        ("userId", "snake", "user_id"),
        ("user-id", "snake", "user_id"),
        ("user_id", "snake", "user_id"),
        ("UserID", "snake", "user_id"),
        ("getHTTPResponseCode", "snake", "get_http_response_code"),
        ("pet store", "pascal", "PetStore"),
        ("HTTPError", "pascal", "HTTPError"),
        ("in-progress", "upper", "IN_PROGRESS"),
        ("class", "snake", "class_"),
        ("None", "pascal", "None_"),
        ("match", "snake", "match_"),
        ("type", "snake", "type_"),
        ("_", "keep", "empty"),
        ("", "snake", "empty"),
        ("", "pascal", "Empty"),
        ("", "upper", "EMPTY"),
        ("1st", "snake", "v_1st"),
        ("2fa", "pascal", "V2fa"),
        ("404", "upper", "V_404"),
        ("_links", "snake", "links"),
        ("__proto__", "snake", "proto"),
        ("Café crème", "snake", "cafe_creme"),
        ("Ärger", "pascal", "Arger"),
        ("$ref", "snake", "ref"),
        ("a.b/c", "keep", "a_b_c"),
    ],
)
def test_known_conversions(raw: str, style: str, expected: str) -> None:
    assert py_identifier(raw, style) == expected  # type: ignore[arg-type]


@pytest.mark.parametrize("raw", ["🐍", "🐍🔥", "漢字", "Привет"])
def test_non_ascii_without_transliteration_is_hex(raw: str) -> None:
    name = py_identifier(raw)
    assert _valid(name)
    if raw[0] in "🐍漢":
        assert name.startswith("x")


def test_emoji_names_do_not_collide() -> None:
    assert py_identifier("🐍") != py_identifier("🔥")


def test_long_names_are_cut_with_a_stable_hash() -> None:
    a = "very_long_property_name_" * 10 + "a"
    b = "very_long_property_name_" * 10 + "b"
    assert len(py_identifier(a)) <= MAX_IDENTIFIER
    assert py_identifier(a) != py_identifier(b)
    assert py_identifier(a) == py_identifier(a)


@given(st.text(max_size=200), st.sampled_from(["snake", "pascal", "upper", "keep"]))
def test_any_text_gives_a_valid_identifier(raw: str, style: str) -> None:
    name = py_identifier(raw, style)  # type: ignore[arg-type]
    assert _valid(name), name
    assert not name.startswith("_")


def test_allocator_resolves_collisions_in_call_order() -> None:
    names = NameAllocator()
    assert [names.allocate(r) for r in ("user_id", "user-id", "userId", "user_id")] == [
        "user_id",
        "user_id_2",
        "user_id_3",
        "user_id",
    ]


def test_allocator_avoids_builtins_and_reserved() -> None:
    names = NameAllocator(reserved={"BaseModel", "json"})
    assert names.allocate("list") == "list_"
    assert names.allocate("id") == "id_"
    assert names.allocate("json") == "json_"
    assert names.allocate("BaseModel", "keep") == "BaseModel_"
    assert names.allocate("json_") == "json_2"


def test_allocator_without_builtins_keeps_id() -> None:
    assert NameAllocator(avoid_builtins=False).allocate("id") == "id"


def test_allocator_fresh_always_gives_a_new_name() -> None:
    names = NameAllocator()
    assert [names.fresh("Pet", "pascal") for _ in range(3)] == ["Pet", "Pet_2", "Pet_3"]


@given(st.lists(st.text(max_size=12), max_size=30))
def test_allocator_names_are_unique_and_valid(raws: list[str]) -> None:
    names = NameAllocator()
    given_names = {raw: names.allocate(raw) for raw in raws}
    assert len(set(given_names.values())) == len(given_names)
    assert all(_valid(n) and n not in dir(builtins) for n in given_names.values())


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("Swagger Petstore", "swagger_petstore"),
        ("Swagger Petstore (v2)", "swagger_petstore_v2"),
        ("123 API", "v_123_api"),
        ("", "api"),
        ("json", "json_api"),
        ("Test", "test_api"),
        ("list", "list_api"),
        ("import", "import_"),
        ("../../etc/passwd", "etc_passwd"),
    ],
)
def test_package_name(title: str, expected: str) -> None:
    assert package_name(title) == expected
    assert package_name(title).isidentifier()
