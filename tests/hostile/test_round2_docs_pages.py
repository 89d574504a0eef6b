"""Spec text on the HTML pages a generated server serves is escaped (no stored XSS).

A title or description that closes the ``<title>`` element, opens a script,
starts an HTML comment or carries U+2028 (a line break inside JavaScript
strings) is served over real HTTP by the generated REST and stream servers;
every page must show it as text, never as markup.
"""

from __future__ import annotations

import html
from pathlib import Path

import httpx
import pytest

from .round2_support import generate, serve

HOSTILE = "Pets</title><script>alert('x')</script><!-- '\"\\ \u2028\u2029 </script> & <b>"
"""Closes the title, runs a script, opens a comment, breaks a JS string."""

MARKUP = ("<script>alert", "</title><script", "<!-- '", "<b>", "\u2028")


def _openapi() -> dict[str, object]:
    return {
        "openapi": "3.1.0",
        "info": {"title": HOSTILE, "version": HOSTILE, "description": HOSTILE},
        "paths": {
            "/pets": {
                "get": {
                    "operationId": "listPets",
                    "summary": HOSTILE,
                    "description": HOSTILE,
                    "responses": {"200": {"description": HOSTILE}},
                }
            }
        },
    }


def _asyncapi() -> dict[str, object]:
    return {
        "asyncapi": "3.0.0",
        "info": {"title": HOSTILE, "version": "1.0.0", "description": HOSTILE},
        "servers": {"web": {"host": "localhost:8000", "protocol": "ws", "description": HOSTILE}},
        "channels": {
            "room": {
                "address": "/room",
                "description": HOSTILE,
                "messages": {"said": {"payload": {"type": "string", "description": HOSTILE}}},
            }
        },
        "operations": {
            "hear": {
                "action": "receive",
                "channel": {"$ref": "#/channels/room"},
                "summary": HOSTILE,
            }
        },
    }


def _assert_escaped(page: httpx.Response) -> None:
    assert page.status_code == 200, page.text[:500]
    assert page.headers["content-type"].startswith("text/html")
    text = page.text
    for markup in MARKUP:
        assert markup not in text, f"{markup!r} reached the page unescaped"
    shown = html.escape(HOSTILE).encode("ascii", "xmlcharrefreplace").decode()
    assert f"<title>{shown}</title>" in text, "the title is shown, escaped once"
    # The page's own scripts are the only ones: the spec's </script> closed nothing.
    assert text.count("<script") == text.count("</script>")


@pytest.mark.timeout(240)
def test_rest_server_docs_page_escapes_spec_text(tmp_path: Path) -> None:
    """GET /docs of a generated REST server: the hostile title is text, not markup."""
    project, package = generate(tmp_path, _openapi(), "rest-server")
    with serve(project, package) as (base, _):
        _assert_escaped(httpx.get(base + "/docs", timeout=10))
        spec = httpx.get(base + "/openapi.json", timeout=10)
        assert spec.json()["info"]["title"] == HOSTILE, "the JSON document keeps the text exact"


@pytest.mark.timeout(240)
@pytest.mark.parametrize("page", ["/docs", "/redoc"])
def test_stream_server_docs_pages_escape_spec_text(tmp_path: Path, page: str) -> None:
    """GET /docs and /redoc of a generated stream server: the hostile title is text."""
    project, package = generate(tmp_path, _asyncapi(), "stream-server")
    with serve(project, package) as (base, _):
        served = httpx.get(base + page, timeout=10)
        _assert_escaped(served)
        assert httpx.get(base + "/openapi.json", timeout=10).json()["info"]["title"] == HOSTILE
        # offline, as the REST targets' pages: the app serves Swagger UI's and ReDoc's files
        assert "cdn." not in served.text and "fonts.googleapis" not in served.text
        asset = "/docs-assets/" + ("swagger-ui-bundle.js" if page == "/docs" else "redoc.standalone.js")
        assert asset in served.text
        assert httpx.get(base + asset, timeout=10).status_code == 200
