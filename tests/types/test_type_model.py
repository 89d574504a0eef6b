"""JSON Schema -> pydantic models, judged by what the generated models accept and reject."""

from __future__ import annotations

import datetime
import subprocess
import sys
import uuid
from pathlib import Path
from typing import Any

import pytest
from model_support import Built, build
from pydantic import BaseModel, TypeAdapter, ValidationError

from generator.ir.schema import IR_VERSION, Model, TypeKind
from generator.render.format import ruff_binary

OAS30 = """\
openapi: 3.0.3
info: {title: Types, version: "1"}
paths: {}
components:
  schemas:
    Names:
      type: object
      required: [user-id, class]
      properties:
        user-id: {type: integer}
        user_id: {type: string}
        userId: {type: string}
        class: {type: string}
        model_config: {type: string}
        schema: {type: string}
        json: {type: string}
        copy: {type: string}
        dict: {type: string}
        1st: {type: string}
        id: {type: integer}
        str: {type: string}
        datetime: {type: string, format: date-time}
    Nullables:
      type: object
      required: [requiredNullable, requiredPlain]
      properties:
        requiredNullable: {type: string, nullable: true}
        requiredPlain: {type: string}
        optionalNullable: {type: string, nullable: true}
        optionalPlain: {type: string}
    Status:
      type: string
      enum: [available, pending, sold-out, "1st", ""]
    Priority:
      type: integer
      enum: [1, 2, 3]
    Mixed:
      enum: [a, 1, true]
    NullableEnum:
      type: string
      nullable: true
      enum: [x, y, null]
    Pet:
      type: object
      required: [name, petType]
      properties:
        name: {type: string, minLength: 1, maxLength: 20}
        petType: {type: string}
        status: {$ref: '#/components/schemas/Status'}
        tags: {type: array, items: {type: string}, minItems: 0, maxItems: 3}
    Cat:
      allOf:
        - $ref: '#/components/schemas/Pet'
        - type: object
          required: [lives]
          properties:
            lives: {type: integer, minimum: 0, maximum: 9}
    Dog:
      allOf:
        - $ref: '#/components/schemas/Pet'
        - type: object
          properties:
            barks: {type: boolean, default: true}
    AnyPet:
      oneOf:
        - $ref: '#/components/schemas/Cat'
        - $ref: '#/components/schemas/Dog'
      discriminator:
        propertyName: petType
        mapping:
          kitty: '#/components/schemas/Cat'
          doggo: '#/components/schemas/Dog'
    Shape:
      oneOf:
        - $ref: '#/components/schemas/Circle'
        - $ref: '#/components/schemas/Square'
      discriminator: {propertyName: kind}
    Circle:
      type: object
      required: [kind, radius]
      properties:
        kind: {type: string, enum: [circle]}
        radius: {type: number, exclusiveMinimum: true, minimum: 0}
    Square:
      type: object
      required: [kind, side]
      properties:
        kind: {type: string}
        side: {type: number}
    StringOrNumber:
      oneOf: [{type: string}, {type: number}]
    Labels:
      type: object
      additionalProperties: {type: integer}
    Closed:
      type: object
      additionalProperties: false
      properties:
        a: {type: string}
    Open:
      type: object
      properties:
        a: {type: string}
    Formats:
      type: object
      required: [when, day, id, blob, b64, mail, link]
      properties:
        when: {type: string, format: date-time}
        day: {type: string, format: date}
        id: {type: string, format: uuid}
        blob: {type: string, format: binary}
        b64: {type: string, format: byte}
        mail: {type: string, format: email}
        link: {type: string, format: uri}
    Constraints:
      type: object
      required: [code, count, ratio, password]
      properties:
        code: {type: string, pattern: '^[A-Z]{2}-\\d{3}$'}
        count: {type: integer, minimum: 1, maximum: 10, multipleOf: 2}
        ratio: {type: number, minimum: 0, maximum: 1, exclusiveMaximum: true}
        password: {type: string, pattern: '^(?=.*[0-9])(?=.*[a-z]).{8,}$'}
        rusty: {type: string, pattern: '\\p{L}+'}
    Defaults:
      type: object
      properties:
        title: {type: string, default: untitled}
        status: {allOf: [{$ref: '#/components/schemas/Status'}], default: pending}
        sizes: {type: array, items: {type: integer}, default: [1, 2]}
        max-count: {type: integer, default: 5}
        wrong: {type: integer, default: "ten"}
    Account:
      type: object
      required: [id, password, name]
      properties:
        id: {type: integer, readOnly: true}
        password: {type: string, writeOnly: true}
        name: {type: string}
    Node:
      type: object
      required: [value]
      properties:
        value: {type: string}
        children: {type: array, items: {$ref: '#/components/schemas/Node'}}
        parent: {$ref: '#/components/schemas/Node'}
    Left:
      type: object
      properties:
        right: {$ref: '#/components/schemas/Right'}
    Right:
      type: object
      properties:
        left: {$ref: '#/components/schemas/Left'}
    Loop:
      type: array
      items: {$ref: '#/components/schemas/Loop'}
    Inline:
      type: object
      required: [owner]
      properties:
        owner:
          type: object
          required: [name]
          properties:
            name: {type: string}
            kind: {type: string, enum: [person, org]}
        items:
          type: array
          items:
            type: object
            properties:
              sku: {type: string}
    BaseModel:
      type: object
      properties: {a: {type: string}}
    list:
      type: string
    Field:
      type: integer
    datetime:
      type: string
    pet:
      type: object
      properties: {b: {type: string}}
    Id: {type: string, format: uuid}
    Ids: {type: array, items: {$ref: '#/components/schemas/Id'}}
    Free: {}
"""


@pytest.fixture(scope="module")
def oas30(tmp_path_factory: pytest.TempPathFactory) -> Built:
    return build(tmp_path_factory.mktemp("oas30"), OAS30)


def model(built: Built, name: str) -> type[BaseModel]:
    ref = built.refs[name]
    cls = getattr(built.module, ref.annotation)
    assert isinstance(cls, type) and issubclass(cls, BaseModel)
    return cls


def adapter(built: Built, name: str) -> TypeAdapter[Any]:
    return TypeAdapter(eval(built.refs[name].annotation, vars(built.module)))


def test_ir_is_versioned(oas30: Built) -> None:
    assert oas30.types.ir_version == IR_VERSION


def test_wire_names_survive_as_aliases(oas30: Built) -> None:
    names = model(oas30, "Names")
    data = {
        "user-id": 1,
        "user_id": "a",
        "userId": "b",
        "class": "c",
        "model_config": "d",
        "schema": "e",
        "json": "f",
        "copy": "g",
        "dict": "h",
        "1st": "i",
        "id": 7,
        "str": "j",
        "datetime": "2024-05-01T10:00:00Z",
    }
    obj = names.model_validate(data)
    dumped = obj.model_dump(mode="json", by_alias=True, exclude_unset=True)
    assert dumped == {**data, "datetime": "2024-05-01T10:00:00Z"}
    fields = set(names.model_fields)
    assert {"user_id", "user_id_2", "user_id_3", "class_", "v_1st", "id"} <= fields
    assert names.model_fields["user_id"].validation_alias is None  # the wire name that fits
    assert "model_config" not in fields and "json" not in fields and "str" not in fields
    assert obj.model_dump is not None and callable(obj.model_copy)  # pydantic internals intact


def test_field_names_are_accepted_too(oas30: Built) -> None:
    names = model(oas30, "Names")
    obj = names(user_id_2=3, class_="x", user_id="y")
    assert obj.model_dump(by_alias=True, exclude_unset=True) == {
        "user-id": 3,
        "class": "x",
        "user_id": "y",
    }


def test_nullable_is_not_optional(oas30: Built) -> None:
    cls = model(oas30, "Nullables")
    cls.model_validate({"requiredNullable": None, "requiredPlain": "x"})
    with pytest.raises(ValidationError):
        cls.model_validate({"requiredPlain": "x"})  # required, even though nullable
    with pytest.raises(ValidationError):
        cls.model_validate({"requiredNullable": "a", "requiredPlain": None})
    obj = cls.model_validate({"requiredNullable": None, "requiredPlain": "x"})
    assert obj.model_dump(by_alias=True, exclude_unset=True) == {
        "requiredNullable": None,
        "requiredPlain": "x",
    }


def test_enums(oas30: Built) -> None:
    status = oas30.module.Status
    assert [m.value for m in status] == ["available", "pending", "sold-out", "1st", ""]
    assert [m.name for m in status] == ["AVAILABLE", "PENDING", "SOLD_OUT", "V_1ST", "EMPTY"]
    priority = adapter(oas30, "Priority")
    assert priority.validate_python(2).value == 2
    with pytest.raises(ValidationError):
        priority.validate_python(4)
    assert oas30.refs["Mixed"].kind is TypeKind.ALIAS
    mixed = adapter(oas30, "Mixed")
    assert mixed.validate_python(True) is True
    with pytest.raises(ValidationError):
        mixed.validate_python("b")
    nullable = adapter(oas30, "NullableEnum")
    assert nullable.validate_python(None) is None
    with pytest.raises(ValidationError):
        adapter(oas30, "Status").validate_python("unknown")


def test_all_of_merges_properties_and_required(oas30: Built) -> None:
    cat = model(oas30, "Cat")
    assert {"name", "pet_type", "status", "tags", "lives"} <= set(cat.model_fields)
    with pytest.raises(ValidationError):
        cat.model_validate({"name": "Tom", "petType": "kitty"})  # lives required
    with pytest.raises(ValidationError):
        cat.model_validate({"name": "", "petType": "kitty", "lives": 3})  # minLength
    with pytest.raises(ValidationError):
        cat.model_validate({"name": "Tom", "petType": "kitty", "lives": 10})  # maximum


def test_discriminated_union_with_mapping(oas30: Built) -> None:
    pets = adapter(oas30, "AnyPet")
    cat = pets.validate_python({"petType": "kitty", "name": "Tom", "lives": 9})
    dog = pets.validate_python({"petType": "doggo", "name": "Rex"})
    assert type(cat).__name__ == "Cat" and type(dog).__name__ == "Dog"
    assert dog.barks is True
    assert type(pets.validate_python({"petType": "Cat", "name": "T", "lives": 1})).__name__ == "Cat"
    with pytest.raises(ValidationError):
        pets.validate_python({"petType": "bird", "name": "Tweety"})
    assert pets.dump_python(cat, by_alias=True, exclude_unset=True)["petType"] == "kitty"
    assert type(pets.validate_python(cat)).__name__ == "Cat"  # instances route through _tag_of too


def test_discriminator_without_mapping_uses_names_and_branch_enums(oas30: Built) -> None:
    shapes = adapter(oas30, "Shape")
    assert type(shapes.validate_python({"kind": "circle", "radius": 1})).__name__ == "Circle"
    assert type(shapes.validate_python({"kind": "Square", "side": 2})).__name__ == "Square"
    with pytest.raises(ValidationError):
        shapes.validate_python({"kind": "Circle", "radius": 0})  # exclusiveMinimum (3.0 form)


def test_plain_union(oas30: Built) -> None:
    assert oas30.refs["StringOrNumber"].kind is TypeKind.ALIAS
    union = adapter(oas30, "StringOrNumber")
    assert union.validate_python("a") == "a" and union.validate_python(2.5) == 2.5
    with pytest.raises(ValidationError):
        union.validate_python([1])


def test_additional_properties(oas30: Built) -> None:
    assert adapter(oas30, "Labels").validate_python({"a": 1}) == {"a": 1}
    with pytest.raises(ValidationError):
        adapter(oas30, "Labels").validate_python({"a": "x"})
    with pytest.raises(ValidationError):
        model(oas30, "Closed").model_validate({"a": "x", "b": 1})
    kept = model(oas30, "Open").model_validate({"a": "x", "b": 1})
    assert kept.model_dump(by_alias=True) == {"a": "x", "b": 1}


def test_formats(oas30: Built) -> None:
    obj = model(oas30, "Formats").model_validate(
        {
            "when": "2024-05-01T10:00:00Z",
            "day": "2024-05-01",
            "id": "12345678-1234-5678-1234-567812345678",
            "blob": "raw",
            "b64": "aGk=",
            "mail": "a@b.c",
            "link": "https://x.y/z",
        }
    )
    assert isinstance(obj.when, datetime.datetime) and obj.when.tzinfo is not None
    assert isinstance(obj.day, datetime.date)
    assert isinstance(obj.id, uuid.UUID)
    assert obj.blob == b"raw"
    assert obj.b64 == "aGk=" and obj.link == "https://x.y/z"  # the wire value, not normalised


def test_constraints_and_python_regex(oas30: Built) -> None:
    cls = model(oas30, "Constraints")
    good = {"code": "AB-123", "count": 4, "ratio": 0.5, "password": "abc12345", "rusty": "any"}
    cls.model_validate(good)
    for field, bad in [
        ("code", "ab-123"),
        ("count", 3),
        ("count", 12),
        ("ratio", 1),
        ("password", "abcdefgh"),
    ]:
        with pytest.raises(ValidationError):
            cls.model_validate({**good, field: bad})
    dropped = [d for d in oas30.diagnostics if d.code == "pattern-dropped"]
    assert [d.pointer for d in dropped] == [
        "/components/schemas/Constraints/properties/rusty/pattern"
    ]
    assert dropped[0].line > 0


def test_defaults(oas30: Built) -> None:
    status = oas30.module.Status
    obj = model(oas30, "Defaults").model_validate({})
    assert obj.title == "untitled"
    assert obj.status is status.PENDING
    assert obj.sizes == [1, 2]
    assert obj.max_count == 5
    assert obj.model_dump(by_alias=True, exclude_unset=True) == {}
    assert "Status.PENDING" in oas30.source
    invalid = [d for d in oas30.diagnostics if d.code == "invalid-default"]
    assert [d.pointer for d in invalid] == ["/components/schemas/Defaults/properties/wrong/default"]
    assert obj.wrong is None
    other = model(oas30, "Defaults").model_validate({})
    other.sizes.append(3)
    assert obj.sizes == [1, 2]  # defaults are not shared between instances


def test_read_only_and_write_only_may_be_omitted(oas30: Built) -> None:
    cls = model(oas30, "Account")
    cls.model_validate({"name": "a"})
    field = next(
        f for m in oas30.types.models if m.name == "Account" for f in m.fields if f.name == "id"
    )
    assert field.read_only and not field.required


def test_recursive_models(oas30: Built) -> None:
    node = model(oas30, "Node")
    tree = node.model_validate(
        {"value": "a", "children": [{"value": "b", "children": []}], "parent": {"value": "p"}}
    )
    assert tree.children[0].value == "b"
    left = model(oas30, "Left").model_validate({"right": {"left": {"right": {}}}})
    assert type(left.right.left).__name__ == "Left"
    assert any(d.code == "recursive-alias" for d in oas30.diagnostics)
    adapter(oas30, "Loop").validate_python([[[]]])


def test_inline_schemas_are_named_from_where_they_stand(oas30: Built) -> None:
    names = set(oas30.types.names)
    assert {"InlineOwner", "InlineOwnerKind", "InlineItemsItem"} <= names
    obj = model(oas30, "Inline").model_validate(
        {"owner": {"name": "x", "kind": "org"}, "items": [{"sku": "1"}]}
    )
    assert type(obj.owner).__name__ == "InlineOwner"


def test_declarations_never_shadow_imports_or_builtins(oas30: Built) -> None:
    names = oas30.types.names
    for taken in ("BaseModel", "Field", "datetime", "list"):
        assert taken not in names
    assert oas30.refs["BaseModel"].annotation == "BaseModel_"
    assert oas30.refs["list"].annotation == "List"
    assert oas30.refs["pet"].annotation == "Pet_2"
    assert oas30.refs["Pet"].annotation == "Pet"
    assert adapter(oas30, "Ids").validate_python(["12345678-1234-5678-1234-567812345678"])


def test_free_form_schema_is_any(oas30: Built) -> None:
    assert oas30.refs["Free"].kind is TypeKind.ANY


def test_examples_validate_against_every_model(oas30: Built) -> None:
    for name, ref in oas30.refs.items():
        if ref.kind is TypeKind.ANY:
            continue
        adapter(oas30, name).validate_python(oas30.examples[name])


def test_module_passes_ruff_and_mypy_strict(oas30: Built) -> None:
    ruff = subprocess.run(
        [
            *(ruff_binary(), "check", "--isolated", "--line-length", "100", "--select"),
            *("E,F,W,I,UP,B,RUF022,PYI030", "--target-version", "py310", str(oas30.path)),
        ],
        capture_output=True,
        text=True,
    )
    assert ruff.returncode == 0, ruff.stdout
    mypy = subprocess.run(
        [
            sys.executable,
            "-m",
            "mypy",
            "--strict",
            "--no-incremental",
            "--python-version",
            "3.10",
            str(oas30.path),
        ],
        capture_output=True,
        text=True,
    )
    assert mypy.returncode == 0, mypy.stdout


OAS31 = """\
openapi: 3.1.0
info: {title: Types 3.1, version: "1"}
paths: {}
components:
  schemas:
    Item:
      type: object
      required: [name, note]
      properties:
        name: {type: string}
        note: {type: [string, "null"]}
        kind: {const: item}
        point:
          type: array
          prefixItems: [{type: number}, {type: number}]
          items: false
        score: {type: number, exclusiveMinimum: 0, exclusiveMaximum: 10}
        either: {type: [string, integer]}
        maybe:
          oneOf: [{$ref: '#/components/schemas/Tag'}, {type: "null"}]
        external: {$ref: 'parts.yaml#/Part'}
    Tag:
      type: object
      properties: {label: {type: string}}
"""

PARTS = """\
Part:
  type: object
  required: [sku]
  properties:
    sku: {type: string, pattern: '^[0-9]+$'}
    sub: {$ref: '#/Part'}
"""


@pytest.fixture(scope="module")
def oas31(tmp_path_factory: pytest.TempPathFactory) -> Built:
    return build(tmp_path_factory.mktemp("oas31"), OAS31, files={"parts.yaml": PARTS})


def test_31_type_arrays_const_tuples_and_external_refs(oas31: Built) -> None:
    item = model(oas31, "Item")
    obj = item.model_validate(
        {
            "name": "a",
            "note": None,
            "kind": "item",
            "point": [1, 2.5],
            "score": 5,
            "either": 3,
            "maybe": None,
            "external": {"sku": "12", "sub": {"sku": "3"}},
        }
    )
    assert obj.point == (1, 2.5)
    assert type(obj.external).__name__ == "Part"
    for field, bad in [
        ("kind", "other"),
        ("point", [1, 2, 3]),
        ("score", 0),
        ("score", 10),
        ("either", 1.5),
        ("external", {"sku": "x"}),
    ]:
        with pytest.raises(ValidationError):
            item.model_validate({"name": "a", "note": None, field: bad})
    with pytest.raises(ValidationError):
        item.model_validate({"name": "a"})  # note is required although nullable
    adapter(oas31, "Item").validate_python(oas31.examples["Item"])


SWAGGER = """\
swagger: "2.0"
info: {title: Old, version: "1"}
paths: {}
definitions:
  Upload:
    type: object
    required: [file]
    properties:
      file: {type: file}
      comment: {type: string, x-nullable: true}
  Pets:
    type: array
    items: {$ref: '#/definitions/Pet'}
  Pet:
    type: object
    properties:
      id: {type: integer, format: int64}
"""


def test_swagger2_definitions(tmp_path: Path) -> None:
    built = build(tmp_path, SWAGGER)
    assert model(built, "Upload").model_fields["file"].annotation is bytes
    assert model(built, "Upload").model_validate({"file": b"x", "comment": None}).comment is None
    assert built.refs["Pets"].annotation == "Pets"
    assert adapter(built, "Pets").validate_python([{"id": 1}])[0].id == 1


HOSTILE = """\
openapi: 3.0.3
info: {title: "x\\"\\"\\" ; import os", version: "1"}
paths: {}
components:
  schemas:
    "Evil\\"\\"\\"; open('CANARY', 'w')":
      description: "\\"\\"\\"\\nopen('CANARY', 'w')\\n\\"\\"\\" \\\\"
      type: object
      required: ["a\\"); open('CANARY', 'w'); (\\""]
      properties:
        "a\\"); open('CANARY', 'w'); (\\"": {type: string, default: "\\"); open('CANARY', 'w')#"}
        "\\n__import__('os')": {type: string, pattern: "'); open('CANARY', 'w'); ('"}
        "class": {type: string, enum: ["\\"; open('CANARY','w')", "\\\\", "\\u2028", "x\\ny"]}
        "🐍": {type: integer, default: 3, description: "# coding: unicode_escape"}
"""


def test_hostile_schema_text_stays_data(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    built = build(tmp_path, HOSTILE)
    assert not (tmp_path / "CANARY").exists()
    cls = next(getattr(built.module, m.name) for m in built.types.models if isinstance(m, Model))
    obj = cls.model_validate({"a\"); open('CANARY', 'w'); (\"": "v", "class": "\\"})
    dumped = obj.model_dump(by_alias=True)
    assert dumped["\n__import__('os')"] is None
    assert dumped["🐍"] == 3
    assert not (tmp_path / "CANARY").exists()
    subprocess.run([sys.executable, str(built.path)], cwd=tmp_path, check=True)
    assert not (tmp_path / "CANARY").exists()
    adapter(built, next(iter(built.refs))).validate_python(next(iter(built.examples.values())))


def test_type_for_names_inline_schemas_by_hint_and_reports_needs(tmp_path: Path) -> None:
    from generator.ir.schema import Import
    from generator.load import load
    from generator.translate.schema import TypeModelBuilder

    spec = tmp_path / "api.yaml"
    spec.write_text(OAS30, encoding="utf-8")
    doc, _ = load(spec)
    assert doc is not None
    builder = TypeModelBuilder(doc, dialect="oas30")
    body = builder.type_for(
        {"type": "object", "properties": {"when": {"type": "string", "format": "date"}}},
        doc.root,
        "/paths/~1pets/post/requestBody/content/application~1json/schema",
        "CreatePetRequest",
    )
    assert body.annotation == "CreatePetRequest" and body.declarations == ("CreatePetRequest",)
    listed = builder.type_for(
        {"type": "array", "items": {"$ref": "#/components/schemas/Pet"}, "nullable": True},
        doc.root,
        "/x",
        "ListPetsResponse",
    )
    assert listed.annotation == "list[Pet] | None" and listed.declarations == ("Pet",)
    when = builder.type_for({"type": "string", "format": "date-time"}, doc.root, "/y", "When")
    assert when.annotation == "datetime.datetime" and when.imports == (Import(module="datetime"),)
    code = builder.type_for({"type": "string", "pattern": "^a"}, doc.root, "/z", "Code")
    assert code.annotation == "Annotated[str, re_pattern('^a')]"
    assert code.declarations == ("re_pattern",)
    types = builder.finish()
    assert {"CreatePetRequest", "Pet", "re_pattern"} <= set(types.names)
    assert types.uses_pattern


def test_long_chains_and_deep_nesting_never_recurse(tmp_path: Path) -> None:
    import json as _json

    from corpus_support import component_schemas, dialect_of

    from generator.load import load
    from generator.translate.schema import TypeModelBuilder

    schemas: dict[str, object] = {
        f"Ref{i}": {"$ref": f"#/components/schemas/Ref{i + 1}"} for i in range(3000)
    }
    schemas["Ref3000"] = {"type": "string"}
    schemas.update(
        {
            f"Model{i}": {
                "type": "object",
                "properties": {"next": {"$ref": f"#/components/schemas/Model{i + 1}"}},
            }
            for i in range(2000)
        }
    )
    schemas["Model2000"] = {"type": "object", "properties": {"end": {"type": "boolean"}}}
    deep: dict[str, object] = {"type": "string"}
    for _ in range(150):
        deep = {"type": "array", "items": deep}
    schemas["Deep"] = deep
    spec = tmp_path / "chains.json"
    spec.write_text(
        _json.dumps(
            {
                "openapi": "3.0.3",
                "info": {"title": "t", "version": "1"},
                "paths": {},
                "components": {"schemas": schemas},
            }
        ),
        encoding="utf-8",
    )
    doc, _ = load(spec)
    assert doc is not None
    builder = TypeModelBuilder(doc, dialect=dialect_of(doc))
    refs = {
        name: builder.add_component(name, s, src, ptr)
        for name, s, src, ptr in component_schemas(doc)
    }
    types = builder.finish()
    assert refs["Ref0"].annotation == "Ref3000"
    assert refs["Model0"].annotation == "Model0" and len(types.models) == 2001
    deep_alias = types.get("Deep")
    assert deep_alias is not None and deep_alias.kind == "alias"
    assert deep_alias.type.annotation.startswith("list[list[")
    assert any(d.code == "schema-too-deep" for d in builder.diagnostics)
