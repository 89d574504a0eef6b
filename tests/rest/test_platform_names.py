"""Names no client or file system can carry: header names outside Latin-1, Windows device names.

A header called ``X-👾`` can never arrive (HTTP field names are tokens), so
the server reads it as absent instead of failing every call; a tag or
package called ``con`` never becomes ``con.py`` or ``con/``, which Windows
cannot create or check out.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from fastapi.testclient import TestClient
from rest_support import write_plan

from generator.drive.spec import plan_target

DEVICE_TAGS = ["con", "AUX", "nul", "Com1", "lpt9", "prn"]


def _spec(tmp_path: Path, doc: dict[str, Any]) -> Path:
    path = tmp_path / "spec.yaml"
    path.write_text(yaml.safe_dump(doc, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return path


def _tagged(tags: list[str], title: str = "T") -> dict[str, Any]:
    paths = {
        f"/t{i}": {"get": {"tags": [tag], "responses": {"200": {"description": "ok"}}}}
        for i, tag in enumerate(tags)
    }
    return {"openapi": "3.1.0", "info": {"title": title, "version": "1"}, "paths": paths}


def _stems(paths: list[str]) -> set[str]:
    return {part.split(".")[0].lower() for path in paths for part in path.split("/")}


@pytest.mark.parametrize("target", ["rest-server", "rest-client"])
def test_device_name_tags_get_other_module_names(tmp_path: Path, target: str) -> None:
    plan, diagnostics = plan_target(_spec(tmp_path, _tagged(DEVICE_TAGS)), target)
    assert plan is not None, [d.to_text() for d in diagnostics]
    stems = _stems([f.path for f in plan.files])
    assert not stems & {t.lower() for t in DEVICE_TAGS}, sorted(stems)
    if target == "rest-server":
        routers = sorted(f.path.rsplit("/", 1)[1] for f in plan.files if "/routers/" in f.path)
        assert len(routers) == len(DEVICE_TAGS) + 1  # one module per tag, plus __init__.py


@pytest.mark.parametrize(("package", "title"), [("con", "T"), (None, "Con"), ("LPT1", "T")])
def test_device_name_package_is_renamed(tmp_path: Path, package: str | None, title: str) -> None:
    spec = _spec(tmp_path, _tagged(["pets"], title))
    plan, diagnostics = plan_target(spec, "rest-server", package=package)
    assert plan is not None, [d.to_text() for d in diagnostics]
    tops = {f.path.split("/")[0] for f in plan.files if "/" in f.path} - {"tests"}
    assert tops == {(package or title.lower()) + "_api"}


HEADER = "X-👾"


@pytest.fixture(scope="module")
def alien_header_server(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[tuple[Any, list[str]]]:
    root = tmp_path_factory.mktemp("alien")
    doc = {
        "openapi": "3.1.0",
        "info": {"title": "Alien", "version": "1"},
        "paths": {
            "/thing": {
                "get": {
                    "operationId": "getThing",
                    "parameters": [
                        {"name": HEADER, "in": "header", "schema": {"type": "string"}},
                        {"name": "X-Plain", "in": "header", "schema": {"type": "integer"}},
                    ],
                    "responses": {
                        "200": {
                            "description": "ok",
                            "content": {
                                "application/json": {
                                    "schema": {"type": "string"},
                                    "example": "fine",
                                }
                            },
                        }
                    },
                }
            }
        },
    }
    plan, diagnostics = plan_target(_spec(root, doc), "rest-server", package="alien_api")
    assert plan is not None, [d.to_text() for d in diagnostics]
    write_plan(plan, root / "out")
    sys.path.insert(0, str(root / "out"))
    try:
        yield importlib.import_module("alien_api"), [d.code for d in diagnostics]
    finally:
        sys.path.remove(str(root / "out"))


def test_non_token_header_name_is_warned(alien_header_server: tuple[Any, list[str]]) -> None:
    _package, codes = alien_header_server
    assert codes.count("header-name-not-token") == 1


def test_non_latin1_header_is_absent_not_a_500(alien_header_server: tuple[Any, list[str]]) -> None:
    package, _codes = alien_header_server
    client = TestClient(package.create_app(), raise_server_exceptions=False)
    answer = client.get("/thing")
    assert (answer.status_code, answer.json()) == (200, "fine")
    # the other header of the same operation is still read and validated
    assert client.get("/thing", headers={"X-Plain": "7"}).status_code == 200
    assert client.get("/thing", headers={"X-Plain": "seven"}).status_code == 422
