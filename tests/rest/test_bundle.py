"""The server's ``/openapi.json`` stands alone even when the spec is many files.

Swagger UI (``/docs``) fetches that one document; a ``$ref`` to
``schemas/pet.yaml`` would leave it with holes. Every served ``$ref`` must be
local and must resolve inside the served document.
"""

from __future__ import annotations

import importlib
import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import pytest
import yaml
from fastapi.testclient import TestClient
from openapi_spec_validator import validate
from rest_support import write_plan
from shared_corpus import CORPUS, needs_corpus

from generator.drive.spec import plan_target
from generator.load import load
from generator.translate.bundle import BUNDLED_KEY, bundle

ROOT = {
    "openapi": "3.1.0",
    "info": {"title": "Split Pets", "version": "1"},
    "paths": {"/pets": {"$ref": "paths/pets.yaml"}},
    "components": {
        "schemas": {"Error": {"type": "object", "properties": {"m": {"type": "string"}}}}
    },
}
PETS_PATH = {
    "get": {
        "operationId": "listPets",
        "responses": {
            "200": {
                "description": "ok",
                "content": {
                    "application/json": {
                        "schema": {"type": "array", "items": {"$ref": "../schemas/pet.yaml"}},
                        "example": [{"name": "Rex", "$ref": "not a ref: sample data"}],
                    }
                },
            },
            "default": {
                "description": "error",
                "content": {
                    "application/json": {
                        "schema": {"$ref": "../openapi.yaml#/components/schemas/Error"}
                    }
                },
            },
        },
    }
}
PET = {  # a tree of pets: the file refers to itself, and to a shared file twice
    "type": "object",
    "required": ["name"],
    "properties": {
        "name": {"type": "string"},
        "children": {"type": "array", "items": {"$ref": "pet.yaml"}},
        "tag": {"$ref": "common.yaml#/Tag"},
        "old_tag": {"$ref": "common.yaml#/Tag"},
    },
}
COMMON = {"Tag": {"type": "string", "maxLength": 20}}


def _refs(value: Any) -> Iterator[str]:
    if isinstance(value, dict):
        if isinstance(value.get("$ref"), str):
            yield value["$ref"]
        for key, item in value.items():
            if key != "example":
                yield from _refs(item)
    elif isinstance(value, list):
        for item in value:
            yield from _refs(item)


def _resolve(document: Any, ref: str) -> Any:
    assert ref.startswith("#/"), ref
    value = document
    for token in unquote(ref[2:]).split("/"):
        token = token.replace("~1", "/").replace("~0", "~")
        value = value[int(token)] if isinstance(value, list) else value[token]
    return value


def _write(folder: Path, files: dict[str, Any]) -> None:
    for name, data in files.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(yaml.safe_dump(data), encoding="utf-8")


def _served(spec: Path, out: Path, package: str) -> Any:
    plan, diagnostics = plan_target(spec, "rest-server", package=package, allow_invalid=True)
    assert plan is not None, [d.to_text() for d in diagnostics]
    write_plan(plan, out)
    sys.path.insert(0, str(out))
    try:
        app = importlib.import_module(package).create_app()
    finally:
        sys.path.remove(str(out))
    client = TestClient(app)
    assert client.get("/docs").status_code == 200
    answer = client.get("/openapi.json")
    assert answer.status_code == 200
    return answer.json()


def test_split_spec_is_served_whole(tmp_path: Path) -> None:
    files = {
        "openapi.yaml": ROOT,
        "paths/pets.yaml": PETS_PATH,
        "schemas/pet.yaml": PET,
        "schemas/common.yaml": COMMON,
    }
    _write(tmp_path / "spec", files)
    served = _served(tmp_path / "spec" / "openapi.yaml", tmp_path / "out", "split_pets")
    refs = list(_refs(served))
    assert refs and all(ref.startswith("#/") for ref in refs), refs
    for ref in refs:
        _resolve(served, ref)
    media = served["paths"]["/pets"]["get"]["responses"]["200"]["content"]["application/json"]
    pet = _resolve(served, media["schema"]["items"]["$ref"])  # the cycle is written once
    assert pet["properties"]["children"]["items"] == media["schema"]["items"]
    assert pet["properties"]["name"] == {"type": "string"}
    assert media["example"][0]["$ref"] == "not a ref: sample data"  # data stays data
    error = served["paths"]["/pets"]["get"]["responses"]["default"]["content"]
    assert error["application/json"]["schema"] == {"$ref": "#/components/schemas/Error"}
    assert set(served[BUNDLED_KEY]) == {"pet", "common.Tag"}
    validate(served)


SENDGRID = CORPUS / "openapi" / "sendgrid-v3-multifile" / "oas_v3.json"


@pytest.mark.slow
@needs_corpus
def test_sendgrid_multifile_is_served_whole(tmp_path: Path) -> None:
    served = _served(SENDGRID, tmp_path / "out", "sendgrid_bundled")
    refs = set(_refs(served))
    assert len(refs) > 100 and all(ref.startswith("#/") for ref in refs)
    for ref in refs:
        _resolve(served, ref)
    validate(served)


PAYMENT_ROOT = {
    "openapi": "3.0.3",
    "info": {"title": "Split Payments", "version": "1"},
    "paths": {
        "/payments": {
            "post": {
                "operationId": "createPayment",
                "requestBody": {
                    "required": True,
                    "content": {"application/json": {"schema": {"$ref": "schemas/payment.yaml"}}},
                },
                "responses": {"204": {"description": "taken"}},
            }
        }
    },
}
PAYMENT = {  # the mapping names files, as DigitalOcean's specs do
    "oneOf": [{"$ref": "kinds.yaml#/card"}, {"$ref": "kinds.yaml#/bank"}],
    "discriminator": {
        "propertyName": "kind",
        "mapping": {
            "card": "kinds.yaml#/card",
            "bank": "kinds.yaml#/bank",
            "cash": "kinds.yaml#/cash",
        },
    },
}
KINDS = {
    kind: {
        "type": "object",
        "required": ["kind"],
        "properties": {"kind": {"type": "string", "enum": [kind]}},
    }
    for kind in ("card", "bank", "cash")
}


def test_discriminator_mapping_into_other_files_is_served_local(tmp_path: Path) -> None:
    """A mapping value naming another file would leave ``/openapi.json`` pointing at nothing."""
    files = {
        "openapi.yaml": PAYMENT_ROOT,
        "schemas/payment.yaml": PAYMENT,
        "schemas/kinds.yaml": KINDS,
    }
    _write(tmp_path / "spec", files)
    served = _served(tmp_path / "spec" / "openapi.yaml", tmp_path / "out", "split_payments")
    body = served["paths"]["/payments"]["post"]["requestBody"]["content"]["application/json"]
    mapping = body["schema"]["discriminator"]["mapping"]
    branches = [branch["$ref"] for branch in body["schema"]["oneOf"]]
    assert branches == [mapping["card"], mapping["bank"]]  # one hoisted copy, matched by ref
    for kind, ref in mapping.items():
        assert ref.startswith(f"#/{BUNDLED_KEY}/"), ref
        assert _resolve(served, ref)["properties"]["kind"]["enum"] == [kind]
    validate(served)


DIGITALOCEAN = CORPUS / "openapi" / "digitalocean" / "specification" / "DigitalOcean-public.v2.yaml"


def _mappings(value: Any) -> Iterator[str]:
    if isinstance(value, dict):
        discriminator = value.get("discriminator")
        mapping = discriminator.get("mapping") if isinstance(discriminator, dict) else None
        if isinstance(mapping, dict):
            yield from mapping.values()
        for key, item in value.items():
            if key != "example":
                yield from _mappings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _mappings(item)


@pytest.mark.slow
@needs_corpus
def test_digitalocean_mappings_resolve_in_the_served_document(tmp_path: Path) -> None:
    plan, diagnostics = plan_target(
        DIGITALOCEAN, "rest-server", package="do_api", allow_invalid=True
    )
    assert plan is not None, [d.to_text() for d in diagnostics]
    write_plan(plan, tmp_path / "out")
    served = json.loads((tmp_path / "out" / "do_api" / "openapi.json").read_text(encoding="utf-8"))
    targets = list(_mappings(served))
    assert len(targets) > 10
    for target in targets:
        assert target.startswith("#/"), target
        _resolve(served, target)
    for ref in set(_refs(served)):
        _resolve(served, ref)


def test_a_file_only_a_mapping_names_is_not_read(tmp_path: Path) -> None:
    """Validation never read it (no ``$ref`` loads it): bundling must not serve it either."""
    files = {
        "openapi.yaml": PAYMENT_ROOT,
        "schemas/payment.yaml": {
            "oneOf": [{"$ref": "kinds.yaml#/card"}],
            "discriminator": {
                "propertyName": "kind",
                "mapping": {"card": "kinds.yaml#/card", "cash": "cash.yaml"},
            },
        },
        "schemas/kinds.yaml": KINDS,
        "schemas/cash.yaml": {"type": "object", "properties": {"a": {"$ref": "nowhere.yaml"}}},
    }
    _write(tmp_path / "spec", files)
    doc, _found = load(tmp_path / "spec" / "openapi.yaml")
    loaded = set(doc.files)
    served = bundle(doc)
    assert set(doc.files) == loaded  # nothing more read
    schema = served["paths"]["/payments"]["post"]["requestBody"]["content"]["application/json"]
    mapping = schema["schema"]["discriminator"]["mapping"]
    assert mapping["cash"] == "cash.yaml"  # left as written, as an unfollowed $ref is
    assert mapping["card"] == schema["schema"]["oneOf"][0]["$ref"]
    assert "nowhere.yaml" not in json.dumps(served)
