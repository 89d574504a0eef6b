"""The generated client's per-call work: URLs joined as httpx joins them, with fewer parses.

httpx parses a relative URL and then the joined one on every request (a
quarter of a call's CPU); ``runtime._target`` joins a path without parameters
once per base URL and a filled-in path with one parse. These tests hold it to
httpx's own answer for awkward bases and paths, and count the parses a call
makes (a load-independent stand-in for ``benchmarks/serve.py --instructions``).
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from rest_support import write_plan

from generator.drive.spec import plan_target

REPO = Path(__file__).resolve().parents[2]

BASES = (
    "http://127.0.0.1:8000",
    "http://127.0.0.1:8000/",
    "https://api.example.com/v1",
    "https://api.example.com/v1/",
    "http://[::1]:8080/a%20b/",
    "http://example.com/base?x=1",
    "",
)
PATHS = (
    "/pets",
    "/pets/1",
    "/pets/a%2Fb",
    "/pets/%zz",
    "/pets/a b",
    "/pets/./x/../y",
    "/päts/1",
    "/pets/1?x=y",
    "/pets/1#frag",
    "//evil.example/x",
    "/:x",
    "pets/1",
    "/",
    "/pets/\t",
)


@pytest.fixture(scope="module")
def client_pkg(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """The petstore client, generated under a name no other test imports."""
    out = tmp_path_factory.mktemp("cost")
    plan, diagnostics = plan_target(
        REPO / "specs" / "petstore.yaml", "rest-client", package="cost_client"
    )
    assert plan is not None, [d.to_text() for d in diagnostics]
    write_plan(plan, out)
    sys.path.insert(0, str(out))
    try:
        yield importlib.import_module("cost_client")
    finally:
        sys.path.remove(str(out))


def _sent_to(http: httpx.Client, url: Any, params: Any) -> str:
    """Where httpx would send ``GET url``, or that it refuses the URL."""
    try:
        return str(http.build_request("GET", url, params=params).url)
    except httpx.InvalidURL as e:
        return f"InvalidURL: {e}"


@pytest.mark.parametrize("base", BASES)
def test_joined_url_is_httpxs(client_pkg: Any, base: str) -> None:
    runtime = client_pkg.runtime
    http = httpx.Client(base_url=base)
    for path in PATHS:
        for constant in (True, False):
            endpoint = runtime.Endpoint()
            for params in (None, [("limit", "10")]):
                want = _sent_to(http, path, params)
                for _ in range(2):  # the second time from the endpoint's memo
                    try:
                        target = runtime._target(http, endpoint, path, constant)
                    except httpx.InvalidURL as e:
                        got = f"InvalidURL: {e}"
                    else:
                        got = _sent_to(http, target, params)
                    assert got == want, (base, path, constant, params)


def test_a_new_base_url_is_followed(client_pkg: Any) -> None:
    runtime = client_pkg.runtime
    http = httpx.Client(base_url="http://one.example/api")
    endpoint = runtime.Endpoint()
    assert str(runtime._target(http, endpoint, "/pets", True)) == "http://one.example/api/pets"
    http.base_url = "http://two.example/v2"  # type: ignore[assignment]
    assert str(runtime._target(http, endpoint, "/pets", True)) == "http://two.example/v2/pets"
    other = httpx.Client(base_url="http://three.example")
    assert str(runtime._target(other, endpoint, "/pets", True)) == "http://three.example/pets"
    assert str(runtime._target(http, endpoint, "/pets", True)) == "http://two.example/v2/pets"


def _counted(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every URL httpx parses from now on (``urlparse``, called from ``_urls`` and ``_urlparse``)."""
    import httpx._urlparse as parsing
    import httpx._urls as urls

    parsed: list[str] = []
    real = parsing.urlparse

    def urlparse(url: str = "", **kwargs: Any) -> Any:
        parsed.append(url or str(kwargs.get("path")))
        return real(url, **kwargs)

    monkeypatch.setattr(urls, "urlparse", urlparse)
    monkeypatch.setattr(parsing, "urlparse", urlparse)
    return parsed


def test_a_call_parses_fewer_urls_than_plain_httpx(
    client_pkg: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[str] = []

    def answer(request: httpx.Request) -> httpx.Response:
        seen.append(str(request.url))
        body = b'{"id":1,"name":"Rex"}' if request.url.path != "/pets" else b"[]"
        return httpx.Response(200, content=body, headers={"content-type": "application/json"})

    base = "http://127.0.0.1:8000"
    transport = httpx.MockTransport(answer)
    client = client_pkg.Client(base, http=httpx.Client(base_url=base, transport=transport))
    plain = httpx.Client(base_url=base, transport=transport)
    calls = {
        "show_pet_by_id": (lambda: client.show_pet_by_id(pet_id=1), lambda: plain.get("/pets/1")),
        "list_pets(limit)": (
            lambda: client.list_pets(limit=10),
            lambda: plain.get("/pets", params={"limit": 10}),
        ),
        "list_pets()": (lambda: client.list_pets(), lambda: plain.get("/pets")),
    }
    for generated, _ in calls.values():
        generated()  # the endpoint joins its URL on the first call
    parsed = _counted(monkeypatch)
    counts = {}
    for name, (generated, baseline) in calls.items():
        for side, call in (("generated", generated), ("plain", baseline)):
            del parsed[:], seen[:]
            call()
            counts[name, side] = len(parsed)
            counts[name, side, "url"] = seen[0]
    for name in calls:
        assert counts[name, "generated", "url"] == counts[name, "plain", "url"]
    assert {name: counts[name, "generated"] for name in calls} == {
        "show_pet_by_id": 1,  # the filled-in path, joined
        "list_pets(limit)": 1,  # the query added
        "list_pets()": 0,
    }
    assert {name: counts[name, "plain"] for name in calls} == {
        "show_pet_by_id": 2,
        "list_pets(limit)": 3,
        "list_pets()": 2,
    }


@pytest.mark.parametrize("value", [".", ".."])
def test_a_dot_segment_value_stays_in_its_segment(client_pkg: Any, value: str) -> None:
    """``pet_id=".."`` must reach ``/pets/%2E%2E``: written as is, httpx drops the segment and the one before."""
    seen: list[httpx.URL] = []

    def answer(request: httpx.Request) -> httpx.Response:
        seen.append(request.url)
        return httpx.Response(404, json={"code": 404, "message": "no such pet"})

    base = "http://pets.example/api"
    http = httpx.Client(base_url=base, transport=httpx.MockTransport(answer))
    client = client_pkg.Client(base, http=http)
    with pytest.raises(client_pkg.errors.ApiError):
        client.show_pet_by_id(pet_id=value)
    assert seen[0].raw_path == b"/api/pets/" + value.replace(".", "%2E").encode()
